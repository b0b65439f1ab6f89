package views

import (
	"net/url"
	"strconv"

	"pastel/internal/account"
	"pastel/internal/admin"
	"pastel/internal/paste"
)

// Element IDs shared by id= and hx-target= on the admin and settings pages.
const (
	DeleteAccountID = "delete-account"
	// NewInviteID holds an invite link just made; its Copy button names it.
	NewInviteID = "new-invite"
	// NewResetID holds a password reset link just made.
	NewResetID = "new-reset"
)

// AdminView is what every /admin tab shows around its list.
type AdminView struct {
	Tab        string // "users", "reports" or "log"
	Notice     string
	Users      []admin.User
	Query      string
	Sort       string
	Reports    []admin.Report
	Actions    []admin.Action
	NextCursor string
	// The "Pastes" tab: every paste, filtered by Query (title or ID),
	// Owner and Visibility.
	Pastes     []paste.Paste
	Owner      string
	Visibility string
	// The "Invites" tab: the newest invites, the site's REGISTRATION, and
	// the link just made (shown once) or the form's errors.
	Invites      []account.Invite
	Registration string
	NewInviteURL string
	InviteNote   string
	InviteErrors map[string]string
	// NewResetURL is a password reset link just made for ResetFor, shown
	// once on the users tab.
	NewResetURL string
	ResetFor    string
}

func adminInviteRevokeURL(id int64) string {
	return "/admin/invites/" + strconv.FormatInt(id, 10) + "/revoke"
}

// ReportFormView is the "Report" disclosure under a paste or a comment.
type ReportFormView struct {
	Action    string // where the form posts
	CSRFToken string
	TestID    string
}

// ReportReasons are the reasons a report form offers.
func ReportReasons() []admin.Reason { return admin.Reasons }

func adminUserURL(name, verb string) string {
	return "/admin/users/" + url.PathEscape(name) + "/" + verb
}

func adminResolveURL(id int64) string {
	return "/admin/reports/" + strconv.FormatInt(id, 10) + "/resolve"
}

func adminNextURL(v AdminView) string {
	q := url.Values{}
	if v.Query != "" {
		q.Set("q", v.Query)
	}
	if v.Sort != "" {
		q.Set("sort", v.Sort)
	}
	if v.Owner != "" {
		q.Set("owner", v.Owner)
	}
	if v.Visibility != "" {
		q.Set("visibility", v.Visibility)
	}
	q.Set("cursor", v.NextCursor)
	path := "/admin"
	switch v.Tab {
	case "pastes":
		path = "/admin/pastes"
	case "reports":
		path = "/admin/reports"
	case "log":
		path = "/admin/log"
	}
	return path + "?" + q.Encode()
}

func reportedURL(r admin.Report) string {
	if r.CommentID != 0 {
		return "/" + string(r.PasteID) + "#" + CommentElemID(r.CommentID)
	}
	return "/" + string(r.PasteID)
}

func reasonLabel(code string) string {
	for _, r := range admin.Reasons {
		if r.Code == code {
			return r.Label
		}
	}
	return code
}

// adminVisibilityURL is where the visibility control of a paste posts.
func adminVisibilityURL(id paste.ID) string {
	return "/admin/pastes/" + url.PathEscape(string(id)) + "/visibility"
}

// Visibilities are the visibilities in the order forms offer them.
var Visibilities = []paste.Visibility{paste.Public, paste.Unlisted, paste.Private}

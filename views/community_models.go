package views

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"pastel/internal/paste"
)

// Element IDs of the community fragments (id= and hx-target=).
const (
	// CommentsID is the comments section of the paste page.
	CommentsID = "comments"
	// CommentListID holds the threads; a new top-level comment is appended.
	CommentListID = "comment-list"
	// CommentFormID is the new-comment form; a failed HTMX post re-renders it.
	CommentFormID = "comment-form"
	// CommentCountID is the comment count in the section heading.
	CommentCountID = "comment-count"
	// PasteVotesID wraps the paste's like and dislike buttons.
	PasteVotesID = "paste-votes"
	// PasteStarID wraps the paste's star button.
	PasteStarID = "paste-star"
)

// CommentElemID is the id of one comment's <article>.
func CommentElemID(id int64) string { return "comment-" + strconv.FormatInt(id, 10) }

// ThreadElemID is the id of a thread (a top-level comment and its replies).
func ThreadElemID(rootID int64) string { return "thread-" + strconv.FormatInt(rootID, 10) }

// CommentVotesID is the id of a comment's vote buttons.
func CommentVotesID(id int64) string { return "comment-votes-" + strconv.FormatInt(id, 10) }

// PasteCommunity is the community part of the paste page.
type PasteCommunity struct {
	Votes    VoteView
	Star     StarView
	Comments CommentsView
}

// VoteView is a like/dislike pair for a paste or a comment.
type VoteView struct {
	ElemID    string // id of the wrapper, the HTMX target
	Action    string // where the form posts value=1|-1|0
	Rating    paste.Rating
	SignedIn  bool
	CSRFToken string
}

// StarView is a paste's star button.
type StarView struct {
	Action    string
	Starred   bool
	Stars     int64
	SignedIn  bool
	CSRFToken string
}

// CommentDraft is what a person typed into a comment form that failed
// validation, so it is shown again with the errors: a new comment (both IDs
// zero), a reply (ParentID) or an edit (EditID).
type CommentDraft struct {
	ParentID  int64
	EditID    int64
	Body      string
	LineStart string // as typed in a new comment's form
	LineEnd   string
	Errors    map[string]string
}

// CommentsView is the comments section.
type CommentsView struct {
	PasteID    paste.ID
	SignedIn   bool
	LoginURL   string // sign in and come back
	CSRFToken  string
	Threads    []ThreadView
	Total      int64
	NextURL    string // the next page of threads; "" at the end
	Form       CommentFormView
	FirstPage  bool
	FirstURL   string // back to the first page when on a later one
	ViewsCount int64
	// Order is the threads' order, "oldest" or "newest"; OldestURL and
	// NewestURL switch between them.
	Order     string
	OldestURL string
	NewestURL string
}

// CommentFormView is the new-comment form.
type CommentFormView struct {
	Action string
	Body   string
	// LineStart and LineEnd are the lines the comment is about, as typed
	// ("" for none); Lines shows those fields (pastes shown as lines).
	LineStart string
	LineEnd   string
	Lines     bool
	Errors    map[string]string
	CSRFToken string
	OOB       bool // rendered out of band after a successful HTMX post
}

// ThreadView is a top-level comment and its first replies in reading
// order.
type ThreadView struct {
	RootID   int64
	Comments []CommentView
	MoreURL  string // the next replies; "" when all are shown
}

// RepliesView is a page of one thread's replies: what the "More replies"
// link fetches, ending with the link to the next page.
type RepliesView struct {
	Comments []CommentView
	MoreURL  string // "" at the end of the thread
}

// ThreadPageView is the page of a thread's replies for browsers without
// JavaScript.
type ThreadPageView struct {
	PasteTitle string
	PasteURL   string // back to the thread on the paste's page
	StartURL   string // the thread's first replies
	FirstPage  bool
	Root       CommentView
	Replies    RepliesView
}

// CommentView is one comment with what the viewer may do with it.
type CommentView struct {
	Comment   paste.Comment
	ReplyURL  string // where replies post (the paste's comments); "" with CanReply false
	EditURL   string
	DeleteURL string
	Votes     VoteView
	CanReply  bool
	CanEdit   bool
	CanDelete bool
	CSRFToken string
	// Report is the "Report" form for signed-in viewers; nil hides it.
	Report *ReportFormView
	// The reply or edit form is open with this draft after a failed post.
	ReplyDraft *CommentDraft
	EditDraft  *CommentDraft
	// ParentAuthor names the author of the comment this one answers, when
	// the page holds it: replies deeper than MaxCommentDepth are shown
	// flat, so they say whom they answer.
	ParentAuthor string
	// PasteRevision is the paste's revision: a comment about lines of
	// another one says which.
	PasteRevision int32
}

// flattened reports whether a reply is shown at a shallower level than
// its own (deeper than paste.MaxCommentDepth).
func (c CommentView) flattened() bool { return c.Comment.Depth > paste.MaxCommentDepth }

// StarsView is the "My stars" page.
type StarsView struct {
	Items      []paste.Paste
	NextCursor string
}

// bodyPart is a run of comment text, a link when Link is set.
type bodyPart struct {
	Text string
	Link string
}

var linkPattern = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"'` + "`" + `]+`)

// commentParts splits a plain-text comment into text and http(s) links.
// Trailing punctuation stays text, so "see https://x.org." links x.org.
// Links are re-encoded by net/url; everything is escaped by templ.
func commentParts(body string) []bodyPart {
	var out []bodyPart
	last := 0
	for _, m := range linkPattern.FindAllStringIndex(body, -1) {
		s, e := m[0], m[1]
		for e > s && strings.ContainsRune(".,;:!?)]}'\"", rune(body[e-1])) {
			e--
		}
		u, err := url.Parse(body[s:e])
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			continue
		}
		if s > last {
			out = append(out, bodyPart{Text: body[last:s]})
		}
		out = append(out, bodyPart{Text: body[s:e], Link: u.String()})
		last = e
	}
	if last < len(body) {
		out = append(out, bodyPart{Text: body[last:]})
	}
	return out
}

func depthClass(c paste.Comment) string { return "depth-" + strconv.Itoa(c.DisplayDepth()) }

func pressed(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// voteValue is what a vote button sends: its own value, or 0 to take the
// vote back when it is already the viewer's.
func voteValue(mine, button int) string {
	if mine == button {
		return "0"
	}
	return strconv.Itoa(button)
}

func starValue(starred bool) string {
	if starred {
		return "off"
	}
	return "on"
}

func draftBody(d *CommentDraft) string {
	if d == nil {
		return ""
	}
	return d.Body
}

func draftErrors(d *CommentDraft) map[string]string {
	if d == nil {
		return nil
	}
	return d.Errors
}

func pluralN(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}

package views

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"pastel/internal/paste"
)

// withAuthToken fills an auth form's CSRF token from the page when empty.
func withAuthToken(f AuthForm, token string) AuthForm {
	if f.CSRFToken == "" {
		f.CSRFToken = token
	}
	return f
}

// authSwitchURL links the sign-in and registration pages to each other,
// keeping where to go afterwards.
func authSwitchURL(path, next string) string {
	if next == "" || next == "/" {
		return path
	}
	return path + "?next=" + url.QueryEscape(next)
}

// fieldSentence turns a domain message for a field ("must be at least 10
// characters") into a sentence ("Password must be at least 10
// characters."). Messages that already read as sentences are kept.
func fieldSentence(label, msg string) string {
	r, _ := utf8.DecodeRuneInString(msg)
	if msg == "" || !unicode.IsLower(r) {
		return msg
	}
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return label + " " + msg
}

// formAction is where the paste form posts.
func formAction(f PasteForm) string { return orDefault(f.Action, "/") }

// selectedExpiry is the expiry option selected: "never" by default on a new
// paste; while editing, "" (keep the current expiry) by default.
func selectedExpiry(f PasteForm) string {
	if f.Editing {
		return f.ExpiresIn
	}
	return orDefault(f.ExpiresIn, "never")
}

// editForm makes f the edit form of paste id.
func editForm(f PasteForm, id string) PasteForm {
	f.Editing = true
	if f.Action == "" {
		f.Action = editURL(paste.ID(id))
	}
	if f.SubmitLabel == "" {
		f.SubmitLabel = "Save changes"
	}
	return f
}

func editURL(id paste.ID) string       { return pasteURL(id) + "/edit" }
func shareLinksURL(id paste.ID) string { return pasteURL(id) + "/share-links" }
func shareRevokeURL(id paste.ID, link int64) string {
	return shareLinksURL(id) + "/" + strconv.FormatInt(link, 10) + "/revoke"
}
func sessionRevokeURL(id string) string {
	return "/settings/sessions/" + url.PathEscape(id) + "/revoke"
}
func tokenRevokeURL(id int64) string {
	return "/settings/tokens/" + strconv.FormatInt(id, 10) + "/revoke"
}

// joinedDate is the day an account was made, such as "March 4, 2025".
func joinedDate(t time.Time) string { return t.UTC().Format("January 2, 2006") }

// userTitle is the user page's title.
func userTitle(u UserView) string {
	if u.IsSelf {
		return "My pastes"
	}
	return u.Username
}

func userNav(p Page, u UserView) Page {
	if u.IsSelf {
		return withNav(p, "mine")
	}
	return p
}

// settingsFocus names the one element of the settings page that gets
// autofocus, so the browser scrolls to what the last submission changed:
// the new token's Copy button, or the first field in error.
func settingsFocus(s SettingsView) string {
	switch {
	case s.NewToken != "":
		return "copy-token"
	case hasErrors(s.TokenErrors):
		return "name"
	case s.PasswordErrors["old_password"] != "" || (hasErrors(s.PasswordErrors) && s.PasswordErrors["new_password"] == ""):
		return "old_password"
	case s.PasswordErrors["new_password"] != "":
		return "new_password"
	}
	return ""
}

// DeviceLabel summarises a User-Agent header for people: "Firefox on
// Linux", "Safari on iOS", "curl". It never returns "".
func DeviceLabel(ua string) string {
	if strings.TrimSpace(ua) == "" {
		return "Unknown device"
	}
	has := func(s string) bool { return strings.Contains(ua, s) }
	browser := ""
	switch {
	case has("Edg/") || has("EdgA/") || has("EdgiOS/"):
		browser = "Edge"
	case has("OPR/") || has("Opera"):
		browser = "Opera"
	case has("SamsungBrowser/"):
		browser = "Samsung Internet"
	case has("Firefox/") || has("FxiOS/"):
		browser = "Firefox"
	case has("HeadlessChrome/"):
		browser = "Headless Chrome"
	case has("Chromium/"):
		browser = "Chromium"
	case has("Chrome/") || has("CriOS/"):
		browser = "Chrome"
	case has("Safari/") && has("Version/"):
		browser = "Safari"
	}
	os := ""
	switch {
	case has("iPhone") || has("iPad") || has("iPod"):
		os = "iOS"
	case has("Android"):
		os = "Android"
	case has("Windows"):
		os = "Windows"
	case has("Mac OS X") || has("Macintosh"):
		os = "macOS"
	case has("CrOS"):
		os = "ChromeOS"
	case has("Linux") || has("X11"):
		os = "Linux"
	}
	switch {
	case browser != "" && os != "":
		return browser + " on " + os
	case browser != "":
		return browser
	case os != "":
		return "Browser on " + os
	}
	// Tools such as curl/8.5.0: the product name.
	name, _, _ := strings.Cut(ua, "/")
	name, _, _ = strings.Cut(name, " ")
	if name == "" || len(name) > 40 {
		return "Unknown device"
	}
	return name
}

// recoveryLeft says how many recovery codes are unused.
func recoveryLeft(n int) string {
	switch n {
	case 0:
		return "No recovery codes left: turn two-factor sign-in off and on again for new ones."
	case 1:
		return "1 recovery code left."
	}
	return strconv.Itoa(n) + " recovery codes left."
}

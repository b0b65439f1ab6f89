package views

import (
	"time"

	"pastel/internal/paste"
)

// Element IDs of the account pages that appear both in id= and in
// hx-target= (or in data-copy=).
const (
	// LoginFormID is the sign-in form; POST /login answers a failed HTMX
	// submission with LoginFormFragment, swapped with outerHTML.
	LoginFormID = "login-form"
	// RegisterFormID is the registration form, re-rendered the same way by
	// RegisterFormFragment.
	RegisterFormID = "register-form"
	// NewTokenID holds an API token just created; its Copy button names it.
	NewTokenID = "new-token"
	// NewShareURLID holds a share link just created; its Copy button names it.
	NewShareURLID = "new-share-url"
)

// AuthForm is the sign-in or registration form: the values typed so far
// (never the password) and, after a failed submission, the error for each
// field ("username", "email", "password"; the key "" holds a message for the
// form as a whole, such as "Wrong username or password.").
type AuthForm struct {
	Mode      string // "login" or "register"
	Username  string
	Email     string
	Next      string // where to go after signing in; a local path, already checked
	Errors    map[string]string
	CSRFToken string // LoginPage and RegisterPage fill it from Page when empty
	// Registration is the site's policy: "open", "invite" or "closed".
	Registration string
	// Invite is the invite link's token, carried by the registration form
	// under REGISTRATION=invite; InviteProblem is "missing" (no invite) or
	// "unusable" (used, revoked, expired or unknown) when the form cannot
	// be offered.
	Invite        string
	InviteProblem string
	// OIDCName names the OpenID Connect provider on the "Sign in with"
	// button; "" when none is configured. OIDCURL starts its sign-in.
	OIDCName string
	OIDCURL  string
	// CanReset offers "Forgot your password?" (SMTP is configured).
	CanReset bool
}

// SettingsView is the account settings page (GET /settings).
type SettingsView struct {
	Username string
	Email    string
	JoinedAt time.Time

	// PasswordErrors are the change-password form's errors ("old_password",
	// "new_password", and "" for the form as a whole).
	PasswordErrors map[string]string
	// PasswordChanged shows a confirmation after a successful change.
	PasswordChanged bool
	// DeleteErrors are the delete-account form's errors ("password").
	DeleteErrors map[string]string

	Sessions []SessionView
	Tokens   []APITokenView

	// NewToken is an API token just created, shown this once; NewTokenName
	// is its name (or, after a failed creation, the name typed).
	NewToken     string
	NewTokenName string
	// TokenErrors are the create-token form's errors ("name", and "" for the
	// form as a whole).
	TokenErrors map[string]string

	// TwoFactor is "off", "pending" (a secret to confirm: TOTPSecret and
	// the QR code) or "on" (RecoveryLeft codes unused). RecoveryCodes are
	// the codes just made, shown this once; TwoFactorErrors the forms'.
	// NoPassword: the account was made through OpenID Connect and has no
	// password yet; the password form sets one without the current one.
	NoPassword bool

	TwoFactor       string
	TOTPSecret      string
	RecoveryLeft    int
	RecoveryCodes   []string
	TwoFactorErrors map[string]string
}

// SessionView is one signed-in browser session of the account.
type SessionView struct {
	ID         string // opaque, used in the revoke URL
	UserAgent  string
	IP         string
	CreatedAt  time.Time
	LastSeenAt time.Time
	Current    bool // the session of this request: it cannot be revoked from the list
}

// APITokenView is one personal API token; the secret itself is never shown
// after creation, only its first characters (Prefix).
type APITokenView struct {
	ID         int64
	Name       string
	Prefix     string
	CreatedAt  time.Time
	LastUsedAt *time.Time // nil: never used
}

// UserView is a user's page (GET /u/{username}): their pastes the viewer
// may see. IsSelf (the owner looking at their own page) turns it into "My
// pastes", with every paste's visibility shown.
type UserView struct {
	Username   string
	JoinedAt   time.Time
	IsSelf     bool
	Items      []paste.Paste
	NextCursor string // "" when there is no older page

	// Stars are the user's star figures; nil hides them.
	Stars *paste.UserStats
	// Languages are the syntaxes of the user's public pastes, most used
	// first.
	Languages []paste.LanguageCount
	// Tags are the tags of the user's public pastes, most used first.
	Tags []paste.TagCount
}

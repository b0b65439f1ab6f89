package api

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/account"
	"pastel/internal/auth"
	"pastel/internal/paste"
)

const localClaims = "access_claims"

// bearer resolves the Authorization header to a viewer. No header means
// anonymous; a header that is present but not a valid bearer credential is
// 401 invalid_token, never a silent downgrade to anonymous. Cookies are never
// read here.
func (h *handler) bearer(c *fiber.Ctx) error {
	authz := c.Get(fiber.HeaderAuthorization)
	if authz == "" {
		return c.Next()
	}
	scheme, token, ok := strings.Cut(authz, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return account.ErrInvalidToken
	}
	v, claims, err := h.Accounts.Bearer(c.UserContext(), token)
	if err != nil {
		return err
	}
	c.SetUserContext(paste.WithViewer(c.UserContext(), v))
	c.Locals(localClaims, claims)
	return c.Next()
}

// signedIn returns the viewer, or ErrUnauthorized for anonymous callers.
func signedIn(c *fiber.Ctx) (paste.Viewer, error) {
	v := paste.ViewerFrom(c.UserContext())
	if !v.SignedIn() {
		return v, paste.ErrUnauthorized
	}
	return v, nil
}

type credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Email    string `json:"email"`
	Invite   string `json:"invite"` // the invite link's token, under REGISTRATION=invite
}

func (h *handler) register(c *fiber.Ctx) error {
	var in credentials
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	u, err := h.Accounts.SignUp(c.UserContext(), account.SignUp{Username: in.Username, Email: in.Email, Password: in.Password, Invite: in.Invite})
	if err != nil {
		return err
	}
	// The new account signs in at once: the token pair travels beside
	// the account, as POST /auth/token would answer it.
	pair, err := h.Accounts.IssueTokens(c.UserContext(), u.ID, "")
	if err != nil {
		return err
	}
	c.Location(h.link("/u/" + u.Username))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(registeredJSON{ID: u.ID, Username: u.Username, tokenJSON: pairJSON(pair)})
}

// registeredJSON is a new account with its first token pair.
type registeredJSON struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	tokenJSON
}

// verify answers a proxy's auth_request: 204 naming the bearer's account
// in X-User-Id and X-Username, 401 without a valid access token (the
// bearer middleware has already refused a bad one).
func (h *handler) verify(c *fiber.Ctx) error {
	v, err := signedIn(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(HeaderUserID, strconv.FormatInt(v.UserID, 10))
	c.Set(HeaderUsername, v.Username)
	return c.SendStatus(fiber.StatusNoContent)
}

// Headers of a verify answer.
const (
	HeaderUserID   = "X-User-Id"
	HeaderUsername = "X-Username"
)

type tokenJSON struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
}

func pairJSON(p account.TokenPair) tokenJSON {
	return tokenJSON{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken, TokenType: "Bearer", ExpiresIn: int64(p.ExpiresIn / time.Second)}
}

func (h *handler) token(c *fiber.Ctx) error {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
		OTP      string `json:"otp"` // a TOTP or recovery code, for accounts with two-factor sign-in
	}
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	u, err := h.Accounts.Authenticate(c.UserContext(), in.Username, in.Password, paste.ClientAddr(c.UserContext()))
	if err != nil {
		return err
	}
	if err := h.Accounts.CheckSecondFactor(c.UserContext(), u.ID, in.OTP, paste.ClientAddr(c.UserContext())); err != nil {
		return err
	}
	pair, err := h.Accounts.IssueTokens(c.UserContext(), u.ID, "")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(pairJSON(pair))
}

func (h *handler) refresh(c *fiber.Ctx) error {
	var in struct {
		RefreshToken string `json:"refresh_token"`
	}
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	if in.RefreshToken == "" {
		return paste.FieldError("refresh_token", "is required")
	}
	pair, err := h.Accounts.Refresh(c.UserContext(), in.RefreshToken)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(pairJSON(pair))
}

func (h *handler) revoke(c *fiber.Ctx) error {
	v, err := signedIn(c)
	if err != nil {
		return err
	}
	claims, _ := c.Locals(localClaims).(auth.Claims)
	if err := h.Accounts.Revoke(c.UserContext(), v.UserID, claims); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *handler) me(c *fiber.Ctx) error {
	v, err := signedIn(c)
	if err != nil {
		return err
	}
	u, err := h.Accounts.UserByID(c.UserContext(), v.UserID)
	if err != nil {
		return err
	}
	var email *string
	if u.Email != "" {
		email = &u.Email
	}
	return c.JSON(fiber.Map{"id": u.ID, "username": u.Username, "email": email, "created_at": u.CreatedAt, "is_admin": u.IsAdmin})
}

// retryAfter returns the Retry-After seconds for rate-limit errors.
func retryAfter(err error) (int, bool) {
	var rl *account.RateLimitError
	if errors.As(err, &rl) {
		return int(rl.RetryAfter/time.Second) + 1, true
	}
	var gl *paste.GuessLimitError
	if errors.As(err, &gl) {
		return int(gl.RetryAfter/time.Second) + 1, true
	}
	return 0, false
}

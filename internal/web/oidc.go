package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"github.com/gofiber/fiber/v2"
	"golang.org/x/oauth2"

	"pastel/internal/account"
	"pastel/internal/paste"
	"pastel/views"
)

// OIDCOptions configure sign-in through an OpenID Connect provider
// (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET). The redirect URL
// registered with the provider is BASE_URL + /auth/oidc/callback.
type OIDCOptions struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// Name labels the "Sign in with" button; "": the issuer's host.
	Name string
	// HTTPClient talks to the provider; nil: one with a 10 s timeout.
	HTTPClient *http.Client
}

// Paths of the OpenID Connect sign-in.
const (
	oidcLoginPath    = "/auth/oidc/login"
	oidcCallbackPath = "/auth/oidc/callback"
	// oidcFlowKey is the session value holding the sign-in in progress.
	oidcFlowKey = "oidc_flow"
	// oidcFlowTTL is how long a started sign-in may take at the provider.
	oidcFlowTTL = 10 * time.Minute
)

// oidcFlow is a started sign-in: what the callback must find again. It
// lives in the browser's server-side session, and is removed by the first
// callback that reads it, whatever the outcome.
type oidcFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"next"`
	Invite   string `json:"invite,omitempty"`
	Started  int64  `json:"t"`
}

// oidcClient is the relying party: the provider is discovered on first
// use and kept once discovery succeeds.
type oidcClient struct {
	opts     OIDCOptions
	redirect string
	http     *http.Client

	mu       sync.Mutex
	provider *gooidc.Provider
}

func newOIDCClient(o OIDCOptions, base *url.URL) *oidcClient {
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	return &oidcClient{opts: o, redirect: base.String() + oidcCallbackPath, http: hc}
}

func (o *oidcClient) ctx(ctx context.Context) context.Context {
	return gooidc.ClientContext(ctx, o.http)
}

// discover returns the provider, fetching its discovery document the
// first time. go-oidc refuses a document whose issuer is not OIDC_ISSUER.
func (o *oidcClient) discover(ctx context.Context) (*gooidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	p, err := gooidc.NewProvider(o.ctx(ctx), o.opts.Issuer)
	if err != nil {
		return nil, err
	}
	o.provider = p
	return p, nil
}

func (o *oidcClient) config(p *gooidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID: o.opts.ClientID, ClientSecret: o.opts.ClientSecret, RedirectURL: o.redirect,
		Endpoint: p.Endpoint(), Scopes: []string{gooidc.ScopeOpenID, "profile", "email"},
	}
}

func (o *oidcClient) name() string {
	if o.opts.Name != "" {
		return o.opts.Name
	}
	if u, err := url.Parse(o.opts.Issuer); err == nil && u.Host != "" {
		return u.Host
	}
	return "single sign-on"
}

// registerOIDC mounts the provider sign-in when one is configured.
func (a *App) registerOIDC() {
	if a.oidc == nil {
		return
	}
	a.Get(oidcLoginPath, a.oidcLogin)
	a.Get(oidcCallbackPath, a.oidcCallback)
}

// offerOIDC puts the "Sign in with" button on a sign-in or sign-up form
// when a provider is configured.
func (a *App) offerOIDC(f *views.AuthForm) {
	if a.oidc == nil {
		return
	}
	q := url.Values{}
	if f.Next != "" && f.Next != "/" {
		q.Set("next", f.Next)
	}
	if f.Invite != "" {
		q.Set("invite", f.Invite)
	}
	f.OIDCName, f.OIDCURL = a.oidc.name(), oidcLoginPath
	if len(q) > 0 {
		f.OIDCURL += "?" + q.Encode()
	}
}

func randomValue() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// oidcLogin starts a sign-in: state, nonce and a PKCE verifier go into
// the session, and the browser to the provider.
func (a *App) oidcLogin(c *fiber.Ctx) error {
	next := safeNext(c.Query("next"))
	if paste.ViewerFrom(c.UserContext()).SignedIn() {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	p, err := a.oidc.discover(c.UserContext())
	if err != nil {
		a.logger(c).Warn("oidc discovery failed", "issuer", a.oidc.opts.Issuer, "err", err)
		return a.signInProblem(c, fiber.StatusServiceUnavailable, "The sign-in provider is not answering",
			"Pastel could not reach "+a.oidc.name()+". Try again in a moment, or sign in with a password.")
	}
	flow := oidcFlow{
		State: randomValue(), Nonce: randomValue(), Verifier: oauth2.GenerateVerifier(),
		Next: next, Started: time.Now().Unix(),
	}
	if a.registration() == account.RegistrationInvite {
		flow.Invite = c.Query("invite")
	}
	raw, _ := json.Marshal(flow)
	s, err := a.session(c)
	if err != nil {
		return err
	}
	s.Values[oidcFlowKey] = string(raw)
	if err := a.saveSession(c, s); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(a.oidc.config(p).AuthCodeURL(flow.State,
		gooidc.Nonce(flow.Nonce), oauth2.S256ChallengeOption(flow.Verifier)), fiber.StatusSeeOther)
}

// takeFlow removes the sign-in in progress from the session and returns
// it: a callback URL works once, whatever happens next.
func (a *App) takeFlow(c *fiber.Ctx) (oidcFlow, bool, error) {
	var flow oidcFlow
	if c.Cookies(a.sessionName()) == "" {
		return flow, false, nil
	}
	s, err := a.session(c)
	if err != nil {
		return flow, false, err
	}
	raw, ok := s.Values[oidcFlowKey].(string)
	if !ok {
		return flow, false, nil
	}
	delete(s.Values, oidcFlowKey)
	if err := a.saveSession(c, s); err != nil {
		return flow, false, err
	}
	return flow, json.Unmarshal([]byte(raw), &flow) == nil, nil
}

// oidcCallback finishes a sign-in: the state must be the one this
// browser's session holds (once), the code is exchanged with the PKCE
// verifier, and the ID token must verify against the configured issuer,
// for this client, with the session's nonce. The account is the one
// linked to the token's issuer and subject; a first sign-in makes one
// when REGISTRATION allows.
func (a *App) oidcCallback(c *fiber.Ctx) error {
	ctx := c.UserContext()
	log := a.logger(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
	flow, ok, err := a.takeFlow(c)
	if err != nil {
		return err
	}
	state := c.Query("state")
	if !ok || state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(flow.State)) != 1 {
		log.Info("oidc callback refused", "reason", "state")
		return a.signInProblem(c, fiber.StatusBadRequest, "This sign-in link is not valid",
			"It was already used, or it was not started in this browser. Start again from the sign-in page.")
	}
	if time.Since(time.Unix(flow.Started, 0)) > oidcFlowTTL {
		return a.signInProblem(c, fiber.StatusBadRequest, "This sign-in took too long", "Start again from the sign-in page.")
	}
	if e := c.Query("error"); e != "" {
		code := oauthErrorCode(e)
		log.Info("oidc callback refused", "reason", "provider_error", "error", code)
		return a.signInProblem(c, fiber.StatusBadRequest, "The provider did not sign you in",
			a.oidc.name()+" answered "+code+". Start again from the sign-in page, or sign in with a password.")
	}
	p, err := a.oidc.discover(ctx)
	if err != nil {
		log.Warn("oidc discovery failed", "issuer", a.oidc.opts.Issuer, "err", err)
		return a.signInProblem(c, fiber.StatusServiceUnavailable, "The sign-in provider is not answering", "Try again in a moment.")
	}
	tok, err := a.oidc.config(p).Exchange(a.oidc.ctx(ctx), c.Query("code"), oauth2.VerifierOption(flow.Verifier))
	if err != nil {
		log.Info("oidc callback refused", "reason", "code_exchange", "err", err)
		return a.signInProblem(c, fiber.StatusBadRequest, "The sign-in could not be completed",
			"The provider did not accept the sign-in code (it may have been used already). Start again from the sign-in page.")
	}
	rawID, _ := tok.Extra("id_token").(string)
	idToken, err := p.Verifier(&gooidc.Config{ClientID: a.oidc.opts.ClientID}).Verify(a.oidc.ctx(ctx), rawID)
	if err != nil {
		log.Info("oidc callback refused", "reason", "id_token", "err", err)
		return a.signInProblem(c, fiber.StatusBadRequest, "The sign-in could not be completed",
			"The provider's answer did not check out. Start again from the sign-in page.")
	}
	if subtle.ConstantTimeCompare([]byte(idToken.Nonce), []byte(flow.Nonce)) != 1 {
		log.Info("oidc callback refused", "reason", "nonce")
		return a.signInProblem(c, fiber.StatusBadRequest, "The sign-in could not be completed",
			"The provider's answer was meant for another sign-in. Start again from the sign-in page.")
	}
	var claims struct {
		PreferredUsername string `json:"preferred_username"`
		Name              string `json:"name"`
		Email             string `json:"email"`
		EmailVerified     bool   `json:"email_verified"`
	}
	if err := idToken.Claims(&claims); err != nil {
		return a.signInProblem(c, fiber.StatusBadRequest, "The sign-in could not be completed", "The provider's answer could not be read.")
	}
	profile := account.ExternalProfile{PreferredUsername: claims.PreferredUsername, Name: claims.Name}
	if claims.EmailVerified {
		profile.Email = claims.Email
	}
	u, created, err := a.deps.Accounts.SignInExternal(ctx, account.Identity{Issuer: idToken.Issuer, Subject: idToken.Subject}, profile, flow.Invite)
	var refused *account.RefusedError
	var verr *paste.ValidationError
	switch {
	case errors.As(err, &refused):
		return a.signInProblem(c, fiber.StatusForbidden, "No account for you here yet", externalRefusal(refused))
	case asValidation(err, &verr):
		return a.signInProblem(c, fiber.StatusForbidden, "This invite link cannot be used",
			"It may have been used already, revoked, or have expired. Ask an admin for a new one.")
	case err != nil:
		return err
	}
	if created {
		if err := a.signIn(c, u.ID); err != nil {
			return err
		}
		a.flash(c, "registered")
		return c.Redirect(flow.Next, fiber.StatusSeeOther)
	}
	// An account with two-factor sign-in on asks for its code here too.
	return a.finishSignIn(c, u.ID, flow.Next)
}

func externalRefusal(err *account.RefusedError) string {
	switch err {
	case account.ErrInviteRequired:
		return "You signed in with the provider, but this site takes new accounts only through an invite link from an admin. Open your invite link, then sign in from it."
	case account.ErrExternalDisabled:
		return "Your account on this site is disabled."
	}
	return "You signed in with the provider, but this site is not taking new accounts."
}

func (a *App) signInProblem(c *fiber.Ctx, status int, heading, msg string) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, status, views.SignInProblemPage(a.page(c, heading), views.SignInProblemView{Heading: heading, Message: msg}))
}

// oauthErrorCode is the provider's error code as shown: OAuth codes are
// short ASCII words (access_denied); anything else is not repeated.
func oauthErrorCode(e string) string {
	if len(e) > 64 {
		return "an error"
	}
	for _, r := range e {
		if !(r >= 'a' && r <= 'z' || r == '_') {
			return "an error"
		}
	}
	return `"` + e + `"`
}

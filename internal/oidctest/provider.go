// Package oidctest runs a real OpenID Connect provider for tests: the
// zitadel/oidc op package (a conformant provider library) over a small
// in-memory storage written here. Its login step signs in whichever user
// the test chose, without a form, so an HTTP client that follows
// redirects completes the authorization code flow by itself.
package oidctest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// User is who the provider signs in.
type User struct {
	Subject           string
	PreferredUsername string
	Email             string
	EmailVerified     bool
	Name              string
}

// Provider is a running OpenID Provider.
type Provider struct {
	// Issuer is the provider's issuer URL (its test server's origin).
	Issuer string
	// ClientID and ClientSecret are the one registered client's.
	ClientID, ClientSecret string

	server *httptest.Server
	st     *storage
}

// Start runs a provider with one confidential client; SetRedirectURI
// names where it sends browsers back. It stops when the test ends.
func Start(t interface {
	Helper()
	Fatal(...any)
	Cleanup(func())
}) *Provider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	st := &storage{
		key: key, keyID: randomID(), requests: map[string]*authRequest{}, codes: map[string]string{},
		tokens: map[string]string{},
		client: &client{id: "pastel-" + randomID()[:8], secret: randomID()},
	}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	issuer := srv.URL
	var cryptoKey [32]byte
	copy(cryptoKey[:], randomID())
	provider, err := op.NewProvider(&op.Config{
		CryptoKey: cryptoKey, CodeMethodS256: true, AuthMethodPost: true,
	}, st, op.StaticIssuer(issuer), op.WithAllowInsecure())
	if err != nil {
		t.Fatal(err)
	}
	callback := op.AuthCallbackURL(provider)
	// The login step: the request's user is whoever the test chose.
	mux.Handle("/login", op.NewIssuerInterceptor(provider.IssuerFromRequest).HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("authRequestID")
		if err := st.login(id); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, callback(r.Context(), id), http.StatusFound)
	}))
	mux.Handle("/", provider)
	return &Provider{Issuer: issuer, ClientID: st.client.id, ClientSecret: st.client.secret, server: srv, st: st}
}

// SetRedirectURI registers the client's one redirect URI.
func (p *Provider) SetRedirectURI(uri string) {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	p.st.client.redirect = uri
}

// SignInAs makes u the user the next logins sign in.
func (p *Provider) SignInAs(u User) {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	p.st.user = u
}

// ForgeNonce makes the provider put nonce in the ID tokens it issues from
// now on instead of the one the client asked for ("" ends it): a token
// minted for another sign-in.
func (p *Provider) ForgeNonce(nonce string) {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	p.st.forgedNonce = nonce
}

// URL returns the provider's origin.
func (p *Provider) URL() string { return p.server.URL }

func randomID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// storage is op.Storage in memory: auth requests, codes, access tokens,
// one signing key and one client.
type storage struct {
	mu          sync.Mutex
	key         *rsa.PrivateKey
	keyID       string
	client      *client
	user        User
	forgedNonce string
	requests    map[string]*authRequest
	codes       map[string]string // code → request ID
	tokens      map[string]string // access token ID → subject
}

var errNotFound = errors.New("not found")

func (s *storage) login(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok {
		return errNotFound
	}
	if s.user.Subject == "" {
		return errors.New("no user to sign in: call SignInAs")
	}
	r.user = s.user
	r.done = true
	r.authTime = time.Now()
	if s.forgedNonce != "" {
		r.Nonce = s.forgedNonce
	}
	return nil
}

func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &authRequest{AuthRequest: *req, id: randomID()}
	s.requests[r.id] = r
	return r, nil
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.requests[id]; ok {
		return r, nil
	}
	return nil, errNotFound
}

func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	id, ok := s.codes[code]
	s.mu.Unlock()
	if !ok {
		return nil, errors.New("code invalid or used")
	}
	return s.AuthRequestByID(ctx, id)
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest runs once a code is exchanged: the code dies with it.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	for code, rid := range s.codes {
		if rid == id {
			delete(s.codes, code)
		}
	}
	return nil
}

func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := randomID()
	s.tokens[id] = req.GetSubject()
	return id, time.Now().Add(5 * time.Minute), nil
}

func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, errors.New("refresh tokens are not offered")
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (s *storage) TerminateSession(context.Context, string, string) error { return nil }

func (s *storage) RevokeToken(_ context.Context, token, _, _ string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, token)
	return nil
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) {
	return signingKey{s.key, s.keyID}, nil
}

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{&s.key.PublicKey, s.keyID}}, nil
}

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id != s.client.id {
		return nil, errNotFound
	}
	c := *s.client
	return &c, nil
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	if id != s.client.id || secret != s.client.secret {
		return errors.New("wrong client credentials")
	}
	return nil
}

// userinfo fills claims for the user behind a finished request.
func (s *storage) userinfo(info *oidc.UserInfo, u User, scopes []string) {
	for _, scope := range scopes {
		switch scope {
		case oidc.ScopeOpenID:
			info.Subject = u.Subject
		case oidc.ScopeEmail:
			info.Email, info.EmailVerified = u.Email, oidc.Bool(u.EmailVerified)
		case oidc.ScopeProfile:
			info.PreferredUsername, info.Name = u.PreferredUsername, u.Name
		}
	}
}

func (s *storage) userBySubject(sub string) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.requests {
		if r.user.Subject == sub {
			return r.user
		}
	}
	if s.user.Subject == sub {
		return s.user
	}
	return User{Subject: sub}
}

func (s *storage) SetUserinfoFromScopes(_ context.Context, info *oidc.UserInfo, userID, _ string, scopes []string) error {
	s.userinfo(info, s.userBySubject(userID), scopes)
	return nil
}

func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	s.userinfo(info, s.userBySubject(req.GetSubject()), scopes)
	return nil
}

func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, _, _ string) error {
	s.mu.Lock()
	sub, ok := s.tokens[tokenID]
	s.mu.Unlock()
	if !ok {
		return errors.New("token invalid")
	}
	s.userinfo(info, s.userBySubject(sub), []string{oidc.ScopeOpenID, oidc.ScopeEmail, oidc.ScopeProfile})
	return nil
}

func (s *storage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return errors.New("introspection is not offered")
}

func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errNotFound
}

func (s *storage) ValidateJWTProfileScopes(_ context.Context, _ string, scopes []string) ([]string, error) {
	return scopes, nil
}

func (s *storage) Health(context.Context) error { return nil }

// authRequest is op.AuthRequest.
type authRequest struct {
	oidc.AuthRequest
	id       string
	user     User
	done     bool
	authTime time.Time
}

func (r *authRequest) GetID() string                      { return r.id }
func (r *authRequest) GetACR() string                     { return "" }
func (r *authRequest) GetAMR() []string                   { return []string{"pwd"} }
func (r *authRequest) GetAudience() []string              { return []string{r.ClientID} }
func (r *authRequest) GetAuthTime() time.Time             { return r.authTime }
func (r *authRequest) GetClientID() string                { return r.ClientID }
func (r *authRequest) GetNonce() string                   { return r.Nonce }
func (r *authRequest) GetRedirectURI() string             { return r.RedirectURI }
func (r *authRequest) GetScopes() []string                { return r.Scopes }
func (r *authRequest) GetState() string                   { return r.State }
func (r *authRequest) GetSubject() string                 { return r.user.Subject }
func (r *authRequest) Done() bool                         { return r.done }
func (r *authRequest) GetResponseMode() oidc.ResponseMode { return r.ResponseMode }
func (r *authRequest) GetResponseType() oidc.ResponseType { return r.ResponseType }
func (r *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if r.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: r.CodeChallenge, Method: r.CodeChallengeMethod}
}

// client is the one registered confidential web client.
type client struct {
	id, secret, redirect string
}

func (c *client) GetID() string                       { return c.id }
func (c *client) RedirectURIs() []string              { return []string{c.redirect} }
func (c *client) PostLogoutRedirectURIs() []string    { return nil }
func (c *client) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *client) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType        { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c *client) LoginURL(id string) string           { return "/login?authRequestID=" + url.QueryEscape(id) }
func (c *client) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeBearer }
func (c *client) IDTokenLifetime() time.Duration      { return 5 * time.Minute }
func (c *client) DevMode() bool                       { return true } // http redirect URIs in tests
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) IsScopeAllowed(string) bool           { return false }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *client) ClockSkew() time.Duration             { return 0 }

type signingKey struct {
	key *rsa.PrivateKey
	id  string
}

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k signingKey) Key() any                                    { return k.key }
func (k signingKey) ID() string                                  { return k.id }

type publicKey struct {
	key *rsa.PublicKey
	id  string
}

func (k publicKey) ID() string                         { return k.id }
func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return k.key }

// MixUp serves a discovery document naming itself as the issuer while
// every endpoint and key is p's: a client configured with MixUp's URL as
// its issuer gets ID tokens whose issuer is p, not the one it trusts.
func MixUp(t interface {
	Helper()
	Fatal(...any)
	Cleanup(func())
}, p *Provider) string {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		resp, err := http.Get(p.Issuer + "/.well-known/openid-configuration")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		var doc map[string]any
		if err := jsonDecode(resp.Body, &doc); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		doc["issuer"] = srv.URL
		w.Header().Set("Content-Type", "application/json")
		jsonEncode(w, doc)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }
func jsonEncode(w io.Writer, v any)       { json.NewEncoder(w).Encode(v) } //nolint:errcheck // a test server

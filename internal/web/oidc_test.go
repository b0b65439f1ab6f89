package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"pastel/internal/account"
	"pastel/internal/oidctest"
	"pastel/internal/web"
)

// oidcEnv is a served app whose OIDC_ISSUER is a real OpenID Provider
// (zitadel/oidc's op package) started by the test, or issuer when given.
func oidcEnv(t *testing.T, issuer string, opts ...envOption) (*env, *oidctest.Provider) {
	t.Helper()
	p := oidctest.Start(t)
	if issuer == "" {
		issuer = p.Issuer
	}
	opts = append(opts, served(), withOptions(func(o *web.Options) {
		o.OIDC = &web.OIDCOptions{Issuer: issuer, ClientID: p.ClientID, ClientSecret: p.ClientSecret, Name: "Test SSO"}
	}))
	e := newEnv(t, opts...)
	p.SetRedirectURI(e.base + "/auth/oidc/callback")
	return e, p
}

// browserClient is a browser: cookies, and redirects followed except
// back into Pastel's callback when stopAtCallback is set.
func browserClient(t *testing.T, stopAtCallback bool) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if stopAtCallback && req.URL.Path == "/auth/oidc/callback" {
			return http.ErrUseLastResponse
		}
		if len(via) > 10 {
			return http.ErrUseLastResponse
		}
		return nil
	}}
}

func fetch(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// startFlow signs in at the provider and returns the callback URL the
// provider sent the browser to, not yet followed.
func startFlow(t *testing.T, e *env, c *http.Client, query string) *url.URL {
	t.Helper()
	resp, body := fetch(t, c, e.base+"/auth/oidc/login"+query)
	loc, err := resp.Location()
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther || err != nil || loc.Path != "/auth/oidc/callback" {
		t.Fatalf("flow stopped at %d %v: %.300s", resp.StatusCode, loc, body)
	}
	return loc
}

// whoAmI is the username the app shows the client as signed in, or "".
func whoAmI(t *testing.T, e *env, c *http.Client) string {
	t.Helper()
	resp, body := fetch(t, c, e.base+"/settings")
	if resp.Request.URL.Path != "/settings" || resp.StatusCode != http.StatusOK {
		return ""
	}
	doc := parse(t, []byte(body))
	return strings.TrimSpace(doc.Find(`[data-testid=settings-username]`).First().Text())
}

func (e *env) identityCount(sub string) (n int, username string) {
	e.t.Helper()
	e.pool.QueryRow(context.Background(), `SELECT count(*), coalesce(max(u.username), '') FROM user_identities i JOIN users u ON u.id = i.user_id WHERE i.subject = $1`, sub).Scan(&n, &username)
	return n, username
}

func TestOIDCSignInLinksBySubjectNeverByEmail(t *testing.T) {
	e, p := oidcEnv(t, "")
	e.seedUser("ada") // a password account whose name the provider's user wants too

	_, body := e.get("/login")
	if href, _ := parse(t, body).Find(`[data-testid=oidc-button]`).Attr("href"); href != "/auth/oidc/login" {
		t.Fatalf("no Sign in with button: %.400s", body)
	}
	if !strings.Contains(parse(t, body).Find(`[data-testid=oidc-button]`).Text(), "Test SSO") {
		t.Fatal("the button does not name the provider")
	}

	p.SignInAs(oidctest.User{Subject: "sub-ada", PreferredUsername: "ada", Email: "ada@example.org", EmailVerified: true})
	c := browserClient(t, false)
	resp, _ := fetch(t, c, e.base+"/auth/oidc/login?next=/explore")
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/explore" {
		t.Fatalf("flow ended at %d %s", resp.StatusCode, resp.Request.URL)
	}
	// "ada" is the password account's: the new account gets another name
	// and is not linked to it.
	if n, name := e.identityCount("sub-ada"); n != 1 || name != "ada-2" {
		t.Fatalf("identity links %d accounts, named %q; want 1, ada-2", n, name)
	}
	var email string
	e.pool.QueryRow(context.Background(), `SELECT coalesce(email, '') FROM users WHERE username = 'ada-2'`).Scan(&email)
	if email != "ada@example.org" {
		t.Fatalf("verified e-mail not kept: %q", email)
	}

	// The same subject signs in to the same account, from a new browser.
	users := e.userCount()
	c2 := browserClient(t, false)
	fetch(t, c2, e.base+"/auth/oidc/login")
	if e.userCount() != users {
		t.Fatal("a second sign-in made another account")
	}
	if n, name := e.identityCount("sub-ada"); n != 1 || name != "ada-2" {
		t.Fatalf("after a second sign-in: %d, %q", n, name)
	}

	// Another subject with the same (unverified) e-mail is someone else.
	p.SignInAs(oidctest.User{Subject: "sub-eve", PreferredUsername: "Eve Example", Email: "ada@example.org"})
	fetch(t, browserClient(t, false), e.base+"/auth/oidc/login")
	if n, name := e.identityCount("sub-eve"); n != 1 || name != "Eve-Example" {
		t.Fatalf("eve: %d accounts, %q", n, name)
	}
	// An account made by the provider has no password: none opens it.
	resp, _ = e.postForm("/login", map[string]string{"username": "Eve-Example", "password": ""})
	if resp.StatusCode == http.StatusSeeOther {
		t.Fatal("an empty password signed in to a provider-made account")
	}
}

func TestOIDCRefusesForgedCallbacks(t *testing.T) {
	e, p := oidcEnv(t, "")
	p.SignInAs(oidctest.User{Subject: "sub-1", PreferredUsername: "alice"})

	refused := func(t *testing.T, c *http.Client, u string, want int) string {
		t.Helper()
		resp, body := fetch(t, c, u)
		if resp.StatusCode != want || !strings.Contains(body, `data-testid="signin-problem"`) {
			t.Fatalf("GET %s = %d, want %d and the problem page: %.300s", u, resp.StatusCode, want, body)
		}
		if whoAmI(t, e, c) != "" {
			t.Fatal("signed in after a refused callback")
		}
		return body
	}

	t.Run("wrong state", func(t *testing.T) {
		c := browserClient(t, true)
		cb := startFlow(t, e, c, "")
		q := cb.Query()
		q.Set("state", q.Get("state")+"x")
		cb.RawQuery = q.Encode()
		refused(t, c, cb.String(), http.StatusBadRequest)
	})
	t.Run("state from another browser", func(t *testing.T) {
		cb := startFlow(t, e, browserClient(t, true), "")
		refused(t, browserClient(t, true), cb.String(), http.StatusBadRequest)
	})
	t.Run("replayed code", func(t *testing.T) {
		c := browserClient(t, true)
		cb := startFlow(t, e, c, "")
		if resp, _ := fetch(t, c, cb.String()); resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusOK {
			t.Fatalf("first use = %d", resp.StatusCode)
		}
		// The same callback again: its state was used.
		c2 := browserClient(t, true)
		refused(t, c2, cb.String(), http.StatusBadRequest)
		// The old code with a fresh state of this browser: the provider
		// refuses a code it already exchanged.
		fresh := startFlow(t, e, c2, "")
		q := fresh.Query()
		q.Set("code", cb.Query().Get("code"))
		fresh.RawQuery = q.Encode()
		refused(t, c2, fresh.String(), http.StatusBadRequest)
	})
	t.Run("wrong nonce", func(t *testing.T) {
		p.ForgeNonce("a-nonce-from-another-sign-in")
		defer p.ForgeNonce("")
		c := browserClient(t, true)
		cb := startFlow(t, e, c, "")
		body := refused(t, c, cb.String(), http.StatusBadRequest)
		if !strings.Contains(body, "meant for another sign-in") {
			t.Fatalf("refused for another reason: %.500s", body)
		}
	})
	t.Run("provider error", func(t *testing.T) {
		c := browserClient(t, true)
		cb := startFlow(t, e, c, "")
		q := url.Values{"state": {cb.Query().Get("state")}, "error": {"access_denied"}}
		cb.RawQuery = q.Encode()
		body := refused(t, c, cb.String(), http.StatusBadRequest)
		if !strings.Contains(body, "access_denied") {
			t.Fatal("the provider's error is not named")
		}
	})
}

// An ID token from an issuer other than OIDC_ISSUER is refused: the app
// trusts a "provider" whose discovery names itself but whose tokens are
// another provider's.
func TestOIDCRefusesUnknownIssuer(t *testing.T) {
	real := oidctest.Start(t)
	mixup := oidctest.MixUp(t, real)
	e := newEnv(t, served(), withOptions(func(o *web.Options) {
		o.OIDC = &web.OIDCOptions{Issuer: mixup, ClientID: real.ClientID, ClientSecret: real.ClientSecret}
	}))
	real.SetRedirectURI(e.base + "/auth/oidc/callback")
	real.SignInAs(oidctest.User{Subject: "sub-x", PreferredUsername: "xavier"})
	c := browserClient(t, true)
	cb := startFlow(t, e, c, "")
	resp, body := fetch(t, c, cb.String())
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "did not check out") {
		t.Fatalf("token from another issuer: %d %.400s", resp.StatusCode, body)
	}
	if n, _ := e.identityCount("sub-x"); n != 0 || whoAmI(t, e, c) != "" {
		t.Fatal("signed in with a token from another issuer")
	}
}

func TestOIDCRespectsRegistration(t *testing.T) {
	t.Run("closed", func(t *testing.T) {
		e, p := oidcEnv(t, "", withRegistration(account.RegistrationClosed))
		p.SignInAs(oidctest.User{Subject: "sub-c", PreferredUsername: "carol"})
		before := e.userCount()
		resp, body := fetch(t, browserClient(t, false), e.base+"/auth/oidc/login")
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "not taking new accounts") {
			t.Fatalf("closed: %d %.300s", resp.StatusCode, body)
		}
		if e.userCount() != before {
			t.Fatal("an account was made while registration is closed")
		}
	})
	t.Run("invite", func(t *testing.T) {
		e, p := oidcEnv(t, "", withRegistration(account.RegistrationInvite))
		p.SignInAs(oidctest.User{Subject: "sub-d", PreferredUsername: "dave"})
		resp, body := fetch(t, browserClient(t, false), e.base+"/auth/oidc/login")
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "invite link") {
			t.Fatalf("no invite: %d %.300s", resp.StatusCode, body)
		}
		token, _, err := e.accounts.CreateInvite(context.Background(), 0, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		// The invite page offers the provider, carrying the invite.
		_, page := e.get("/register?invite=" + token)
		href, _ := parse(t, page).Find(`[data-testid=oidc-button]`).Attr("href")
		if !strings.Contains(href, "invite="+token) {
			t.Fatalf("the invite page's provider button: %q", href)
		}
		c := browserClient(t, false)
		if resp, _ := fetch(t, c, e.base+href); resp.StatusCode != http.StatusOK {
			t.Fatalf("sign-in with invite = %d", resp.StatusCode)
		}
		if whoAmI(t, e, c) != "dave" {
			t.Fatal("not signed in as dave")
		}
		if ok, _ := e.accounts.InviteUsable(context.Background(), token); ok {
			t.Fatal("the invite was not used up")
		}
		// Once linked, dave signs in without an invite.
		if resp, _ := fetch(t, browserClient(t, false), e.base+"/auth/oidc/login"); resp.StatusCode != http.StatusOK {
			t.Fatalf("linked account, no invite: %d", resp.StatusCode)
		}
	})
}

// newOIDCProvider starts a provider whose redirect URI the caller sets.
func newOIDCProvider(t *testing.T) *oidctest.Provider {
	t.Helper()
	p := oidctest.Start(t)
	p.SignInAs(oidctest.User{Subject: "sub-hostile", PreferredUsername: "hostile"})
	return p
}

// An account made through the provider sets its first password in
// settings without a current one; then the password signs in too.
func TestOIDCAccountSetsAPassword(t *testing.T) {
	e, p := oidcEnv(t, "")
	p.SignInAs(oidctest.User{Subject: "sub-pat", PreferredUsername: "pat"})
	b := newBrowse(t, e)
	b.get("/auth/oidc/login")
	_, body := b.get("/settings")
	doc := parse(t, []byte(body))
	if doc.Find(`[data-testid=no-password]`).Length() != 1 {
		t.Fatalf("settings of a provider-made account: %.300s", doc.Find(`[data-testid=password-section]`).Text())
	}
	if resp, _ := b.post("/settings/password", map[string]string{"new_password": "pat's own passphrase"}); resp.Request.URL.Path != "/settings" || resp.StatusCode != http.StatusOK {
		t.Fatalf("setting a first password ended at %s (%d)", resp.Request.URL, resp.StatusCode)
	}
	if resp := newBrowse(t, e).signIn("pat", "pat's own passphrase"); resp.Request.URL.Path == "/login" {
		t.Fatal("the new password does not sign in")
	}
	_, body = b.get("/settings")
	if parse(t, []byte(body)).Find(`[data-testid=no-password]`).Length() != 0 {
		t.Fatal("settings still say there is no password")
	}
}

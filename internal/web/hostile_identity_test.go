package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/pquerna/otp/totp"

	"pastel/internal/account"
	"pastel/internal/web"
)

// discardMailer accepts every message and keeps none.
type discardMailer struct{}

func (discardMailer) Send(context.Context, string, string, string) error { return nil }

// TestHostileInputsIdentity sends every input of the hostile corpus through
// issue 16's sign-up and sign-in surfaces: the invite link's page and the
// registration form and API (as username, e-mail, password and invite),
// an admin's invite note (then the invites list that shows it), the
// OpenID Connect start and callback (next, invite, state, code, error),
// the second sign-in step and the two-factor set-up code, the reset
// link's page and form, and the e-mail request. Nothing may answer 5xx,
// take longer than the page budget or put markup of the input on a page.
func TestHostileInputsIdentity(t *testing.T) {
	p := newOIDCProvider(t)
	e := newEnv(t, served(), withRegistration(account.RegistrationInvite),
		withDeps(func(d *web.Deps) { d.Mailer = discardMailer{} }),
		withOptions(func(o *web.Options) {
			o.OIDC = &web.OIDCOptions{Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: p.ClientSecret}
		}))
	p.SetRedirectURI(e.base + "/auth/oidc/callback")
	e.browser()
	boss := e.seedUser("boss")
	e.makeAdmin(boss)

	// One account waits for its second factor; another has a secret to
	// confirm.
	ctx := context.Background()
	guarded := e.seedUser("guarded")
	secret, _, err := e.accounts.BeginTOTP(ctx, guarded.id, "Pastel")
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(secret, e.clock.Now())
	if _, err := e.accounts.EnableTOTP(ctx, guarded.id, code); err != nil {
		t.Fatal(err)
	}
	pending := &user{name: "guarded"}
	resp, _ := e.postForm("/login", map[string]string{"username": "guarded", "password": guarded.password})
	for _, c := range resp.Cookies() {
		if c.Name == "pastel_session" && c.Value != "" {
			pending.cookie = c.Value
		}
	}
	_, body := e.userGet(pending, "/login/2fa")
	pending.csrf, _ = parse(t, body).Find(`input[name="_csrf"]`).First().Attr("value")
	if pending.cookie == "" || pending.csrf == "" {
		t.Fatal("no pending second-factor session")
	}
	settingUp := e.seedUser("settingup")
	if _, _, err := e.accounts.BeginTOTP(ctx, settingUp.id, "Pastel"); err != nil {
		t.Fatal(err)
	}

	h := &hostileRun{t: t, e: e}
	corpus := hostileCorpus(t)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 3 {
		wg.Go(func() {
			for i := range next {
				h.identityInput(boss, pending, settingUp, i, corpus[i])
			}
		})
	}
	for i := range corpus {
		if h.full() {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()

	// The invites list shows the hostile notes, inert.
	resp, body = h.send("invites list", e.browserGet(boss, "/admin/invites", false))
	if doc := h.page("invites list", resp, body); doc != nil && doc.Find(`[data-testid=admin-invite-row]`).Length() == 0 {
		h.fail("invites list: no rows after the corpus made invites")
	}
	h.report()
	t.Logf("%d inputs, %d requests; slowest %v (%s)", len(corpus), h.requests, h.slowest, h.slowURL)
}

func (h *hostileRun) identityInput(boss, pending, settingUp *user, i int, in hostile) {
	e := h.e
	v := in.value
	what := fmt.Sprintf("input %d (%s %.40q)", i, in.class, v)
	urlForm := func(kv ...string) (string, *strings.Reader) {
		vals := url.Values{}
		for j := 0; j+1 < len(kv); j += 2 {
			vals.Set(kv[j], kv[j+1])
		}
		return "application/x-www-form-urlencoded", strings.NewReader(vals.Encode())
	}
	pageOf := func(kind string, req *http.Request) {
		resp, body := h.send(what+" "+kind, req)
		h.page(what+" "+kind, resp, body)
	}
	// Inputs go into URLs only while the request line stays within what
	// the server reads (16 KiB); the long shapes go into bodies only.
	inURL := len(url.QueryEscape(v)) < 4<<10

	if inURL {
		pageOf("invite page", e.browserGet(nil, "/register?invite="+url.QueryEscape(v), i%2 == 0))
	}
	ct, b := urlForm("username", v, "email", v, "password", v, "invite", v)
	pageOf("register form", e.browserPost(nil, "/register", ct, b, i%3 == 0))
	js, _ := json.Marshal(map[string]string{"username": v, "password": v, "email": v, "invite": v})
	resp, body := h.send(what+" api register", jsonReq("POST", "/api/v1/auth/register", string(js)))
	h.json(what+" api register", resp, body)
	if resp.StatusCode == http.StatusCreated {
		h.fail("%s: an account was made without a real invite", what)
	}

	if i%4 == 0 { // each makes an invite: a quarter of the corpus is plenty
		ct, b = urlForm("note", v, "expires_in", "7d")
		pageOf("invite note", e.browserPost(boss, "/admin/invites", ct, b, false))
	}
	ct, b = urlForm("note", "x", "expires_in", v)
	pageOf("invite expiry", e.browserPost(boss, "/admin/invites", ct, b, false))

	if inURL {
		q := url.Values{"next": {v}, "invite": {v}}
		resp, body = h.send(what+" oidc start", e.browserGet(nil, "/auth/oidc/login?"+q.Encode(), false))
		if resp.StatusCode != http.StatusSeeOther {
			h.fail("%s: oidc start = %d: %.200s", what, resp.StatusCode, body)
		} else if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, e.base) && !strings.Contains(loc, "/authorize?") {
			h.fail("%s: oidc start sent the browser to %q", what, loc)
		}
		q = url.Values{"state": {v}, "code": {v}, "error": {v}}
		pageOf("oidc callback", e.browserGet(nil, "/auth/oidc/callback?"+q.Encode(), false))
	}

	ct, b = urlForm("code", v, "next", v)
	resp, body = h.send(what+" second factor", e.browserPost(pending, "/login/2fa", ct, b, false))
	if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusSeeOther && loc != "/login" {
		h.fail("%s: a hostile code signed in (to %q)", what, loc)
	}
	h.page(what+" second factor", resp, body)
	ct, b = urlForm("code", v)
	pageOf("totp enable", e.browserPost(settingUp, "/settings/2fa/enable", ct, b, false))

	if inURL {
		pageOf("reset page", e.browserGet(nil, "/reset/"+url.PathEscape(v), false))
		ct, b = urlForm("new_password", v)
		pageOf("reset form", e.browserPost(nil, "/reset/"+url.PathEscape(v), ct, b, false))
	}
	ct, b = urlForm("email", v)
	pageOf("forgot", e.browserPost(nil, "/forgot", ct, b, false))
}

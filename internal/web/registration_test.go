package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pastel/internal/account"
)

// withRegistration sets REGISTRATION for the app under test.
func withRegistration(r account.Registration) envOption {
	return withAccounts(func(o *account.Options) { o.Registration = r })
}

// seedUser makes an account whatever the registration policy (as an
// earlier open period or the command line would have), then signs it in
// like register does.
func (e *env) seedUser(name string) *user {
	e.t.Helper()
	open := account.NewService(e.store.Accounts(), account.Options{PasswordParams: fastPasswords})
	u := &user{name: name, password: "correct horse battery " + name}
	acc, err := open.Register(context.Background(), name, "", u.password)
	if err != nil {
		e.t.Fatalf("seed %s: %v", name, err)
	}
	u.id = acc.ID
	if e.csrf == "" {
		e.browser()
	}
	resp, body := e.postForm("/login", map[string]string{"username": name, "password": u.password})
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s = %d: %.300s", name, resp.StatusCode, body)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "pastel_session" && c.Value != "" {
			u.cookie = c.Value
		}
	}
	u.csrf = e.csrfOf(u)
	return u
}

func (e *env) userCount() int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM users`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func apiErrorCode(t *testing.T, body []byte) (string, map[string]string) {
	t.Helper()
	var out struct {
		Error struct {
			Code   string            `json:"code"`
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("not an API error: %s", body)
	}
	return out.Error.Code, out.Error.Fields
}

func TestRegistrationClosedRefusesEverySurface(t *testing.T) {
	e := newEnv(t, withRegistration(account.RegistrationClosed))
	e.browser()
	before := e.userCount()

	resp, body := e.get("/register")
	doc := parse(t, body)
	if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid=registration-closed]`).Length() != 1 || doc.Find(`[data-testid=register-form]`).Length() != 0 {
		t.Fatalf("GET /register = %d; want the closed notice and no form: %.400s", resp.StatusCode, body)
	}
	if doc := parse(t, mustBody(e.get("/login"))); doc.Find(`[data-testid=register-link]`).Length() != 0 {
		t.Fatal("the sign-in page still offers Create an account")
	}
	resp, body = e.postForm("/register", map[string]string{"username": "mallory", "password": "long enough password"})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "not taking new accounts") {
		t.Fatalf("POST /register = %d: %.300s", resp.StatusCode, body)
	}
	resp, body = e.do(jsonReq("POST", "/api/v1/auth/register", `{"username":"mallory","password":"long enough password"}`))
	if code, _ := apiErrorCode(t, body); resp.StatusCode != http.StatusForbidden || code != "registration_closed" {
		t.Fatalf("API register = %d %s", resp.StatusCode, body)
	}
	if e.userCount() != before {
		t.Fatal("an account was made while registration is closed")
	}
}

func mustBody(_ *http.Response, body []byte) []byte { return body }

func TestRegistrationByInvite(t *testing.T) {
	e := newEnv(t, withRegistration(account.RegistrationInvite))
	root := e.seedUser("boss")
	e.makeAdmin(root)

	// Without an invite: the page says one is needed; the API refuses.
	_, body := e.get("/register")
	if p, _ := parse(t, body).Find(`[data-testid=invite-problem]`).Attr("data-problem"); p != "missing" {
		t.Fatalf("GET /register without an invite: %.400s", body)
	}
	_, body = e.get("/register?invite=NotARealInviteToken123")
	if p, _ := parse(t, body).Find(`[data-testid=invite-problem]`).Attr("data-problem"); p != "unusable" {
		t.Fatalf("GET /register with an unknown invite: %.400s", body)
	}
	resp, body := e.do(jsonReq("POST", "/api/v1/auth/register", `{"username":"nobody","password":"long enough password"}`))
	if code, _ := apiErrorCode(t, body); resp.StatusCode != http.StatusForbidden || code != "invite_required" {
		t.Fatalf("API register without invite = %d %s", resp.StatusCode, body)
	}
	resp, body = e.postForm("/register", map[string]string{"username": "nobody", "password": "long enough password"})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("form register without invite = %d", resp.StatusCode)
	}

	// An admin makes an invite on /admin/invites; the link is shown once.
	link := e.adminInvite(root, "for grace")
	u, err := url.Parse(link)
	if err != nil || u.Path != "/register" || u.Query().Get("invite") == "" {
		t.Fatalf("invite link %q", link)
	}
	token := u.Query().Get("invite")
	resp, body = e.get(u.RequestURI())
	doc := parse(t, body)
	if v, _ := doc.Find(`[data-testid=invite-field]`).Attr("value"); v != token || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("the invite page does not carry the invite (or leaks it by Referer): %.400s", body)
	}
	resp, body = e.postForm("/register", map[string]string{"username": "grace", "password": "long enough password", "invite": token})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("register with invite = %d: %.400s", resp.StatusCode, body)
	}
	// One use: the same link again is refused, naming the invite.
	resp, body = e.postForm("/register", map[string]string{"username": "grace2", "password": "long enough password", "invite": token})
	if resp.StatusCode != http.StatusUnprocessableEntity || parse(t, body).Find(`[data-testid=error-invite]`).Length() != 1 {
		t.Fatalf("second use = %d: %.400s", resp.StatusCode, body)
	}
	resp, body = e.do(jsonReq("POST", "/api/v1/auth/register", fmt.Sprintf(`{"username":"grace3","password":"long enough password","invite":%q}`, token)))
	if _, fields := apiErrorCode(t, body); resp.StatusCode != http.StatusUnprocessableEntity || fields["invite"] == "" {
		t.Fatalf("API second use = %d %s", resp.StatusCode, body)
	}

	// The API takes a fresh invite.
	u2, _ := url.Parse(e.adminInvite(root, ""))
	resp, body = e.do(jsonReq("POST", "/api/v1/auth/register", fmt.Sprintf(`{"username":"scripted","password":"long enough password","invite":%q}`, u2.Query().Get("invite"))))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("API register with invite = %d %s", resp.StatusCode, body)
	}

	// The list shows who used what; an open invite can be revoked.
	u3, _ := url.Parse(e.adminInvite(root, "to revoke"))
	_, body = e.userGet(root, "/admin/invites")
	doc = parse(t, body)
	if doc.Find(`[data-testid=admin-invite-row][data-state=used]`).Length() != 2 || !strings.Contains(doc.Find(`[data-testid=admin-invites]`).Text(), "grace") {
		t.Fatalf("invites list: %.600s", doc.Find(`[data-testid=admin-invites]`).Text())
	}
	action, ok := doc.Find(`[data-testid=admin-invite-row][data-state=open] [data-testid=invite-revoke]`).Attr("action")
	if !ok {
		t.Fatal("no Revoke on the open invite")
	}
	if resp, _ := e.userForm(root, action, map[string]string{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke = %d", resp.StatusCode)
	}
	_, body = e.get("/register?invite=" + u3.Query().Get("invite"))
	if p, _ := parse(t, body).Find(`[data-testid=invite-problem]`).Attr("data-problem"); p != "unusable" {
		t.Fatal("a revoked invite still opens the form")
	}

	// Nobody but an admin sees or makes invites.
	someone := e.seedUser("someone")
	if resp, _ := e.userGet(someone, "/admin/invites"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("non-admin GET /admin/invites = %d", resp.StatusCode)
	}
	if resp, _ := e.userForm(someone, "/admin/invites", map[string]string{"note": "x"}); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("non-admin POST /admin/invites = %d", resp.StatusCode)
	}
	// A bad lifetime is named.
	resp, body = e.userForm(root, "/admin/invites", map[string]string{"expires_in": "forever"})
	if resp.StatusCode != http.StatusUnprocessableEntity || parse(t, body).Find(`[data-testid=error-expires_in]`).Length() != 1 {
		t.Fatalf("bad expires_in = %d", resp.StatusCode)
	}
}

// adminInvite makes an invite through /admin/invites and returns its link.
func (e *env) adminInvite(admin *user, note string) string {
	e.t.Helper()
	resp, body := e.userForm(admin, "/admin/invites", map[string]string{"note": note, "expires_in": "7d"})
	link := strings.TrimSpace(parse(e.t, body).Find(`[data-testid=new-invite-url]`).Text())
	if resp.StatusCode != http.StatusOK || link == "" {
		e.t.Fatalf("POST /admin/invites = %d: %.400s", resp.StatusCode, body)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		e.t.Fatal("the page with a new invite link may be cached")
	}
	return link
}

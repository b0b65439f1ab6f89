package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// browse is a served app's browser: it posts forms with the CSRF token of
// the page it last loaded.
type browse struct {
	t    *testing.T
	e    *env
	c    *http.Client
	csrf string
}

func newBrowse(t *testing.T, e *env) *browse {
	return &browse{t: t, e: e, c: browserClient(t, false)}
}

func (b *browse) get(path string) (*http.Response, string) {
	b.t.Helper()
	resp, body := fetch(b.t, b.c, b.e.base+path)
	if tok, ok := parse(b.t, []byte(body)).Find(`input[name="_csrf"]`).First().Attr("value"); ok {
		b.csrf = tok
	}
	return resp, body
}

func (b *browse) post(path string, fields map[string]string) (*http.Response, string) {
	b.t.Helper()
	v := url.Values{"_csrf": {b.csrf}}
	for k, f := range fields {
		v.Set(k, f)
	}
	resp, err := b.c.PostForm(b.e.base+path, v)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	if tok, ok := parse(b.t, []byte(sb.String())).Find(`input[name="_csrf"]`).First().Attr("value"); ok {
		b.csrf = tok
	}
	return resp, sb.String()
}

func (b *browse) signIn(name, password string) *http.Response {
	b.t.Helper()
	b.get("/login")
	resp, _ := b.post("/login", map[string]string{"username": name, "password": password})
	return resp
}

func TestTwoFactorSignIn(t *testing.T) {
	e := newEnv(t, served())
	u := e.seedUser("tess")
	b := newBrowse(t, e)
	if resp := b.signIn("tess", u.password); resp.Request.URL.Path != "/" {
		t.Fatalf("password sign-in ended at %s", resp.Request.URL)
	}

	// Set up: the page shows the key and its QR code.
	_, body := b.get("/settings")
	if st, _ := parse(t, []byte(body)).Find(`[data-testid=two-factor-section]`).Attr("data-state"); st != "off" {
		t.Fatalf("state %q, want off", st)
	}
	_, body = b.post("/settings/2fa/setup", nil)
	doc := parse(t, []byte(body))
	secret := strings.TrimSpace(doc.Find(`[data-testid=totp-secret]`).Text())
	if secret == "" || doc.Find(`[data-testid=totp-qr]`).Length() != 1 {
		t.Fatalf("no key or QR after set-up: %.400s", body)
	}
	resp, svg := b.get("/settings/2fa/qr.svg")
	if !strings.HasPrefix(svg, "<svg") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("QR code: %s %q", resp.Header.Get("Cache-Control"), svg[:min(len(svg), 40)])
	}
	code := func(at time.Time) string {
		c, err := totp.GenerateCode(secret, at)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	resp, _ = b.post("/settings/2fa/enable", map[string]string{"code": "000000"})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong code enabled it: %d", resp.StatusCode)
	}
	now := e.clock.Now()
	resp, body = b.post("/settings/2fa/enable", map[string]string{"code": code(now)})
	codes := parse(t, []byte(body)).Find(`[data-testid=recovery-code]`)
	if resp.StatusCode != http.StatusOK || codes.Length() != 10 {
		t.Fatalf("enable = %d with %d recovery codes", resp.StatusCode, codes.Length())
	}
	recovery := strings.TrimSpace(codes.First().Text())
	var stored int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM recovery_codes WHERE position(convert_to($1, 'UTF8') in code_hash) = 0`, recovery).Scan(&stored)
	if stored != 10 {
		t.Fatalf("%d recovery codes stored hashed, want 10", stored)
	}

	// Sign-in now stops after the password until the code.
	b2 := newBrowse(t, e)
	resp = b2.signIn("tess", u.password)
	if resp.Request.URL.Path != "/login/2fa" {
		t.Fatalf("sign-in did not ask for the code: %s", resp.Request.URL)
	}
	if whoAmI(t, e, b2.c) != "" {
		t.Fatal("signed in before the code")
	}
	b2.get("/login/2fa")
	// The code that enabled it was used: it does not work again.
	if resp, _ := b2.post("/login/2fa", map[string]string{"code": code(now)}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("replayed code = %d", resp.StatusCode)
	}
	e.clock.Advance(30 * time.Second)
	if resp, _ := b2.post("/login/2fa", map[string]string{"code": code(e.clock.Now())}); resp.Request.URL.Path != "/" {
		t.Fatalf("current code: ended at %s (%d)", resp.Request.URL, resp.StatusCode)
	}
	if whoAmI(t, e, b2.c) != "tess" {
		t.Fatal("not signed in after the code")
	}

	// A recovery code works once.
	b3 := newBrowse(t, e)
	b3.signIn("tess", u.password)
	b3.get("/login/2fa")
	if resp, _ := b3.post("/login/2fa", map[string]string{"code": strings.ToUpper(recovery)}); resp.Request.URL.Path != "/" {
		t.Fatalf("recovery code refused: %s", resp.Request.URL)
	}
	b4 := newBrowse(t, e)
	b4.signIn("tess", u.password)
	b4.get("/login/2fa")
	if resp, _ := b4.post("/login/2fa", map[string]string{"code": recovery}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("used recovery code = %d", resp.StatusCode)
	}

	// The API's token endpoint asks for otp too.
	tokenReq := func(otp string) (*http.Response, []byte) {
		body := fmt.Sprintf(`{"username":"tess","password":%q}`, u.password)
		if otp != "" {
			body = fmt.Sprintf(`{"username":"tess","password":%q,"otp":%q}`, u.password, otp)
		}
		return e.do(jsonReq("POST", "/api/v1/auth/token", body))
	}
	if resp, body := tokenReq(""); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "otp_required") {
		t.Fatalf("token without otp = %d %s", resp.StatusCode, body)
	}
	if resp, body := tokenReq("123456"); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "invalid_otp") {
		t.Fatalf("token with a wrong otp = %d %s", resp.StatusCode, body)
	}
	e.clock.Advance(30 * time.Second)
	if resp, body := tokenReq(code(e.clock.Now())); resp.StatusCode != http.StatusOK {
		t.Fatalf("token with otp = %d %s", resp.StatusCode, body)
	}

	// Turning it off takes a code; then sign-in needs the password only.
	b2.get("/settings")
	if resp, _ := b2.post("/settings/2fa/disable", map[string]string{"code": "999999"}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("disable with a wrong code = %d", resp.StatusCode)
	}
	e.clock.Advance(30 * time.Second)
	b2.post("/settings/2fa/disable", map[string]string{"code": code(e.clock.Now())})
	if resp := newBrowse(t, e).signIn("tess", u.password); resp.Request.URL.Path != "/" {
		t.Fatalf("after disable, sign-in ended at %s", resp.Request.URL)
	}
}

func TestTwoFactorGuessesAreLimited(t *testing.T) {
	e := newEnv(t, served())
	u := e.seedUser("gus")
	secret, _, err := e.accounts.BeginTOTP(context.Background(), u.id, "Pastel")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := totp.GenerateCode(secret, e.clock.Now())
	if _, err := e.accounts.EnableTOTP(context.Background(), u.id, c); err != nil {
		t.Fatal(err)
	}
	b := newBrowse(t, e)
	b.signIn("gus", u.password)
	b.get("/login/2fa")
	for i := range 5 {
		if resp, _ := b.post("/login/2fa", map[string]string{"code": fmt.Sprintf("%06d", i)}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d = %d", i, resp.StatusCode)
		}
	}
	e.clock.Advance(30 * time.Second)
	right, _ := totp.GenerateCode(secret, e.clock.Now())
	resp, _ := b.post("/login/2fa", map[string]string{"code": right})
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("sixth try = %d, want 429 with Retry-After", resp.StatusCode)
	}
	if whoAmI(t, e, b.c) != "" {
		t.Fatal("signed in past the guess limit")
	}
}

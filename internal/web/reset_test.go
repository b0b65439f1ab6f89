package web_test

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"pastel/internal/mail"
	"pastel/internal/web"
)

func TestAdminResetLink(t *testing.T) {
	e := newEnv(t, served())
	boss := e.seedUser("boss")
	e.makeAdmin(boss)
	victim := e.seedUser("vera")
	token := e.freshToken(victim.id)

	b := newBrowse(t, e)
	b.signIn("boss", boss.password)
	_, body := b.get("/admin?q=vera")
	action, ok := parse(t, []byte(body)).Find(`[data-username=vera] [data-testid=admin-reset-link]`).Attr("action")
	if !ok {
		t.Fatal("no Reset link button on the user's row")
	}
	resp, body := b.post(action, nil)
	link := strings.TrimSpace(parse(t, []byte(body)).Find(`[data-testid=new-reset-url]`).Text())
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(link, e.base+"/reset/") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("reset link = %d %q", resp.StatusCode, link)
	}
	u, _ := url.Parse(link)

	// A non-admin cannot make one.
	other := e.seedUser("otto")
	if resp, _ := e.userForm(other, "/admin/users/vera/reset-link", map[string]string{}); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("non-admin reset link = %d", resp.StatusCode)
	}

	anon := newBrowse(t, e)
	resp, body = anon.get(u.Path)
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(parse(t, []byte(body)).Find(`[data-testid=reset-username]`).Text()) != "vera" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("reset page = %d: %.300s", resp.StatusCode, body)
	}
	if resp, _ := anon.post(u.Path, map[string]string{"new_password": "short"}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("short password = %d", resp.StatusCode)
	}
	e.clock.Advance(time.Second) // the token above was issued a moment ago
	resp, _ = anon.post(u.Path, map[string]string{"new_password": "a brand new passphrase"})
	if resp.Request.URL.Path != "/login" {
		t.Fatalf("after reset: %s", resp.Request.URL)
	}
	// Every session and token of the account ended; the new password works.
	if who := whoAmI(t, e, &http.Client{Jar: jarWith(t, e, victim.cookie)}); who != "" {
		t.Fatal("the old session still works")
	}
	if resp, _ := e.do(bearer(httptestGet("/api/v1/me"), token)); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("old access token = %d", resp.StatusCode)
	}
	if resp := newBrowse(t, e).signIn("vera", "a brand new passphrase"); resp.Request.URL.Path == "/login" {
		t.Fatal("the new password does not sign in")
	}
	// One use.
	if resp, _ := anon.get(u.Path); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("used link = %d", resp.StatusCode)
	}
	if resp, _ := anon.post(u.Path, map[string]string{"new_password": "another new passphrase"}); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("used link, POST = %d", resp.StatusCode)
	}
	// Expired.
	t2, _, err := e.accounts.CreateResetLink(context.Background(), "vera", 0, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour + time.Second)
	if resp, _ := anon.get("/reset/" + t2); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("expired link = %d", resp.StatusCode)
	}
}

// smtpSink is a minimal SMTP server that keeps what it is sent.
type smtpSink struct {
	addr string
	mu   sync.Mutex
	msgs []string
	got  chan struct{}
}

func startSMTPSink(t *testing.T) *smtpSink {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpSink{addr: ln.Addr().String(), got: make(chan struct{}, 10)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(conn)
		}
	}()
	return s
}

func (s *smtpSink) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	say := func(line string) { conn.Write([]byte(line + "\r\n")) }
	say("220 sink")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 sink")
		case strings.HasPrefix(cmd, "MAIL"), strings.HasPrefix(cmd, "RCPT"), cmd == "RSET", cmd == "NOOP":
			say("250 ok")
		case cmd == "DATA":
			say("354 go on")
			var msg strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				msg.WriteString(l)
			}
			s.mu.Lock()
			s.msgs = append(s.msgs, msg.String())
			s.mu.Unlock()
			s.got <- struct{}{}
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("502 no")
		}
	}
}

func TestResetByEmail(t *testing.T) {
	sink := startSMTPSink(t)
	host, port, _ := net.SplitHostPort(sink.addr)
	var p int
	for _, c := range port {
		p = p*10 + int(c-'0')
	}
	mailer := &mail.SMTP{Host: host, Port: p, From: "pastel@example.org", Timeout: 5 * time.Second}
	e := newEnv(t, served(), withDeps(func(d *web.Deps) { d.Mailer = mailer }))
	u := e.seedUser("mia")
	if _, err := e.pool.Exec(context.Background(), `UPDATE users SET email = 'mia@example.org' WHERE id = $1`, u.id); err != nil {
		t.Fatal(err)
	}
	b := newBrowse(t, e)
	_, body := b.get("/login")
	if parse(t, []byte(body)).Find(`[data-testid=forgot-link]`).Length() != 1 {
		t.Fatal("no Forgot your password link with SMTP set")
	}
	b.get("/forgot")
	resp, known := b.post("/forgot", map[string]string{"email": "MIA@example.org"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("forgot = %d", resp.StatusCode)
	}
	select {
	case <-sink.got:
	case <-time.After(10 * time.Second):
		t.Fatal("no e-mail arrived")
	}
	b.get("/forgot")
	resp, unknown := b.post("/forgot", map[string]string{"email": "nobody@example.org"})
	// The answer does not tell whether the address has an account.
	strip := regexp.MustCompile(`name="_csrf" value="[^"]*"|nonce="[^"]*"`)
	if resp.StatusCode != http.StatusOK || strip.ReplaceAllString(known, "") != strip.ReplaceAllString(unknown, "") {
		t.Fatal("the answers for a known and an unknown address differ")
	}
	select {
	case <-sink.got:
		t.Fatal("an e-mail went to an address without an account")
	case <-time.After(500 * time.Millisecond):
	}
	sink.mu.Lock()
	msg := sink.msgs[0]
	sink.mu.Unlock()
	link := regexp.MustCompile(`http://[^\s]+/reset/[A-Za-z0-9]+`).FindString(msg)
	if link == "" || !strings.Contains(msg, "To: mia@example.org") {
		t.Fatalf("message: %s", msg)
	}
	lu, _ := url.Parse(link)
	b.get(lu.Path)
	if resp, _ := b.post(lu.Path, map[string]string{"new_password": "mailed new passphrase"}); resp.Request.URL.Path != "/login" {
		t.Fatalf("reset through the mailed link ended at %s", resp.Request.URL)
	}
	if resp := newBrowse(t, e).signIn("mia", "mailed new passphrase"); resp.Request.URL.Path == "/login" {
		t.Fatal("the new password does not sign in")
	}
}

// jarWith is a cookie jar holding a session cookie for the app.
func jarWith(t *testing.T, e *env, session string) http.CookieJar {
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(e.base)
	jar.SetCookies(u, []*http.Cookie{{Name: "pastel_session", Value: session, Path: "/"}})
	return jar
}

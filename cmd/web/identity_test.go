package main

import (
	"crypto/sha256"
	"io"
	"net/url"
	"os"
	"strings"
	"testing"

	"pastel/internal/pgtest"
)

// captureStdout runs f and returns what it printed.
func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() { b, _ := io.ReadAll(r); done <- string(b) }()
	f()
	os.Stdout = old
	w.Close()
	return <-done
}

func TestAdminInviteAndResetLink(t *testing.T) {
	dbURL := pgtest.NewURL(t)
	t.Setenv("DATABASE_URL", dbURL)
	t.Setenv("DATA_DIR", t.TempDir())
	t.Setenv("BASE_URL", "https://paste.example.org")
	t.Setenv("REGISTRATION", "invite")

	var code int
	out := captureStdout(t, func() { code = run([]string{"admin", "invite", "-expires", "2d", "-note", "for Ann"}) })
	link, err := url.Parse(strings.TrimSpace(out))
	if code != 0 || err != nil || link.Host != "paste.example.org" || link.Path != "/register" || link.Query().Get("invite") == "" {
		t.Fatalf("web admin invite = %d, printed %q", code, out)
	}
	pool := pgtest.NewPoolFor(t, dbURL)
	var hash []byte
	var note string
	var days float64
	if err := pool.QueryRow(t.Context(), `SELECT token_hash, note, extract(epoch from expires_at - created_at)/86400 FROM invites`).Scan(&hash, &note, &days); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(link.Query().Get("invite")))
	if string(hash) != string(sum[:]) || note != "for Ann" || days != 2 {
		t.Fatalf("stored invite: note %q, %v days, hash matches %v", note, days, string(hash) == string(sum[:]))
	}
	if code := run([]string{"admin", "invite", "-expires", "forever"}); code != 1 {
		t.Fatalf("bad -expires = %d, want 1", code)
	}

	if code := run([]string{"admin", "reset-link", "nobody"}); code != 1 {
		t.Fatalf("reset-link for an unknown user = %d, want 1", code)
	}
	if _, err := pool.Exec(t.Context(), `INSERT INTO users (username, password_hash) VALUES ('Ann', 'x')`); err != nil {
		t.Fatal(err)
	}
	out = captureStdout(t, func() { code = run([]string{"admin", "reset-link", "ann"}) })
	reset, err := url.Parse(strings.TrimSpace(out))
	if code != 0 || err != nil || !strings.HasPrefix(reset.Path, "/reset/") {
		t.Fatalf("web admin reset-link = %d, printed %q", code, out)
	}
	var n int
	pool.QueryRow(t.Context(), `SELECT count(*) FROM password_resets r JOIN users u ON u.id = r.user_id WHERE u.username = 'Ann' AND r.used_at IS NULL`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d reset links stored for Ann, want 1", n)
	}
}

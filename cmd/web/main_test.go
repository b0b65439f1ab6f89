package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"pastel/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestServeMigratesAndDrainsOnSIGTERM runs the real start-up path: config
// from the environment, migrations, the server. A request whose body is
// still arriving when SIGTERM comes is finished and answered; then the
// process's run returns 0.
func TestServeMigratesAndDrainsOnSIGTERM(t *testing.T) {
	addr := freeAddr(t)
	t.Setenv("DATABASE_URL", pgtest.NewURL(t))
	t.Setenv("HTTP_ADDR", addr)
	t.Setenv("DATA_DIR", t.TempDir())
	t.Setenv("LOG_LEVEL", "error")
	done := make(chan int, 1)
	go func() { done <- run(nil) }()

	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := strings.Repeat("x", 1000)
	fmt.Fprintf(conn, "POST /api/v1/pastes HTTP/1.1\r\nHost: %s\r\nContent-Type: text/plain\r\nAccept: text/plain\r\nContent-Length: %d\r\n\r\n%s", addr, len(body), body[:500])
	time.Sleep(200 * time.Millisecond)
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	fmt.Fprint(conn, body[500:])
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request lost at shutdown: %v", err)
	}
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("in-flight create = %d, want 201", resp.StatusCode)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("run returned %d after SIGTERM, want 0", code)
		}
	case <-time.After(40 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Fatal("still serving after shutdown")
	}
}

func TestBadConfigurationStopsStartup(t *testing.T) {
	t.Setenv("HTTP_ADDR", "nonsense")
	t.Setenv("MAX_PASTE_BYTES", "lots")
	if code := run(nil); code != 2 {
		t.Fatalf("run with bad config = %d, want 2", code)
	}
}

func TestAdminGrantAndRevoke(t *testing.T) {
	url := pgtest.NewURL(t)
	t.Setenv("DATABASE_URL", url)
	t.Setenv("DATA_DIR", t.TempDir())
	if code := run([]string{"admin", "grant", "nobody"}); code != 1 {
		t.Fatalf("grant to an unknown user = %d, want 1", code)
	}
	if code := run([]string{"admin", "promote", "x"}); code != 1 {
		t.Fatalf("bad admin verb = %d, want 1", code)
	}
	pool := pgtest.NewPoolFor(t, url)
	if _, err := pool.Exec(t.Context(), `INSERT INTO users (username, password_hash) VALUES ('Root_Ann', 'x')`); err != nil {
		t.Fatal(err)
	}
	isAdmin := func() bool {
		var v bool
		if err := pool.QueryRow(t.Context(), `SELECT is_admin FROM users WHERE username = 'Root_Ann'`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if code := run([]string{"admin", "grant", "root_ann"}); code != 0 || !isAdmin() {
		t.Fatalf("grant = %d, admin %v", code, isAdmin())
	}
	if code := run([]string{"admin", "revoke", "ROOT_ANN"}); code != 0 || isAdmin() {
		t.Fatalf("revoke = %d, admin %v", code, isAdmin())
	}
}

package main

import (
	"bytes"
	"errors"
	"net/http"
	"syscall"
	"testing"
	"time"

	"pastel/internal/blob"
	"pastel/internal/paste"
	"pastel/internal/pgtest"
)

// TestStartResumesAccountDeletion: an account deletion whose first
// transaction committed before the process died (the job row is there, the
// rows and the body are not yet removed) is finished by the worker the
// server starts, with no request needed.
func TestStartResumesAccountDeletion(t *testing.T) {
	url, dir, addr := pgtest.NewURL(t), t.TempDir(), freeAddr(t)
	t.Setenv("DATABASE_URL", url)
	t.Setenv("HTTP_ADDR", addr)
	t.Setenv("DATA_DIR", dir)
	t.Setenv("LOG_LEVEL", "error")
	pool := pgtest.NewPoolFor(t, url)
	ctx := t.Context()
	blobs, err := blob.NewLocal(dir + "/blobs")
	if err != nil {
		t.Fatal(err)
	}
	const key = "pastes/ab/ab0123456789abcdef0123456789abcd"
	if err := blobs.Put(ctx, key, bytes.NewReader([]byte("left behind")), 11); err != nil {
		t.Fatal(err)
	}
	var uid int64
	err = pool.QueryRow(ctx, `INSERT INTO users (username, password_hash, disabled_at, deleted_at)
		VALUES ('half_gone', 'x', now(), now()) RETURNING id`).Scan(&uid)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO pastes (id, owner_id, syntax, visibility, size, blob_key, created_at, updated_at)
		 VALUES ('HalfGone', $1, 'text', 'public', 11, '` + key + `', now(), now())`,
		`INSERT INTO account_deletions (user_id, requested_by, created_at, next_attempt_at) VALUES ($1, 'self', now(), now())`,
	} {
		if _, err := pool.Exec(ctx, q, uid); err != nil {
			t.Fatal(err)
		}
	}

	done := make(chan int, 1)
	go func() { done <- run(nil) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var left int
		if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM users WHERE id = $1) + (SELECT count(*) FROM pastes WHERE owner_id = $1)
			+ (SELECT count(*) FROM account_deletions WHERE user_id = $1)`, uid).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the deletion job was not resumed: %d rows left", left)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := blobs.Open(ctx, key); !errors.Is(err, paste.ErrNotFound) {
		t.Fatalf("the body is still stored: %v", err)
	}
	if resp, err := http.Get("http://" + addr + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("server: %v", err)
	}
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("run = %d after SIGTERM", code)
		}
	case <-time.After(40 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
}

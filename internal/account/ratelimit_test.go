package account

import (
	"context"
	"testing"
	"time"
	"unsafe"
)

// The limiter keeps its keys beyond the call: a key that points into a
// buffer the caller reuses (as fasthttp reuses a connection's request
// buffer) must not change what is counted when the buffer is overwritten.
func TestMemoryLimiterOwnsItsKeys(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewMemoryLimiter(3, time.Minute)
	buf := []byte("victim")
	borrowed := unsafe.String(&buf[0], len(buf))
	for i := range 3 {
		// Blocked first, as Authenticate does: it must not store the
		// borrowed key either.
		if blocked, _, _ := l.Blocked(ctx, borrowed, now); blocked {
			t.Fatalf("blocked after %d failures", i)
		}
		if err := l.Fail(ctx, borrowed, now); err != nil {
			t.Fatal(err)
		}
		copy(buf, "zzzzzz") // the next request lands in the same buffer
		if blocked, _, _ := l.Blocked(ctx, "zzzzzz", now); blocked {
			t.Fatal("another key is blocked")
		}
		copy(buf, "victim")
	}
	copy(buf, "zzzzzz")
	if blocked, wait, _ := l.Blocked(ctx, "victim", now.Add(time.Second)); !blocked || wait != 59*time.Second {
		t.Fatalf("victim after 3 failures: blocked %v, wait %v", blocked, wait)
	}
	if blocked, _, _ := l.Blocked(ctx, "zzzzzz", now); blocked {
		t.Fatal("the buffer's new content inherited the failures")
	}
	if blocked, _, _ := l.Blocked(ctx, "victim", now.Add(time.Minute)); blocked {
		t.Fatal("failures outlived the window")
	}
}

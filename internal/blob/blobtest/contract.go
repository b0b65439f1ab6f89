// Package blobtest holds what the tests of every paste.Blobs
// implementation share: the contract suite RunContract and StartVersityGW,
// which runs a real S3 server.
package blobtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
)

// RunContract checks the behaviour every paste.Blobs implementation
// promises. newStore must return an empty store; it is called once per
// subtest.
func RunContract(t *testing.T, newStore func(t *testing.T) paste.Blobs) {
	t.Run("RoundTrip", func(t *testing.T) { testRoundTrip(t, newStore(t)) })
	t.Run("MissingKey", func(t *testing.T) { testMissingKey(t, newStore(t)) })
	t.Run("Overwrite", func(t *testing.T) { testOverwrite(t, newStore(t)) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, newStore(t)) })
	t.Run("FailedPutKeepsOldBody", func(t *testing.T) { testFailedPut(t, newStore(t)) })
	t.Run("Walk", func(t *testing.T) { testWalk(t, newStore(t)) })
	t.Run("WalkStopsOnError", func(t *testing.T) { testWalkStops(t, newStore(t)) })
	t.Run("InvalidKeys", func(t *testing.T) { testInvalidKeys(t, newStore(t)) })
	t.Run("Ping", func(t *testing.T) {
		if err := newStore(t).Ping(t.Context()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, newStore(t)) })
}

// NewKey returns a fresh key shaped like the ones the paste service makes
// (pastes/ab/<32 hex>).
func NewKey() string {
	h := randHex(16)
	return "pastes/" + h[:2] + "/" + h
}

func testRoundTrip(t *testing.T, b paste.Blobs) {
	invalidUTF8 := []byte{0xff, 0xfe, 0xc3, 0x28, 'o', 'k', 0xed, 0xa0, 0x80, 0xf4, 0x90}
	allBytes := make([]byte, 512)
	for i := range allBytes {
		allBytes[i] = byte(i)
	}
	big := make([]byte, 10<<20)
	_, _ = rand.Read(big)
	tests := []struct {
		name string
		body []byte
	}{
		{"text", []byte("package main\n\nfunc main() {}\n")},
		{"nul bytes", []byte("a\x00b\x00\x00c\x00")},
		{"only nul", make([]byte, 4096)},
		{"invalid utf8", invalidUTF8},
		{"crlf and trailing spaces", []byte("line 1  \r\nline 2\r\n\r\n  ")},
		{"all byte values", allBytes},
		{"empty", []byte{}},
		{"10 MiB random", big},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := NewKey()
			put(t, b, key, tt.body)
			assertBody(t, b, key, tt.body)
		})
	}
}

func testMissingKey(t *testing.T, b paste.Blobs) {
	for _, key := range []string{NewKey(), "never/used/prefix/key"} {
		rc, err := b.Open(t.Context(), key)
		if err == nil {
			rc.Close()
			t.Fatalf("Open(%q) of a missing key: no error", key)
		}
		if !errors.Is(err, paste.ErrNotFound) {
			t.Errorf("Open(%q) = %v, want an error wrapping paste.ErrNotFound", key, err)
		}
		if errors.Is(err, paste.ErrUnavailable) {
			t.Errorf("Open(%q) = %v, also wraps ErrUnavailable", key, err)
		}
	}
	// A prefix of stored keys is no key.
	key := NewKey()
	put(t, b, key, []byte("x"))
	prefix := key[:len("pastes/ab")]
	if rc, err := b.Open(t.Context(), prefix); !errors.Is(err, paste.ErrNotFound) {
		if err == nil {
			rc.Close()
		}
		t.Errorf("Open(%q) of a key prefix = %v, want ErrNotFound", prefix, err)
	}
}

func testOverwrite(t *testing.T, b paste.Blobs) {
	key := NewKey()
	put(t, b, key, bytes.Repeat([]byte("long first body "), 1000))
	second := []byte("short")
	put(t, b, key, second)
	assertBody(t, b, key, second)
	keys := walkKeys(t, b)
	if diff := cmp.Diff([]string{key}, keys); diff != "" {
		t.Errorf("Walk after overwrite (-want +got):\n%s", diff)
	}
}

func testDelete(t *testing.T, b paste.Blobs) {
	ctx := t.Context()
	key, other := NewKey(), NewKey()
	put(t, b, key, []byte("doomed"))
	put(t, b, other, []byte("kept"))
	if err := b.Delete(ctx, key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if rc, err := b.Open(ctx, key); !errors.Is(err, paste.ErrNotFound) {
		if err == nil {
			rc.Close()
		}
		t.Fatalf("Open after Delete = %v, want ErrNotFound", err)
	}
	assertBody(t, b, other, []byte("kept"))
	// The service tolerates ErrNotFound from Delete; anything else is a bug.
	for _, k := range []string{key, NewKey()} {
		if err := b.Delete(ctx, k); err != nil && !errors.Is(err, paste.ErrNotFound) {
			t.Errorf("Delete(%q) of a missing key = %v, want nil or ErrNotFound", k, err)
		}
	}
	// A deleted key can be used again.
	put(t, b, key, []byte("reborn"))
	assertBody(t, b, key, []byte("reborn"))
}

func testFailedPut(t *testing.T, b paste.Blobs) {
	ctx := t.Context()
	old := []byte("the body that must survive")
	tests := []struct {
		name string
		put  func(key string) error
	}{
		{"reader fails halfway", func(key string) error {
			r := io.MultiReader(bytes.NewReader(make([]byte, 64<<10)), errReader{})
			return b.Put(ctx, key, r, 128<<10)
		}},
		{"reader shorter than size", func(key string) error {
			return b.Put(ctx, key, bytes.NewReader([]byte("short")), 1000)
		}},
		{"context cancelled", func(key string) error {
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			return b.Put(cctx, key, bytes.NewReader([]byte("new body")), 8)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fresh, existing := NewKey(), NewKey()
			put(t, b, existing, old)
			if err := tt.put(existing); err == nil {
				t.Fatal("Put over an existing key: no error")
			}
			assertBody(t, b, existing, old)
			if err := tt.put(fresh); err == nil {
				t.Fatal("Put of a new key: no error")
			}
			if rc, err := b.Open(ctx, fresh); !errors.Is(err, paste.ErrNotFound) {
				if err == nil {
					rc.Close()
				}
				t.Errorf("Open after a failed Put = %v, want ErrNotFound", err)
			}
			if err := b.Delete(ctx, existing); err != nil {
				t.Fatalf("Delete: %v", err)
			}
		})
	}
	if keys := walkKeys(t, b); len(keys) != 0 {
		t.Errorf("Walk after failed puts lists %q, want nothing", keys)
	}
}

func testWalk(t *testing.T, b paste.Blobs) {
	ctx := t.Context()
	if keys := walkKeys(t, b); len(keys) != 0 {
		t.Fatalf("Walk of a new store lists %q", keys)
	}
	// Clocks of the store and the test may differ in resolution (S3
	// LastModified has whole seconds), hence the slack.
	before := time.Now().Add(-2 * time.Second)
	var want []string
	for i := range 6 {
		key := NewKey()
		put(t, b, key, fmt.Appendf(nil, "body %d", i))
		want = append(want, key)
	}
	if err := b.Delete(ctx, want[0]); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	want = want[1:]
	after := time.Now().Add(2 * time.Second)

	got := map[string]time.Time{}
	err := b.Walk(ctx, func(key string, modified time.Time) error {
		if _, dup := got[key]; dup {
			t.Errorf("Walk reports %q twice", key)
		}
		got[key] = modified
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	keys := make([]string, 0, len(got))
	for k, m := range got {
		keys = append(keys, k)
		if m.Before(before) || m.After(after) {
			t.Errorf("Walk: %s modified %v, want between %v and %v", k, m, before, after)
		}
	}
	slices.Sort(keys)
	slices.Sort(want)
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("Walk keys (-want +got):\n%s", diff)
	}
}

func testWalkStops(t *testing.T, b paste.Blobs) {
	for range 3 {
		put(t, b, NewKey(), []byte("x"))
	}
	stop := errors.New("stop here")
	calls := 0
	err := b.Walk(t.Context(), func(string, time.Time) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) {
		t.Errorf("Walk = %v, want the error fn returned", err)
	}
	if calls != 1 {
		t.Errorf("Walk called fn %d times after it failed, want 1", calls)
	}
}

func testInvalidKeys(t *testing.T, b paste.Blobs) {
	ctx := t.Context()
	bad := []string{
		"", "/etc/passwd", "../escape", "pastes/../../escape", "pastes/./x",
		`pastes\ab\cd`, "Pastes/AB", "pastes//x", "pastes/x/", "pastes/ab/.hidden",
		"pastes/ab/x y", "pastes/ab/ü", "pastes/ab/x\x00y",
	}
	for _, key := range bad {
		if err := b.Put(ctx, key, bytes.NewReader([]byte("x")), 1); err == nil {
			t.Errorf("Put(%q): no error", key)
		}
		if rc, err := b.Open(ctx, key); err == nil {
			rc.Close()
			t.Errorf("Open(%q): no error", key)
		}
		if err := b.Delete(ctx, key); err == nil {
			t.Errorf("Delete(%q): no error", key)
		}
	}
	if keys := walkKeys(t, b); len(keys) != 0 {
		t.Errorf("Walk after rejected puts lists %q, want nothing", keys)
	}
}

func testConcurrent(t *testing.T, b paste.Blobs) {
	ctx := t.Context()
	const workers, rounds = 12, 4
	shared := NewKey()
	sharedBody := bytes.Repeat([]byte("shared\x00"), 5000)
	put(t, b, shared, sharedBody)

	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*4)
	for w := range workers {
		wg.Go(func() {
			key := NewKey()
			for r := range rounds {
				body := bytes.Repeat(fmt.Appendf(nil, "worker %d round %d|", w, r), 200+w*50)
				if err := b.Put(ctx, key, bytes.NewReader(body), int64(len(body))); err != nil {
					errs <- fmt.Errorf("put %s: %w", key, err)
					return
				}
				if got, err := read(ctx, b, key); err != nil {
					errs <- err
				} else if !bytes.Equal(got, body) {
					errs <- fmt.Errorf("worker %d round %d read %d bytes, want its own %d", w, r, len(got), len(body))
				}
				if got, err := read(ctx, b, shared); err != nil {
					errs <- err
				} else if !bytes.Equal(got, sharedBody) {
					errs <- fmt.Errorf("shared body changed: %d bytes", len(got))
				}
			}
			if err := b.Delete(ctx, key); err != nil {
				errs <- fmt.Errorf("delete %s: %w", key, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if diff := cmp.Diff([]string{shared}, walkKeys(t, b)); diff != "" {
		t.Errorf("Walk after concurrent work (-want +got):\n%s", diff)
	}
}

func put(t *testing.T, b paste.Blobs, key string, body []byte) {
	t.Helper()
	if err := b.Put(t.Context(), key, bytes.NewReader(body), int64(len(body))); err != nil {
		t.Fatalf("Put(%q, %d bytes): %v", key, len(body), err)
	}
}

func read(ctx context.Context, b paste.Blobs, key string) ([]byte, error) {
	rc, err := b.Open(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", key, err)
	}
	defer rc.Close()
	body, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	return body, nil
}

func assertBody(t *testing.T, b paste.Blobs, key string, want []byte) {
	t.Helper()
	got, err := read(t.Context(), b, key)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	t.Fatalf("body of %s: got %d bytes, want %d; first difference at byte %d", key, len(got), len(want), i)
}

func walkKeys(t *testing.T, b paste.Blobs) []string {
	t.Helper()
	keys := []string{}
	err := b.Walk(t.Context(), func(key string, _ time.Time) error {
		keys = append(keys, key)
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	slices.Sort(keys)
	return keys
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("reader broke") }

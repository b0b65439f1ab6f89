package readcache_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"pastel/internal/blob"
	"pastel/internal/blob/blobtest"
	"pastel/internal/paste"
	"pastel/internal/readcache"
)

func newLocal(t *testing.T) *blob.Local {
	t.Helper()
	l, err := blob.NewLocal(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatalf("NewLocal: %v", err)
	}
	return l
}

func TestBodiesContract(t *testing.T) {
	blobtest.RunContract(t, func(t *testing.T) paste.Blobs { return readcache.NewBodies(newLocal(t), 1<<20) })
}

// outage makes a store unreachable on demand, as a stopped server is.
type outage struct {
	paste.Blobs
	down atomic.Bool
}

func (o *outage) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if o.down.Load() {
		return nil, fmt.Errorf("open: %w", paste.ErrUnavailable)
	}
	return o.Blobs.Open(ctx, key)
}

func (o *outage) Ping(ctx context.Context) error {
	if o.down.Load() {
		return fmt.Errorf("ping: %w", paste.ErrUnavailable)
	}
	return o.Blobs.Ping(ctx)
}

func read(t *testing.T, b paste.Blobs, key string) ([]byte, error) {
	t.Helper()
	rc, err := b.Open(context.Background(), key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// TestCachedServesCopiesOnlyWhileTheStoreIsUp: a small body read once is
// served from memory (here even with its file gone behind the cache's
// back); large bodies are not kept; while the store is down nothing is
// served from memory, and after it is back copies are served again.
func TestBodiesServesCopiesOnlyWhileTheStoreIsUp(t *testing.T) {
	ctx := context.Background()
	local := newLocal(t)
	store := &outage{Blobs: local}
	c := readcache.NewBodies(store, 1<<20)
	small, large := blobtest.NewKey(), blobtest.NewKey()
	bigBody := bytes.Repeat([]byte("x"), readcache.MaxCachedBody+1)
	for key, body := range map[string][]byte{small: []byte("small body"), large: bigBody} {
		if err := c.Put(ctx, key, bytes.NewReader(body), int64(len(body))); err != nil {
			t.Fatal(err)
		}
		if got, err := read(t, c, key); err != nil || !bytes.Equal(got, body) {
			t.Fatalf("first read of %s: %v", key, err)
		}
	}
	if got := c.Size(); got <= 0 || got > 1024 {
		t.Fatalf("cache holds %d bytes, want the small body only", got)
	}
	// Remove the files themselves: the small body still reads, from memory.
	for _, key := range []string{small, large} {
		if err := os.Remove(filepath.Join(local.Dir(), filepath.FromSlash(key))); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := read(t, c, small); err != nil || string(got) != "small body" {
		t.Fatalf("small body from memory: %q %v", got, err)
	}
	if _, err := read(t, c, large); !errors.Is(err, paste.ErrNotFound) {
		t.Fatalf("large body was kept: %v", err)
	}

	store.down.Store(true)
	time.Sleep(readcache.TrustFor + 20*time.Millisecond)
	if _, err := read(t, c, small); !errors.Is(err, paste.ErrUnavailable) {
		t.Fatalf("read while the store is down: %v, want unavailable", err)
	}
	store.down.Store(false)
	if err := c.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := read(t, c, small); err != nil || string(got) != "small body" {
		t.Fatalf("read after the store is back: %q %v", got, err)
	}

	// Delete drops the copy as well.
	if err := c.Delete(ctx, small); err != nil {
		t.Fatal(err)
	}
	if _, err := read(t, c, small); !errors.Is(err, paste.ErrNotFound) {
		t.Fatalf("read after delete: %v", err)
	}
}

// TestCachedBoundedBySize keeps the most recently read bodies within the
// bound.
func TestBodiesBoundedBySize(t *testing.T) {
	ctx := context.Background()
	c := readcache.NewBodies(newLocal(t), 64<<10)
	body := strings.Repeat("y", 10<<10)
	for range 20 {
		key := blobtest.NewKey()
		if err := c.Put(ctx, key, strings.NewReader(body), int64(len(body))); err != nil {
			t.Fatal(err)
		}
		if _, err := read(t, c, key); err != nil {
			t.Fatal(err)
		}
		if c.Size() > 64<<10 {
			t.Fatalf("cache holds %d bytes, bound 65536", c.Size())
		}
	}
	if c.Size() < 40<<10 {
		t.Fatalf("cache holds only %d bytes", c.Size())
	}
}

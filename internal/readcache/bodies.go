package readcache

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync/atomic"
	"time"

	"pastel/internal/lru"
	"pastel/internal/paste"
)

// MaxCachedBody is the largest body Bodies keeps in memory; larger ones
// always stream from the store.
const MaxCachedBody = 64 << 10

// Bodies keeps the most recently read small bodies of a blob store in
// memory, up to a total size: a decorator around the domain's Blobs. It needs no invalidation: a key names one body for
// ever (the server makes a fresh key whenever a paste's bytes change, and
// never writes a key twice), so a copy cannot go stale; whether a body may
// be read at all is decided on the paste's metadata before the store is
// asked. A deleted key is dropped from the cache too.
//
// A copy is served only while the store is up, so an outage reads as one
// (503) on every surface: the store counts as up when it answered within
// the last TrustFor, and otherwise is pinged first. Any operation that
// finds it unreachable marks it down at once, and reads go to the store
// itself until one succeeds.
type Bodies struct {
	paste.Blobs
	max int64

	answered atomic.Int64 // unix nanoseconds when the store last answered
	down     atomic.Bool
	pinging  atomic.Bool

	bodies *lru.Cache[[]byte]

	hits, misses atomic.Uint64
}

// TrustFor is how long after the store last answered a copy is served
// without asking it again.
const TrustFor = 100 * time.Millisecond

// NewBodies returns a cache of at most maxBytes over store.
func NewBodies(store paste.Blobs, maxBytes int64) *Bodies {
	return &Bodies{Blobs: store, max: maxBytes, bodies: lru.New(maxBytes, func(key string, b []byte) int64 {
		return int64(len(key) + len(b))
	})}
}

// Open returns the body of key, from memory when it is there. A small body
// read from the store is kept.
func (c *Bodies) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if b, ok := c.bodies.Get(key); ok && c.up(ctx) {
		c.hits.Add(1)
		return &memBody{Reader: bytes.NewReader(b), b: b}, nil
	}
	c.misses.Add(1)
	rc, err := c.Blobs.Open(ctx, key)
	c.note(err)
	if err != nil || c.max <= 0 {
		return rc, err
	}
	if s, ok := rc.(paste.SizedBody); ok && s.Size() > MaxCachedBody {
		// Too large to keep: the body goes out as the store opened it
		// (a local file reaches sendfile).
		return rc, nil
	}
	return &fillingReader{rc: rc, c: c, key: key}, nil
}

// up reports whether the store may be taken as answering.
func (c *Bodies) up(ctx context.Context) bool {
	if c.down.Load() {
		return false
	}
	if time.Since(time.Unix(0, c.answered.Load())) < TrustFor {
		return true
	}
	if !c.pinging.CompareAndSwap(false, true) {
		return true // another read is asking right now
	}
	defer c.pinging.Store(false)
	err := c.Blobs.Ping(ctx)
	c.note(err)
	return err == nil
}

// note records what an operation on the store said of its health.
func (c *Bodies) note(err error) {
	switch {
	case err == nil || errors.Is(err, paste.ErrNotFound):
		c.answered.Store(time.Now().UnixNano())
		c.down.Store(false)
	case errors.Is(err, paste.ErrUnavailable):
		c.down.Store(true)
	}
}

// Put stores a body (it is not kept in memory: most new pastes are read
// later, if ever). The server never writes a key twice; should anyone, the
// old copy is dropped.
func (c *Bodies) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	c.bodies.Remove(key)
	err := c.Blobs.Put(ctx, key, r, size)
	c.bodies.Remove(key)
	c.note(err)
	return err
}

// Ping asks the store.
func (c *Bodies) Ping(ctx context.Context) error {
	err := c.Blobs.Ping(ctx)
	c.note(err)
	return err
}

// Delete removes key from the store and from memory.
func (c *Bodies) Delete(ctx context.Context, key string) error {
	c.bodies.Remove(key)
	err := c.Blobs.Delete(ctx, key)
	c.note(err)
	return err
}

// RemoveStaleWrites passes through to the store when it has such writes.
func (c *Bodies) RemoveStaleWrites(ctx context.Context, before time.Time) (int, error) {
	if r, ok := c.Blobs.(paste.StaleWriteRemover); ok {
		return r.RemoveStaleWrites(ctx, before)
	}
	return 0, nil
}

// Stats returns how many Opens were answered from memory and how many went
// to the store.
func (c *Bodies) Stats() (hits, misses uint64) { return c.hits.Load(), c.misses.Load() }

// Size returns the bytes held.
func (c *Bodies) Size() int64 { return c.bodies.Size() }

// memBody is a body served from memory. Bytes gives its bytes without a
// copy, for callers that only read them.
type memBody struct {
	*bytes.Reader
	b []byte
}

func (m *memBody) Bytes() []byte { return m.b }
func (m *memBody) Close() error  { return nil }

// fillingReader passes a body through and keeps a copy when the whole body
// was read, without error, and is small enough.
type fillingReader struct {
	rc   io.ReadCloser
	c    *Bodies
	key  string
	buf  []byte
	over bool // larger than MaxCachedBody: not kept
}

func (r *fillingReader) Read(p []byte) (int, error) {
	n, err := r.rc.Read(p)
	if n > 0 && !r.over {
		if len(r.buf)+n > MaxCachedBody {
			r.over, r.buf = true, nil
		} else {
			r.buf = append(r.buf, p[:n]...)
		}
	}
	if err == io.EOF && !r.over {
		r.c.bodies.Add(r.key, r.buf)
		r.over = true // kept once
	}
	return n, err
}

func (r *fillingReader) Close() error { return r.rc.Close() }

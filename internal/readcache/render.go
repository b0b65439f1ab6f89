package readcache

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"

	"golang.org/x/sync/singleflight"

	"pastel/internal/lru"
	"pastel/internal/paste"
)

// entryOverhead approximates the bytes an entry costs beyond its key and
// HTML (list element, map slot, Rendered header).
const entryOverhead = 128

// Renders is a concurrency-safe LRU of rendered bodies bounded by their
// total size in bytes. Keys identify immutable content (a paste ID, its
// revision and the mode), so entries need no invalidation: a changed paste
// has a new revision, and whether a paste may be read is decided before
// its rendering is asked for. Entries larger than the whole cache are not
// kept.
type Renders struct {
	*lru.Cache[paste.Rendered]
	group        singleflight.Group
	hits, misses atomic.Uint64
}

// NewRenders returns an empty cache holding at most maxBytes; maxBytes <= 0
// gives a cache that keeps nothing (GetOrRender still deduplicates).
func NewRenders(maxBytes int64) *Renders {
	return &Renders{Cache: lru.New(maxBytes, entrySize)}
}

func entrySize(key string, r paste.Rendered) int64 {
	return int64(len(key)+len(r.HTML)) + entryOverhead
}

// Get returns the entry for key and counts a hit or a miss (Stats).
func (c *Renders) Get(key string) (paste.Rendered, bool) {
	r, ok := c.Cache.Get(key)
	if ok {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return r, ok
}

// Stats returns how many Gets found their entry and how many did not.
// GetOrRender's own look-ups are not counted: callers ask Get first.
func (c *Renders) Stats() (hits, misses uint64) {
	return c.hits.Load(), c.misses.Load()
}

// GetOrRender returns the entry for key, or calls fn, stores its result and
// returns it. Concurrent misses for one key share a single call of fn; an
// error is returned to each of them and nothing is stored. If fn panics,
// every waiting caller panics and nothing is stored.
func (c *Renders) GetOrRender(key string, fn func() (paste.Rendered, error)) (paste.Rendered, error) {
	if r, ok := c.Cache.Get(key); ok {
		return r, nil
	}
	v, err, _ := c.group.Do(key, func() (any, error) {
		// A call that finished between our Get and Do has stored the value.
		if r, ok := c.Cache.Get(key); ok {
			return r, nil
		}
		r, err := fn()
		if err != nil {
			return nil, err
		}
		c.Add(key, r)
		return r, nil
	})
	if err != nil {
		return paste.Rendered{}, err
	}
	return v.(paste.Rendered), nil
}

// Renderer returns r with its renderings kept in c, keyed by paste ID,
// revision and mode; the body is read only on a miss. Burn-after-reading
// pastes, shown once, and
// renderings filtered by RenderMode.Grep are never kept.
func (c *Renders) Renderer(r paste.Renderer) paste.Renderer {
	return &renderer{inner: r, c: c}
}

type renderer struct {
	inner paste.Renderer
	c     *Renders
}

func (r *renderer) Render(ctx context.Context, p paste.Paste, mode paste.RenderMode, body func(context.Context) ([]byte, error)) (paste.Rendered, error) {
	if p.BurnAfterReading || mode.Grep != "" {
		// A filtered rendering is for one query string, which anyone may
		// vary: kept, they would push out the renderings worth keeping.
		return r.inner.Render(ctx, p, mode, body)
	}
	key := renderKey(p, mode)
	if got, ok := r.c.Get(key); ok {
		return got, nil
	}
	return r.c.GetOrRender(key, func() (paste.Rendered, error) {
		// The shared render outlives any one caller's cancellation.
		return r.inner.Render(context.WithoutCancel(ctx), p, mode, body)
	})
}

// renderKey is "<id>:<revision>:<blob key>:<syntax>:<mode>", built afresh:
// the cache owns it, whatever memory p's ID points into. The blob key and
// syntax tell a paste's files apart (each is rendered as p with its file's
// key and syntax), and a file unchanged between revisions keeps its key.
func renderKey(p paste.Paste, mode paste.RenderMode) string {
	var b strings.Builder
	b.Grow(len(p.ID) + len(p.BlobKey) + len(p.Syntax) + 24)
	b.WriteString(string(p.ID))
	b.WriteByte(':')
	b.WriteString(strconv.FormatInt(int64(p.Revision), 10))
	b.WriteByte(':')
	b.WriteString(p.BlobKey)
	b.WriteByte(':')
	b.WriteString(p.Syntax)
	if mode.Source {
		b.WriteString(":src")
	}
	if !mode.Full {
		b.WriteString(":cut")
	}
	if mode.Tree {
		b.WriteString(":tree")
	}
	return b.String()
}

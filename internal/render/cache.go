package render

import (
	"sync/atomic"

	"golang.org/x/sync/singleflight"

	"pastel/internal/lru"
)

// entryOverhead approximates the bytes an entry costs beyond its key and
// HTML (list element, map slot, Rendered header).
const entryOverhead = 128

// Cache is a concurrency-safe LRU of rendered bodies bounded by their total
// size in bytes. Keys must identify immutable content (a paste ID plus its
// revision), since entries are never invalidated by content changes. Entries
// larger than the whole cache are not kept.
type Cache struct {
	*lru.Cache[Rendered]
	group        singleflight.Group
	hits, misses atomic.Uint64
}

// Get returns the entry for key and counts a hit or a miss (Stats).
func (c *Cache) Get(key string) (Rendered, bool) {
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
func (c *Cache) Stats() (hits, misses uint64) {
	return c.hits.Load(), c.misses.Load()
}

// NewCache returns an empty Cache holding at most maxBytes; maxBytes <= 0
// gives a cache that keeps nothing (GetOrRender still deduplicates).
func NewCache(maxBytes int64) *Cache {
	return &Cache{Cache: lru.New(maxBytes, entrySize)}
}

func entrySize(key string, r Rendered) int64 {
	return int64(len(key)+len(r.HTML)) + entryOverhead
}

// GetOrRender returns the entry for key, or calls fn, stores its result and
// returns it. Concurrent misses for one key share a single call of fn. If fn
// panics, every waiting caller panics and nothing is stored.
func (c *Cache) GetOrRender(key string, fn func() Rendered) Rendered {
	if r, ok := c.Cache.Get(key); ok {
		return r
	}
	v, _, _ := c.group.Do(key, func() (any, error) {
		// A call that finished between our Get and Do has stored the value.
		if r, ok := c.Cache.Get(key); ok {
			return r, nil
		}
		r := fn()
		c.Add(key, r)
		return r, nil
	})
	return v.(Rendered)
}

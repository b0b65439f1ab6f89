package render

import (
	"container/list"
	"sync"

	"golang.org/x/sync/singleflight"
)

// entryOverhead approximates the bytes an entry costs beyond its key and
// HTML (list element, map slot, Rendered header).
const entryOverhead = 128

// Cache is a concurrency-safe LRU of rendered bodies bounded by their total
// size in bytes. Keys must identify immutable content (a paste ID plus its
// revision), since entries are never invalidated by content changes. Entries
// larger than the whole cache are not kept.
type Cache struct {
	mu       sync.Mutex
	maxBytes int64
	size     int64
	ll       *list.List // front: most recently used
	items    map[string]*list.Element
	group    singleflight.Group
}

type cacheEntry struct {
	key  string
	r    Rendered
	size int64
}

// NewCache returns an empty Cache holding at most maxBytes; maxBytes <= 0
// gives a cache that keeps nothing (GetOrRender still deduplicates).
func NewCache(maxBytes int64) *Cache {
	return &Cache{maxBytes: maxBytes, ll: list.New(), items: map[string]*list.Element{}}
}

func entrySize(key string, r Rendered) int64 {
	return int64(len(key)+len(r.HTML)) + entryOverhead
}

// Get returns the entry for key and marks it recently used.
func (c *Cache) Get(key string) (Rendered, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return Rendered{}, false
	}
	c.ll.MoveToFront(el)
	return el.Value.(*cacheEntry).r, true
}

// Add stores r under key, replacing any entry, and evicts the least recently
// used entries until the cache fits its bound.
func (c *Cache) Add(key string, r Rendered) {
	size := entrySize(key, r)
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.removeElement(el)
	}
	if size > c.maxBytes {
		return
	}
	c.items[key] = c.ll.PushFront(&cacheEntry{key: key, r: r, size: size})
	c.size += size
	for c.size > c.maxBytes {
		c.removeElement(c.ll.Back())
	}
}

// Remove drops the entry for key, if any.
func (c *Cache) Remove(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.removeElement(el)
	}
}

func (c *Cache) removeElement(el *list.Element) {
	e := c.ll.Remove(el).(*cacheEntry)
	delete(c.items, e.key)
	c.size -= e.size
}

// Len returns the number of entries.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}

// Size returns the accounted size of all entries in bytes.
func (c *Cache) Size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// GetOrRender returns the entry for key, or calls fn, stores its result and
// returns it. Concurrent misses for one key share a single call of fn. If fn
// panics, every waiting caller panics and nothing is stored.
func (c *Cache) GetOrRender(key string, fn func() Rendered) Rendered {
	if r, ok := c.Get(key); ok {
		return r
	}
	v, _, _ := c.group.Do(key, func() (any, error) {
		// A call that finished between our Get and Do has stored the value.
		if r, ok := c.Get(key); ok {
			return r, nil
		}
		r := fn()
		c.Add(key, r)
		return r, nil
	})
	return v.(Rendered)
}

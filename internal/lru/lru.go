// Package lru provides a concurrency-safe least-recently-used cache bounded
// by the total size of its entries in bytes, for the caches of rendered pages
// (render) and of paste bodies (blob).
package lru

import (
	"container/list"
	"sync"
)

// Cache maps string keys to values of type V. Adding beyond the bound
// evicts the least recently used entries; an entry larger than the whole
// bound is not kept.
type Cache[V any] struct {
	mu     sync.Mutex
	max    int64
	size   int64
	sizeOf func(key string, v V) int64
	ll     *list.List // front: most recently used
	items  map[string]*list.Element
}

type entry[V any] struct {
	key  string
	v    V
	size int64
}

// New returns an empty cache holding at most maxBytes, as counted by sizeOf.
func New[V any](maxBytes int64, sizeOf func(key string, v V) int64) *Cache[V] {
	return &Cache[V]{max: maxBytes, sizeOf: sizeOf, ll: list.New(), items: map[string]*list.Element{}}
}

// Get returns the value of key and marks it recently used.
func (c *Cache[V]) Get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.ll.MoveToFront(el)
	return el.Value.(*entry[V]).v, true
}

// Add stores v under key, replacing any entry, and evicts the least
// recently used entries until the cache fits its bound.
func (c *Cache[V]) Add(key string, v V) {
	size := c.sizeOf(key, v)
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.remove(el)
	}
	if size > c.max {
		return
	}
	c.items[key] = c.ll.PushFront(&entry[V]{key: key, v: v, size: size})
	c.size += size
	for c.size > c.max {
		c.remove(c.ll.Back())
	}
}

// Remove drops the entry of key, if any.
func (c *Cache[V]) Remove(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.remove(el)
	}
}

func (c *Cache[V]) remove(el *list.Element) {
	e := c.ll.Remove(el).(*entry[V])
	delete(c.items, e.key)
	c.size -= e.size
}

// Len returns the number of entries.
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}

// Size returns the accounted size of all entries in bytes.
func (c *Cache[V]) Size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

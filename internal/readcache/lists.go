package readcache

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"pastel/internal/paste"
)

// listsPayload is the notification (migration 0026) that only lists
// changed: a paste was created, or the popular or trending lists were
// rebuilt. It is no paste ID, so a listener of before 0026 forgets
// nothing for it.
const listsPayload = "~lists"

// DefaultListTTL bounds how long a kept list is answered at all, whatever
// happens: language counts over the latest pastes, and other things no
// notification names, are at most this old.
const DefaultListTTL = 30 * time.Second

// Lists keeps what anonymous visitors see of the paste lists and of
// search, keyed by a string that names the list and its parameters: the
// first page of each list (recent, popular, trending, a language's, a
// tag's, a user's public pastes), the language counts, an anonymous
// search's results, and whole answers rendered from them (the explore
// page, the API's first page, the feeds: a Snapshot).
//
// Lists belong to a Cache and follow it: they answer only while its
// listener is connected, and every change the Cache hears of (any paste,
// comment or user, on any replica, or through this process's store) and
// every new paste or rebuilt popular or trending list (migration 0026's
// notification, and this process's InsertPaste) forgets all of them at
// once: a list shows many pastes, and a new or newly public paste belongs
// to lists nobody can name from its ID. A fill that began before such a
// change is not kept (the epoch check in Keep).
//
// An entry also ends by time: at the earliest expiry of the pastes it
// shows (in the service's clock, which decides expiry), and TTL after it
// was made (wall clock).
type Lists struct {
	c        *Cache
	max      int
	maxBytes int64
	ttl      time.Duration
	epoch    atomic.Uint64

	mu      sync.RWMutex
	entries map[string]*listEntry
	bytes   int64

	hits, misses atomic.Uint64
}

type listEntry struct {
	value any
	size  int64
	until time.Time // service clock; zero: no expiry among what it shows
	made  time.Time // wall clock
}

// ListOptions configure the lists a Cache keeps (Options.Lists).
type ListOptions struct {
	MaxEntries int   // <= 0: no lists are kept
	MaxBytes   int64 // bytes of values kept at most (as their sizes say)
	// TTL bounds an entry's age; 0: DefaultListTTL.
	TTL time.Duration
}

func newLists(c *Cache, o ListOptions) *Lists {
	if o.TTL <= 0 {
		o.TTL = DefaultListTTL
	}
	return &Lists{c: c, max: o.MaxEntries, maxBytes: o.MaxBytes, ttl: o.TTL, entries: map[string]*listEntry{}}
}

// Lists returns the cache's lists; nil for a nil Cache (which keeps
// nothing: every method of a nil *Lists is a miss or a no-op).
func (c *Cache) Lists() *Lists {
	if c == nil {
		return nil
	}
	return c.lists
}

// Begin returns the epoch to pass to Keep, taken before what the entry is
// made of is read.
func (l *Lists) Begin() uint64 {
	if l == nil {
		return 0
	}
	return l.epoch.Load()
}

// Get returns the value kept under key, if any, still valid at now (the
// service's clock).
func (l *Lists) Get(key string, now time.Time) (any, bool) {
	if l == nil || l.max <= 0 || !l.c.Live() {
		return nil, false
	}
	l.mu.RLock()
	e := l.entries[key]
	l.mu.RUnlock()
	if e == nil || (!e.until.IsZero() && !now.Before(e.until)) || time.Since(e.made) >= l.ttl {
		l.misses.Add(1)
		return nil, false
	}
	l.hits.Add(1)
	return e.value, true
}

// Keep keeps v (immutable from now on) under key, unless anything changed
// since epoch. size is what it holds in bytes; until the service time it
// stops being true (the earliest expiry among what it shows), zero for
// never.
func (l *Lists) Keep(epoch uint64, key string, v any, size int64, until time.Time) {
	if l == nil || l.max <= 0 || size > l.maxBytes || !l.c.Live() {
		return
	}
	e := &listEntry{value: v, size: size, until: until, made: time.Now()}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.epoch.Load() != epoch {
		return
	}
	if old := l.entries[key]; old != nil {
		l.bytes -= old.size
	} else {
		key = strings.Clone(key)
	}
	// Full: drop arbitrary entries (Go's map order is random), which keeps
	// the cost of a fill constant.
	for k := range l.entries {
		if len(l.entries) < l.max && l.bytes+size <= l.maxBytes {
			break
		}
		if k != key {
			l.bytes -= l.entries[k].size
			delete(l.entries, k)
		}
	}
	l.entries[key] = e
	l.bytes += size
}

// forget drops every list.
func (l *Lists) forget() {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.epoch.Add(1)
	clear(l.entries)
	l.bytes = 0
	l.mu.Unlock()
}

// ListStats are the lists' counters.
type ListStats struct {
	Entries      int
	Bytes        int64
	Hits, Misses uint64
}

// Stats returns the lists' counters.
func (l *Lists) Stats() ListStats {
	if l == nil {
		return ListStats{}
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return ListStats{Entries: len(l.entries), Bytes: l.bytes, Hits: l.hits.Load(), Misses: l.misses.Load()}
}

// pasteBytes estimates what a kept paste row holds.
func pasteBytes(p paste.Paste) int64 {
	return int64(256 + len(p.Title) + len(p.Preview) + len(p.OwnerName) + len(p.BlobKey) + len(p.SourceURL))
}

func pagesBytes(ps []paste.Paste) int64 {
	n := int64(64)
	for _, p := range ps {
		n += pasteBytes(p)
	}
	return n
}

// cachedList answers key from the lists, or fills it with fill and keeps
// it; ok false (not cacheable) calls fill alone.
func cachedList[T any](l *Lists, key string, now time.Time, size func(T) int64, until func(T) time.Time, fill func() (T, error)) (T, error) {
	if v, ok := l.Get(key, now); ok {
		return v.(T), nil
	}
	epoch := l.Begin()
	v, err := fill()
	if err == nil {
		l.Keep(epoch, key, v, size(v), until(v))
	}
	return v, err
}

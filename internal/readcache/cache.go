package readcache

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"pastel/internal/paste"
)

// notifyChannel is the channel the triggers of migration 0008 notify on: a
// paste ID, or "*" for everything.
const notifyChannel = "pastel_cache"

// Cache keeps, per paste, what its page and raw view read from the
// database: the row with its owner's state, the comment count, the first
// page of comments as an anonymous visitor sees it, and the page as such a
// visitor sees it (a Snapshot). It is only ever a copy, read through the
// decorators Pastes and Community:
//
//   - Every change to a paste, its comments or a user is announced by
//     PostgreSQL triggers (NOTIFY at commit) to every replica, whose
//     listener forgets the paste (or everything). Changes made through this
//     process's store are also forgotten right after their commit
//     (store.Changes), so a reader here never waits for the notification.
//   - The cache answers only while its listener is connected. When the
//     connection drops it forgets everything and stands aside, so a
//     database outage is an outage (503), never stale pages, and a change
//     made while nobody listened is never missed.
//   - A fill that started before an invalidation is not kept (the epoch
//     check in put), so a row read just before a change commits cannot
//     outlive the change.
//
// Only what a read returns is kept: a missing paste is always asked again.
type Cache struct {
	max       int
	maxSnaps  int64 // bytes of snapshots kept at most
	snapBytes int64 // guarded by mu
	log       *slog.Logger
	live      atomic.Bool
	epoch     atomic.Uint64 // moves on every invalidation

	mu      sync.RWMutex
	entries map[paste.ID]*cacheEntry

	hits, misses         atomic.Uint64 // reads of rows, counts and comments
	snapHits, snapMisses atomic.Uint64 // reads of snapshots

	lists *Lists // the anonymous lists and searches (Lists)
}

// cacheEntry is immutable once stored: put replaces it whole.
type cacheEntry struct {
	paste    *paste.Paste
	comments *int64
	// The first page of comments for anonymous visitors, as ListComments
	// returned it for limit threads of up to replies replies each.
	firstPage *commentPage
	// The page as anonymous visitors see it (see Snapshot) and its size
	// in bytes.
	snapshot     *Snapshot
	snapshotSize int64
}

type commentPage struct {
	limit, replies int
	rows           paste.CommentRows
}

// Options configure a Cache.
type Options struct {
	MaxPastes int // entries kept; <= 0: the cache keeps nothing
	// MaxSnapshotBytes bounds the snapshots kept (KeepSnapshot), which
	// may be far larger than the rest of an entry; <= 0 keeps none.
	MaxSnapshotBytes int64
	// Lists bound the lists and searches kept (Cache.Lists); zero keeps
	// none.
	Lists  ListOptions
	Logger *slog.Logger
}

// New returns an empty cache. It answers nothing until Listen has
// connected.
func New(o Options) *Cache {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Cache{max: o.MaxPastes, maxSnaps: o.MaxSnapshotBytes, log: o.Logger, entries: map[paste.ID]*cacheEntry{}}
	c.lists = newLists(c, o.Lists)
	return c
}

// Stats are a cache's counters.
type Stats struct {
	Entries       int
	SnapshotBytes int64
	// Hits and Misses count the reads of rows, comment counts and
	// comment pages; SnapshotHits and SnapshotMisses the reads of
	// snapshots. Reads while the cache is not answering count as neither.
	Hits, Misses                 uint64
	SnapshotHits, SnapshotMisses uint64
	Live                         bool
}

// Stats returns the cache's counters.
func (c *Cache) Stats() Stats {
	if c == nil {
		return Stats{}
	}
	c.mu.RLock()
	n, sb := len(c.entries), c.snapBytes
	c.mu.RUnlock()
	return Stats{Entries: n, SnapshotBytes: sb, Hits: c.hits.Load(), Misses: c.misses.Load(),
		SnapshotHits: c.snapHits.Load(), SnapshotMisses: c.snapMisses.Load(), Live: c.live.Load()}
}

// get returns the entry of id, nil when there is none or the cache is not
// answering.
func (c *Cache) get(id paste.ID) *cacheEntry {
	if c == nil || !c.live.Load() {
		return nil
	}
	e := c.lookup(id)
	if e == nil {
		c.misses.Add(1)
	} else {
		c.hits.Add(1)
	}
	return e
}

// lookup returns the entry of id, counting nothing; the cache is live.
func (c *Cache) lookup(id paste.ID) *cacheEntry {
	c.mu.RLock()
	e := c.entries[id]
	c.mu.RUnlock()
	return e
}

// begin returns the epoch a fill starts in; pass it to put.
func (c *Cache) begin() uint64 {
	if c == nil {
		return 0
	}
	return c.epoch.Load()
}

// put stores what a fill read, unless something was invalidated since the
// fill began: what it read may then be older than that change. update gets
// a copy of the current entry (zero when none) to fill in.
func (c *Cache) put(epoch uint64, id paste.ID, update func(e *cacheEntry)) {
	if c == nil || c.max <= 0 || !c.live.Load() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.epoch.Load() != epoch {
		return
	}
	var e cacheEntry
	if old := c.entries[id]; old != nil {
		e = *old
	} else {
		// The ID may point into memory the web server reuses for the
		// next request (a route parameter): the map keeps its own copy.
		id = paste.ID(strings.Clone(string(id)))
		if len(c.entries) >= c.max {
			// Full: drop an arbitrary entry (Go's map order is random),
			// which keeps the cost of a fill constant.
			for k := range c.entries {
				c.drop(k)
				break
			}
		}
	}
	oldSnap := e.snapshotSize
	update(&e)
	c.snapBytes += e.snapshotSize - oldSnap
	c.entries[id] = &e
	// Over the snapshot budget: drop arbitrary snapshots (the rest of
	// their entries stays).
	for k, other := range c.entries {
		if c.snapBytes <= c.maxSnaps {
			break
		}
		if other.snapshot != nil && k != id {
			trimmed := *other
			trimmed.snapshot, trimmed.snapshotSize = nil, 0
			c.snapBytes -= other.snapshotSize
			c.entries[k] = &trimmed
		}
	}
	if c.snapBytes > c.maxSnaps && e.snapshot != nil {
		c.snapBytes -= e.snapshotSize
		e.snapshot, e.snapshotSize = nil, 0
	}
}

// drop removes one entry; c.mu is held.
func (c *Cache) drop(id paste.ID) {
	if e := c.entries[id]; e != nil {
		c.snapBytes -= e.snapshotSize
		delete(c.entries, id)
	}
}

// Forget drops what the cache holds of id.
func (c *Cache) Forget(id paste.ID) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.epoch.Add(1)
	c.drop(id)
	c.mu.Unlock()
	// The paste may be on any list, or belong on one now.
	c.lists.forget()
}

// ForgetAll empties the cache.
func (c *Cache) ForgetAll() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.epoch.Add(1)
	clear(c.entries)
	c.snapBytes = 0
	c.mu.Unlock()
	c.lists.forget()
}

// Listen keeps a connection to the database listening for changes until
// ctx ends, reconnecting with backoff. The cache answers only while it is
// connected. A connection that hears nothing for a while is pinged, so one
// lost without a word (a network partition) is noticed within
// listenPingEvery.
func (c *Cache) Listen(ctx context.Context, databaseURL string) {
	if c == nil || (c.max <= 0 && c.lists.max <= 0) {
		return
	}
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := c.listenOnce(ctx, databaseURL)
		c.live.Store(false)
		c.ForgetAll()
		if ctx.Err() != nil {
			return
		}
		c.log.Warn("read cache: not listening; reads go to the database", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// listenPingEvery bounds how long a silently lost listener goes unnoticed.
const listenPingEvery = 5 * time.Second

func (c *Cache) listenOnce(ctx context.Context, databaseURL string) error {
	cfg, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		return err
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 3 * time.Second
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return err
	}
	// Whatever changed while nobody listened is forgotten before the cache
	// answers again.
	c.ForgetAll()
	c.live.Store(true)
	c.log.Info("read cache: listening for changes")
	for {
		wctx, cancel := context.WithTimeout(ctx, listenPingEvery)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			switch n.Payload {
			case "*":
				c.ForgetAll()
			case listsPayload:
				c.lists.forget()
			default:
				c.Forget(paste.ID(n.Payload))
			}
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded):
			pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
			err = conn.Ping(pctx)
			cancel()
			if err != nil {
				return err
			}
		default:
			return err
		}
	}
}

// Live reports whether the cache is answering (its listener is connected).
func (c *Cache) Live() bool { return c != nil && c.live.Load() }

// Begin returns the epoch to pass to KeepSnapshot; call it before reading
// what a snapshot is made of.
func (c *Cache) Begin() uint64 { return c.begin() }

// Snapshot returns the page kept with KeepSnapshot for revision of id,
// nil if none. It is forgotten with everything else of the paste: whenever
// the paste, its comments or a user change.
func (c *Cache) Snapshot(id paste.ID, revision int32) *Snapshot {
	if c == nil || !c.live.Load() {
		return nil
	}
	if e := c.lookup(id); e != nil && e.snapshot != nil && e.snapshot.Revision == revision {
		c.snapHits.Add(1)
		return e.snapshot
	}
	c.snapMisses.Add(1)
	return nil
}

// KeepSnapshot keeps s with id's entry, unless something changed since
// epoch.
func (c *Cache) KeepSnapshot(epoch uint64, id paste.ID, s *Snapshot) {
	c.put(epoch, id, func(e *cacheEntry) { e.snapshot, e.snapshotSize = s, int64(s.Size()) })
}

// Snapshot is a paste's page as every anonymous visitor sees it but for
// secrets of each response's own (the CSP nonce, the CSRF token): the page
// cut where they go. Parts[i] is followed by the secret Holes[i] (the web
// decides what the bytes mean), the last part by nothing. A Snapshot is
// immutable once kept.
type Snapshot struct {
	Revision int32     // the paste's revision it shows
	Made     time.Time // when it was rendered (relative times age)
	Parts    [][]byte
	Holes    []byte
}

// Size returns the bytes the snapshot holds.
func (s *Snapshot) Size() int {
	n := len(s.Holes)
	for _, p := range s.Parts {
		n += len(p)
	}
	return n
}

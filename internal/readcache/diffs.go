package readcache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"sync/atomic"

	"golang.org/x/sync/singleflight"

	"pastel/internal/lru"
	"pastel/internal/paste"
)

// Diffs is a concurrency-safe LRU of diffs (paste.Diff) bounded by their
// total size in bytes. A diff is keyed by the files it compares (their
// names, syntaxes and blob keys, on each side, in order) and the mode:
// a blob key names one body for ever, so an entry never goes stale, and
// whether its pastes may be read is decided before the differ is asked.
// Entries larger than the whole cache are not kept.
type Diffs struct {
	cache        *lru.Cache[paste.Diff]
	group        singleflight.Group
	hits, misses atomic.Uint64
}

// NewDiffs returns an empty cache holding at most maxBytes; maxBytes <= 0
// keeps nothing (concurrent equal diffs are still computed once).
func NewDiffs(maxBytes int64) *Diffs {
	return &Diffs{cache: lru.New(maxBytes, diffSize)}
}

// diffSize approximates the bytes a diff holds: its text, its lines' HTML
// and a header per line.
func diffSize(key string, d paste.Diff) int64 {
	n := int64(len(key)+len(d.Text)) + entryOverhead
	for _, f := range d.Files {
		n += int64(len(f.OldName)+len(f.NewName)) + 128
		for _, h := range f.Hunks {
			n += int64(len(h.Header)) + 48
			for _, l := range h.Lines {
				n += int64(len(l.HTML)) + 40
			}
		}
	}
	return n
}

// Stats returns how many diffs were answered from memory and how many were
// computed.
func (c *Diffs) Stats() (hits, misses uint64) { return c.hits.Load(), c.misses.Load() }

// Differ returns d with its diffs kept in c.
func (c *Diffs) Differ(d paste.Differ) paste.Differ { return &differ{inner: d, c: c} }

type differ struct {
	inner paste.Differ
	c     *Diffs
}

func (d *differ) Diff(ctx context.Context, from, to []paste.DiffSource, mode paste.DiffMode, body func(context.Context, string) ([]byte, error)) (paste.Diff, error) {
	key := diffKey(from, to, mode)
	if got, ok := d.c.cache.Get(key); ok {
		d.c.hits.Add(1)
		return got, nil
	}
	d.c.misses.Add(1)
	v, err, _ := d.c.group.Do(key, func() (any, error) {
		if got, ok := d.c.cache.Get(key); ok {
			return got, nil
		}
		// The shared diff outlives any one caller's cancellation.
		got, err := d.inner.Diff(context.WithoutCancel(ctx), from, to, mode, body)
		if err != nil {
			return nil, err
		}
		d.c.cache.Add(key, got)
		return got, nil
	})
	if err != nil {
		return paste.Diff{}, err
	}
	return v.(paste.Diff), nil
}

// diffKey is a hash of what the diff compares: every field of every
// source, length-prefixed so no two lists share a key, and the mode.
func diffKey(from, to []paste.DiffSource, mode paste.DiffMode) string {
	h := sha256.New()
	field := func(s string) {
		h.Write(strconv.AppendInt(nil, int64(len(s)), 10))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	for _, side := range [][]paste.DiffSource{from, to} {
		field(strconv.Itoa(len(side)))
		for _, s := range side {
			field(s.Name)
			field(s.Syntax)
			field(s.BlobKey)
			field(strconv.FormatBool(s.Binary))
		}
	}
	prefix := "text:"
	if mode.HTML {
		prefix = "html:"
	}
	return prefix + hex.EncodeToString(h.Sum(nil))
}

package readcache_test

import (
	"context"
	"strings"
	"testing"

	"pastel/internal/readcache"
)

// TestBodiesStats: an Open answered from memory is a hit; one that goes to
// the store (first read, or the store is down) is a miss.
func TestBodiesStats(t *testing.T) {
	ctx := context.Background()
	o := &outage{Blobs: newLocal(t)}
	c := readcache.NewBodies(o, 1<<20)
	if err := c.Put(ctx, "k", strings.NewReader("body"), 4); err != nil {
		t.Fatal(err)
	}
	stats := func() [2]uint64 { h, m := c.Stats(); return [2]uint64{h, m} }
	for i, want := range [][2]uint64{{0, 1}, {1, 1}, {2, 1}} {
		if _, err := read(t, c, "k"); err != nil {
			t.Fatal(err)
		}
		if got := stats(); got != want {
			t.Fatalf("after read %d: hits, misses = %v, want %v", i+1, got, want)
		}
	}
	o.down.Store(true)
	c.Ping(ctx) //nolint:errcheck // marks the store down
	read(t, c, "k")
	if got := stats(); got != [2]uint64{2, 2} {
		t.Fatalf("read while down: hits, misses = %v, want [2 2]", got)
	}
}

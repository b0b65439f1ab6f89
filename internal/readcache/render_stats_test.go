package readcache

import (
	"testing"

	"pastel/internal/paste"
)

// TestCacheStats: Get counts a hit or a miss; GetOrRender, which callers
// use after a Get missed, counts nothing more.
func TestRendersStats(t *testing.T) {
	c := NewRenders(1 << 20)
	if _, ok := c.Get("a"); ok {
		t.Fatal("hit in an empty cache")
	}
	_, _ = c.GetOrRender("a", func() (paste.Rendered, error) { return rendered(10), nil })
	if _, ok := c.Get("a"); !ok {
		t.Fatal("miss after GetOrRender")
	}
	_, _ = c.GetOrRender("a", func() (paste.Rendered, error) { t.Fatal("rendered again"); return paste.Rendered{}, nil })
	if h, m := c.Stats(); h != 1 || m != 1 {
		t.Fatalf("hits, misses = %d, %d, want 1, 1", h, m)
	}
}

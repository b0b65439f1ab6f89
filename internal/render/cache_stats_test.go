package render

import "testing"

// TestCacheStats: Get counts a hit or a miss; GetOrRender, which callers
// use after a Get missed, counts nothing more.
func TestCacheStats(t *testing.T) {
	c := NewCache(1 << 20)
	if _, ok := c.Get("a"); ok {
		t.Fatal("hit in an empty cache")
	}
	c.GetOrRender("a", func() Rendered { return rendered(10) })
	if _, ok := c.Get("a"); !ok {
		t.Fatal("miss after GetOrRender")
	}
	c.GetOrRender("a", func() Rendered { t.Fatal("rendered again"); return Rendered{} })
	if h, m := c.Stats(); h != 1 || m != 1 {
		t.Fatalf("hits, misses = %d, %d, want 1, 1", h, m)
	}
}

package lru_test

import (
	"fmt"
	"testing"

	"pastel/internal/lru"
)

func size(key string, v string) int64 { return int64(len(key) + len(v)) }

func TestEvictsLeastRecentlyUsedWithinBound(t *testing.T) {
	c := lru.New(30, size) // three entries of 10
	for _, k := range []string{"a", "b", "c"} {
		c.Add(k, k+"________")
	}
	c.Get("a") // b is now the oldest
	c.Add("d", "d________")
	for k, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		if _, ok := c.Get(k); ok != want {
			t.Errorf("%s present = %v, want %v", k, ok, want)
		}
	}
	if c.Size() != 30 || c.Len() != 3 {
		t.Fatalf("size %d len %d", c.Size(), c.Len())
	}
	c.Add("a", "a") // replacing re-accounts
	if c.Size() != 22 {
		t.Fatalf("size after replace %d, want 22", c.Size())
	}
	c.Add("huge", fmt.Sprintf("%40s", "")) // larger than the bound: not kept, evicts nothing
	if _, ok := c.Get("huge"); ok || c.Len() != 3 {
		t.Fatalf("oversize entry: len %d", c.Len())
	}
	c.Remove("c")
	if _, ok := c.Get("c"); ok || c.Size() != 12 {
		t.Fatalf("after remove: size %d", c.Size())
	}
}

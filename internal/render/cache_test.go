package render

import (
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func rendered(n int) Rendered { return Rendered{HTML: strings.Repeat("x", n), Lines: 1} }

func TestCacheLRUByBytes(t *testing.T) {
	// Each entry: 1-byte key + 100 bytes HTML + overhead.
	per := entrySize("a", rendered(100))
	c := NewCache(3 * per)
	c.Add("a", rendered(100))
	c.Add("b", rendered(100))
	c.Add("c", rendered(100))
	if _, ok := c.Get("a"); !ok { // a becomes most recent; b is now oldest
		t.Fatal("a missing")
	}
	c.Add("d", rendered(100))
	var present []string
	for _, k := range []string{"a", "b", "c", "d"} {
		if _, ok := c.Get(k); ok {
			present = append(present, k)
		}
	}
	if diff := cmp.Diff([]string{"a", "c", "d"}, present); diff != "" {
		t.Errorf("present (-want +got):\n%s", diff)
	}
	if c.Size() > 3*per || c.Len() != 3 {
		t.Errorf("size %d len %d", c.Size(), c.Len())
	}

	// Replacing an entry re-accounts its size.
	c.Add("a", rendered(10))
	if got, _ := c.Get("a"); len(got.HTML) != 10 {
		t.Errorf("replaced entry has %d bytes", len(got.HTML))
	}
	// An entry bigger than the cache is not kept and evicts nothing.
	c.Add("huge", rendered(int(4*per)))
	if _, ok := c.Get("huge"); ok || c.Len() != 3 {
		t.Errorf("oversize entry kept or evicted others: len %d", c.Len())
	}
	c.Remove("a")
	c.Remove("nope")
	if _, ok := c.Get("a"); ok || c.Len() != 2 {
		t.Errorf("Remove did not remove")
	}
	var sum int64
	for _, k := range []string{"c", "d"} {
		r, _ := c.Get(k)
		sum += entrySize(k, r)
	}
	if c.Size() != sum {
		t.Errorf("accounted size %d, want %d", c.Size(), sum)
	}
}

func TestCacheGetOrRenderRendersOnce(t *testing.T) {
	c := NewCache(1 << 20)
	var calls atomic.Int32
	release := make(chan struct{})
	const n = 50
	var wg sync.WaitGroup
	results := make([]Rendered, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = c.GetOrRender("p1:1", func() Rendered {
				calls.Add(1)
				<-release
				return rendered(5)
			})
		}()
	}
	// Let the goroutines pile up on the single in-flight render.
	for c.Len() == 0 && calls.Load() == 0 {
		runtimeGosched()
	}
	close(release)
	wg.Wait()
	if got := calls.Load(); got != 1 {
		t.Errorf("fn ran %d times, want 1", got)
	}
	for i, r := range results {
		if r.HTML != "xxxxx" {
			t.Fatalf("result %d = %+v", i, r)
		}
	}
	// Now cached: fn is not called.
	c.GetOrRender("p1:1", func() Rendered { t.Error("fn called on a hit"); return Rendered{} })
}

func TestCacheConcurrentUse(t *testing.T) {
	c := NewCache(10_000)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				k := strconv.Itoa((g*7 + i) % 64)
				switch i % 4 {
				case 0:
					c.Add(k, rendered(i%300))
				case 1:
					c.Get(k)
				case 2:
					c.GetOrRender(k, func() Rendered { return rendered(50) })
				case 3:
					c.Remove(k)
				}
			}
		}()
	}
	wg.Wait()
	if c.Size() > 10_000 || c.Size() < 0 {
		t.Errorf("size %d out of bounds", c.Size())
	}
}

func runtimeGosched() { runtime.Gosched() }

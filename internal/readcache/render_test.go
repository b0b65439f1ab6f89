package readcache

import (
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
)

func rendered(n int) paste.Rendered { return paste.Rendered{HTML: strings.Repeat("x", n), Lines: 1} }

func TestRendersLRUByBytes(t *testing.T) {
	// Each entry: 1-byte key + 100 bytes HTML + overhead.
	per := entrySize("a", rendered(100))
	c := NewRenders(3 * per)
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

func TestRendersGetOrRenderRendersOnce(t *testing.T) {
	c := NewRenders(1 << 20)
	var calls atomic.Int32
	release := make(chan struct{})
	const n = 50
	var wg sync.WaitGroup
	results := make([]paste.Rendered, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = c.GetOrRender("p1:1", func() (paste.Rendered, error) {
				calls.Add(1)
				<-release
				return rendered(5), nil
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
	_, _ = c.GetOrRender("p1:1", func() (paste.Rendered, error) {
		t.Error("fn called on a hit")
		return paste.Rendered{}, nil
	})
}

func TestRendersConcurrentUse(t *testing.T) {
	c := NewRenders(10_000)
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
					_, _ = c.GetOrRender(k, func() (paste.Rendered, error) { return rendered(50), nil })
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

func BenchmarkRendersHit(b *testing.B) {
	c := NewRenders(64 << 20)
	c.Add("abcdefgh:1", rendered(40<<10))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_, _ = c.GetOrRender("abcdefgh:1", func() (paste.Rendered, error) { panic("miss") })
		}
	})
}

package readcache

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"pastel/internal/paste"
	"pastel/internal/render"
)

// countingDiffer counts the diffs it computes.
type countingDiffer struct {
	inner paste.Differ
	calls atomic.Int64
}

func (d *countingDiffer) Diff(ctx context.Context, from, to []paste.DiffSource, mode paste.DiffMode, body func(context.Context, string) ([]byte, error)) (paste.Diff, error) {
	d.calls.Add(1)
	return d.inner.Diff(ctx, from, to, mode, body)
}

func bodiesOf(m map[string]string) func(context.Context, string) ([]byte, error) {
	return func(_ context.Context, key string) ([]byte, error) {
		b, ok := m[key]
		if !ok {
			return nil, paste.ErrNotFound
		}
		return []byte(b), nil
	}
}

// TestDiffsKeyedByBodies: a diff is computed once for the same files and
// mode (concurrent askers share it), again for another mode, another body
// key, another name or another syntax.
func TestDiffsKeyedByBodies(t *testing.T) {
	inner := &countingDiffer{inner: render.NewDiffs(render.NewHighlighter(render.HighlightOptions{}))}
	c := NewDiffs(1 << 20)
	d := c.Differ(inner)
	body := bodiesOf(map[string]string{"k1": "a\nb\n", "k2": "a\nc\n", "k3": "a\nd\n"})
	from := []paste.DiffSource{{Name: "x.txt", Syntax: "text", BlobKey: "k1"}}
	to := []paste.DiffSource{{Name: "x.txt", Syntax: "text", BlobKey: "k2"}}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := d.Diff(context.Background(), from, to, paste.DiffMode{HTML: true}, body)
			if err != nil || !strings.Contains(got.Text, "+c\n") || len(got.Files) != 1 {
				t.Errorf("diff = %+v, %v", got, err)
			}
		}()
	}
	wg.Wait()
	if n := inner.calls.Load(); n != 1 {
		t.Errorf("8 equal diffs computed %d times, want 1", n)
	}
	if hits, misses := c.Stats(); hits+misses != 8 || misses < 1 {
		t.Errorf("stats: %d hits, %d misses", hits, misses)
	}
	variants := [][2][]paste.DiffSource{
		{from, {{Name: "x.txt", Syntax: "text", BlobKey: "k3"}}},
		{from, {{Name: "y.txt", Syntax: "text", BlobKey: "k2"}}},
		{from, {{Name: "x.txt", Syntax: "go", BlobKey: "k2"}}},
	}
	for i, v := range variants {
		if _, err := d.Diff(context.Background(), v[0], v[1], paste.DiffMode{HTML: true}, body); err != nil {
			t.Fatal(err)
		}
		if n := inner.calls.Load(); n != int64(2+i) {
			t.Errorf("variant %d: %d computations, want %d", i, n, 2+i)
		}
	}
	if _, err := d.Diff(context.Background(), from, to, paste.DiffMode{}, body); err != nil || inner.calls.Load() != 5 {
		t.Errorf("text mode shared the HTML entry: %d computations, %v", inner.calls.Load(), err)
	}
	// An error is not kept.
	missing := []paste.DiffSource{{Name: "x.txt", Syntax: "text", BlobKey: "gone"}}
	for range 2 {
		if _, err := d.Diff(context.Background(), from, missing, paste.DiffMode{}, body); err == nil {
			t.Fatal("a missing body gave a diff")
		}
	}
	if n := inner.calls.Load(); n != 7 {
		t.Errorf("failed diffs computed %d times in all, want 7 (errors not kept)", n)
	}
}

// BenchmarkDiff100KCached is a diff page's diff of two 100 KiB revisions
// once it is kept (compare render's BenchmarkDiff100KHTML, the cold one).
func BenchmarkDiff100KCached(b *testing.B) {
	var old, new strings.Builder
	for i := 0; old.Len() < 100<<10; i++ {
		l := fmt.Sprintf("\tx%d := compute(%d) // step %d\n", i, i*7, i)
		old.WriteString(l)
		if i%20 == 0 {
			l = strings.Replace(l, "compute", "recompute", 1)
		}
		new.WriteString(l)
	}
	body := bodiesOf(map[string]string{"a": old.String(), "b": new.String()})
	from := []paste.DiffSource{{Name: "main.go", Syntax: "go", BlobKey: "a"}}
	to := []paste.DiffSource{{Name: "main.go", Syntax: "go", BlobKey: "b"}}
	d := NewDiffs(64 << 20).Differ(render.NewDiffs(render.NewHighlighter(render.HighlightOptions{})))
	if _, err := d.Diff(context.Background(), from, to, paste.DiffMode{HTML: true}, body); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Diff(context.Background(), from, to, paste.DiffMode{HTML: true}, body); err != nil {
			b.Fatal(err)
		}
	}
}

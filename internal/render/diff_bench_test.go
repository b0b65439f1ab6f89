package render

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"pastel/internal/paste"
)

// revisions100K returns two revisions of a 100 KiB Go file, the second
// with about one line in twenty edited, inserted or deleted.
func revisions100K() (string, string) {
	rng := rand.New(rand.NewPCG(1, 2))
	var a, b strings.Builder
	for i := 0; a.Len() < 100<<10; i++ {
		l := fmt.Sprintf("\tx%d := compute(%d, \"value %d\") // step %d\n", i, rng.IntN(1000), i, i)
		if i%40 == 0 {
			l = fmt.Sprintf("}\n\nfunc f%d() {\n", i)
		}
		a.WriteString(l)
		switch rng.IntN(20) {
		case 0:
			b.WriteString(strings.Replace(l, "compute", "recompute", 1))
		case 1:
			b.WriteString(l)
			b.WriteString("\tlog.Println(\"inserted\")\n")
		case 2:
		default:
			b.WriteString(l)
		}
	}
	return a.String(), b.String()
}

func benchDiff(b *testing.B, mode paste.DiffMode) {
	old, new := revisions100K()
	from, body := diffSources(map[string]string{"main.go": old}, "main.go")
	to, _ := diffSources(map[string]string{"main.go": new}, "main.go")
	d := NewDiffs(NewHighlighter(HighlightOptions{}))
	b.SetBytes(int64(len(old) + len(new)))
	b.ReportAllocs()
	for b.Loop() {
		got, err := d.Diff(context.Background(), from, to, mode, body)
		if err != nil || got.Text == "" {
			b.Fatal("no diff", err)
		}
	}
}

// BenchmarkDiff100KText is a cold diff of two 100 KiB revisions for the
// API: the comparison and the unified text.
func BenchmarkDiff100KText(b *testing.B) { benchDiff(b, paste.DiffMode{}) }

// BenchmarkDiff100KHTML is the same diff cold for a page: hunks with every
// shown line highlighted (the lexer's cost dominates).
func BenchmarkDiff100KHTML(b *testing.B) { benchDiff(b, paste.DiffMode{HTML: true}) }

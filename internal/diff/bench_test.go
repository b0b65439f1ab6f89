package diff

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// revisions100K returns two revisions of a 100 KiB Go source file: the
// second has about one line in twenty edited, inserted or deleted.
func revisions100K() (old, new []byte) {
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
	return []byte(a.String()), []byte(b.String())
}

// BenchmarkDiff100K is the diff of two 100 KiB revisions: pairing, hunks
// and the unified text.
func BenchmarkDiff100K(b *testing.B) {
	old, new := revisions100K()
	b.SetBytes(int64(len(old) + len(new)))
	for b.Loop() {
		fd := Compute([]File{{Name: "main.go", Body: old}}, []File{{Name: "main.go", Body: new}}, Options{})
		if Unified(fd) == "" {
			b.Fatal("no diff")
		}
	}
}

// BenchmarkDiff100KUnrelated is the worst case: two 100 KiB bodies with no
// line in common.
func BenchmarkDiff100KUnrelated(b *testing.B) {
	old, _ := revisions100K()
	new := []byte(strings.ReplaceAll(string(old), "x", "y"))
	b.SetBytes(int64(len(old) + len(new)))
	for b.Loop() {
		fd := Compute([]File{{Name: "main.go", Body: old}}, []File{{Name: "main.go", Body: new}}, Options{})
		if Unified(fd) == "" {
			b.Fatal("no diff")
		}
	}
}

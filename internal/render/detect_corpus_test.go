package render

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// detectCorpus is a labelled corpus of snippets people paste, one directory
// per expected syntax key, files without an extension so that only the
// content speaks.
const detectCorpus = "testdata/detect"

// minDetectAccuracy is the share of the corpus Detect must get right
// without a file name. Measured: 0.964 (216/224); chroma's analysers
// alone, the detector before go-enry, got 0.085 (19/224).
const minDetectAccuracy = 0.95

type corpusSample struct {
	want, name string
	body       []byte
}

func loadCorpus(tb testing.TB) []corpusSample {
	tb.Helper()
	dirs, err := os.ReadDir(detectCorpus)
	if err != nil {
		tb.Fatal(err)
	}
	var out []corpusSample
	for _, d := range dirs {
		files, err := os.ReadDir(filepath.Join(detectCorpus, d.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(detectCorpus, d.Name(), f.Name()))
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, corpusSample{want: d.Name(), name: d.Name() + "/" + f.Name(), body: b})
		}
	}
	return out
}

// corpusAccuracy returns the share of samples detected right and the
// misses.
func corpusAccuracy(s *Syntaxes, corpus []corpusSample) (float64, []string) {
	var misses []string
	for _, c := range corpus {
		if got := s.Detect("", c.body); got != c.want {
			misses = append(misses, fmt.Sprintf("%s: got %s", c.name, got))
		}
	}
	return 1 - float64(len(misses))/float64(len(corpus)), misses
}

// TestDetectCorpusAccuracy checks content detection, without file names,
// over the labelled corpus: at least 200 snippets in 25 or more syntaxes.
func TestDetectCorpusAccuracy(t *testing.T) {
	s := NewSyntaxes()
	corpus := loadCorpus(t)
	langs := map[string]bool{}
	for _, c := range corpus {
		if _, ok := s.Canonical(c.want); !ok {
			t.Fatalf("corpus directory %q is not a syntax key", c.want)
		}
		langs[c.want] = true
	}
	if len(corpus) < 200 || len(langs) < 25 {
		t.Fatalf("corpus has %d samples in %d syntaxes; want >= 200 in >= 25", len(corpus), len(langs))
	}
	acc, misses := corpusAccuracy(s, corpus)
	sort.Strings(misses)
	t.Logf("accuracy %.3f (%d/%d samples, %d syntaxes); misses:\n%s", acc, len(corpus)-len(misses), len(corpus), len(langs), strings.Join(misses, "\n"))
	if acc < minDetectAccuracy {
		t.Errorf("accuracy %.3f < %.2f", acc, minDetectAccuracy)
	}
}

// BenchmarkDetectCorpus reports the time per detection over the corpus and
// the accuracy (as the "accuracy" metric).
func BenchmarkDetectCorpus(b *testing.B) {
	s := NewSyntaxes()
	corpus := loadCorpus(b)
	acc, _ := corpusAccuracy(s, corpus)
	b.ResetTimer()
	start := time.Now()
	n := 0
	for i := 0; i < b.N; i++ {
		c := corpus[i%len(corpus)]
		s.Detect("", c.body)
		n++
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/float64(n), "µs/detect")
	b.ReportMetric(acc, "accuracy")
}

package render

import (
	"math/rand/v2"
	"testing"

	"github.com/alecthomas/chroma/v2/lexers"
)

// TestMayMatchNeverHidesAMatch: for names without a dot, skipping chroma's
// match when mayMatch says no changes nothing: chroma finds no lexer
// either. Names tried: every dot-less glob taken literally, common file
// names, words and random strings.
func TestMayMatchNeverHidesAMatch(t *testing.T) {
	idx := sharedIndex()
	names := []string{"Makefile", "GNUmakefile", "Dockerfile", "Rakefile", "Gemfile", "Jenkinsfile",
		"PKGBUILD", "Vagrantfile", "notes", "my notes", "todo", "README", "LICENSE", "go", "main",
		"handler", "CMakeLists", "makefile", "BUILD", "WORKSPACE", "Caddyfile", "nginx", "bashrc"}
	names = append(names, idx.dotless...)
	r := rand.New(rand.NewPCG(1, 2))
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-0123456789"
	for range 2000 {
		b := make([]byte, 1+r.IntN(12))
		for i := range b {
			b[i] = letters[r.IntN(len(letters))]
		}
		names = append(names, string(b))
	}
	matched := 0
	for _, n := range names {
		if idx.mayMatch(n) {
			matched++
			continue
		}
		if l := lexers.Match(n); l != nil {
			t.Errorf("%q: mayMatch says no, chroma matches %s", n, l.Config().Name)
		}
	}
	if matched == 0 {
		t.Fatal("mayMatch never said yes: the dot-less globs were not collected")
	}
}

func BenchmarkDetectTitleWithoutExtension(b *testing.B) {
	s := NewSyntaxes()
	content := []byte("some notes about the deploy\nwith a second line\n")
	for b.Loop() {
		s.Detect("deploy notes for monday", content)
	}
}

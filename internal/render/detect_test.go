package render

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// TestDetectTrickyCases covers what newcomers paste first, without file
// names: none may come out as a language it is not.
func TestDetectTrickyCases(t *testing.T) {
	s := NewSyntaxes()
	tests := []struct {
		name, filename, content, want string
	}{
		{"markdown release notes", "", `# v1.4.0

## Highlights
- Faster start-up: the index is built lazily (#120)
- **Breaking:** the ` + "`--legacy`" + ` flag is gone

## Fixes
* Crash on empty input ([#118](https://example.com/issues/118))
`, "markdown"},
		{"git show", "", `commit 3f2a9c1d0b8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a
Author: Ann <ann@example.com>
Date:   Tue Jun 4 09:12:00 2024 +0200

    Handle empty bodies

diff --git a/handler.go b/handler.go
index 1111111..2222222 100644
--- a/handler.go
+++ b/handler.go
@@ -12,6 +12,9 @@ func handle(w http.ResponseWriter, r *http.Request) {
 	body, err := io.ReadAll(r.Body)
+	if len(body) == 0 {
+		return
+	}
`, "diff"},
		{"go without a file name", "", "func add(a, b int) int {\n\treturn a + b\n}\n\nfunc main() {\n\tfmt.Println(add(1, 2))\n}\n", "go"},
		{"json", "", `{"users": [{"id": 1, "name": "Ann"}, {"id": 2, "name": "Bob"}], "total": 2}`, "json"},
		{"yaml", "", "name: build\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n", "yaml"},
		{"shell script with shebang", "", "#!/bin/sh\nset -e\ncd \"$(dirname \"$0\")\"\nexec ./server \"$@\"\n", "bash"},
		{"plain English prose", "", "I tried the new version this morning and it works much better than before.\nThe only thing I noticed is that the settings page takes a while to open,\nbut otherwise everything looks fine to me. Thanks for the quick fix!\n", "text"},
		{"a log file", "", "2024-06-04T09:00:01Z INFO  server listening on :8080\n2024-06-04T09:00:05Z WARN  slow query (1203 ms): SELECT * FROM pastes\n2024-06-04T09:01:17Z ERROR upstream timeout: GET /api/v1/pastes\n", "text"},
		{"one short line", "", "hello world\n", "text"},
		{"a single word", "", "TODO", "text"},
		{"python", "", "def greet(name):\n    return f\"hi {name}\"\n\nprint(greet(\"you\"))\n", "python"},
		{"rust", "", "fn main() {\n    let mut v = Vec::new();\n    v.push(1);\n    println!(\"{:?}\", v);\n}\n", "rust"},
		{"html", "", "<!doctype html>\n<html><body><p>Hi</p></body></html>\n", "html"},
		{"sql", "", "SELECT id, title FROM pastes WHERE visibility = 'public' ORDER BY created_at DESC LIMIT 10;\n", "sql"},
		{"vim modeline", "", "x = 1\ny = 2\n# vim: set ft=ruby:\n", "ruby"},
		// A file name decides, always: the content is not consulted.
		{"file name wins", "notes.md", "package main\n\nfunc main() {}\n", "markdown"},
		{"Dockerfile by name", "Dockerfile", "FROM alpine\n", "docker"},
		{"ambiguous extension uses content", "x.h", "#include <vector>\nclass A { std::vector<int> v; };\n", "cpp"},
		{"a version is not an extension", "Release 2.1", "Thanks to everyone who helped with this release.\n", "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Detect(tt.filename, []byte(tt.content)); got != tt.want {
				t.Errorf("Detect(%q, …) = %q, want %q", tt.filename, got, tt.want)
			}
		})
	}
}

// TestDetectBoundedOnTenMiB checks detection reads a bounded prefix: a
// 10 MiB body costs about what its first 8 KiB cost (compared with each
// other, so that a loaded machine does not fail the test), and stays well
// under a page's time budget.
func TestDetectBoundedOnTenMiB(t *testing.T) {
	s := NewSyntaxes()
	src, err := os.ReadFile("testdata/detect/go/02")
	if err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat(src, 10<<20/len(src)+1)[:10<<20]
	small := big[:classifyPrefix]
	fastest := func(b []byte) time.Duration {
		var best time.Duration
		for range 5 {
			start := time.Now()
			if got := s.Detect("", b); got != "go" {
				t.Fatalf("Detect = %q, want go", got)
			}
			if d := time.Since(start); best == 0 || d < best {
				best = d
			}
		}
		return best
	}
	dSmall, dBig := fastest(small), fastest(big)
	t.Logf("Detect: 10 MiB of Go %v, its first 8 KiB %v", dBig, dSmall)
	if dBig > 3*dSmall+5*time.Millisecond || dBig > time.Second {
		t.Errorf("Detect on 10 MiB took %v, on 8 KiB %v: not bounded by the prefix", dBig, dSmall)
	}
}

// BenchmarkDetectTenMiB measures one detection of a 10 MiB body.
func BenchmarkDetectTenMiB(b *testing.B) {
	s := NewSyntaxes()
	big := []byte(strings.Repeat("if (x) { y = z[1]; } // comment <tag> \"str\"\n", 10<<20/44))
	b.ResetTimer()
	for range b.N {
		s.Detect("", big)
	}
}

func TestExtension(t *testing.T) {
	s := NewSyntaxes()
	for key, want := range map[string]string{"python": "py", "text": "txt", "go": "go", "markdown": "md", "bash": "sh", "cpp": "cpp", "rust": "rs", "nope": "txt", "": "txt"} {
		if got := s.Extension(key); got != want {
			t.Errorf("Extension(%q) = %q, want %q", key, got, want)
		}
	}
	if got, ok := s.Canonical("Plain text"); !ok || got != PlainText {
		t.Errorf(`Canonical("Plain text") = %q, %v`, got, ok)
	}
}

package render

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
)

var _ paste.Syntaxes = (*Syntaxes)(nil)

func TestCanonical(t *testing.T) {
	s := NewSyntaxes()
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"Go", "go", true},
		{"golang", "go", true},
		{" go ", "go", true},
		{"py", "python", true},
		{"python3", "python", true},
		{"Python", "python", true},
		{"JS", "javascript", true},
		{"javascript", "javascript", true},
		{"c++", "cpp", true},
		{"C++", "cpp", true},
		{"cpp", "cpp", true},
		{"C#", "csharp", true},
		{"text", "text", true},
		{"plain", "text", true},
		{"plaintext", "text", true},
		{"TEXT", "text", true},
		{"markdown", "markdown", true},
		{"md", "markdown", true},
		{"yml", "yaml", true},
		{"rs", "rust", true},
		{"bash", "bash", true},
		{"sh", "bash", true},
		{"", "", false},
		{"auto", "", false},
		{"no-such-language", "", false},
		{strings.Repeat("a", 1000), "", false},
	}
	for _, tt := range tests {
		got, ok := s.Canonical(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Canonical(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestListKeysRoundTripAndAreURLSafe(t *testing.T) {
	s := NewSyntaxes()
	list := s.List()
	if len(list) < 100 {
		t.Fatalf("List has %d syntaxes, want the chroma registry", len(list))
	}
	seen := map[string]bool{}
	for _, x := range list {
		if seen[x.Key] {
			t.Errorf("duplicate key %q", x.Key)
		}
		seen[x.Key] = true
		if !urlSafe(x.Key) {
			t.Errorf("key %q is not lowercase URL-safe", x.Key)
		}
		if got, ok := s.Canonical(x.Key); !ok || got != x.Key {
			t.Errorf("Canonical(%q) = %q, %v; want it to round-trip", x.Key, got, ok)
		}
		if x.Label == "" || s.Label(x.Key) != x.Label {
			t.Errorf("Label(%q) = %q, want %q", x.Key, s.Label(x.Key), x.Label)
		}
	}
	if !seen["text"] {
		t.Error(`List lacks "text"`)
	}
	if !sort.SliceIsSorted(list, func(i, j int) bool {
		return strings.ToLower(list[i].Label) < strings.ToLower(list[j].Label)
	}) {
		t.Error("List is not sorted by label")
	}
	labels := map[string]string{}
	for _, k := range []string{"go", "cpp", "text", "markdown", "javascript"} {
		labels[k] = s.Label(k)
	}
	want := map[string]string{"go": "Go", "cpp": "C++", "text": "Plain text", "markdown": "Markdown", "javascript": "JavaScript"}
	if diff := cmp.Diff(want, labels); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	if got := s.Label("nope"); got != "nope" {
		t.Errorf(`Label("nope") = %q`, got)
	}
}

func TestDetect(t *testing.T) {
	s := NewSyntaxes()
	tests := []struct {
		name     string
		filename string
		content  string
		want     string
	}{
		{"go file", "main.go", "", "go"},
		{"path with dirs", "cmd/web/main.go", "x", "go"},
		{"windows path", `C:\src\x.cpp`, "", "cpp"},
		{"makefile", "Makefile", "", "makefile"},
		{"markdown file", "README.md", "", "markdown"},
		{"txt file", "notes.txt", "package main", "text"},
		{"filename wins over content", "x.py", "package main\n\nimport \"fmt\"\n", "python"},
		{"go content", "", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(1)\n}\n", "go"},
		{"bash shebang", "", "#!/bin/bash\necho hi\n", "bash"},
		{"env python3 shebang", "", "#!/usr/bin/env python3\nprint(1)\n", "python"},
		{"unknown extension falls to content", "x.zzzz", "#!/bin/sh\necho\n", "bash"},
		{"prose", "", "Hello, this is just some text.\nNothing to see.\n", "text"},
		{"empty", "", "", "text"},
		{"binary", "", "\x00\x01\x02ELF", "text"},
		{"dot filename", ".", "", "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Detect(tt.filename, []byte(tt.content)); got != tt.want {
				t.Errorf("Detect(%q, …) = %q, want %q", tt.filename, got, tt.want)
			}
		})
	}
}

func TestDetectIsCheapOnHugeInput(t *testing.T) {
	s := NewSyntaxes()
	big := []byte(strings.Repeat("lorem ipsum (dolor) {sit} <amet> 'x' \"y\" # ; \n", 10<<20/48))
	// Its cost is checked against the prefix's (TestDetectBoundedOnTenMiB)
	// and measured in BenchmarkDetectTenMiB, not against a wall clock.
	got := s.Detect("", big)
	if _, ok := s.Canonical(got); !ok {
		t.Errorf("Detect returned unknown key %q", got)
	}
}

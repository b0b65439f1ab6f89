package render

import (
	"bytes"
	"testing"
)

const goSample = `package main

import (
	"fmt"
	"strings"
)

// Greeter says hello.
type Greeter struct {
	Name  string
	Times int
}

func (g Greeter) Greet() string {
	var b strings.Builder
	for i := 0; i < g.Times; i++ {
		fmt.Fprintf(&b, "hello, %s! (%d)\n", g.Name, i)
	}
	return b.String()
}

`

func goCode(n int) []byte {
	b := bytes.Repeat([]byte(goSample), n/len(goSample)+1)
	return b[:n]
}

func benchHighlight(b *testing.B, n int) {
	h := NewHighlighter(HighlightOptions{})
	src := goCode(n)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		if r := h.Render(src, "go"); !r.Highlighted {
			b.Fatal("not highlighted")
		}
	}
}

func BenchmarkHighlightGo4KiB(b *testing.B)   { benchHighlight(b, 4<<10) }
func BenchmarkHighlightGo100KiB(b *testing.B) { benchHighlight(b, 100<<10) }

func BenchmarkPlain2MiB(b *testing.B) {
	h := NewHighlighter(HighlightOptions{})
	src := goCode(2 << 20)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		h.Render(src, "go")
	}
}

func BenchmarkMarkdown4KiB(b *testing.B) {
	unit := "## Section\n\nSome *emphasis*, **strong**, `code` and a [link](https://example.com).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n```go\nfunc main() {}\n```\n\n"
	src := bytes.Repeat([]byte(unit), 4<<10/len(unit)+1)[:4<<10]
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		Markdown(src)
	}
}

func BenchmarkDetect(b *testing.B) {
	s := NewSyntaxes()
	src := goCode(16 << 10)
	for b.Loop() {
		s.Detect("", src)
	}
}

package render

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"pastel/internal/paste"
)

// TestDiffPasteLines: a paste whose syntax is diff shows its added, removed,
// hunk and file header lines with their own classes (the whole line
// coloured), and a "-" or "+" outside a hunk is not taken for a change.
func TestDiffPasteLines(t *testing.T) {
	src := "diff --git a/x.go b/x.go\nindex 1..2 100644\n--- a/x.go\n+++ b/x.go\n@@ -1,3 +1,3 @@\n package x\n-var a = 1\n+var a = 2\n \\ No newline at end of file\n"
	r := NewHighlighter(HighlightOptions{}).Render([]byte(src), "diff")
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(r.HTML))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"line d-meta", "line d-meta", "line d-file", "line d-file", "line d-hunk", "line", "line d-del", "line d-add", "line"}
	var got []string
	doc.Find(".line").Each(func(_ int, s *goquery.Selection) {
		cls, _ := s.Attr("class")
		got = append(got, cls)
	})
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("line classes = %q, want %q", got, want)
	}
	if !strings.Contains(CSS(), ".chroma .line.d-add") || !strings.Contains(CSS(), `:root[data-theme="dark"] .chroma .line.d-del`) {
		t.Error("CSS does not colour diff lines in both schemes")
	}
	// Other syntaxes get no line classes.
	plain := NewHighlighter(HighlightOptions{}).Render([]byte("+x\n-y\n"), "text")
	if strings.Contains(plain.HTML, "d-add") || strings.Contains(plain.HTML, "d-del") {
		t.Errorf("text paste got diff classes: %s", plain.HTML)
	}
}

func diffSources(files map[string]string, names ...string) ([]paste.DiffSource, func(context.Context, string) ([]byte, error)) {
	var out []paste.DiffSource
	for _, n := range names {
		syntax := "text"
		if strings.HasSuffix(n, ".go") {
			syntax = "go"
		}
		out = append(out, paste.DiffSource{Name: n, Syntax: syntax, BlobKey: "k/" + n + "/" + files[n]})
	}
	return out, func(_ context.Context, key string) ([]byte, error) {
		parts := strings.SplitN(key, "/", 3)
		return []byte(parts[2]), nil
	}
}

func TestDiffsHTML(t *testing.T) {
	oldGo := "package main\n\n// Say <hello>.\nfunc main() {\n\tprintln(\"a & b\")\n}\n"
	newGo := strings.Replace(oldGo, `"a & b"`, `"a & <b>"`, 1)
	from, body := diffSources(map[string]string{"main.go": oldGo, "notes.txt": "x\n"}, "main.go", "notes.txt")
	to, _ := diffSources(map[string]string{"main.go": newGo, "todo.txt": "y\n"}, "main.go", "todo.txt")
	d, err := NewDiffs(NewHighlighter(HighlightOptions{})).Diff(context.Background(), from, to, paste.DiffMode{HTML: true}, body)
	if err != nil {
		t.Fatal(err)
	}
	if d.Added != 2 || d.Deleted != 2 || len(d.Files) != 3 {
		t.Fatalf("diff = +%d -%d in %d files, want +2 -2 in 3", d.Added, d.Deleted, len(d.Files))
	}
	if !strings.Contains(d.Text, "-\tprintln(\"a & b\")\n+\tprintln(\"a & <b>\")\n") {
		t.Errorf("unified text lacks the change:\n%s", d.Text)
	}
	f := d.Files[0]
	if f.Status != paste.FileModified || f.Name() != "main.go" || len(f.Hunks) != 1 {
		t.Fatalf("first file = %+v", f)
	}
	h := f.Hunks[0]
	if h.Header != "@@ -2,5 +2,5 @@" {
		t.Errorf("header = %q", h.Header)
	}
	var del, add, comment paste.DiffLine
	for _, l := range h.Lines {
		switch {
		case l.Op == paste.LineDeleted:
			del = l
		case l.Op == paste.LineAdded:
			add = l
		case l.Old == 3:
			comment = l
		}
	}
	if del.Old != 5 || del.New != 0 || add.New != 5 || add.Old != 0 || comment.New != 3 {
		t.Errorf("line numbers: del %+v add %+v comment %+v", del, add, comment)
	}
	// Highlighted as Go, everything escaped.
	if !strings.Contains(add.HTML, `<span class="s">&#34;a &amp; &lt;b&gt;&#34;</span>`) {
		t.Errorf("added line HTML = %s", add.HTML)
	}
	if !strings.Contains(comment.HTML, `<span class="c1">// Say &lt;hello&gt;.</span>`) {
		t.Errorf("comment line HTML = %s", comment.HTML)
	}
	if got := d.Files[1].Status + ":" + d.Files[1].Name() + " " + d.Files[2].Status + ":" + d.Files[2].Name(); got != "added:todo.txt deleted:notes.txt" {
		t.Errorf("other files = %s", got)
	}
	// Side by side: the deletion and the addition share a row.
	rows := h.Rows()
	paired := 0
	for _, r := range rows {
		if r.Left != nil && r.Right != nil && r.Left.Op == paste.LineDeleted && r.Right.Op == paste.LineAdded {
			paired++
		}
	}
	if len(rows) != 5 || paired != 1 {
		t.Errorf("rows = %d (want 5), paired = %d (want 1)", len(rows), paired)
	}
	// Text only: no page sections.
	d2, err := NewDiffs(NewHighlighter(HighlightOptions{})).Diff(context.Background(), from, to, paste.DiffMode{}, body)
	if err != nil || d2.Files != nil || d2.Text != d.Text {
		t.Errorf("text mode: files %v err %v, same text %v", d2.Files, err, d2.Text == d.Text)
	}
}

// TestDiffsBounded: a diff longer than MaxDiffLines shows its first hunks
// and says it was cut; the text has it all.
func TestDiffsBounded(t *testing.T) {
	var a, b strings.Builder
	for i := range MaxDiffLines {
		fmt.Fprintf(&a, "line %d\n", i)
		fmt.Fprintf(&b, "line %d changed\n", i)
	}
	from, body := diffSources(map[string]string{"big.txt": a.String()}, "big.txt")
	to, _ := diffSources(map[string]string{"big.txt": b.String()}, "big.txt")
	d, err := NewDiffs(NewHighlighter(HighlightOptions{})).Diff(context.Background(), from, to, paste.DiffMode{HTML: true}, body)
	if err != nil {
		t.Fatal(err)
	}
	shown := 0
	for _, h := range d.Files[0].Hunks {
		shown += len(h.Lines)
	}
	if !d.Files[0].Truncated || shown > MaxDiffLines {
		t.Errorf("truncated %v, %d lines shown (max %d)", d.Files[0].Truncated, shown, MaxDiffLines)
	}
	if d.Added != MaxDiffLines || d.Deleted != MaxDiffLines || strings.Count(d.Text, "\n+line") != MaxDiffLines {
		t.Errorf("counts +%d -%d, text has %d added lines", d.Added, d.Deleted, strings.Count(d.Text, "\n+line"))
	}
}

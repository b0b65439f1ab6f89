package render

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func mdDoc(t *testing.T, in string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(Markdown([]byte(in))))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestMarkdownFencedCodeIsHighlighted: a fence naming a known language gets
// chroma's token classes under .chroma (styled by chroma.css); the text
// stays escaped; an unknown or hostile info string is plain.
func TestMarkdownFencedCodeIsHighlighted(t *testing.T) {
	doc := mdDoc(t, "```go\nfunc main() { s := \"<b>x</b>\" }\n```\n")
	if doc.Find(`pre.chroma code.language-go span.kd`).Length() != 1 || doc.Find(`pre.chroma span.nf`).Text() != "main" {
		t.Fatalf("fenced Go not highlighted: %s", Markdown([]byte("```go\nfunc main() {}\n```\n")))
	}
	if doc.Find("b").Length() != 0 || !strings.Contains(doc.Find("pre").Text(), `"<b>x</b>"`) {
		t.Fatal("code text interpreted as HTML or altered")
	}
	for _, in := range []string{"```nosuchlang\n<i>x</i>\n```\n", "```\"><script>alert(1)</script>\nx\n```\n", "```\nplain\n```\n"} {
		d := mdDoc(t, in)
		if d.Find("pre span[class]").Length() != 0 || d.Find("script, i").Length() != 0 {
			t.Errorf("%q: want plain escaped code, got %s", in, Markdown([]byte(in)))
		}
	}
}

// TestMarkdownFencedCodeBudget: past the per-document budget, fences are
// shown plain rather than tokenised.
func TestMarkdownFencedCodeBudget(t *testing.T) {
	block := "```go\n" + strings.Repeat("x := 1\n", (maxFenceBytes-64)/7) + "```\n\n"
	doc := mdDoc(t, strings.Repeat(block, maxFencesPerDoc/maxFenceBytes+2))
	pres := doc.Find("pre")
	if pres.Length() != maxFencesPerDoc/maxFenceBytes+2 {
		t.Fatalf("%d blocks rendered", pres.Length())
	}
	if pres.First().Find("span").Length() == 0 || pres.Last().Find("span").Length() != 0 {
		t.Fatal("want the first blocks highlighted and the ones past the budget plain")
	}
}

func TestMarkdownFootnotes(t *testing.T) {
	doc := mdDoc(t, "Claim[^1].\n\n[^1]: The source.\n")
	ref := doc.Find(`sup[id="md-fnref:1"] a.footnote-ref[href="#md-fn:1"]`)
	note := doc.Find(`div.footnotes li[id="md-fn:1"]`)
	if ref.Length() != 1 || note.Length() != 1 || !strings.Contains(note.Text(), "The source.") {
		t.Fatalf("footnote not linked both ways: %s", Markdown([]byte("Claim[^1].\n\n[^1]: The source.\n")))
	}
	if note.Find(`a.footnote-backref[href="#md-fnref:1"]`).Length() != 1 {
		t.Fatal("no link back to the reference")
	}
	// Only footnote IDs pass: a heading or attribute cannot plant others.
	if mdDoc(t, "# Title {#main}\n\n[x](#main)\n").Find("[id]").Length() != 0 {
		t.Fatal("an id other than a footnote's passed the sanitiser")
	}
}

func TestMarkdownTableAlignment(t *testing.T) {
	doc := mdDoc(t, "| l | c | r |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n")
	for sel, want := range map[string]int{`th[align="left"]`: 1, `th[align="center"]`: 1, `th[align="right"]`: 1, `td[align="right"]`: 1} {
		if got := doc.Find(sel).Length(); got != want {
			t.Errorf("%s: %d, want %d", sel, got, want)
		}
	}
}

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
)

// ciLog is a coloured CI log with a progress line, warnings and an error.
const ciLog = "\x1b[1m==> building\x1b[0m\n" +
	"Downloading  10%\rDownloading 100%\rDownloaded\n" +
	"\x1b[33mwarn\x1b[0m: deprecated flag\n" +
	"compiled 12 packages\n" +
	"\x1b[31mERROR\x1b[0m: test <script>alert(1)</script> failed\n" +
	"\x1b[33mWARN\x1b[0m: retrying\n"

func shownLines(doc *goquery.Document) []string {
	var out []string
	doc.Find(`[data-testid="code"] .line`).Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.AttrOr("id", "")+" "+strings.TrimSuffix(s.Find(".cl").Text(), "\n"))
	})
	return out
}

// TestLogPageColoursFilterAndFirstError: an ANSI log is detected as such,
// shows its colours as classes with the progress line collapsed, links to
// its first error, and ?grep= shows only matching lines with their own
// numbers and the count, from a form that works without scripts.
func TestLogPageColoursFilterAndFirstError(t *testing.T) {
	e := newEnv(t)
	p := e.create(paste.CreateInput{Title: "ci", Content: []byte(ciLog), Visibility: paste.Public})
	if p.Syntax != "ansi" {
		t.Fatalf("detected as %q, want ansi", p.Syntax)
	}
	resp, body := e.get("/" + string(p.ID))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET = %d", resp.StatusCode)
	}
	doc := parse(t, body)
	if got := doc.Find("#L2 .cl").Text(); got != "Downloaded\n" {
		t.Fatalf("progress line = %q", got)
	}
	if doc.Find("#L5 .term-fg31").Text() != "ERROR" || doc.Find("#L1 .term-fg1").Length() != 1 {
		t.Fatalf("colours: %s", doc.Find(`[data-testid="code"]`).Text())
	}
	if doc.Find("[data-testid=code] [style], [data-testid=code] script").Length() > 0 {
		t.Fatal("style attribute or script in the log")
	}
	if href := doc.Find(`[data-testid="first-error"]`).AttrOr("href", ""); href != "#L5" {
		t.Fatalf("first error link %q", href)
	}
	form := doc.Find(`form[data-testid="line-filter"]`)
	if form.AttrOr("method", "") != "get" || form.AttrOr("action", "") != "/"+string(p.ID) || form.Find(`input[name="grep"]`).Length() != 1 {
		t.Fatalf("filter form: %v", form.Nodes)
	}

	resp, body = e.get("/" + string(p.ID) + "?grep=" + url.QueryEscape("WARN"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET ?grep = %d", resp.StatusCode)
	}
	doc = parse(t, body)
	if diff := cmp.Diff([]string{"L3 warn: deprecated flag", "L6 WARN: retrying"}, shownLines(doc)); diff != "" {
		t.Fatalf("filtered lines (-want +got):\n%s", diff)
	}
	if doc.Find(`a.ln[href="#L6"]`).Length() != 1 {
		t.Fatal("line 6 lost its anchor")
	}
	if got := strings.Join(strings.Fields(doc.Find(`[data-testid="grep-count"]`).Text()), " "); got != "2 of 6 lines" {
		t.Fatalf("count %q", got)
	}
	if doc.Find(`input[name="grep"]`).AttrOr("value", "") != "WARN" || doc.Find(`[data-testid="grep-clear"]`).AttrOr("href", "") != "/"+string(p.ID) {
		t.Fatal("the form does not keep the filter or offer to clear it")
	}
	if href := doc.Find(`[data-testid="first-error"]`).AttrOr("href", ""); href != "/"+string(p.ID)+"#L5" {
		t.Fatalf("first error from a filtered page: %q", href)
	}

	_, body = e.get("/" + string(p.ID) + "?grep=nothing-like-this")
	doc = parse(t, body)
	if len(shownLines(doc)) != 0 || !strings.Contains(doc.Find(`[data-testid="grep-count"]`).Text(), "0 of 6") {
		t.Fatalf("no match: %v", shownLines(doc))
	}
	long := e.create(paste.CreateInput{Title: "long", Content: []byte(strings.Repeat("\x1b[32mok\x1b[0m\n", 5100) + "\x1b[31mfatal: out of memory\x1b[0m\n"), Visibility: paste.Public})
	_, body = e.get("/" + string(long.ID))
	if href := parse(t, body).Find(`[data-testid="first-error"]`).AttrOr("href", ""); href != "/"+string(long.ID)+"?full=1#L5101" {
		t.Fatalf("first error past the lines shown: %q", href)
	}
	resp, _ = e.get("/" + string(p.ID) + "?grep=" + strings.Repeat("x", 201))
	if resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a 201-byte filter = %d", resp.StatusCode)
	}
}

// TestTreeViewJSONAndYAML: ?view=tree shows JSON and YAML as folding
// <details> with a path per node; hostile keys and values stay text; a
// one-line JSON body's normal view is indented, its source view as typed.
func TestTreeViewJSONAndYAML(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		syntax, body string
	}{
		{"json", `{"items":[{"name":"<img src=x onerror=alert(1)>"},{"name":"b"}],"ok":true}`},
		{"yaml", "items:\n  - name: <img src=x onerror=alert(1)>\n  - name: b\nok: true\n"},
	}
	for _, tc := range tests {
		t.Run(tc.syntax, func(t *testing.T) {
			p := e.create(paste.CreateInput{Title: "data", Syntax: tc.syntax, Content: []byte(tc.body), Visibility: paste.Public})
			resp, body := e.get("/" + string(p.ID) + "?view=tree")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET = %d", resp.StatusCode)
			}
			doc := parse(t, body)
			tree := doc.Find(`[data-testid="tree"]`)
			if tree.Length() != 1 || tree.Find("details").Length() != 4 {
				t.Fatalf("tree: %d trees, %d details", tree.Length(), tree.Find("details").Length())
			}
			if tree.Find("img").Length() > 0 || !strings.Contains(tree.Text(), `"<img src=x onerror=alert(1)>"`) {
				t.Fatal("hostile value not shown as text")
			}
			if tree.Find(`[data-copy-path=".items[1].name"]`).Length() != 1 {
				t.Fatal("no copy button for .items[1].name")
			}
			if doc.Find(`[data-testid="view-tree"]`).AttrOr("aria-current", "") != "page" {
				t.Fatal("the Tree view is not marked current")
			}
			if doc.Find(`[data-testid="code"]`).Length() != 0 {
				t.Fatal("code shown beside the tree")
			}
		})
	}
	p := e.create(paste.CreateInput{Title: "min", Syntax: "json", Content: []byte(`{"a":{"b":[1,2]}}`), Visibility: paste.Public})
	_, body := e.get("/" + string(p.ID))
	doc := parse(t, body)
	if n := doc.Find(`[data-testid="code"] .line`).Length(); n != 8 {
		t.Fatalf("minified JSON shows %d lines, want 8 (indented)", n)
	}
	if doc.Find(`[data-testid="view-as-typed"]`).AttrOr("href", "") != "/"+string(p.ID)+"?view=source" {
		t.Fatal("no link to the body as typed")
	}
	_, body = e.get("/" + string(p.ID) + "?view=source")
	if n := parse(t, body).Find(`[data-testid="code"] .line`).Length(); n != 1 {
		t.Fatalf("as typed shows %d lines", n)
	}
	_, raw := e.get("/raw/" + string(p.ID))
	if string(raw) != `{"a":{"b":[1,2]}}` {
		t.Fatalf("raw changed: %q", raw)
	}
	bad := e.create(paste.CreateInput{Title: "bad", Syntax: "json", Content: []byte("{\"a\":\n"), Visibility: paste.Public})
	_, body = e.get("/" + string(bad.ID) + "?view=tree")
	doc = parse(t, body)
	if doc.Find(`[data-testid="reading-note"]`).Length() != 1 || doc.Find(`[data-testid="code"]`).Length() != 1 {
		t.Fatal("broken JSON: want its source and a note")
	}
}

// TestCSVTable: CSV and TSV pastes show as a table with a header by
// default, with a switch to their source; cells are text.
func TestCSVTable(t *testing.T) {
	e := newEnv(t)
	p := e.create(paste.CreateInput{Title: "people", Syntax: "csv", Content: []byte("name,city\nann,\"<b>Oslo</b>\"\nbob,\"Rio, BR\"\n"), Visibility: paste.Public})
	_, body := e.get("/" + string(p.ID))
	doc := parse(t, body)
	table := doc.Find(`[data-testid="table-wrap"] table[data-testid="data-table"]`)
	if table.Length() != 1 {
		t.Fatal("no table")
	}
	var head []string
	table.Find("thead th").Each(func(_ int, s *goquery.Selection) { head = append(head, s.Text()) })
	if diff := cmp.Diff([]string{"#", "name", "city"}, head); diff != "" {
		t.Fatalf("header (-want +got):\n%s", diff)
	}
	if table.Find("b").Length() > 0 || table.Find("#R1 td").Eq(2).Text() != "<b>Oslo</b>" || table.Find("#R2 td").Eq(2).Text() != "Rio, BR" {
		t.Fatalf("cells: %s", table.Text())
	}
	if doc.Find(`[data-testid="view-table"]`).AttrOr("aria-current", "") != "page" {
		t.Fatal("Table not current")
	}
	_, body = e.get("/" + string(p.ID) + "?view=source")
	doc = parse(t, body)
	if doc.Find(`[data-testid="data-table"]`).Length() != 0 || doc.Find(`[data-testid="code"] .line`).Length() != 3 {
		t.Fatal("?view=source does not show the source")
	}
	tsv := e.create(paste.CreateInput{Title: "tabs", Syntax: "tsv", Content: []byte("a\tb\n1\t2\n"), Visibility: paste.Public})
	_, body = e.get("/" + string(tsv.ID))
	if parse(t, body).Find(`[data-testid="data-table"] #R1 td`).Eq(2).Text() != "2" {
		t.Fatal("TSV not a table")
	}
}

package web_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"pastel/internal/paste"
)

// TestListCardsShowLabelPreviewCounts: explore, profiles, stars and search
// show each paste's syntax by its label, its first lines as text, and the
// counts behind Popular; never the text of a private or burn paste.
func TestListCardsShowLabelPreviewCounts(t *testing.T) {
	e := newEnv(t)
	ann := e.register("ann")
	ctx := context.Background()
	body := "package main\n\n// <b>not bold</b> zebraword\nfunc main() {}\nline five\n"
	pub, err := e.svc.Create(ctx, viewerOf(ann), paste.CreateInput{Title: "prog", Syntax: "go", Content: []byte(body), Visibility: paste.Public})
	if err != nil {
		t.Fatal(err)
	}
	priv, _ := e.svc.Create(ctx, viewerOf(ann), paste.CreateInput{Title: "diary", Content: []byte("private zebraword words"), Visibility: paste.Private})
	burn, _ := e.svc.Create(ctx, viewerOf(ann), paste.CreateInput{Title: "once", Content: []byte("burn zebraword words"), Visibility: paste.Public, BurnAfterReading: true})
	e.mustAPI(ann, "PUT", "/api/v1/pastes/"+string(pub.Paste.ID)+"/star", "", 204)

	wantPreview := "package main\n\n// <b>not bold</b> zebraword"
	for _, page := range []struct {
		path string
		card string
	}{
		{"/explore", `[data-testid="paste-card"]`},
		{"/u/ann", `[data-testid="paste-card"]`},
		{"/stars", `[data-testid="paste-card"]`},
		{"/search?q=zebraword", `[data-testid="search-hit"]`},
	} {
		_, html := e.userGet(ann, page.path)
		doc := parse(t, html)
		var found bool
		doc.Find(page.card).Each(func(_ int, card *goquery.Selection) {
			title := card.Find(`[data-testid="paste-card-title"]`).Text()
			preview := card.Find(`[data-testid="card-preview"]`)
			switch title {
			case "prog":
				found = true
				if got := card.Find(`[data-testid="card-syntax"]`).Text(); got != "Go" {
					t.Errorf("%s: syntax %q, want the label Go", page.path, got)
				}
				if got := preview.Text(); got != wantPreview {
					t.Errorf("%s: preview %q, want %q", page.path, got, wantPreview)
				}
				if preview.Find("b").Length() != 0 {
					t.Errorf("%s: the preview became markup", page.path)
				}
				counts := card.Find(`[data-testid="card-counts"]`).Text()
				for _, want := range []string{"0 likes", "1 star", "0 views"} {
					if !strings.Contains(counts, want) {
						t.Errorf("%s: counts %q lack %q", page.path, counts, want)
					}
				}
			case "diary", "once":
				if preview.Length() != 0 {
					t.Errorf("%s: %s card shows its text %q", page.path, title, preview.Text())
				}
			}
		})
		if !found {
			t.Errorf("%s: no card for the public paste", page.path)
		}
		if s := string(html); strings.Contains(s, "private zebraword") || strings.Contains(s, "burn zebraword") {
			t.Errorf("%s shows the text of a private or burn paste", page.path)
		}
	}
	_, _ = priv, burn
}

// TestFeedsDiscoverable: pages with a feed announce it in <head> and link to
// it visibly; entries carry the paste's first lines.
func TestFeedsDiscoverable(t *testing.T) {
	e := newEnv(t)
	ann := e.register("ann")
	ctx := context.Background()
	if _, err := e.svc.Create(ctx, viewerOf(ann), paste.CreateInput{Title: "feedme", Content: []byte("first <line>\nsecond\nthird\nfourth"), Visibility: paste.Public}); err != nil {
		t.Fatal(err)
	}
	for path, feed := range map[string]string{"/explore": "/explore/feed.atom", "/u/ann": "/u/ann/feed.atom"} {
		_, html := e.get(path)
		doc := parse(t, html)
		if href, _ := doc.Find(`head link[rel="alternate"][type="application/atom+xml"]`).Attr("href"); href != feed {
			t.Errorf("%s: alternate link %q, want %q", path, href, feed)
		}
		if href, _ := doc.Find(`[data-testid="feed-link"]`).Attr("href"); href != feed {
			t.Errorf("%s: visible feed link %q, want %q", path, href, feed)
		}
		_, atom := e.get(feed)
		var f struct {
			Entries []struct {
				Summary string `xml:"summary"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(atom, &f); err != nil || len(f.Entries) != 1 {
			t.Fatalf("%s: %v %s", feed, err, atom)
		}
		if want := "first <line>\nsecond\nthird"; !strings.Contains(f.Entries[0].Summary, want) || strings.Contains(f.Entries[0].Summary, "fourth") {
			t.Errorf("%s: summary %q, want the first three lines", feed, f.Entries[0].Summary)
		}
	}
	if _, html := e.get("/login"); strings.Contains(string(html), "application/atom+xml") {
		t.Error("a page without a feed announces one")
	}
}

// TestRobots: crawlers stay off raw bodies, downloads and share links;
// unlisted pastes ask not to be indexed, public ones do not.
func TestRobots(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get("/robots.txt")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("robots.txt = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"User-agent: *", "Disallow: /raw/", "Disallow: /dl/", "Disallow: /s/"} {
		if !strings.Contains(string(body), want+"\n") {
			t.Errorf("robots.txt lacks %q:\n%s", want, body)
		}
	}
	ctx := context.Background()
	unl, _ := e.svc.Create(ctx, paste.Anonymous, paste.CreateInput{Content: []byte("u"), Visibility: paste.Unlisted})
	pub, _ := e.svc.Create(ctx, paste.Anonymous, paste.CreateInput{Content: []byte("p"), Visibility: paste.Public})
	for _, tc := range []struct {
		id      paste.ID
		noindex bool
	}{{unl.Paste.ID, true}, {pub.Paste.ID, false}} {
		resp, html := e.get("/" + string(tc.id))
		meta := parse(t, html).Find(`head meta[name="robots"][content="noindex"]`).Length() == 1
		header := resp.Header.Get("X-Robots-Tag") == "noindex"
		if meta != tc.noindex || header != tc.noindex {
			t.Errorf("paste %s: meta noindex %v, X-Robots-Tag noindex %v; want %v", tc.id, meta, header, tc.noindex)
		}
	}
}

// TestLongPasteShowsFirstLines: a 60,000-line paste's page holds its first
// 5,000 lines and links to all of them (?full=1), which holds every line;
// a paste of exactly 5,000 lines is not cut. The cut page must be a small
// fraction of the full one; both times are logged.
func TestLongPasteShowsFirstLines(t *testing.T) {
	e := newEnv(t, withMaxBytes(8<<20))
	ctx := context.Background()
	var b strings.Builder
	for i := 1; i <= 60000; i++ {
		fmt.Fprintf(&b, "x := f(%d)\n", i)
	}
	long, err := e.svc.Create(ctx, paste.Anonymous, paste.CreateInput{Syntax: "go", Content: []byte(b.String()), Visibility: paste.Public})
	if err != nil {
		t.Fatal(err)
	}
	id := string(long.Paste.ID)
	// Warm up: the Go lexer and the templates are built on first use.
	warm, _ := e.svc.Create(ctx, paste.Anonymous, paste.CreateInput{Syntax: "go", Content: []byte("x := f(1)\n"), Visibility: paste.Public})
	e.get("/" + string(warm.Paste.ID))

	start := time.Now()
	resp, cut := e.get("/" + id + "?x=1") // a query: no shared page snapshot
	cutTime := time.Since(start)
	if resp.StatusCode != 200 {
		t.Fatalf("cut page = %d", resp.StatusCode)
	}
	doc := parse(t, cut)
	if n := doc.Find(`pre.code .line`).Length(); n != 5000 {
		t.Errorf("cut page shows %d lines, want 5000", n)
	}
	if doc.Find("#L5000").Length() != 1 || doc.Find("#L5001").Length() != 0 {
		t.Error("the cut is not after line 5000")
	}
	full, _ := doc.Find(`[data-testid="show-all-link"]`).Attr("href")
	if full != "/"+id+"?full=1&x=1" {
		t.Errorf("show-all link %q", full)
	}
	if shown, _ := doc.Find(`[data-testid="cut-notice"]`).Attr("data-lines-shown"); shown != "5000" {
		t.Errorf("cut notice says %q lines shown", shown)
	}

	start = time.Now()
	resp, all := e.get("/" + id + "?full=1")
	fullTime := time.Since(start)
	if resp.StatusCode != 200 {
		t.Fatalf("full page = %d", resp.StatusCode)
	}
	doc = parse(t, all)
	if n := doc.Find(`pre.code .line`).Length(); n != 60000 {
		t.Errorf("full page shows %d lines, want 60000", n)
	}
	if doc.Find(`[data-testid="show-all-link"]`).Length() != 0 {
		t.Error("the full page still offers to show all")
	}
	t.Logf("60,000-line paste: first 5,000 lines %v (%d KiB), every line %v (%d KiB)", cutTime, len(cut)>>10, fullTime, len(all)>>10)
	// Times on a shared machine are noisy (the highlighter's time budget
	// also caps the full page's work); the page's weight is not.
	if len(cut)*5 > len(all) {
		t.Errorf("the cut page is %d bytes, the full one %d: not much lighter", len(cut), len(all))
	}

	exact, _ := e.svc.Create(ctx, paste.Anonymous, paste.CreateInput{Content: []byte(strings.Repeat("x\n", 5000)), Visibility: paste.Public})
	_, html := e.get("/" + string(exact.Paste.ID))
	doc = parse(t, html)
	if doc.Find(`[data-testid="truncated"]`).Length() != 0 || doc.Find(`pre.code .line`).Length() != 5000 {
		t.Error("a paste of exactly 5,000 lines is cut")
	}
}

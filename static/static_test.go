package static

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestPathIsVersioned(t *testing.T) {
	a := New(nil)
	re := regexp.MustCompile(`^/static/app\.[0-9a-f]{8}\.css$`)
	if p := a.Path("app.css"); !re.MatchString(p) {
		t.Fatalf("Path(app.css) = %q, want /static/app.<8 hex>.css", p)
	}
	for _, name := range []string{"app.js", "htmx.min.js", "favicon.svg", BundleName} {
		if a.Path(name) == "" {
			t.Errorf("Path(%q) is empty", name)
		}
	}
	if p := a.Path("nope.css"); p != "" {
		t.Errorf("Path(nope.css) = %q, want empty", p)
	}
}

func TestLookup(t *testing.T) {
	a := New(map[string][]byte{"chroma.css": []byte(".chroma{}")})
	tests := []struct {
		name, contentType string
	}{
		{"app.css", "text/css; charset=utf-8"},
		{"chroma.css", "text/css; charset=utf-8"},
		{BundleName, "text/javascript; charset=utf-8"},
		{"favicon.svg", "image/svg+xml"},
	}
	for _, tt := range tests {
		asset, ok := a.Lookup(a.Path(tt.name))
		if !ok {
			t.Fatalf("Lookup(Path(%q)) not found", tt.name)
		}
		if asset.ContentType != tt.contentType {
			t.Errorf("%s: ContentType = %q, want %q", tt.name, asset.ContentType, tt.contentType)
		}
		if len(asset.Body) == 0 {
			t.Errorf("%s: empty body", tt.name)
		}
		if !regexp.MustCompile(`^"[0-9a-f]{32}"$`).MatchString(asset.ETag) {
			t.Errorf("%s: ETag = %q, want a quoted hash", tt.name, asset.ETag)
		}
	}
	chroma, _ := a.Lookup(a.Path("chroma.css"))
	if string(chroma.Body) != ".chroma{}" {
		t.Errorf("chroma.css body = %q", chroma.Body)
	}
}

func TestLookupRejectsUnknownAndUnversioned(t *testing.T) {
	a := New(nil)
	for _, p := range []string{
		"/static/app.css",
		"app.css",
		"/static/app.00000000.css",
		"/static/../static.go",
		"/static/static.go",
		"/static/",
		"",
	} {
		if _, ok := a.Lookup(p); ok {
			t.Errorf("Lookup(%q) found, want not found", p)
		}
	}
}

func TestBundleIsHTMXThenAppThenDraft(t *testing.T) {
	a := New(nil)
	bundle, _ := a.Lookup(a.Path(BundleName))
	htmx, _ := files.ReadFile("htmx.min.js")
	app, _ := files.ReadFile("app.js")
	draft, _ := files.ReadFile("draft.js")
	i, j, k := bytes.Index(bundle.Body, htmx), bytes.Index(bundle.Body, app), bytes.Index(bundle.Body, draft)
	if i != 0 || j <= i || k <= j {
		t.Fatalf("bundle layout: htmx at %d, app.js at %d, draft.js at %d; want htmx first, then app.js, then draft.js", i, j, k)
	}
	if !strings.Contains(string(htmx), `version:"2.`) {
		t.Error("vendored htmx.min.js is not htmx 2.x")
	}
}

func TestHashChangesWithContent(t *testing.T) {
	a := New(map[string][]byte{"chroma.css": []byte("a")})
	b := New(map[string][]byte{"chroma.css": []byte("b")})
	if a.Path("chroma.css") == b.Path("chroma.css") {
		t.Error("different content got the same versioned path")
	}
	//lint:ignore SA4000 two separate New calls: the path must not depend on the instance
	if New(nil).Path("app.css") != New(nil).Path("app.css") {
		t.Error("same content got different versioned paths")
	}
}

func TestNoInlineHandlersOrEvalInAppJS(t *testing.T) {
	for _, name := range []string{"app.js", "draft.js"} {
		js, _ := files.ReadFile(name)
		for _, bad := range []string{"eval(", "new Function", "innerHTML", "outerHTML", "insertAdjacentHTML", ".style."} {
			if strings.Contains(string(js), bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
}

// TestDraftNeverSubmits: the draft page only fills the form; saving is the
// person's click, so a page that opens the draft cannot create a paste.
func TestDraftNeverSubmits(t *testing.T) {
	js, _ := files.ReadFile("draft.js")
	for _, bad := range []string{"submit(", "requestSubmit", "click(", "fetch(", "XMLHttpRequest", "htmx."} {
		if strings.Contains(string(js), bad) {
			t.Errorf("draft.js contains %q", bad)
		}
	}
	if !strings.Contains(string(js), "[data-draft]") {
		t.Error("draft.js does not limit itself to the draft page")
	}
}

package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
	"pastel/internal/paste"
)

// TestPasteFormSyntaxLabels checks the syntax field without JavaScript: it
// starts empty with an "Auto-detect" placeholder (no "auto" to type after),
// its datalist offers labels, and the server takes what people type:
// labels, names and keys, in any case.
func TestPasteFormSyntaxLabels(t *testing.T) {
	e := newEnv(t)
	e.browser()
	_, body := e.get("/")
	doc := parse(t, body)
	in := doc.Find(`[data-testid="syntax-input"]`)
	if v, _ := in.Attr("value"); v != "" {
		t.Errorf("syntax input starts as %q, want empty", v)
	}
	if ph, _ := in.Attr("placeholder"); ph != "Auto-detect" {
		t.Errorf("placeholder %q", ph)
	}
	opts := doc.Find(`[data-testid="syntax-list"] option`).Map(func(_ int, s *goquery.Selection) string { v, _ := s.Attr("value"); return v })
	joined := "|" + strings.Join(opts, "|") + "|"
	for _, want := range []string{"|Auto-detect|", "|Plain text|", "|Python|", "|Go|", "|C++|"} {
		if !strings.Contains(joined, want) {
			t.Errorf("datalist lacks %s", want)
		}
	}

	prose := "Just a few words of prose, nothing more.\n"
	for _, tt := range []struct{ typed, want string }{
		{"Python", "python"},
		{"python", "python"},
		{"  PYTHON ", "python"},
		{"C++", "cpp"},
		{"Plain text", "text"},
		{"plain TEXT", "text"},
		{"Auto-detect", "text"}, // prose detects as plain text
		{"auto-detect", "text"},
		{"", "text"},
	} {
		resp, _ := e.postForm("/", map[string]string{"content": prose, "syntax": tt.typed})
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("syntax %q: status %d", tt.typed, resp.StatusCode)
			continue
		}
		id := strings.TrimPrefix(resp.Header.Get("Location"), "/")
		p, err := e.svc.Get(context.Background(), paste.Anonymous, paste.ID(id))
		if err != nil || p.Syntax != tt.want {
			t.Errorf("syntax %q: stored %q (%v), want %q", tt.typed, p.Syntax, err, tt.want)
		}
	}
	// "Auto-detect" detects: Go code comes out as Go.
	resp, _ := e.postForm("/", map[string]string{"content": "package main\n\nfunc main() {\n\tprintln(1)\n}\n", "syntax": "Auto-detect"})
	p, err := e.svc.Get(context.Background(), paste.Anonymous, paste.ID(strings.TrimPrefix(resp.Header.Get("Location"), "/")))
	if err != nil || p.Syntax != "go" {
		t.Errorf("auto-detected %q (%v), want go", p.Syntax, err)
	}
	// An unknown syntax is the field's error, shown with what was typed.
	resp, body = e.postForm("/", map[string]string{"content": prose, "syntax": "Klingon"})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("unknown syntax: status %d", resp.StatusCode)
	}
	if v, _ := parse(t, body).Find(`[data-testid="syntax-input"]`).Attr("value"); v != "Klingon" {
		t.Errorf("re-shown syntax %q", v)
	}
}

// TestBrowserSyntaxPicker types part of a label into the syntax field,
// picks it from the searchable list and checks the paste is stored with
// that syntax, not the one its content would be detected as.
func TestBrowserSyntaxPicker(t *testing.T) {
	e := newEnv(t, served())
	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()

	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/"),
		chromedp.WaitVisible(chromedp.ID("paste-content")),
		chromedp.SendKeys(chromedp.ID("paste-content"), "just some words, no code at all\n"),
		chromedp.Click(chromedp.ID("field-syntax")),
		chromedp.SendKeys(chromedp.ID("field-syntax"), "pyth"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="syntax-options"] [role=option]`)),
	)
	shown := browsertest.Get(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-testid="syntax-options"] [role=option]')].map(e => e.textContent)`))
	if len(shown) == 0 || shown[0] != "Python" {
		t.Fatalf("options for %q: %v", "pyth", shown)
	}
	for _, s := range shown {
		if !strings.Contains(strings.ToLower(s), "pyth") {
			t.Errorf("option %q does not match %q", s, "pyth")
		}
	}
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="syntax-options"] [role=option]:first-child`)),
	)
	if v := browsertest.Get(t, ctx, chromedp.Value(chromedp.ID("field-syntax"))); v != "Python" {
		t.Fatalf("picked value %q", v)
	}
	if hidden := browsertest.Get(t, ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid="syntax-options"]').hidden`)); !hidden {
		t.Error("the list stays open after picking")
	}
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="code"]`)),
	)
	loc := browsertest.Get(t, ctx, chromedp.Location())
	p, err := e.svc.Get(context.Background(), paste.Anonymous, paste.ID(strings.TrimPrefix(loc, e.base+"/")))
	if err != nil || p.Syntax != "python" {
		t.Fatalf("stored paste %+v %v", p, err)
	}
	if problems := b.Problems(); len(problems) > 0 {
		t.Fatalf("the pages reported problems:\n%s", strings.Join(problems, "\n"))
	}
}

// TestDownloadNames checks /dl/{id} names the file: after the file name a
// paste was sent with, else the ID with its syntax's extension.
func TestDownloadNames(t *testing.T) {
	e := newEnv(t)
	post := func(query, body string) string {
		t.Helper()
		req := httptest.NewRequest(http.MethodPost, "/api/v1/pastes?"+query, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/octet-stream")
		req.Header.Set("Accept", "text/plain")
		resp, out := e.do(req)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("create %s: %d %s", query, resp.StatusCode, out)
		}
		u := strings.TrimSpace(string(out))
		return u[strings.LastIndexByte(u, '/')+1:]
	}
	disposition := func(id string) string {
		t.Helper()
		resp, _ := e.get("/dl/" + id)
		return resp.Header.Get("Content-Disposition")
	}
	title := func(id string) string {
		p, err := e.svc.Get(context.Background(), paste.Anonymous, paste.ID(id))
		if err != nil {
			t.Fatal(err)
		}
		return p.Title
	}

	id := post("filename=src%2Fmain.go", "package main\n")
	if got := title(id); got != "main.go" {
		t.Errorf("title %q, want the file name", got)
	}
	if got := disposition(id); got != "attachment; filename=main.go" {
		t.Errorf("download %q", got)
	}
	id = post("filename=main.go&title=My+server", "package main\n")
	if got := title(id); got != "My server" {
		t.Errorf("a title of its own became %q", got)
	}
	if got := disposition(id); got != "attachment; filename="+id+".go" {
		t.Errorf("download %q, want %s.go", got, id)
	}
	id = post("syntax=python", "print(1)\n")
	if got := disposition(id); got != "attachment; filename="+id+".py" {
		t.Errorf("download %q, want %s.py", got, id)
	}
	id = post("", "just words\n")
	if got := disposition(id); got != "attachment; filename="+id+".txt" {
		t.Errorf("download %q, want %s.txt", got, id)
	}
}

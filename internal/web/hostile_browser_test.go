package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
	"pastel/internal/paste"
)

// hostileWatch runs before any script of every document: it records CSP
// violations, and replaces the dialogs with a counter so a payload that
// calls them is seen (and does not block the page).
const hostileWatch = `
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
	window.__csp.push(e.violatedDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));
window.__dialogs = 0;
window.alert = window.confirm = window.prompt = window.print = function () { window.__dialogs++; };
`

// hostileTraces reads what a payload would have left behind.
const hostileTraces = `({
	pwned: window.__pwned !== undefined,
	title: document.title === 'PWNED',
	elements: document.querySelectorAll('pwned-el').length,
	dialogs: window.__dialogs,
	csp: window.__csp || ['watcher missing'],
	scripts: [...document.scripts].filter(s => !s.src.startsWith(location.origin + '/static/')).length,
})`

type traces struct {
	Pwned    bool     `json:"pwned"`
	Title    bool     `json:"title"`
	Elements int      `json:"elements"`
	Dialogs  int      `json:"dialogs"`
	CSP      []string `json:"csp"`
	Scripts  int      `json:"scripts"`
}

// TestHostileInputsInBrowser loads the pages that show the corpus in
// headless Chromium and checks that no payload ran and that Pastel's pages
// caused no CSP violation. It batches: one rendered Markdown paste per class
// of input with the whole class as its body and up to 25 comments, the whole
// corpus as highlighted HTML, the lists and the search page full of hostile
// titles, the sign-in page with a hostile next=, and two HTMX swaps (the
// paste form refused with 422, a comment posted).
func TestHostileInputsInBrowser(t *testing.T) {
	// Mostly waiting on Chromium: it may overlap the package's other
	// parallel tests.
	t.Parallel()
	start := time.Now()
	e := newEnv(t, served(), withMaxBytes(8<<20))
	owner := e.register("hostile_browser")
	ctx := context.Background()
	v := paste.Viewer{UserID: owner.id, Username: owner.name}

	byClass := map[string][]string{}
	var classes []string
	for _, h := range hostileCorpus(t) {
		if len(h.value) > 4<<10 {
			continue // the shapes: big, and covered by the HTTP test
		}
		if byClass[h.class] == nil {
			classes = append(classes, h.class)
		}
		byClass[h.class] = append(byClass[h.class], h.value)
	}
	var pages []string
	var all strings.Builder
	titled := 0
	for _, class := range classes {
		values := byClass[class]
		title := "class " + class
		for _, s := range values {
			if paste.CheckText(s, paste.MaxTitleRunes) == "" {
				title = s
				break
			}
		}
		// NUL bytes make Markdown show the source (the HTTP test covers
		// them); here the whole class must go through the renderer.
		body := strings.ReplaceAll(strings.Join(values, "\n\n"), "\x00", "")
		all.WriteString(body + "\n")
		p, err := e.svc.Create(ctx, v, paste.CreateInput{Title: title, Content: []byte(body), Syntax: "markdown", Visibility: paste.Public})
		if err != nil {
			t.Fatalf("create %s: %v", class, err)
		}
		id := p.Paste.ID
		pages = append(pages, "/"+string(id))
		for i, s := range values {
			if i >= 25 {
				break
			}
			e.svc.AddComment(ctx, v, id, s, 0) // refused ones (NUL, too long) are fine
		}
		// Hostile titles for the lists.
		for _, s := range values {
			if titled%3 == 0 && paste.CheckText(s, paste.MaxTitleRunes) == "" {
				if tp, err := e.svc.Create(ctx, v, paste.CreateInput{Title: s, Content: []byte(s), Syntax: "html", Visibility: paste.Public}); err == nil {
					e.svc.Star(ctx, v, tp.Paste.ID, true)
					e.svc.RatePaste(ctx, v, tp.Paste.ID, 1)
				}
			}
			titled++
		}
	}
	if _, err := e.svc.RefreshPopular(ctx); err != nil {
		t.Fatal(err)
	}
	whole, err := e.svc.Create(ctx, v, paste.CreateInput{Title: "the whole corpus", Content: []byte(strings.ToValidUTF8(all.String(), "\uFFFD")), Syntax: "html", Visibility: paste.Public})
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages,
		"/"+string(whole.Paste.ID),
		pages[0]+"?view=source",
		"/explore", "/explore?sort=popular", "/u/"+owner.name, "/stars",
		"/search?q=pwned", "/search?q=script+img",
		"/explore/feed.atom",
		"/login?next="+url.QueryEscape(`javascript:window.__pwned=1`),
		"/register?next="+url.QueryEscape(`//evil.example/"><script>window.__pwned=1</script>`),
	)

	b := browsertest.New(t)
	tab, cancel := b.Tab()
	defer cancel()
	browsertest.Do(t, tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hostileWatch}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: "pastel_session", Value: owner.cookie, URL: e.base})
		return err
	}))
	look := func() traces {
		t.Helper()
		// Give onerror, onload, autofocus and hx-trigger="load" time to fire.
		browsertest.Do(t, tab, chromedp.Sleep(200*time.Millisecond))
		return browsertest.Get(t, tab, chromedp.Evaluate[traces](hostileTraces))
	}
	// The watchers see what they must: a page that runs a payload, and one
	// whose CSP blocks it.
	browsertest.Do(t, tab, chromedp.Navigate(`data:text/html,<img src=x onerror="window.__pwned=1;alert(1)">`))
	if tr := look(); !tr.Pwned || tr.Dialogs != 1 {
		t.Fatalf("control page: the payload ran but the watcher saw %+v", tr)
	}
	browsertest.Do(t, tab, chromedp.Navigate(`data:text/html,<meta http-equiv="Content-Security-Policy" content="script-src 'none'"><img src=x onerror="window.__pwned=1">`))
	if tr := look(); tr.Pwned || len(tr.CSP) == 0 {
		t.Fatalf("control page: CSP blocked the payload but the watcher saw %+v", tr)
	}
	b.Problems()
	check := func(where string) {
		t.Helper()
		tr := look()
		if tr.Pwned || tr.Title || tr.Elements > 0 || tr.Dialogs > 0 || tr.Scripts > 0 {
			t.Errorf("%s: a payload ran: %+v", where, tr)
		}
		if len(tr.CSP) > 0 {
			t.Errorf("%s: CSP violations:\n%s", where, strings.Join(tr.CSP, "\n"))
		}
		for _, p := range b.Problems() {
			// Relative images and links in Markdown may point at nothing
			// (a 404 is the browser's business); everything else counts.
			if strings.Contains(p, "Failed to load resource") {
				continue
			}
			t.Errorf("%s: %s", where, p)
		}
	}
	for i, p := range pages {
		browsertest.Do(t, tab, chromedp.Navigate(e.base+p))
		check(p)
		if strings.HasPrefix(p, "/explore?") || strings.HasPrefix(p, "/u/") || p == "/stars" || strings.HasPrefix(p, "/search") {
			if n := browsertest.Get(t, tab, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="paste-card"], [data-testid="search-hit"]').length`)); n == 0 {
				t.Errorf("%s shows no pastes", p)
			}
		}
		// Small pathological shapes are declined by the renderer on purpose
		// (render.tooHard): their page shows the source.
		if i < len(classes) && classes[i] != "shape" && !browsertest.Get(t, tab, chromedp.Evaluate[bool](`!!document.querySelector('[data-testid="markdown"]')`)) {
			t.Errorf("%s: class %s was not rendered as Markdown", p, classes[i])
		}
	}
	// The refused paste form, swapped in by htmx: everything typed comes
	// back in the fragment, and stays text.
	payload := `"><img src=x onerror=window.__pwned=1><div hx-get="/" hx-trigger="load" hx-on::load="window.__pwned=1">`
	browsertest.Do(t, tab,
		chromedp.Navigate(e.base+"/"),
		chromedp.WaitVisible(chromedp.ID("paste-content")),
		chromedp.SetValue(chromedp.ID("field-title"), payload),
		chromedp.SetValue(chromedp.ID("paste-content"), payload+"\n"+strings.Join(byClass["hx"], "\n")),
		chromedp.SetValue(chromedp.ID("field-syntax"), payload),
		chromedp.Click(chromedp.CSS(`#paste-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-summary"]`)),
	)
	check("paste form 422 fragment")
	// A comment posted through htmx: the thread fragment is swapped in.
	browsertest.Do(t, tab,
		chromedp.Navigate(e.base+pages[0]),
		chromedp.WaitVisible(chromedp.ID("comment-body")),
		chromedp.SetValue(chromedp.ID("comment-body"), payload),
		chromedp.Click(chromedp.CSS(`form:has(#comment-body) button[type="submit"]`)),
		chromedp.Sleep(700*time.Millisecond),
	)
	check("comment fragment")
	if n := browsertest.Get(t, tab, chromedp.Evaluate[int](fmt.Sprintf(`[...document.querySelectorAll('[data-testid="comment-body"]')].filter(e => e.textContent.includes(%q)).length`, `onerror=window.__pwned=1`))); n == 0 {
		t.Error("the posted comment is not on the page as text")
	}
	t.Logf("%d pages and 2 htmx swaps in %v", len(pages), time.Since(start).Round(time.Millisecond))
}

package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
	"pastel/internal/web"
	"pastel/static"
)

// bookmarkletCode fetches /bookmarklet and returns the href of the link people
// drag and the JavaScript it decodes to, which is what a click on the
// bookmark runs.
func bookmarkletCode(t *testing.T, e *env) (href, code string) {
	t.Helper()
	resp, body := e.get("/bookmarklet")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /bookmarklet = %d", resp.StatusCode)
	}
	link := parse(t, body).Find(`a[data-testid="bookmarklet-link"]`)
	if link.Length() != 1 {
		t.Fatalf("%d bookmarklet links", link.Length())
	}
	href, _ = link.Attr("href")
	rest, ok := strings.CutPrefix(href, "javascript:")
	if !ok {
		t.Fatalf("bookmarklet href %q is not a javascript: URL", href)
	}
	code, err := url.PathUnescape(rest)
	if err != nil {
		t.Fatalf("bookmarklet href does not decode: %v", err)
	}
	return href, code
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestBookmarkletPage(t *testing.T) {
	e := newEnv(t)
	req := httptest.NewRequest(http.MethodGet, "/bookmarklet", nil)
	// The code comes from BASE_URL alone: a forged Host or forwarding header
	// must not change where the selection goes.
	req.Host = "evil.example"
	req.Header.Set("X-Forwarded-Host", "evil.example")
	resp, body := e.do(req)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /bookmarklet = %d", resp.StatusCode)
	}
	checkPageHeaders(t, resp)
	if strings.Contains(string(body), "evil.example") {
		t.Fatal("the request's Host reached the bookmarklet")
	}
	href, code := bookmarkletCode(t, e)
	if strings.ContainsAny(href, " \"<>#\n") {
		t.Errorf("href not percent-encoded: %q", href)
	}
	for _, want := range []string{
		"var origin = " + jsString(e.base) + ";",
		"window.open(" + jsString(e.base+"/draft") + ",",
		"String(window.getSelection())",
		"document.title",
		"location.href",
		"event.source === w && event.origin === origin && event.data === \"pastel-draft-ready\"",
		"w.postMessage(draft, origin)",
		"removeEventListener(\"message\"",
		"setTimeout(",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("bookmarklet code lacks %q:\n%s", want, code)
		}
	}
	for _, bad := range []string{"eval(", "Function(", "createElement", "src", "innerHTML", "\"*\"", "submit"} {
		if strings.Contains(code, bad) {
			t.Errorf("bookmarklet code contains %q", bad)
		}
	}
	doc := parse(t, body)
	shown := doc.Find(`[data-testid="bookmarklet-code"]`).Text()
	if strings.Join(strings.Fields(shown), "") != strings.Join(strings.Fields(code), "") {
		t.Errorf("the page shows other code than the link runs:\n%s\n---\n%s", shown, code)
	}
	if got := doc.Find(`[data-testid="bookmarklet-origin"]`).Text(); got != e.base {
		t.Errorf("origin shown = %q, want %q", got, e.base)
	}
	if doc.Find(`a[href="/bookmarklet"]`).Length() == 0 {
		t.Error("the layout's footer link is missing: the page is not in the site layout")
	}
}

// TestBookmarkletOrigin: the origin the bookmarklet checks event.origin
// against is serialised as browsers do, whatever the spelling of BASE_URL.
func TestBookmarkletOrigin(t *testing.T) {
	tests := []struct{ base, origin, draft string }{
		{"http://pastel.test", "http://pastel.test", "http://pastel.test/draft"},
		{"HTTPS://Paste.Example.COM:443/", "https://paste.example.com", "https://Paste.Example.COM:443/draft"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", "http://127.0.0.1:8080/draft"},
		{"http://[::1]:80", "http://[::1]", "http://[::1]:80/draft"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.base)
		if err != nil {
			t.Fatal(err)
		}
		app := web.New(web.Deps{
			Syntaxes: syntaxes(), Assets: static.New(nil),
		}, web.Options{BaseURL: u, MaxPasteBytes: 1 << 20})
		e := &env{t: t, app: app, base: tt.base}
		_, code := bookmarkletCode(t, e)
		for _, want := range []string{"var origin = " + jsString(tt.origin) + ";", "window.open(" + jsString(tt.draft) + ","} {
			if !strings.Contains(code, want) {
				t.Errorf("%s: code lacks %q:\n%s", tt.base, want, code)
			}
		}
	}
}

func TestDraftPage(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get("/draft")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /draft = %d", resp.StatusCode)
	}
	checkPageHeaders(t, resp)
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	// The opener must keep its handle on this window for the handoff.
	if got := resp.Header.Get("Cross-Origin-Opener-Policy"); got != "unsafe-none" {
		t.Errorf("Cross-Origin-Opener-Policy = %q, want unsafe-none", got)
	}
	doc := parse(t, body)
	checkInert(t, "draft", doc)
	draft := doc.Find("[data-draft]")
	if draft.Length() != 1 {
		t.Fatalf("%d [data-draft] containers", draft.Length())
	}
	form := draft.Find(`form[data-testid="paste-form"][method="post"][action="/"]`)
	if form.Length() != 1 {
		t.Fatal("no paste form inside the draft container")
	}
	if v, _ := form.Find(`input[name="_csrf"]`).Attr("value"); v == "" {
		t.Error("draft form has no CSRF token")
	}
	if v, ok := form.Find(`input[name="source_url"]`).Attr("value"); !ok || v != "" {
		t.Errorf("source_url = %q, %v; want present and empty", v, ok)
	}
	src := draft.Find(`[data-testid="draft-source"]`)
	if _, hidden := src.Attr("hidden"); src.Length() != 1 || !hidden {
		t.Error("the draft-source line is missing or not hidden while empty")
	}
	if strings.TrimSpace(form.Find(`textarea[name="content"]`).Text()) != "" {
		t.Error("draft content is not empty")
	}
	// Only this page relaxes the opener policy.
	resp, _ = e.get("/")
	if got := resp.Header.Get("Cross-Origin-Opener-Policy"); got != "same-origin" {
		t.Errorf("GET / Cross-Origin-Opener-Policy = %q", got)
	}
}

// checkPageHeaders asserts the headers that keep a page from being framed or
// sniffed.
func checkPageHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "script-src 'nonce-", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-") {
		t.Errorf("CSP allows unsafe sources: %q", csp)
	}
	for k, want := range map[string]string{
		"X-Frame-Options":        "DENY",
		"X-Content-Type-Options": "nosniff",
		"Content-Type":           "text/html; charset=utf-8",
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

// withUserGesture makes an evaluation count as the person's own action, as a
// click on the bookmark does, so window.open is not treated as a pop-up.
func withUserGesture(p *runtime.EvaluateParams) {
	yes := true
	p.UserGesture = &yes
}

// waitJS evaluates expr in ctx until it is true. chromedp.Poll would build a
// Function from a string, which Pastel's CSP refuses (and reports).
// Evaluation errors count as "not yet": the page may be navigating.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		ectx, cancel := context.WithTimeout(ctx, 5*time.Second)
		ok, err := chromedp.Run(ectx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s (last error: %v)", what, last)
}

// attach returns a context for the tab the id names, watching its console.
func attach(t *testing.T, ctx context.Context, id target.ID) (context.Context, *consoleLog) {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(id))
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("attach to %s: %v", id, err)
	}
	return tab, watchConsole(tab)
}

// newTarget starts waiting for the window ctx's page opens at a URL with
// the prefix; call it before the action that opens the window.
func newTarget(ctx context.Context, prefix string) <-chan target.ID {
	return chromedp.WaitNewTarget(ctx, func(info *target.Info) bool { return strings.HasPrefix(info.URL, prefix) })
}

// consoleLog keeps the errors of a tab browsertest does not watch (a window a
// page opened).
type consoleLog struct {
	mu       sync.Mutex
	problems []string
}

func watchConsole(ctx context.Context) *consoleLog {
	l := &consoleLog{}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type != chromedp.ConsoleError && m.Type != chromedp.ConsoleException {
				continue
			}
			l.mu.Lock()
			l.problems = append(l.problems, string(m.Type)+": "+m.Text+" ("+m.URL+")")
			l.mu.Unlock()
		}
	}()
	return l
}

func (l *consoleLog) Problems() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.problems...)
}

// pastelProblems drops what the host pages themselves reported (their strict
// CSP refusing their own favicon, say), which is expected and not Pastel's.
func pastelProblems(hostOrigin string, lists ...[]string) []string {
	var out []string
	for _, list := range lists {
		for _, p := range list {
			if i := strings.LastIndex(p, " ("); i >= 0 && strings.HasPrefix(p[i+2:], hostOrigin) {
				continue
			}
			out = append(out, p)
		}
	}
	return out
}

func htmlPage(w http.ResponseWriter, csp, body string) {
	if csp != "" {
		w.Header().Set("Content-Security-Policy", csp)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, body)
}

func noPastes(t *testing.T, e *env) {
	t.Helper()
	page, err := e.svc.ListRecent(context.Background(), "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 0 {
		t.Fatalf("%d pastes exist, want none", len(page.Items))
	}
}

// bigSelection is about 3 MiB of text, far past any URL length limit, with
// markup, tabs and non-ASCII that must all arrive as the same characters.
func bigSelection() string {
	var b strings.Builder
	b.WriteString("<script>alert('this stays text')</script>\n")
	for i := 0; b.Len() < 3<<20; i++ {
		fmt.Fprintf(&b, "%06d\tfunc main() { println(\"héllo, wörld — ✓ <b>bold</b> & 'quotes' 🎉\") }\n", i)
	}
	b.WriteString("end of selection")
	return b.String()
}

// TestBrowserBookmarkletHandoff runs the bookmarklet on another origin's page
// under a strict CSP, with a 3 MiB selection: the draft window opens with the
// selection, the title and the address filled in, nothing is saved until the
// person presses Create, and the saved paste is exactly the selection with a
// link to its source.
func TestBrowserBookmarkletHandoff(t *testing.T) {
	e := newEnv(t, served(), withMaxBytes(10<<20))
	_, code := bookmarkletCode(t, e)
	text := bigSelection()
	const title = `Host <page> & "quotes" — ünïcode`
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		htmlPage(w, "default-src 'none'", `<!DOCTYPE html><html><head><meta charset="utf-8"><title>`+html.EscapeString(title)+
			`</title></head><body><h1>Someone else's page</h1><pre id="text">`+html.EscapeString(text)+`</pre></body></html>`)
	}))
	defer host.Close()
	hostURL := host.URL + "/article?id=7"

	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()
	browsertest.Do(t, ctx,
		chromedp.Navigate(hostURL),
		chromedp.WaitReady(chromedp.ID("text")),
	)
	same := browsertest.Get(t, ctx, chromedp.Evaluate[bool](
		`getSelection().selectAllChildren(document.querySelector('#text')), String(getSelection()) === document.querySelector('#text').textContent`))
	if !same {
		t.Fatal("the selection is not the text")
	}
	// A click on the bookmark runs its javascript: URL in the page, as the
	// person's action, and the page's CSP does not apply to it. Evaluating the
	// decoded code from DevTools (also exempt from the page's CSP, and marked
	// as a user gesture) stands in for that click.
	wait := newTarget(ctx, e.base+"/draft")
	browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](code, withUserGesture))
	draftCtx, draftConsole := attach(t, ctx, waitID(t, wait))

	units := len(utf16.Encode([]rune(text)))
	waitJS(t, draftCtx, "the selection in the textarea",
		fmt.Sprintf(`document.querySelector('[name="content"]').value.length === %d`, units))
	got := browsertest.Get(t, draftCtx, chromedp.Evaluate[map[string]any](`(() => {
		const f = document.querySelector('[data-draft] form');
		const v = f.querySelector('[name="content"]').value;
		const line = document.querySelector('[data-testid="draft-source"]');
		return {
			title: f.querySelector('[name="title"]').value,
			source: f.querySelector('[name="source_url"]').value,
			head: v.slice(0, 60), tail: v.slice(-60),
			line: line.textContent, lineHidden: line.hidden,
			scripts: document.querySelectorAll('[data-draft] script').length,
		};
	})()`))
	want := map[string]any{
		"title": title, "source": hostURL,
		"head": string(utf16.Decode(utf16.Encode([]rune(text))[:60])),
		"tail": string(utf16.Decode(utf16.Encode([]rune(text))[units-60:])),
		"line": "From " + hostURL, "lineHidden": false, "scripts": float64(0),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("draft %s = %#v, want %#v", k, got[k], v)
		}
	}
	saveArtifact(t, "bookmarklet-draft.png", browsertest.Get(t, draftCtx, chromedp.CaptureScreenshot()))
	// The draft is only a form: nothing is saved before the person submits.
	noPastes(t, e)

	browsertest.Do(t, draftCtx, chromedp.Click(chromedp.CSS(`[data-testid="submit"]`)))
	waitJS(t, draftCtx, "the paste page with its source link",
		`!!document.querySelector('a[data-testid="source-link"][href=`+jsString(hostURL)+`]')`)
	page, err := e.svc.ListRecent(context.Background(), "", 10)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("pastes after submit: %d, %v", len(page.Items), err)
	}
	p := page.Items[0]
	loc := browsertest.Get(t, draftCtx, chromedp.Location())
	if loc != e.base+"/"+string(p.ID) {
		t.Errorf("landed on %s, want the paste %s", loc, p.ID)
	}
	body, err := e.svc.Body(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != text {
		t.Errorf("stored body (%d bytes) is not the selection (%d bytes)", len(body), len(text))
	}
	if p.Title != title || p.SourceURL != hostURL {
		t.Errorf("stored title %q, source %q; want %q, %q", p.Title, p.SourceURL, title, hostURL)
	}

	// Pastel's own pages, loaded in the watched tab, raise no CSP violation
	// or script error (draft.js runs there with no opener and does nothing).
	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/draft"), chromedp.WaitReady(chromedp.CSS("[data-draft]")),
		chromedp.Navigate(e.base+"/bookmarklet"), chromedp.WaitReady(chromedp.CSS(`[data-testid="bookmarklet-link"]`)),
	)
	saveArtifact(t, "bookmarklet-page.png", browsertest.Get(t, ctx, chromedp.CaptureScreenshot()))
	if problems := pastelProblems(host.URL, b.Problems(), draftConsole.Problems()); len(problems) > 0 {
		t.Fatalf("Pastel's pages reported problems:\n%s", strings.Join(problems, "\n"))
	}
}

func waitID(t *testing.T, ch <-chan target.ID) target.ID {
	t.Helper()
	select {
	case id, ok := <-ch:
		if !ok {
			t.Fatal("no new window")
		}
		return id
	case <-time.After(30 * time.Second):
		t.Fatal("no new window opened")
		return ""
	}
}

// TestBrowserHostileOpener: a page that opens the draft itself can put text
// in the form, once, but cannot submit it, reach into it, forge a POST, nor
// set a javascript: or another site's address as the source. No paste
// appears.
func TestBrowserHostileOpener(t *testing.T) {
	e := newEnv(t, served())
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// No CSP here: the attacker's page may run any script it likes.
		htmlPage(w, "", `<!DOCTYPE html><html><head><title>Hostile</title></head><body><script>
const base = `+jsString(e.base)+`;
window.results = {securityErrors: 0, otherErrors: 0, reached: 0, sent: {}};
function attack(name, url) {
	const w = window.open(base + "/draft", name);
	let n = 0;
	const timer = setInterval(() => {
		// Not drafts: ignored, and they do not use up the one draft.
		w.postMessage("pastel-draft-ready", "*");
		w.postMessage({type: "pastel-draft", title: 1, url: url, content: "not a string title"}, "*");
		// Drafts, in bursts of five: only the first one that arrives counts.
		for (let i = 0; i < 5; i++, n++) {
			w.postMessage({type: "pastel-draft", title: "evil " + n, url: url, content: "evil content " + n}, "*");
		}
		window.results.sent[name] = n;
		for (const reach of [
			() => w.document.forms[0].submit(),
			() => w.document.querySelector("form").requestSubmit(),
			() => w.document.querySelector('[data-testid="submit"]').click(),
			() => w.eval("document.forms[0].submit()"),
		]) {
			try { reach(); window.results.reached++; }
			catch (e) { if (e.name === "SecurityError") window.results.securityErrors++; else window.results.otherErrors++; }
		}
		// A forged POST with the person's cookies: the CSRF check refuses it.
		const body = new URLSearchParams({content: "forged " + n, _csrf: "guess"});
		fetch(base + "/", {method: "POST", mode: "no-cors", credentials: "include", body}).catch(() => {});
		if (n >= 100) clearInterval(timer);
	}, 50);
}
</script><p>Nothing to see.</p></body></html>`)
	}))
	defer host.Close()

	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()
	browsertest.Do(t, ctx, chromedp.Navigate(host.URL+"/"))

	// The person has a Pastel session cookie (CSRF cookie) in this browser.
	browsertest.Do(t, ctx, chromedp.Navigate(e.base+"/"), chromedp.Navigate(host.URL+"/"))

	var drafts []context.Context
	names := []string{"one", "two"}
	for _, tc := range []struct{ name, url string }{
		{"one", "javascript:alert(document.domain)"},
		{"two", "https://bank.example/statement"}, // an address of another site
	} {
		wait := newTarget(ctx, e.base+"/draft")
		browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](
			"attack("+jsString(tc.name)+", "+jsString(tc.url)+")", withUserGesture))
		d, _ := attach(t, ctx, waitID(t, wait))
		drafts = append(drafts, d)
	}
	time.Sleep(2500 * time.Millisecond)
	noPastes(t, e)

	type attackResults struct {
		SecurityErrors, OtherErrors, Reached int
		Sent                                 map[string]int // drafts posted, by window name
	}
	results := browsertest.Get(t, ctx, chromedp.Evaluate[attackResults](`window.results`))
	if results.Reached != 0 || results.SecurityErrors == 0 {
		t.Errorf("cross-origin reach into the draft: %v", results)
	}
	for i, d := range drafts {
		got := browsertest.Get(t, d, chromedp.Evaluate[map[string]any](`(() => {
			const f = document.querySelector('[data-draft] form');
			return {
				title: f.querySelector('[name="title"]').value,
				content: f.querySelector('[name="content"]').value,
				source: f.querySelector('[name="source_url"]').value,
				lineHidden: document.querySelector('[data-testid="draft-source"]').hidden,
				path: location.pathname,
			};
		})()`))
		want := map[string]any{"source": "", "lineHidden": true, "path": "/draft"}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("draft %d: %s = %#v, want %#v", i, k, got[k], v)
			}
		}
		// The first draft that arrived filled the form: the first of a burst
		// (earlier ones reached the window before the draft page loaded),
		// and the ones sent after it changed nothing.
		var n int
		if _, err := fmt.Sscanf(fmt.Sprint(got["title"]), "evil %d", &n); err != nil {
			t.Fatalf("draft %d: title %q", i, got["title"])
		}
		if got["content"] != fmt.Sprintf("evil content %d", n) || n%5 != 0 || n >= results.Sent[names[i]]-1 {
			t.Errorf("draft %d holds %q / %q, with %d drafts sent: not the first one", i, got["title"], got["content"], results.Sent[names[i]])
		}
	}
}

// TestBrowserDraftCannotBeFramed: a page that frames /draft gets no Pastel
// document in the frame (frame-ancestors 'none', X-Frame-Options DENY),
// while the same inspection does see into a frame that is allowed.
func TestBrowserDraftCannotBeFramed(t *testing.T) {
	e := newEnv(t, served())
	resp, _ := e.get("/draft")
	checkPageHeaders(t, resp)

	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/allowed" {
			htmlPage(w, "", `<!DOCTYPE html><p data-marker>an allowed frame</p>`)
			return
		}
		htmlPage(w, "", `<!DOCTYPE html><title>Framer</title>
<iframe id="pastel" src="`+html.EscapeString(e.base)+`/draft"></iframe>
<iframe id="allowed" src="/allowed"></iframe>`)
	}))
	defer host.Close()

	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()
	browsertest.Do(t, ctx, chromedp.Navigate(host.URL+"/"), chromedp.Sleep(500*time.Millisecond))

	// The whole DOM, frames included (pierce), as DevTools sees it.
	doc, err := chromedp.Run(ctx, chromedp.Action[*cdp.Node](func(ctx context.Context, tg *chromedp.Target) (*cdp.Node, error) {
		depth, pierce := int64(-1), true
		r, err := cdp.Call(ctx, tg, dom.GetDocument, dom.GetDocumentParams{Depth: &depth, Pierce: &pierce})
		if err != nil {
			return nil, err
		}
		return r.Root, nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	var marker, draft, pastelDocs int
	var walk func(n *cdp.Node)
	walk = func(n *cdp.Node) {
		if n == nil {
			return
		}
		for i := 0; i+1 < len(n.Attributes); i += 2 {
			switch n.Attributes[i] {
			case "data-marker":
				marker++
			case "data-draft", "data-testid":
				if n.Attributes[i] == "data-draft" || n.Attributes[i+1] == "paste-form" {
					draft++
				}
			}
		}
		if n.NodeType == chromedp.NodeTypeDocument && strings.HasPrefix(n.DocumentURL, e.base) {
			pastelDocs++
		}
		for _, c := range n.Children {
			walk(c)
		}
		walk(n.ContentDocument)
	}
	walk(doc)
	if marker != 1 {
		t.Fatalf("control: found %d markers in the allowed frame, want 1 (the inspection does not see frames)", marker)
	}
	if draft != 0 || pastelDocs != 0 {
		t.Fatalf("the framed draft loaded: %d draft elements, %d Pastel documents", draft, pastelDocs)
	}
	// Script on the framing page cannot reach anything in the frame either.
	reach := browsertest.Get(t, ctx, chromedp.Evaluate[string](`(() => {
		try { return String(document.getElementById("pastel").contentWindow.document.querySelector("[data-draft]")); }
		catch (e) { return "blocked"; }
	})()`))
	if reach != "blocked" {
		t.Errorf("framing page reached the frame: %s", reach)
	}
	// Chromium reports the refusal; that message is the expected outcome.
	var other []string
	for _, p := range pastelProblems(host.URL, b.Problems()) {
		if strings.Contains(p, "frame-ancestors") || strings.Contains(p, "X-Frame-Options") {
			continue
		}
		other = append(other, p)
	}
	if len(other) > 0 {
		t.Fatalf("unexpected problems:\n%s", strings.Join(other, "\n"))
	}
}

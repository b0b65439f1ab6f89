package views

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
)

const (
	xssScript = `<script>alert(1)</script>`
	xssImg    = `"><img src=x onerror=alert(1)>`
	nonce     = "n0nce-abc123"
)

var testPage = Page{
	Title:     "",
	CSRFToken: `tok"en<&>`,
	Assets: AssetURLs{
		CSS:       "/static/app.11111111.css",
		ChromaCSS: "/static/chroma.22222222.css",
		Script:    "/static/bundle.33333333.js",
		Favicon:   "/static/favicon.44444444.svg",
	},
}

func render(t *testing.T, c templ.Component) (*goquery.Document, string) {
	t.Helper()
	var buf bytes.Buffer
	ctx := templ.WithNonce(context.Background(), nonce)
	if err := c.Render(ctx, &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc, buf.String()
}

func testForm() PasteForm {
	return PasteForm{
		Syntaxes: []SyntaxOption{{Key: "go", Label: "Go"}, {Key: "python", Label: "Python"}},
		Expiries: paste.Expiries,
		MaxBytes: 10 << 20,
	}
}

const codeHTML = `<pre class="chroma code" data-testid="code">` +
	`<span class="line" id="L1"><a class="ln" href="#L1">1</a><span class="cl"><span class="kd">package</span> main
</span></span>` +
	`<span class="line" id="L2"><a class="ln" href="#L2">2</a><span class="cl">
</span></span></pre>`

func testPaste() paste.Paste {
	return paste.Paste{
		ID:         "AbCdEf12",
		OwnerName:  "alice",
		Title:      "Hello",
		Syntax:     "go",
		Visibility: paste.Public,
		Size:       1234,
		CreatedAt:  time.Now().Add(-3 * time.Minute),
	}
}

func testView() PasteView {
	return PasteView{
		Paste:       testPaste(),
		SyntaxLabel: "Go",
		CodeHTML:    codeHTML,
		RawURL:      "/raw/AbCdEf12",
		DownloadURL: "/dl/AbCdEf12",
		URL:         "http://example.test/AbCdEf12",
	}
}

// allPages renders every page and fragment in a representative state.
func allPages() map[string]templ.Component {
	signedIn := testPage
	signedIn.User = "alice"
	signedIn.Flash = "Welcome back"
	f := testForm()
	f.Title = xssImg
	f.Content = xssScript
	f.SourceURL = "https://example.com/a?b=c"
	f.Errors = map[string]string{"content": "Content is required", "": "Try again"}
	md := testView()
	md.MarkdownHTML = "<h1>Title</h1><p>text</p>"
	md.CodeHTML = ""
	burned := testView()
	burned.Burned = true
	burned.CanDelete = true
	burned.Paste.BurnAfterReading = true
	burned.Paste.ExpiresAt = time.Now().Add(time.Hour)
	burned.SourceURL = "https://example.com/"
	burned.Truncated = true
	bin := testView()
	bin.Binary = true
	return map[string]templ.Component{
		"new":            NewPastePage(signedIn, f),
		"new-anon":       NewPastePage(testPage, testForm()),
		"form-fragment":  PasteFormFragment(f),
		"paste":          PastePage(testPage, testView()),
		"paste-markdown": PastePage(signedIn, md),
		"paste-burned":   PastePage(signedIn, burned),
		"paste-binary":   PastePage(testPage, bin),
		"burn-confirm":   BurnConfirmPage(testPage, testPaste()),
		"explore":        ExplorePage(testPage, ExploreView{Items: []paste.Paste{testPaste()}, NextCursor: "c1"}),
		"explore-empty":  ExplorePage(testPage, ExploreView{Sort: "popular"}),
		"list":           PasteList([]paste.Paste{testPaste()}, "c2"),
		"error":          ErrorPage(testPage, ErrorView{Status: 404, Title: "Not found", Message: "No such paste."}),
		"error-fragment": ErrorFragment(ErrorView{Status: 500}),

		"login":             LoginPage(testPage, AuthForm{Mode: "login", Next: "/x?y=1", Username: xssImg, Errors: map[string]string{"": "Wrong username or password."}}),
		"register":          RegisterPage(testPage, testRegisterForm()),
		"login-fragment":    LoginFormFragment(AuthForm{Mode: "login"}),
		"register-fragment": RegisterFormFragment(testRegisterForm()),
		"settings":          SettingsPage(signedIn, testSettings()),
		"settings-empty":    SettingsPage(signedIn, SettingsView{Username: "alice", PasswordChanged: true}),
		"user":              UserPage(testPage, UserView{Username: "alice", JoinedAt: time.Now().Add(-48 * time.Hour), Items: []paste.Paste{testPaste()}, NextCursor: "c3"}),
		"user-self":         UserPage(signedIn, testSelfView()),
		"user-empty":        UserPage(testPage, UserView{Username: "bob"}),
		"list-badges":       PasteListWithBadges([]paste.Paste{testPaste()}, ""),
		"paste-owner":       PastePage(signedIn, testOwnerView()),
		"edit":              EditPastePage(signedIn, testEditForm(), "AbCdEf12"),
	}
}

func TestNoInlineStylesOrHandlers(t *testing.T) {
	for name, c := range allPages() {
		doc, _ := render(t, c)
		doc.Find("*").Each(func(_ int, s *goquery.Selection) {
			for _, a := range s.Nodes[0].Attr {
				k := strings.ToLower(a.Key)
				if k == "style" || strings.HasPrefix(k, "on") || strings.HasPrefix(k, "hx-on") {
					t.Errorf("%s: <%s %s=%q>: inline styles and handlers break the CSP", name, goquery.NodeName(s), a.Key, a.Val)
				}
				if strings.HasPrefix(strings.TrimSpace(strings.ToLower(a.Val)), "javascript:") {
					t.Errorf("%s: <%s %s=%q>: javascript: URL", name, goquery.NodeName(s), a.Key, a.Val)
				}
			}
		})
		if n := doc.Find("style").Length(); n != 0 {
			t.Errorf("%s: %d <style> elements", name, n)
		}
	}
}

func TestExactlyOneScriptWithNonce(t *testing.T) {
	for name, c := range allPages() {
		doc, _ := render(t, c)
		scripts := doc.Find("script")
		if strings.Contains(name, "fragment") || strings.HasPrefix(name, "list") {
			if scripts.Length() != 0 {
				t.Errorf("%s: fragment has %d scripts", name, scripts.Length())
			}
			continue
		}
		if scripts.Length() != 1 {
			t.Fatalf("%s: %d script elements, want 1", name, scripts.Length())
		}
		got := map[string]string{}
		for _, a := range []string{"nonce", "src"} {
			got[a], _ = scripts.Attr(a)
		}
		want := map[string]string{"nonce": nonce, "src": testPage.Assets.Script}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: script attributes (-want +got):\n%s", name, diff)
		}
		if strings.TrimSpace(scripts.Text()) != "" {
			t.Errorf("%s: inline script body %q", name, scripts.Text())
		}
	}
}

func TestLayoutHead(t *testing.T) {
	doc, _ := render(t, NewPastePage(testPage, testForm()))
	if got, _ := doc.Find(`body`).Attr("hx-headers"); got != `{"X-CSRF-Token":"tok\"en\u003c\u0026\u003e"}` {
		t.Errorf("hx-headers = %q", got)
	}
	cfg, _ := doc.Find(`meta[name="htmx-config"]`).Attr("content")
	for _, want := range []string{`"allowEval":false`, `"allowScriptTags":false`, `"includeIndicatorStyles":false`, `"selfRequestsOnly":true`, `"historyCacheSize":0`} {
		if !strings.Contains(cfg, want) {
			t.Errorf("htmx-config %q lacks %s", cfg, want)
		}
	}
	var css []string
	doc.Find(`link[rel="stylesheet"]`).Each(func(_ int, s *goquery.Selection) { css = append(css, s.AttrOr("href", "")) })
	if diff := cmp.Diff([]string{testPage.Assets.CSS, testPage.Assets.ChromaCSS}, css); diff != "" {
		t.Errorf("stylesheets (-want +got):\n%s", diff)
	}
	if doc.Find(`[data-testid="nav-login"]`).Length() != 1 || doc.Find(`[data-testid="logout-form"]`).Length() != 0 {
		t.Error("anonymous header should offer sign in and no sign out")
	}
	if v := doc.Find(`form[action="/search"] input[name="q"]`).Length(); v != 1 {
		t.Errorf("search box: %d inputs", v)
	}
}

func TestLayoutSignedIn(t *testing.T) {
	p := testPage
	p.User = "bob"
	doc, _ := render(t, ExplorePage(p, ExploreView{}))
	logout := doc.Find(`[data-testid="logout-form"]`)
	if logout.AttrOr("method", "") != "post" || logout.AttrOr("action", "") != "/logout" {
		t.Errorf("logout form: method=%q action=%q", logout.AttrOr("method", ""), logout.AttrOr("action", ""))
	}
	if got := logout.Find(`input[name="_csrf"]`).AttrOr("value", ""); got != p.CSRFToken {
		t.Errorf("logout _csrf = %q, want %q", got, p.CSRFToken)
	}
	if got := doc.Find(`[data-testid="username"]`).Text(); got != "bob" {
		t.Errorf("username = %q", got)
	}
}

func TestPasteFormKeepsValuesAndShowsErrors(t *testing.T) {
	f := testForm()
	f.Title = "My title"
	f.Content = "\nline 1\n\tline 2"
	f.Syntax = "python"
	f.Visibility = "unlisted"
	f.ExpiresIn = "1d"
	f.Burn = true
	f.CSRFToken = "csrf-1"
	f.Errors = map[string]string{"content": "Content is too large", "title": "Title is too long"}
	doc, _ := render(t, PasteFormFragment(f))

	form := doc.Find("#" + PasteFormID)
	want := map[string]string{"method": "post", "action": "/", "hx-post": "/", "hx-target": "#" + PasteFormID, "hx-swap": "outerHTML"}
	got := map[string]string{}
	for k := range want {
		got[k] = form.AttrOr(k, "")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("form attributes (-want +got):\n%s", diff)
	}
	values := map[string]string{
		"_csrf":      form.Find(`input[name="_csrf"]`).AttrOr("value", ""),
		"title":      form.Find(`input[name="title"]`).AttrOr("value", ""),
		"content":    form.Find(`textarea[name="content"]`).Text(),
		"syntax":     form.Find(`input[name="syntax"]`).AttrOr("value", ""),
		"visibility": form.Find(`input[name="visibility"][checked]`).AttrOr("value", ""),
		"expires_in": form.Find(`select[name="expires_in"] option[selected]`).AttrOr("value", ""),
		"burn":       form.Find(`input[name="burn_after_reading"][checked]`).AttrOr("value", ""),
	}
	wantValues := map[string]string{
		"_csrf": "csrf-1", "title": "My title", "content": f.Content, "syntax": "Python", // shown as its label
		"visibility": "unlisted", "expires_in": "1d", "burn": "1",
	}
	if diff := cmp.Diff(wantValues, values); diff != "" {
		t.Errorf("kept values (-want +got):\n%s", diff)
	}
	for field, msg := range f.Errors {
		if got := doc.Find(`[data-testid="error-` + field + `"]`).Text(); got != msg {
			t.Errorf("error-%s = %q, want %q", field, got, msg)
		}
	}
	summary := doc.Find(`[data-testid="error-summary"]`).Text()
	if !strings.Contains(summary, "Content is too large") || !strings.Contains(summary, "Title is too long") {
		t.Errorf("summary %q lacks the errors", summary)
	}
	if got := form.Find(`[aria-invalid="true"]`).Length(); got < 2 {
		t.Errorf("%d fields marked aria-invalid, want at least 2", got)
	}
}

// TestPasteFormSyntaxShowsLabel checks a chosen syntax shows as its label
// (the edit form of a Go paste says "Go"), and what was typed stays.
func TestPasteFormSyntaxShowsLabel(t *testing.T) {
	for in, want := range map[string]string{"go": "Go", "PYTHON": "Python", "text": "Plain text", "auto": "", "Klingon": "Klingon"} {
		f := testForm()
		f.Syntax = in
		doc, _ := render(t, NewPastePage(testPage, f))
		if got := doc.Find(`input[name="syntax"]`).AttrOr("value", "x"); got != want {
			t.Errorf("syntax %q shows %q, want %q", in, got, want)
		}
	}
}

func TestPasteFormDefaults(t *testing.T) {
	doc, _ := render(t, NewPastePage(testPage, testForm()))
	form := doc.Find("#" + PasteFormID)
	if got := form.Find(`input[name="_csrf"]`).AttrOr("value", ""); got != testPage.CSRFToken {
		t.Errorf("_csrf = %q, want the page's token", got)
	}
	// Empty means auto-detect: nothing to type after (no "autopython").
	if got := form.Find(`input[name="syntax"]`).AttrOr("value", "x"); got != "" {
		t.Errorf("syntax default = %q", got)
	}
	if got := form.Find(`input[name="syntax"]`).AttrOr("placeholder", ""); got != "Auto-detect" {
		t.Errorf("syntax placeholder = %q", got)
	}
	var opts []string
	form.Find("#" + SyntaxListID + " option").Each(func(_ int, s *goquery.Selection) {
		opts = append(opts, s.AttrOr("value", ""))
	})
	if diff := cmp.Diff([]string{"Auto-detect", "Plain text", "Go", "Python"}, opts); diff != "" {
		t.Errorf("syntax options (-want +got):\n%s", diff)
	}
	if got := form.Find(`input[name="syntax"]`).AttrOr("list", ""); got != SyntaxListID {
		t.Errorf("syntax list = %q", got)
	}
	if got := form.Find(`select[name="expires_in"] option[selected]`).AttrOr("value", ""); got != "never" {
		t.Errorf("expires_in default = %q", got)
	}
	if got := form.Find(`select[name="expires_in"] option`).Length(); got != len(paste.Expiries) {
		t.Errorf("%d expiry options, want %d", got, len(paste.Expiries))
	}
	if got := form.Find(`input[name="visibility"][checked]`).AttrOr("value", ""); got != "public" {
		t.Errorf("visibility default = %q", got)
	}
	if form.Find(`input[name="visibility"][value="private"]`).Length() != 0 {
		t.Error("private offered without AllowPrivate")
	}
	ta := form.Find("textarea#" + PasteContentID)
	for _, a := range []string{"required", "autofocus", "data-editor"} {
		if _, ok := ta.Attr(a); !ok {
			t.Errorf("textarea lacks %s", a)
		}
	}
	if form.Find(`[data-testid="error-summary"]`).Length() != 0 || form.Find(".field-error:not([hidden])").Length() != 0 {
		// The encryption script's message slot is there, hidden, until it has something to say.
		t.Error("errors shown on a fresh form")
	}
	if form.Find(`[data-testid="source"]`).Length() != 0 {
		t.Error("source line shown without a source URL")
	}
	if !strings.Contains(form.Text(), "Ctrl") || form.Find(`button[type="submit"]`).Text() == "" {
		t.Error("submit button or Ctrl+Enter hint missing")
	}

	f := testForm()
	f.AllowPrivate = true
	doc, _ = render(t, PasteFormFragment(f))
	if doc.Find(`input[name="visibility"][value="private"]`).Length() != 1 {
		t.Error("private not offered with AllowPrivate")
	}
}

func TestPasteFormSourceURL(t *testing.T) {
	f := testForm()
	f.SourceURL = "https://example.com/page?x=1&y=2"
	doc, _ := render(t, PasteFormFragment(f))
	if got := doc.Find(`input[type="hidden"][name="source_url"]`).AttrOr("value", ""); got != f.SourceURL {
		t.Errorf("hidden source_url = %q", got)
	}
	if got := doc.Find(`[data-testid="source-link"]`).AttrOr("href", ""); got != f.SourceURL {
		t.Errorf("source link href = %q", got)
	}
}

func TestUserTextIsEscaped(t *testing.T) {
	for _, evil := range []string{xssScript, xssImg} {
		f := testForm()
		f.Title, f.Content = evil, evil
		f.Errors = map[string]string{"title": evil}
		v := testView()
		v.Paste.Title = evil
		v.Paste.OwnerName = evil
		v.SyntaxLabel = evil
		p := testPage
		p.User, p.Flash, p.Query, p.Title = evil, evil, evil, evil
		items := []paste.Paste{v.Paste}
		pages := map[string]templ.Component{
			"form":    NewPastePage(p, f),
			"paste":   PastePage(p, v),
			"burn":    BurnConfirmPage(p, v.Paste),
			"explore": ExplorePage(p, ExploreView{Items: items}),
			"error":   ErrorPage(p, ErrorView{Status: 400, Title: evil, Message: evil}),
		}
		for name, c := range pages {
			doc, _ := render(t, c)
			if n := doc.Find("img").Length(); n != 0 {
				t.Errorf("%s: %q created %d <img>", name, evil, n)
			}
			if n := doc.Find("script").Length(); n != 1 {
				t.Errorf("%s: %q: %d <script>, want only the bundle", name, evil, n)
			}
			if !strings.Contains(doc.Text(), evil) && name != "burn" {
				t.Errorf("%s: the text %q is not shown literally", name, evil)
			}
		}
		doc, _ := render(t, PastePage(testPage, v))
		if got := doc.Find(`[data-testid="paste-title"]`).Text(); got != evil {
			t.Errorf("title text = %q, want %q", got, evil)
		}
		doc, _ = render(t, PasteFormFragment(f))
		if got := doc.Find("textarea").Text(); got != evil {
			t.Errorf("textarea text = %q, want %q", got, evil)
		}
		if got := doc.Find(`input[name="title"]`).AttrOr("value", ""); got != evil {
			t.Errorf("title value = %q, want %q", got, evil)
		}
	}
}

func TestPastePage(t *testing.T) {
	doc, _ := render(t, PastePage(testPage, testView()))
	checks := map[string]string{
		"paste-title": "Hello",
		"visibility":  "Public",
		"syntax":      "Go",
		"size":        "1.2 KiB",
		"age":         "3 minutes ago",
		"expiry":      "never expires",
		"owner":       "by alice",
	}
	got := map[string]string{}
	for id := range checks {
		got[id] = strings.Join(strings.Fields(doc.Find(`[data-testid="`+id+`"]`).Text()), " ")
	}
	if diff := cmp.Diff(checks, got); diff != "" {
		t.Errorf("paste facts (-want +got):\n%s", diff)
	}
	if doc.Find(`[data-testid="owner"] a[href="/u/alice"]`).Length() != 1 {
		t.Error("owner link missing")
	}
	if doc.Find(`#`+CodeID+` pre.code .line#L2 a.ln[href="#L2"]`).Length() != 1 {
		t.Error("highlighted code not embedded as HTML")
	}
	if got := doc.Find(`[data-testid="copy-button"]`).AttrOr("data-copy", ""); got != CodeID {
		t.Errorf("copy button data-copy = %q", got)
	}
	links := map[string]string{
		"raw-link":      doc.Find(`[data-testid="raw-link"]`).AttrOr("href", ""),
		"download-link": doc.Find(`[data-testid="download-link"]`).AttrOr("href", ""),
	}
	if diff := cmp.Diff(map[string]string{"raw-link": "/raw/AbCdEf12", "download-link": "/dl/AbCdEf12"}, links); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
	for _, id := range []string{"delete-form", "burned-banner", "truncated", "source", "markdown", "binary"} {
		if doc.Find(`[data-testid="`+id+`"]`).Length() != 0 {
			t.Errorf("%s shown on a plain paste", id)
		}
	}

	anon := testView()
	anon.Paste.OwnerName = ""
	anon.Paste.Title = "  "
	anon.Paste.ExpiresAt = time.Now().Add(3*time.Hour + 12*time.Minute + 30*time.Second)
	doc, _ = render(t, PastePage(testPage, anon))
	if got := doc.Find(`[data-testid="owner"]`).Text(); strings.Join(strings.Fields(got), " ") != "by anonymous" {
		t.Errorf("owner = %q", got)
	}
	if got := doc.Find(`[data-testid="paste-title"]`).Text(); got != "Untitled" {
		t.Errorf("empty title shown as %q", got)
	}
	exp := doc.Find(`time[data-countdown]`)
	if exp.AttrOr("datetime", "") != anon.Paste.ExpiresAt.UTC().Format(time.RFC3339) || exp.Text() != "expires in 3h 12m" {
		t.Errorf("countdown: datetime=%q text=%q", exp.AttrOr("datetime", ""), exp.Text())
	}
}

func TestDeleteFormOnlyWithCanDelete(t *testing.T) {
	v := testView()
	doc, _ := render(t, PastePage(testPage, v))
	if doc.Find(`[data-testid="delete-form"]`).Length() != 0 {
		t.Fatal("delete form shown without CanDelete")
	}
	v.CanDelete = true
	doc, _ = render(t, PastePage(testPage, v))
	form := doc.Find(`[data-testid="delete-form"]`)
	got := []string{form.AttrOr("method", ""), form.AttrOr("action", ""), form.Find(`input[name="_csrf"]`).AttrOr("value", "")}
	if diff := cmp.Diff([]string{"post", "/AbCdEf12/delete", testPage.CSRFToken}, got); diff != "" {
		t.Errorf("delete form (-want +got):\n%s", diff)
	}
}

func TestPasteVariants(t *testing.T) {
	v := testView()
	v.MarkdownHTML = `<h2>Heading</h2><table><tr><td>x</td></tr></table>`
	doc, _ := render(t, PastePage(testPage, v))
	if doc.Find(`article.markdown h2`).Text() != "Heading" {
		t.Error("markdown not rendered as HTML")
	}
	if doc.Find(`[data-testid="source-view-link"]`).AttrOr("href", "") != "?view=source" {
		t.Error("markdown page lacks the ?view=source link")
	}
	if doc.Find(`pre.code`).Length() != 0 || doc.Find(`[data-testid="copy-button"]`).Length() != 0 {
		t.Error("markdown page also shows the code")
	}

	v = testView()
	v.Binary = true
	doc, _ = render(t, PastePage(testPage, v))
	bin := doc.Find(`[data-testid="binary"]`)
	if !strings.Contains(bin.Text(), "Binary content") || bin.Find(`a[href="/dl/AbCdEf12"]`).Length() != 1 {
		t.Errorf("binary notice = %q", bin.Text())
	}
	if doc.Find(`pre.code`).Length() != 0 {
		t.Error("binary paste shows code")
	}

	v = testView()
	v.Truncated = true
	v.Burned = true
	doc, _ = render(t, PastePage(testPage, v))
	if doc.Find(`[data-testid="truncated"] a[href="/raw/AbCdEf12"]`).Length() != 1 {
		t.Error("truncated notice lacks the raw link")
	}
	if !strings.Contains(doc.Find(`[data-testid="burned-banner"]`).Text(), "This paste has been deleted; this is the only time it is shown") {
		t.Error("burned banner missing")
	}
}

func TestSourceLink(t *testing.T) {
	for _, u := range []string{"https://example.com/x?a=1&b=2", "http://example.org/"} {
		v := testView()
		v.SourceURL = u
		doc, _ := render(t, PastePage(testPage, v))
		a := doc.Find(`[data-testid="source-link"]`)
		if a.AttrOr("href", "") != u || a.Text() != u {
			t.Errorf("source link: href=%q text=%q, want %q", a.AttrOr("href", ""), a.Text(), u)
		}
		if a.AttrOr("rel", "") != "nofollow noopener noreferrer" {
			t.Errorf("source link rel = %q", a.AttrOr("rel", ""))
		}
	}
	// The handler checks the scheme; templ still refuses script URLs.
	v := testView()
	v.SourceURL = "javascript:alert(1)"
	doc, _ := render(t, PastePage(testPage, v))
	if href := doc.Find(`[data-testid="source-link"]`).AttrOr("href", ""); strings.HasPrefix(href, "javascript:") {
		t.Errorf("javascript: URL rendered as href %q", href)
	}
}

func TestBurnConfirmShowsNoContent(t *testing.T) {
	meta := testPaste()
	meta.BurnAfterReading = true
	meta.Title = "secret-title-marker"
	meta.SourceURL = "https://secret.example/"
	_, html := render(t, BurnConfirmPage(testPage, meta))
	doc, _ := render(t, BurnConfirmPage(testPage, meta))
	for _, leak := range []string{"secret-title-marker", "secret.example", "package main"} {
		if strings.Contains(html, leak) {
			t.Errorf("burn confirm page contains %q", leak)
		}
	}
	if doc.Find(`pre, article.markdown, #`+CodeID).Length() != 0 {
		t.Error("burn confirm page has a content element")
	}
	form := doc.Find(`[data-testid="reveal-form"]`)
	got := []string{form.AttrOr("method", ""), form.AttrOr("action", ""), form.Find(`input[name="_csrf"]`).AttrOr("value", ""), strings.TrimSpace(form.Find("button").Text())}
	if diff := cmp.Diff([]string{"post", "/AbCdEf12/reveal", testPage.CSRFToken, "Show and delete it"}, got); diff != "" {
		t.Errorf("reveal form (-want +got):\n%s", diff)
	}
}

func TestExplore(t *testing.T) {
	items := []paste.Paste{testPaste(), {ID: "Zz9Zz9Zz", Size: 10, Visibility: paste.Public}}
	doc, _ := render(t, ExplorePage(testPage, ExploreView{Items: items, NextCursor: "abc=="}))
	var titles []string
	doc.Find(`[data-testid="paste-card-title"]`).Each(func(_ int, s *goquery.Selection) {
		titles = append(titles, s.Text()+" "+s.AttrOr("href", ""))
	})
	if diff := cmp.Diff([]string{"Hello /AbCdEf12", "Untitled /Zz9Zz9Zz"}, titles); diff != "" {
		t.Errorf("cards (-want +got):\n%s", diff)
	}
	if got := doc.Find(`[data-testid="older-link"]`).AttrOr("href", ""); got != "?cursor=abc%3D%3D" {
		t.Errorf("older link = %q", got)
	}
	if doc.Find(`[data-testid="tab-recent"][aria-current="page"]`).Length() != 1 {
		t.Error("recent tab not current")
	}

	doc, _ = render(t, ExplorePage(testPage, ExploreView{Sort: "popular", NextCursor: "x"}))
	if doc.Find(`[data-testid="empty-list"]`).Length() != 1 {
		t.Error("empty list has no empty state")
	}
	if got := doc.Find(`[data-testid="older-link"]`).AttrOr("href", ""); got != "?cursor=x&sort=popular" {
		t.Errorf("popular older link = %q", got)
	}

	doc, _ = render(t, PasteList(items, ""))
	if doc.Find(`[data-testid="older-link"]`).Length() != 0 {
		t.Error("older link without a cursor")
	}
}

func TestErrorPage(t *testing.T) {
	doc, _ := render(t, ErrorPage(testPage, ErrorView{Status: 404, Title: "Not found", Message: "No such paste."}))
	got := []string{
		doc.Find(`[data-testid="error-status"]`).Text(),
		doc.Find(`[data-testid="error-title"]`).Text(),
		doc.Find(`[data-testid="error-message"]`).Text(),
		doc.Find("title").Text(),
	}
	if diff := cmp.Diff([]string{"404", "Not found", "No such paste.", "Pastel"}, got); diff != "" {
		t.Errorf("error page (-want +got):\n%s", diff)
	}
}

func TestFormat(t *testing.T) {
	base := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	got := []string{
		HumanBytes(0), HumanBytes(1023), HumanBytes(1024), HumanBytes(1229), HumanBytes(10 << 20),
		TimeAgo(base.Add(-30*time.Second), base), TimeAgo(base.Add(-time.Minute), base),
		TimeAgo(base.Add(-3*time.Minute), base), TimeAgo(base.Add(-25*time.Hour), base),
		TimeAgo(base.Add(-400*24*time.Hour), base),
		Countdown(base.Add(-time.Second), base), Countdown(base.Add(45*time.Second), base),
		Countdown(base.Add(3*time.Hour+12*time.Minute), base), Countdown(base.Add(50*time.Hour), base),
	}
	want := []string{
		"0 B", "1023 B", "1 KiB", "1.2 KiB", "10 MiB",
		"just now", "1 minute ago", "3 minutes ago", "1 day ago", "1 year ago",
		"expired", "expires in 45s", "expires in 3h 12m", "expires in 2d 2h",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

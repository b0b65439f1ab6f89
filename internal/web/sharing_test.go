package web_test

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
	"github.com/makiuchi-d/gozxing"
	qrreader "github.com/makiuchi-d/gozxing/qrcode"
)

// rasterizeQR draws the SVG that GET /{id}/qr.svg answers (a viewBox and
// one path of unit squares "Mx yh1v1h-1z") at scale pixels a module.
func rasterizeQR(t *testing.T, svg string, scale int) image.Image {
	t.Helper()
	vb := regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`).FindStringSubmatch(svg)
	if vb == nil {
		t.Fatalf("no viewBox in %.200s", svg)
	}
	size, _ := strconv.Atoi(vb[1])
	img := image.NewGray(image.Rect(0, 0, size*scale, size*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	squares := regexp.MustCompile(`M(\d+) (\d+)h1v1h-1z`).FindAllStringSubmatch(svg, -1)
	if len(squares) < 50 {
		t.Fatalf("only %d dark modules in the QR code", len(squares))
	}
	for _, m := range squares {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		for dy := 0; dy < scale; dy++ {
			for dx := 0; dx < scale; dx++ {
				img.SetGray(x*scale+dx, y*scale+dy, color.Gray{})
			}
		}
	}
	return img
}

func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrreader.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("QR code does not decode: %v", err)
	}
	return res.GetText()
}

// TestQRCodeDecodesToThePasteLink: the QR code read back is the paste's
// link; it follows the read rule (a private paste's code is its owner's).
func TestQRCodeDecodesToThePasteLink(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice")
	pub := e.apiPaste(nil, `{"content":"hello"}`)
	priv := e.apiPaste(alice, `{"content":"mine","visibility":"private"}`)

	resp, body := e.get("/" + pub + "/qr.svg")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("qr.svg = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("qr.svg CSP = %q, want a sandbox", csp)
	}
	if strings.Contains(string(body), "<script") {
		t.Fatal("script in the SVG")
	}
	if got, want := decodeQR(t, rasterizeQR(t, string(body), 4)), "http://pastel.test/"+pub; got != want {
		t.Fatalf("QR decodes to %q, want %q", got, want)
	}

	if resp, _ := e.get("/" + priv + "/qr.svg"); resp.StatusCode != 404 {
		t.Errorf("private paste's QR code for a stranger = %d, want 404", resp.StatusCode)
	}
	resp, body = e.do(e.browserGet(alice, "/"+priv+"/qr.svg", false))
	if resp.StatusCode != 200 || decodeQR(t, rasterizeQR(t, string(body), 4)) != "http://pastel.test/"+priv {
		t.Errorf("owner's QR code of a private paste = %d", resp.StatusCode)
	}
	for _, path := range []string{"/AAAAAAAA/qr.svg", "/not-an-id/qr.svg"} {
		if resp, _ := e.get(path); resp.StatusCode != 404 {
			t.Errorf("GET %s = %d, want 404", path, resp.StatusCode)
		}
	}
}

// TestEmbedIsFrameableAndTheRestIsNot: /embed/{id} may be framed by any
// site and runs no script; every other page keeps refusing frames.
func TestEmbedIsFrameableAndTheRestIsNot(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice")
	hostile := `</title><script>alert(1)</script>"'`
	pub := e.apiPaste(alice, fmt.Sprintf(`{"title":%q,"syntax":"go","content":"package main\n\nfunc main() {}\n"}`, hostile))
	unlisted := e.apiPaste(nil, `{"content":"just for link holders","visibility":"unlisted"}`)
	priv := e.apiPaste(alice, `{"content":"mine","visibility":"private"}`)
	burn := e.apiPaste(nil, `{"content":"read once","burn_after_reading":true}`)

	for _, id := range []string{pub, unlisted} {
		resp, body := e.get("/embed/" + id)
		if resp.StatusCode != 200 {
			t.Fatalf("embed %s = %d", id, resp.StatusCode)
		}
		checkFrameable(t, resp)
		doc := parse(t, body)
		if doc.Find("script").Length() != 0 || doc.Find("form").Length() != 0 {
			t.Errorf("embed has scripts or forms")
		}
		if doc.Find(`[data-testid="embed-body"] pre.code`).Length() != 1 {
			t.Errorf("embed %s shows no highlighted code", id)
		}
		doc.Find(`a`).Each(func(_ int, a *goquerySel) {
			if strings.HasPrefix(a.AttrOr("href", ""), "#") {
				return // line anchors stay inside the frame
			}
			if a.AttrOr("target", "") != "_blank" || !strings.Contains(a.AttrOr("rel", ""), "noopener") {
				t.Errorf("embed link %q does not open a new tab with noopener", a.AttrOr("href", ""))
			}
		})
	}
	_, body := e.get("/embed/" + pub)
	doc := parse(t, body)
	if got := doc.Find(`[data-testid="embed-title"]`).Text(); got != hostile {
		t.Errorf("embed title = %q, want the title as text", got)
	}
	if strings.Contains(string(body), "<script>alert") {
		t.Error("the title reached the embed as markup")
	}

	// Private, burn and unknown pastes: a 404 that still fits in a frame,
	// and the burn paste is not consumed.
	for _, path := range []string{"/embed/" + priv, "/embed/" + burn, "/embed/AAAAAAAA", "/embed/nonsense"} {
		resp, body := e.get(path)
		if resp.StatusCode != 404 || parse(t, body).Find(`[data-testid="embed-missing"]`).Length() != 1 {
			t.Errorf("GET %s = %d, want 404 with the embed's own message", path, resp.StatusCode)
		}
		checkFrameable(t, resp)
	}
	resp, _ := e.do(e.browserGet(alice, "/embed/"+priv, false))
	if resp.StatusCode != 404 {
		t.Errorf("owner's embed of a private paste = %d, want 404: embeds show what anyone may see", resp.StatusCode)
	}
	if resp, body := e.get("/raw/" + burn); resp.StatusCode != 200 || string(body) != "read once" {
		t.Fatalf("burn paste after its embed was asked for: %d %q", resp.StatusCode, body)
	}

	// The rest of the site: never framed.
	for _, path := range []string{"/", "/" + pub, "/cli", "/explore", "/AAAAAAAA", "/oembed?url=x"} {
		resp, _ := e.get(path)
		if resp.Header.Get("X-Frame-Options") != "DENY" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("GET %s: X-Frame-Options %q, CSP %q; want framing refused", path,
				resp.Header.Get("X-Frame-Options"), resp.Header.Get("Content-Security-Policy"))
		}
	}
}

type goquerySel = goquery.Selection

func checkFrameable(t *testing.T, resp *http.Response) {
	t.Helper()
	csp := resp.Header.Get("Content-Security-Policy")
	if resp.Header.Get("X-Frame-Options") != "" || !strings.Contains(csp, "frame-ancestors *") {
		t.Errorf("embed: X-Frame-Options %q, CSP %q; want frameable by any site", resp.Header.Get("X-Frame-Options"), csp)
	}
	if strings.Contains(csp, "script-src") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("embed CSP %q: want no script at all", csp)
	}
}

// TestScriptEmbed: /embed/{id}.js writes the embed's iframe; the values in
// it are JSON strings, so a hostile title cannot end the script.
func TestScriptEmbed(t *testing.T) {
	e := newEnv(t)
	id := e.apiPaste(nil, `{"title":"</script><script>alert(1)</script>","content":"a\nb\n"}`)
	resp, body := e.get("/embed/" + id + ".js")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Fatalf("script embed = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp.Header.Get("Cross-Origin-Resource-Policy") != "cross-origin" {
		t.Error("the script embed must be loadable by other sites (CORP cross-origin)")
	}
	js := string(body)
	if !strings.Contains(js, `f.src = "http://pastel.test/embed/`+id+`"`) || strings.Contains(js, "</script>") {
		t.Fatalf("script embed:\n%s", js)
	}
	priv := e.apiPaste(e.register("bob"), `{"content":"x","visibility":"private"}`)
	if resp, _ := e.get("/embed/" + priv + ".js"); resp.StatusCode != 404 {
		t.Errorf("script embed of a private paste = %d, want 404", resp.StatusCode)
	}
}

// TestOEmbed checks GET /oembed against oEmbed 1.0: a "rich" answer with
// version, type, html, width and height; maxwidth and maxheight bound the
// size; 404 for what is not an embeddable paste here, 501 for formats
// other than JSON.
func TestOEmbed(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice")
	pub := e.apiPaste(alice, `{"title":"Fib","syntax":"python","content":"def fib(n):\n    return n\n"}`)
	anon := e.apiPaste(nil, `{"content":"x","visibility":"unlisted"}`)
	priv := e.apiPaste(alice, `{"content":"x","visibility":"private"}`)
	burn := e.apiPaste(nil, `{"content":"x","burn_after_reading":true}`)
	q := func(u string, extra ...string) string {
		v := url.Values{"url": {u}}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Set(extra[i], extra[i+1])
		}
		return "/oembed?" + v.Encode()
	}

	resp, body := e.get(q("http://pastel.test/"+pub, "format", "json"))
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("oembed = %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	html, _ := got["html"].(string)
	delete(got, "html")
	want := map[string]any{
		"version": "1.0", "type": "rich", "provider_name": "Pastel", "provider_url": "http://pastel.test/",
		"title": "Fib", "author_name": "alice", "author_url": "http://pastel.test/u/alice",
		"cache_age": 3600.0, "width": 640.0, "height": 120.0,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("oembed (-want +got):\n%s", diff)
	}
	frame := parse(t, []byte(html)).Find("iframe")
	if frame.Length() != 1 || frame.AttrOr("src", "") != "http://pastel.test/embed/"+pub ||
		frame.AttrOr("width", "") != "640" || frame.AttrOr("height", "") != "120" || frame.AttrOr("sandbox", "x") == "x" {
		t.Errorf("oembed html = %s", html)
	}

	// maxwidth/maxheight bound the frame; the embed URL, the https form and
	// an anonymous paste (no author) are fine.
	_, body = e.get(q("https://PASTEL.test/embed/"+anon, "maxwidth", "300", "maxheight", "90"))
	got = nil
	_ = json.Unmarshal(body, &got)
	if got["width"] != 300.0 || got["height"] != 90.0 || got["author_name"] != nil {
		t.Errorf("bounded oembed = %v", got)
	}

	tests := []struct {
		path string
		want int
	}{
		{q("http://pastel.test/"+pub, "format", "xml"), 501},
		{q("http://pastel.test/" + priv), 404},
		{q("http://pastel.test/" + burn), 404},
		{q("http://pastel.test/AAAAAAAA"), 404},
		{q("http://elsewhere.test/" + pub), 404},
		{q("javascript:alert(1)"), 404},
		{q("http://pastel.test/raw/" + pub + "/x"), 404},
		{"/oembed", 404},
		{q("http://pastel.test/"+pub, "maxwidth", "wide"), 400},
		{q("http://pastel.test/"+pub, "maxheight", "-1"), 400},
	}
	for _, tc := range tests {
		resp, body := e.get(tc.path)
		var errBody struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if resp.StatusCode != tc.want || json.Unmarshal(body, &errBody) != nil || errBody.Error.Message == "" {
			t.Errorf("GET %s = %d %s, want %d with a JSON error", tc.path, resp.StatusCode, body, tc.want)
		}
	}
	if resp, _ := e.get("/raw/" + burn); resp.StatusCode != 200 {
		t.Errorf("asking oEmbed about a burn paste consumed it: raw = %d", resp.StatusCode)
	}
}

// TestLinkPreviews: public and unlisted pages carry OpenGraph, Twitter
// card and oEmbed discovery tags (title as text, syntax and first lines);
// private and burn pages carry none, and a burn page fetched by a
// previewer is not consumed.
func TestLinkPreviews(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice")
	title := `Deploy "notes" <b>&</b>`
	pub := e.apiPaste(alice, fmt.Sprintf(`{"title":%q,"syntax":"go","content":"package main\n\n// \u001b[31mred\u001b[0m\nfunc main() {}\n"}`, title))
	unlisted := e.apiPaste(nil, `{"content":"only with the link","visibility":"unlisted"}`)
	priv := e.apiPaste(alice, `{"title":"private","content":"secret words","visibility":"private"}`)
	burn := e.apiPaste(nil, `{"title":"burn","content":"secret words","burn_after_reading":true}`)

	meta := func(body []byte) map[string]string {
		m := map[string]string{}
		doc := parse(t, body)
		doc.Find(`head meta[property^="og:"], head meta[name^="twitter:"]`).Each(func(_ int, s *goquerySel) {
			m[s.AttrOr("property", s.AttrOr("name", ""))] = s.AttrOr("content", "")
		})
		if href, ok := doc.Find(`head link[rel="alternate"][type="application/json+oembed"]`).Attr("href"); ok {
			m["oembed"] = href
		}
		return m
	}
	_, body := e.get("/" + pub)
	want := map[string]string{
		"og:type": "article", "og:site_name": "Pastel", "og:title": title,
		"og:description": "Go · 45 B: package main ⏎ // [31mred [0m ⏎ func main() {}",
		"og:url":         "http://pastel.test/" + pub,
		"twitter:card":   "summary", "twitter:title": title,
		"twitter:description": "Go · 45 B: package main ⏎ // [31mred [0m ⏎ func main() {}",
		"oembed":              "http://pastel.test/oembed?format=json&url=http%3A%2F%2Fpastel.test%2F" + pub,
	}
	if diff := cmp.Diff(want, meta(body)); diff != "" {
		t.Errorf("public page's preview tags (-want +got):\n%s", diff)
	}
	if strings.Contains(string(body), "<b>&</b>") {
		t.Error("the title reached the page as markup")
	}
	_, body = e.get("/" + unlisted)
	if m := meta(body); m["og:url"] != "http://pastel.test/"+unlisted || !strings.Contains(m["og:description"], "only with the link") {
		t.Errorf("unlisted page's preview tags = %v", m)
	}

	_, body = e.do(e.browserGet(alice, "/"+priv, false))
	if m := meta(body); len(m) != 0 || strings.Contains(string(body), "og:") {
		t.Errorf("private page (its owner's view) has preview tags %v", m)
	}
	// Through a share link, a private paste is still private: no tags.
	var link struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(e.mustAPI(alice, "POST", "/api/v1/pastes/"+priv+"/share-links", `{}`, 201), &link); err != nil {
		t.Fatal(err)
	}
	if resp, body := e.get("/s/" + link.Token); resp.StatusCode != 200 || len(meta(body)) != 0 ||
		parse(t, body).Find(`[data-testid="share-menu"]`).Length() != 0 {
		t.Errorf("share-link page = %d with preview tags %v or a share menu", resp.StatusCode, meta(body))
	}
	// A previewer fetches the burn page (twice, as they do): no tags, no
	// content, nothing consumed.
	for range 2 {
		resp, body := e.get("/" + burn)
		if resp.StatusCode != 200 || len(meta(body)) != 0 || strings.Contains(string(body), "secret words") {
			t.Fatalf("burn page for a previewer = %d, tags %v", resp.StatusCode, meta(body))
		}
	}
	if resp, body := e.get("/raw/" + burn); resp.StatusCode != 200 || string(body) != "secret words" {
		t.Fatalf("burn paste after previews = %d %q, want it still there", resp.StatusCode, body)
	}
}

// TestShareMenu: the paste page offers the link, the QR code and, for
// embeddable pastes, the embed snippets.
func TestShareMenu(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice")
	pub := e.apiPaste(nil, `{"content":"a\nb\n"}`)
	priv := e.apiPaste(alice, `{"content":"x","visibility":"private"}`)

	_, body := e.get("/" + pub)
	doc := parse(t, body)
	menu := doc.Find(`[data-testid="share-menu"]`)
	got := map[string]string{
		"url":    menu.Find(`[data-testid="share-url"]`).Text(),
		"qr":     menu.Find(`[data-testid="share-qr"]`).AttrOr("src", ""),
		"iframe": parse(t, []byte(menu.Find(`[data-testid="embed-code"]`).Text())).Find("iframe").AttrOr("src", ""),
		"script": parse(t, []byte(menu.Find(`[data-testid="embed-script"]`).Text())).Find("script").AttrOr("src", ""),
	}
	want := map[string]string{
		"url": "http://pastel.test/" + pub, "qr": "/" + pub + "/qr.svg",
		"iframe": "http://pastel.test/embed/" + pub, "script": "http://pastel.test/embed/" + pub + ".js",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("share menu (-want +got):\n%s", diff)
	}

	_, body = e.do(e.browserGet(alice, "/"+priv, false))
	menu = parse(t, body).Find(`[data-testid="share-menu"]`)
	if menu.Find(`[data-testid="share-qr"]`).Length() != 1 || menu.Find(`[data-testid="embed-code"]`).Length() != 0 ||
		menu.Find(`[data-testid="no-embed"]`).Length() != 1 {
		t.Errorf("private paste's share menu: want the QR code and no embed")
	}
}

// TestManifestAndShareTarget: the manifest names the share target and
// icons that exist; the share target fills the new-paste form (values as
// text, a javascript: address dropped) and saves nothing.
func TestManifestAndShareTarget(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get("/manifest.webmanifest")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/manifest+json" {
		t.Fatalf("manifest = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var m struct {
		Name, StartURL, Display string
		Icons                   []struct{ Src, Sizes, Type, Purpose string }
		ShareTarget             struct {
			Action, Method string
			Params         map[string]string
		} `json:"share_target"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	if m.ShareTarget.Action != "/share" || m.ShareTarget.Method != "GET" ||
		!cmp.Equal(m.ShareTarget.Params, map[string]string{"title": "title", "text": "text", "url": "url"}) {
		t.Errorf("share_target = %+v", m.ShareTarget)
	}
	sizes := map[string]bool{}
	for _, ic := range m.Icons {
		resp, _ := e.get(ic.Src)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != ic.Type {
			t.Errorf("icon %s = %d %s, want %s", ic.Src, resp.StatusCode, resp.Header.Get("Content-Type"), ic.Type)
		}
		if ic.Purpose == "" {
			sizes[ic.Sizes] = true
		}
	}
	if !sizes["192x192"] || !sizes["512x512"] {
		t.Errorf("icons %v: installing needs 192 and 512 px", sizes)
	}
	_, body = e.get("/explore")
	if href, _ := parse(t, body).Find(`head link[rel="manifest"]`).Attr("href"); href != "/manifest.webmanifest" {
		t.Errorf("pages link the manifest as %q", href)
	}

	tests := []struct {
		query                   url.Values
		title, content, sourceT string
	}{
		{url.Values{"title": {"Shared <b>"}, "text": {"some text"}, "url": {"https://example.com/a"}}, "Shared <b>", "some text", "https://example.com/a"},
		{url.Values{"text": {"see https://example.com/b"}, "url": {"https://example.com/b"}}, "", "see https://example.com/b", "https://example.com/b"},
		{url.Values{"url": {"https://example.com/c"}}, "", "https://example.com/c", "https://example.com/c"},
		{url.Values{"text": {"x"}, "url": {"javascript:alert(1)"}}, "", "x\njavascript:alert(1)", ""},
	}
	for _, tc := range tests {
		resp, body := e.get("/share?" + tc.query.Encode())
		doc := parse(t, body)
		got := []string{
			doc.Find(`input[name="title"]`).AttrOr("value", ""),
			doc.Find(`textarea[name="content"]`).Text(),
			doc.Find(`input[name="source_url"]`).AttrOr("value", ""),
		}
		if resp.StatusCode != 200 || !cmp.Equal(got, []string{tc.title, tc.content, tc.sourceT}) {
			t.Errorf("share %v = %d %q", tc.query, resp.StatusCode, got)
		}
		if doc.Find(`form[action="/"][method="post"] input[name="_csrf"]`).Length() != 1 {
			t.Errorf("share %v: no CSRF-protected form posting to /", tc.query)
		}
	}
}

func TestCLIPage(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get("/cli")
	doc := parse(t, body)
	if resp.StatusCode != 200 || !strings.Contains(doc.Find(`[data-testid="cli-server"]`).Text(), "export PASTEL_URL=http://pastel.test") ||
		doc.Find(`[data-testid="cli-exit-codes"] tbody tr`).Length() != 6 {
		t.Fatalf("/cli = %d", resp.StatusCode)
	}
	_, body = e.get("/")
	if parse(t, body).Find(`footer a[href="/cli"]`).Length() != 1 {
		t.Error("no link to /cli in the footer")
	}
}

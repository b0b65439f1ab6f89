package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
)

// TestBrowserEmbedsFramedByAnotherOrigin: a page on another loopback
// origin frames /embed/{id} and loads the script embed; both show the
// paste. The same page framing the paste's ordinary page gets nothing:
// Chromium refuses it (X-Frame-Options DENY, frame-ancestors 'none').
func TestBrowserEmbedsFramedByAnotherOrigin(t *testing.T) {
	e := newEnv(t, served())
	id := e.apiPaste(nil, `{"title":"framed","syntax":"go","content":"package main\n\nfunc main() {}\n"}`)
	scripted := e.apiPaste(nil, `{"title":"scripted","content":"by script\n","visibility":"unlisted"}`)
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><body data-marker>
<iframe id="embed" src="%[1]s/embed/%[2]s" width="640" height="200"></iframe>
<iframe id="page" src="%[1]s/%[2]s" width="640" height="200"></iframe>
<script src="%[1]s/embed/%[3]s.js"></script>
</body></html>`, html.EscapeString(e.base), id, scripted)
	}))
	defer host.Close()
	if strings.HasPrefix(host.URL, e.base) {
		t.Fatal("the host page must be on another origin")
	}

	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()
	browsertest.Do(t, ctx, chromedp.Navigate(host.URL+"/"), chromedp.Sleep(2*time.Second))
	if err := os.MkdirAll(screenDir, 0o755); err == nil {
		png := browsertest.Get(t, ctx, chromedp.CaptureScreenshot())
		_ = os.WriteFile(filepath.Join(screenDir, "embed-host-page.png"), png, 0o644)
	}

	root, err := chromedp.Run(ctx, chromedp.Action[*cdp.Node](func(ctx context.Context, tg *chromedp.Target) (*cdp.Node, error) {
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
	embeds := map[string]bool{} // document URL -> shows the paste's code
	pastePages := 0
	var walk func(n *cdp.Node, doc string)
	walk = func(n *cdp.Node, doc string) {
		if n == nil {
			return
		}
		if n.NodeType == chromedp.NodeTypeDocument {
			doc = n.DocumentURL
		}
		for i := 0; i+1 < len(n.Attributes); i += 2 {
			if n.Attributes[i] == "data-testid" && n.Attributes[i+1] == "embed-body" {
				embeds[doc] = true
			}
			if n.Attributes[i] == "data-testid" && n.Attributes[i+1] == "paste-title" {
				pastePages++
			}
		}
		for _, c := range n.Children {
			walk(c, doc)
		}
		walk(n.ContentDocument, doc)
	}
	walk(root, "")
	// A sandboxed frame (the script embed's) may run in a process of its
	// own, out of the DOM's reach: there the frame's target says what it
	// shows, by its URL and its document's title (the paste's).
	targets, err := chromedp.Run(ctx, chromedp.Action[[]*target.Info](func(ctx context.Context, tg *chromedp.Target) ([]*target.Info, error) {
		r, err := cdp.Call(ctx, tg, target.GetTargets, target.GetTargetsParams{})
		if err != nil {
			return nil, err
		}
		return r.TargetInfos, nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]string{}
	for _, ti := range targets {
		if ti.Type != "iframe" {
			continue
		}
		fctx, fcancel := chromedp.NewContext(ctx, chromedp.WithTargetID(ti.TargetID))
		defer fcancel() // at the end: cancelling detaches from the tab's frame
		shown, err := chromedp.Run(fctx, chromedp.Evaluate[string](`document.title + (document.querySelector('[data-testid="embed-body"] pre.code') ? ' [code]' : '')`))
		if err != nil {
			t.Errorf("frame %s: %v", ti.URL, err)
		}
		titles[ti.URL] = shown
	}
	for url, title := range map[string]string{e.base + "/embed/" + id: "framed [code]", e.base + "/embed/" + scripted: "scripted [code]"} {
		if !embeds[url] && titles[url] != title {
			t.Errorf("no embed shown for %s (documents in frames: %v; frame targets: %v)", url, embeds, titles)
		}
	}
	if pastePages != 0 {
		t.Errorf("the paste's own page was shown inside another site's frame")
	}
	for _, p := range b.Problems() {
		// The refused frame is the point; anything else is a fault.
		if !strings.Contains(p, "frame") {
			t.Errorf("browser problem: %s", p)
		}
	}
}

// TestBrowserInstallable: Chromium finds nothing that stops installing the
// site as an app, and reads the manifest's share target.
func TestBrowserInstallable(t *testing.T) {
	e := newEnv(t, served())
	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()
	browsertest.Do(t, ctx, chromedp.Navigate(e.base+"/"), chromedp.WaitReady(chromedp.CSS("footer")))
	type result struct {
		errs     []string
		manifest string
	}
	var res result
	for range 20 { // the manifest is fetched after the page loads
		res = browsertest.Get(t, ctx, chromedp.Action[result](func(ctx context.Context, tg *chromedp.Target) (result, error) {
			var out result
			ie, err := cdp.Call(ctx, tg, page.GetInstallabilityErrors, cdp.Empty{})
			if err != nil {
				return out, err
			}
			for _, x := range ie.InstallabilityErrors {
				out.errs = append(out.errs, x.ErrorID)
			}
			m, err := cdp.Call(ctx, tg, page.GetAppManifest, page.GetAppManifestParams{})
			if err != nil {
				return out, err
			}
			out.manifest = m.Data
			return out, nil
		}))
		if len(res.errs) == 0 && res.manifest != "" {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if len(res.errs) > 0 {
		t.Fatalf("not installable: %v", res.errs)
	}
	var m struct {
		ShareTarget struct{ Action string } `json:"share_target"`
	}
	if err := json.Unmarshal([]byte(res.manifest), &m); err != nil || m.ShareTarget.Action != "/share" {
		t.Fatalf("manifest as Chromium read it: %v %s", err, res.manifest)
	}
}

// TestBrowserSharingScreens: the paste page with its Share menu open, the
// embed page and the CLI page at 390 and 1280 px, light and dark: nothing
// wider than the window, no script error or CSP violation; screenshots
// under tmp/screens/.
func TestBrowserSharingScreens(t *testing.T) {
	e := newEnv(t, served())
	alice := e.register("alice")
	long := strings.Repeat("an_identifier_that_goes_on_", 12)
	id := e.apiPaste(alice, `{"title":"Fetch the report and print it","syntax":"python","content":"import json\nimport urllib.request\n\n\ndef report(url):\n    with urllib.request.urlopen(url) as r:\n        return json.load(r)\n\n\nprint(report(\"https://example.com/`+long+`\"))\n"}`)
	if err := os.MkdirAll(screenDir, 0o755); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()
	shots := []struct {
		name, path string
		prepare    string // script run before the shot
	}{
		{"paste-share-menu", "/" + id, `document.querySelector('[data-testid="share-menu"]').open = true`},
		{"embed", "/embed/" + id, ""},
		{"cli", "/cli", ""},
	}
	for _, width := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			browsertest.Do(t, ctx, chromedp.EmulateViewport(width, 900), colourScheme(scheme))
			for _, s := range shots {
				browsertest.Do(t, ctx, chromedp.Navigate(e.base+s.path), chromedp.WaitReady(chromedp.CSS("body")))
				if s.prepare != "" {
					browsertest.Get(t, ctx, chromedp.Evaluate[any](s.prepare))
				}
				raw := browsertest.Get(t, ctx, chromedp.Evaluate[string](layoutProbe))
				var r layoutReport
				if err := json.Unmarshal([]byte(raw), &r); err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("sharing-%d-%s-%s", width, scheme, s.name)
				if r.ScrollWidth > r.InnerWidth || len(r.Outside) > 0 {
					t.Errorf("%s: %d px wide in %d; outside: %v", name, r.ScrollWidth, r.InnerWidth, r.Outside)
				}
				shot := chromedp.FullScreenshot(100)
				if s.name == "embed" {
					shot = chromedp.CaptureScreenshot() // it fills its frame: the window
				}
				png := browsertest.Get(t, ctx, shot)
				if err := os.WriteFile(filepath.Join(screenDir, name+".png"), png, 0o644); err != nil {
					t.Log(err)
				}
			}
		}
	}
	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("browser problems:\n%s", strings.Join(p, "\n"))
	}
}

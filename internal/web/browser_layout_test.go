package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
)

// layoutReport is what layoutProbe finds on a page.
type layoutReport struct {
	ScrollWidth int      `json:"sw"`
	InnerWidth  int      `json:"w"`
	Outside     []string `json:"outside"`
}

// layoutProbe measures the page: the document's scroll width against the
// window, and every visible element whose box reaches past the left or
// right edge. Elements inside a box that scrolls or clips sideways (a code
// block, a table wrapper) are judged by that box instead: scrolling inside
// a card is fine, pushing the page wider is not.
const layoutProbe = `(() => {
  const w = window.innerWidth;
  const clipped = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox !== 'visible') return true;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
    (el.dataset.testid ? '[' + el.dataset.testid + ']' : '');
  const outside = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none') continue;
    if (el.classList.contains('skip-link') && document.activeElement !== el) continue;
    const d = el.closest('details');
    if (d && !d.open && !el.closest('summary')) continue;
    if (clipped(el)) continue;
    if (r.left < -1 || r.right > w + 1) outside.push(name(el) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    if (outside.length >= 8) break;
  }
  return JSON.stringify({sw: document.scrollingElement.scrollWidth, w: w, outside: outside});
})()`

// screenDir is where the layout suite leaves its screenshots (tmp/ is
// ignored by git).
var screenDir = filepath.Join("..", "..", "tmp", "screens")

// TestBrowserLayoutEveryPage opens every page at a phone width (390 px) and
// a laptop width (1280 px), in light and dark, signed out, signed in and as
// an admin: no page may be wider than the window, no visible element may
// stick out of it sideways, and nothing may raise a script error or a CSP
// violation. Each view is saved as a screenshot under tmp/screens/.
func TestBrowserLayoutEveryPage(t *testing.T) {
	e := newEnv(t, served())
	alice, root := e.register("alice"), e.register("root_admin")
	e.makeAdmin(root)

	longLine := strings.Repeat("averyveryverylongidentifier_", 120)
	code := e.apiPaste(alice, `{"title":"A Go program with a rather long title that goes on and on and on","syntax":"go","content":"package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello, world\")\n}\n"}`)
	md := e.apiPaste(alice, `{"title":"Notes","syntax":"markdown","content":"# Heading\n\nSome *text* and a table:\n\n| a | b | c |\n|---|---|---|\n| `+longLine[:300]+` | 2 | 3 |\n\n`+"```"+`\n`+longLine[:400]+`\n`+"```"+`\n"}`)
	plain := e.apiPaste(nil, `{"title":"plain words","syntax":"text","content":"just some plain text\nsecond line\n"}`)
	long := e.apiPaste(alice, `{"title":"long lines","syntax":"text","content":"`+longLine+`\nshort\n`+longLine+`"}`)
	unlisted := e.apiPaste(alice, `{"title":"hidden","visibility":"unlisted","content":"unlisted body"}`)
	private := e.apiPaste(alice, `{"title":"secret","visibility":"private","content":"private body"}`)
	var link struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(e.mustAPI(alice, "POST", "/api/v1/pastes/"+private+"/share-links", `{}`, 201), &link); err != nil || link.Token == "" {
		t.Fatalf("share link: %v %q", err, link.Token)
	}
	e.mustAPI(alice, "PUT", "/api/v1/pastes/"+code+"/star", "", 204)
	e.mustAPI(root, "POST", "/api/v1/pastes/"+plain+"/reports", `{"reason":"spam"}`, 201)

	type view struct{ name, path string }
	public := []view{
		{"new", "/"}, {"paste-code", "/" + code}, {"paste-markdown", "/" + md}, {"paste-markdown-source", "/" + md + "?view=source"},
		{"paste-plain", "/" + plain}, {"paste-long-lines", "/" + long}, {"paste-unlisted", "/" + unlisted},
		{"explore", "/explore"}, {"explore-popular", "/explore?sort=popular"}, {"search", "/search?q=hello"}, {"user", "/u/alice"},
		{"login", "/login"}, {"register", "/register"}, {"api", "/api"}, {"bookmarklet", "/bookmarklet"},
		{"not-found", "/no-such-paste"}, {"share-link", "/s/" + link.Token},
	}
	signedIn := []view{
		{"new", "/"}, {"paste-code", "/" + code}, {"paste-private", "/" + private}, {"edit", "/" + code + "/edit"},
		{"explore", "/explore"}, {"user", "/u/alice"}, {"stars", "/stars"}, {"settings", "/settings"},
		{"search", "/search?q=hello"}, {"api", "/api"},
	}
	admin := []view{{"admin-users", "/admin"}, {"admin-reports", "/admin/reports"}, {"admin-log", "/admin/log"}, {"paste-plain", "/" + plain}, {"settings", "/settings"}}

	if err := os.MkdirAll(screenDir, 0o755); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	anon, cancelAnon := b.Incognito()
	defer cancelAnon()
	aliceTab, cancelAlice := b.Incognito()
	defer cancelAlice()
	rootTab, cancelRoot := b.Incognito()
	defer cancelRoot()
	signIn(t, e, aliceTab, alice)
	signIn(t, e, rootTab, root)

	roles := []struct {
		name  string
		ctx   context.Context
		views []view
	}{{"anon", anon, public}, {"alice", aliceTab, signedIn}, {"admin", rootTab, admin}}
	for _, role := range roles {
		for _, width := range []int64{390, 1280} {
			for _, scheme := range []string{"light", "dark"} {
				browsertest.Do(t, role.ctx, chromedp.EmulateViewport(width, 800), colourScheme(scheme))
				for _, v := range role.views {
					checkLayout(t, role.ctx, e.base+v.path, fmt.Sprintf("%s-%d-%s-%s", role.name, width, scheme, v.name))
				}
			}
		}
	}
	var problems []string
	for _, p := range b.Problems() {
		if !strings.Contains(p, "/no-such-paste") { // the 404 page's own status
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		t.Fatalf("pages reported problems:\n%s", strings.Join(problems, "\n"))
	}
}

// checkLayout loads url and fails when it is wider than the window.
func checkLayout(t *testing.T, ctx context.Context, url, shot string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("footer.site-footer")))
	raw := browsertest.Get(t, ctx, chromedp.Evaluate[string](layoutProbe))
	var r layoutReport
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		t.Fatalf("%s: probe: %v", url, err)
	}
	if r.ScrollWidth > r.InnerWidth {
		t.Errorf("%s (%s): page is %d px wide in a %d px window", url, shot, r.ScrollWidth, r.InnerWidth)
	}
	if len(r.Outside) > 0 {
		t.Errorf("%s (%s): elements outside the window:\n  %s", url, shot, strings.Join(r.Outside, "\n  "))
	}
	png := browsertest.Get(t, ctx, chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(screenDir, shot+".png"), png, 0o644); err != nil {
		t.Log(err)
	}
}

// signIn signs u in through the login form in the tab ctx.
func signIn(t *testing.T, e *env, ctx context.Context, u *user) {
	t.Helper()
	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/login"] input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/login"] input[name="username"]`), u.name),
		chromedp.SendKeys(chromedp.CSS(`form[action="/login"] input[name="password"]`), u.password),
		chromedp.Submit(chromedp.CSS(`form[action="/login"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="nav-settings"]`)),
	)
}

// colourScheme makes the tab prefer a light or dark colour scheme.
func colourScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

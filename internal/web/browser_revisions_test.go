package web_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
	"pastel/internal/paste"
)

// TestBrowserRevisionsDiff: a three-file paste has one file edited; its
// page links to "Revisions (2)", the list's Compare opens the diff of the
// newest change (unified: the changed file alone, its added and removed
// lines coloured), and the switch shows it side by side. Layout checked
// and screenshots taken of the list and both layouts at 390 and 1280 px,
// light and dark (tmp/screens/revisions/).
func TestBrowserRevisionsDiff(t *testing.T) {
	e := newEnv(t, served())
	alice := e.register("alice")
	var long strings.Builder
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&long, "func step%d() error { return check(%d, \"a fairly long line to show how wide lines wrap or scroll\") }\n", i, i)
	}
	files := func(steps string) string {
		b, err := json.Marshal([]map[string]string{
			{"name": "main.go", "content": "package main\n\nfunc main() {\n\tprintln(\"hello\")\n}\n"},
			{"name": "steps.go", "content": "package main\n\n" + steps},
			{"name": "README.md", "content": "# Steps\n\nRun them.\n"},
		})
		if err != nil {
			t.Fatal(err)
		}
		return `"files":` + string(b)
	}
	id := e.apiPaste(alice, `{"title":"three files",`+files(long.String())+`}`)
	edited := strings.Replace(long.String(), `check(20, `, `checkTwice(20, `, 1) + "func step41() error { return nil }\n"
	e.mustAPI(alice, "PATCH", "/api/v1/pastes/"+id, `{`+files(edited)+`}`, 200)

	dir := filepath.Join(screenDir, "revisions")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	ctx, cancel := b.Incognito()
	defer cancel()
	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/"+id),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="revisions-link"]`)),
	)
	if got := browsertest.Get(t, ctx, chromedp.Evaluate[string](`document.querySelector('[data-testid="revisions-link"]').textContent`)); got != "Revisions (2)" {
		t.Fatalf("revisions link = %q", got)
	}
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="revisions-link"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="revisions-form"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="compare"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="diff-table"]`)),
	)
	type diffState struct {
		URL      string   `json:"url"`
		Files    []string `json:"files"`
		Split    bool     `json:"split"`
		Added    []string `json:"added"`
		Removed  []string `json:"removed"`
		AddColor string   `json:"addColor"`
		DelColor string   `json:"delColor"`
	}
	state := func() diffState {
		return browsertest.Get(t, ctx, chromedp.Evaluate[diffState](`(() => {
			const text = sel => [...document.querySelectorAll(sel)].map(e => e.textContent.trim());
			const bg = sel => { const e = document.querySelector(sel); return e ? getComputedStyle(e).backgroundColor : ""; };
			const split = !!document.querySelector("table.diff-split");
			return {
				url: location.pathname + location.search,
				files: text('[data-testid="diff-name"]'),
				split,
				added: split ? text("td.dc.d-add") : text("tr.d-add .dc"),
				removed: split ? text("td.dc.d-del") : text("tr.d-del .dc"),
				addColor: bg(split ? "td.dc.d-add" : "tr.d-add .dc"),
				delColor: bg(split ? "td.dc.d-del" : "tr.d-del .dc"),
			};
		})()`))
	}
	check := func(s diffState, split bool) {
		t.Helper()
		if s.Split != split || len(s.Files) != 1 || s.Files[0] != "steps.go" {
			t.Fatalf("diff page %s: split %v, files %q", s.URL, s.Split, s.Files)
		}
		if len(s.Added) != 2 || !strings.Contains(s.Added[0], "checkTwice(20") || !strings.Contains(s.Added[1], "step41") ||
			len(s.Removed) != 1 || !strings.Contains(s.Removed[0], "check(20") {
			t.Fatalf("diff page %s: added %q removed %q", s.URL, s.Added, s.Removed)
		}
		if s.AddColor == "" || s.AddColor == "rgba(0, 0, 0, 0)" || s.AddColor == s.DelColor {
			t.Errorf("diff page %s: added lines %q, removed lines %q: not coloured apart", s.URL, s.AddColor, s.DelColor)
		}
	}
	unified := state()
	if u := unified.URL; !strings.HasPrefix(u, "/"+id+"/diff?") || !strings.Contains(u, "from=1") || !strings.Contains(u, "to=2") {
		t.Errorf("Compare opened %s", unified.URL)
	}
	check(unified, false)
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="view-split"]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.diff-split`)),
	)
	check(state(), true)

	patch := e.createAs(alice, paste.CreateInput{Title: "fix.diff", Content: []byte("diff --git a/steps.go b/steps.go\n--- a/steps.go\n+++ b/steps.go\n@@ -20,3 +20,3 @@\n func step19() error { return nil }\n-func step20() error { return check(20) }\n+func step20() error { return checkTwice(20) }\n func step21() error { return nil }\n")})
	for _, width := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			browsertest.Do(t, ctx, chromedp.EmulateViewport(width, 900), colourScheme(scheme))
			suffix := fmt.Sprintf("%d-%s", width, scheme)
			checkLayout(t, ctx, e.base+"/"+id+"/revisions", "revisions/list-"+suffix)
			checkLayout(t, ctx, e.base+"/"+id+"/diff?from=1&to=2", "revisions/diff-unified-"+suffix)
			checkLayout(t, ctx, e.base+"/"+id+"/diff?from=1&to=2&view=split", "revisions/diff-split-"+suffix)
			checkLayout(t, ctx, e.base+"/"+id+"/revisions/1", "revisions/old-"+suffix)
			checkLayout(t, ctx, e.base+"/"+string(patch.ID), "revisions/diff-paste-"+suffix)
			checkLayout(t, ctx, e.base+"/diff", "revisions/compare-form-"+suffix)
		}
	}
	if p := b.Problems(); len(p) > 0 {
		t.Errorf("browser problems: %v", p)
	}
}

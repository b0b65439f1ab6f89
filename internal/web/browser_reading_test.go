package web_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
	"pastel/internal/paste"
)

// TestBrowserLogsAndData opens an ANSI log (filtered and not), a JSON and a
// YAML tree and a wide CSV table at 390 and 1280 px, light and dark: no
// page is wider than the window (the table scrolls in its own box), the
// pages raise no script error or CSP violation, and the tree's path
// buttons, hidden without scripts, are shown and copy without folding.
func TestBrowserLogsAndData(t *testing.T) {
	e := newEnv(t, served())
	var log strings.Builder
	log.WriteString("\x1b[1m\x1b[34m==>\x1b[0m \x1b[1mBuilding pastel\x1b[0m\n")
	log.WriteString("Downloading modules  12%\rDownloading modules  64%\rDownloading modules 100%\n")
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&log, "\x1b[32mok\x1b[0m   pastel/internal/pkg%d\t0.%02ds\n", i, i*7)
	}
	log.WriteString("\x1b[33mwarning\x1b[0m: \x1b[38;5;208mdeprecated\x1b[0m option --legacy " + strings.Repeat("very-long-token-", 12) + "\n")
	log.WriteString("\x1b[38;2;255;105;180mtruecolour pink\x1b[0m and \x1b[48;5;22m\x1b[97m white on green \x1b[0m\n")
	log.WriteString("\x1b[31m\x1b[1mFAIL\x1b[0m pastel/internal/web \x1b[2m(2.31s)\x1b[0m\n")
	log.WriteString("\x1b[31mpanic: runtime error: index out of range [3] with length 3\x1b[0m\n")
	ansi := e.create(paste.CreateInput{Title: "CI log", Content: []byte(log.String()), Visibility: paste.Public})
	jsonDoc := `{"name":"pastel","version":"1.4.0","items":[{"id":1,"name":"alpha","tags":["a","b"]},{"id":2,"name":"beta","tags":[]}],"config":{"cache":{"enabled":true,"max_bytes":8388608},"search":null,"a key with spaces":"value"}}`
	tree := e.create(paste.CreateInput{Title: "package.json", Syntax: "json", Content: []byte(jsonDoc), Visibility: paste.Public})
	yamlDoc := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pastel\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: web\n          image: pastel:1.4\n          ports:\n            - containerPort: 8080\n"
	ytree := e.create(paste.CreateInput{Title: "deploy.yaml", Syntax: "yaml", Content: []byte(yamlDoc), Visibility: paste.Public})
	var csv strings.Builder
	csv.WriteString("id,name,email,city,country,signed_up,plan,notes\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&csv, "%d,User %d,user%d@example.com,Oslo,Norway,2026-0%d-1%d,pro,\"a note, with a comma and quite a lot of words\"\n", i, i, i, i%9+1, i%10)
	}
	table := e.create(paste.CreateInput{Title: "users.csv", Syntax: "csv", Content: []byte(csv.String()), Visibility: paste.Public})

	views := []struct{ name, path string }{
		{"log", "/" + string(ansi.ID)},
		{"log-grep", "/" + string(ansi.ID) + "?grep=ok"},
		{"json-tree", "/" + string(tree.ID) + "?view=tree"},
		{"json-pretty", "/" + string(tree.ID)},
		{"yaml-tree", "/" + string(ytree.ID) + "?view=tree"},
		{"csv-table", "/" + string(table.ID)},
	}
	if err := os.MkdirAll(screenDir, 0o755); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	ctx, cancel := b.Incognito()
	defer cancel()
	for _, width := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			browsertest.Do(t, ctx, chromedp.EmulateViewport(width, 800), colourScheme(scheme))
			for _, v := range views {
				checkLayout(t, ctx, e.base+v.path, fmt.Sprintf("reading-%d-%s-%s", width, scheme, v.name))
			}
		}
	}

	// The table scrolls inside its box, its header sticks.
	browsertest.Do(t, ctx, chromedp.EmulateViewport(390, 800), chromedp.Navigate(e.base+"/"+string(table.ID)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="table-wrap"]`)))
	wide := browsertest.Get(t, ctx, chromedp.Evaluate[bool](`(() => { const w = document.querySelector('[data-testid="table-wrap"]'); return w.scrollWidth > w.clientWidth })()`))
	if !wide {
		t.Error("the wide table does not scroll in its box at 390 px")
	}
	sticky := browsertest.Get(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('[data-testid="data-table"] thead th')).position`))
	if sticky != "sticky" {
		t.Errorf("table header position %q", sticky)
	}

	// Path buttons: shown by the script; a click copies and leaves the node open.
	browsertest.Do(t, ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(e.base+"/"+string(tree.ID)+"?view=tree"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="tree"]`)))
	hidden := browsertest.Get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-copy-path][hidden]').length`))
	if hidden != 0 {
		t.Errorf("%d path buttons still hidden with the script running", hidden)
	}
	sel := `[data-testid="tree"] > details > .tree-kids > details:nth-of-type(1) > summary > .tree-copy`
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(sel)))
	open := browsertest.Get(t, ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid="tree"] > details > .tree-kids > details:nth-of-type(1)').open`))
	label := browsertest.Get(t, ctx, chromedp.Evaluate[string](`document.querySelector('`+sel+`').getAttribute('data-copy-path')`))
	if !open || label != ".items" {
		t.Errorf("after copying: open %v, path %q", open, label)
	}
	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("pages reported problems:\n%s", strings.Join(p, "\n"))
	}
}

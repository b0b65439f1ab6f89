package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
	"pastel/internal/paste"
)

// flowShots is where the flows suite leaves screenshots (tmp/ is ignored).
var flowShots = filepath.Join("..", "..", "tmp", "flows")

// prefersScheme makes the tab prefer a light or dark colour scheme.
func prefersScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

// shoot saves the tab at 390 and 1280 px, light and dark, and fails when
// the page is wider than the window.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if err := os.MkdirAll(flowShots, 0o755); err != nil {
		t.Log(err)
	}
	for _, w := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			browsertest.Do(t, ctx, chromedp.EmulateViewport(w, 900), prefersScheme(scheme))
			if over := browsertest.Get(t, ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); over {
				t.Errorf("%s at %d px is wider than the window", name, w)
			}
			png := browsertest.Get(t, ctx, chromedp.CaptureScreenshot())
			_ = os.WriteFile(filepath.Join(flowShots, fmt.Sprintf("%s-%d-%s.png", name, w, scheme)), png, 0o644)
		}
	}
	browsertest.Do(t, ctx, chromedp.EmulateViewport(1280, 900), prefersScheme("light"))
}

// TestBrowserCreateFlows: creating lands on "Created" with the full link
// (and, anonymously, the delete token); a burn paste's creator lands on its
// link without consuming it; oversize text is refused before upload with
// the sizes in words; a stale form's failure says to reload.
func TestBrowserCreateFlows(t *testing.T) {
	e := newEnv(t, served(), withMaxBytes(1000))
	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()

	// Create (htmx, Ctrl+Enter): the "Created" notice.
	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/"),
		chromedp.WaitVisible(chromedp.ID("paste-content")),
		chromedp.Click(chromedp.ID("paste-content")),
		chromedp.KeyEvent("hello from the browser"),
		chromedp.KeyEvent("\r", chromedp.KeyModifiers(2 /* ctrl */)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="created-notice"]`)),
	)
	loc := browsertest.Get(t, ctx, chromedp.Location())
	shown := browsertest.Get(t, ctx, chromedp.Text(chromedp.CSS(`[data-testid="created-url"]`)))
	token := browsertest.Get(t, ctx, chromedp.Text(chromedp.CSS(`[data-testid="delete-token"]`)))
	if strings.TrimSpace(shown) != loc || len(strings.TrimSpace(token)) < 16 {
		t.Fatalf("notice shows %q (page %q) and token %q", shown, loc, token)
	}
	shoot(t, ctx, "created")
	// A reload is the ordinary page.
	browsertest.Do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`[data-testid="code-wrap"]`)))
	if n := browsertest.Get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="created-notice"]').length`)); n != 0 {
		t.Fatal("the notice survives a reload")
	}

	// A burn-after-reading paste: its link, not "Show and delete it".
	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/"),
		chromedp.WaitVisible(chromedp.ID("paste-content")),
		chromedp.Click(chromedp.ID("paste-content")),
		chromedp.KeyEvent("for one reader"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="burn-input"]').checked = true`),
		chromedp.Click(chromedp.CSS(`[data-testid="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="burn-created"]`)),
	)
	burnLoc := browsertest.Get(t, ctx, chromedp.Location())
	if strings.Contains(browsertest.Get(t, ctx, chromedp.Evaluate[string](`document.body.innerText`)), "for one reader") {
		t.Fatal("the creator's landing shows the content")
	}
	shoot(t, ctx, "burn-created")
	p, err := e.svc.Get(context.Background(), paste.Anonymous, paste.ID(strings.TrimPrefix(burnLoc, e.base+"/")))
	if err != nil || !p.BurnAfterReading {
		t.Fatalf("burn paste after the landing: %+v %v", p, err)
	}

	// Oversize: refused in the page, before any upload.
	before := countPastes(t, e)
	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/"),
		chromedp.WaitVisible(chromedp.ID("paste-content")),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("paste-content").value = "é".repeat(1200)`),
		chromedp.Click(chromedp.CSS(`[data-testid="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="size-error"]`)),
	)
	msg := browsertest.Get(t, ctx, chromedp.Text(chromedp.CSS(`[data-testid="size-error"]`)))
	if !strings.Contains(msg, "This paste is 2.3 KiB; the limit is 1000 B.") {
		t.Fatalf("size message %q", msg)
	}
	shoot(t, ctx, "oversize")
	if after := countPastes(t, e); after != before {
		t.Fatalf("an oversize paste was sent: %d pastes, was %d", after, before)
	}
	// Trimmed under the limit, the message goes and the paste is made.
	browsertest.Do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`(function(){var ta=document.getElementById("paste-content"); ta.value="short"; ta.dispatchEvent(new Event("input",{bubbles:true}))})()`),
		chromedp.WaitNotPresent(chromedp.CSS(`[data-testid="size-error"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="created-notice"]`)),
	)

	// A stale form (its CSRF token no longer valid): the toast says what
	// the server said, and offers the reload.
	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/"),
		chromedp.WaitVisible(chromedp.ID("paste-content")),
		chromedp.Evaluate[chromedp.Void](`document.body.setAttribute("hx-headers", '{"X-CSRF-Token":"stale"}'); document.querySelector('input[name="_csrf"]').value = "stale"; document.getElementById("paste-content").value = "x"`),
		chromedp.Click(chromedp.CSS(`[data-testid="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="toast"]`)),
	)
	toast := browsertest.Get(t, ctx, chromedp.Text(chromedp.CSS(`[data-testid="toast"]`)))
	if !strings.Contains(toast, "Reload the page") || strings.Contains(toast, "Something went wrong") || strings.Contains(toast, "403") {
		t.Fatalf("toast %q: want the server's message and a reload", toast)
	}
	shoot(t, ctx, "stale-toast")

	var problems []string
	for _, p := range b.Problems() {
		if !strings.Contains(p, "403") { // the refused stale form's own status
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		t.Fatalf("pages reported problems:\n%s", strings.Join(problems, "\n"))
	}
}

// TestBrowserMarkdownFlows: highlighted fences, footnotes, aligned table
// cells and image placeholders, as the browser shows them.
func TestBrowserMarkdownFlows(t *testing.T) {
	e := newEnv(t, served())
	md := "# Notes\n\nA claim[^1] and a picture: ![the diagram](https://img.example/d.png)\n\n" +
		"| name | qty | price |\n|:-----|:---:|------:|\n| tea | 2 | 3.50 |\n| a longer name | 10 | 12.00 |\n\n" +
		"```go\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n```\n\n[^1]: Where it comes from.\n"
	p := e.create(paste.CreateInput{Title: "notes.md", Content: []byte(md), Syntax: "markdown"})
	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()
	browsertest.Do(t, ctx, chromedp.Navigate(e.base+"/"+string(p.ID)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="markdown"]`)))
	align := browsertest.Get(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(".markdown td")].slice(0,3).map(td => getComputedStyle(td).textAlign).join(",")`))
	if align != "left,center,right" {
		t.Errorf("table cells align %q, want left,center,right", align)
	}
	colour := browsertest.Get(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".markdown pre.chroma .kd")).color !== getComputedStyle(document.querySelector(".markdown pre.chroma")).color ? "styled" : "plain"`))
	if colour != "styled" {
		t.Error("fenced code keywords are not coloured")
	}
	img := browsertest.Get(t, ctx, chromedp.Evaluate[string](`(function(){var a=document.querySelector(".markdown a.md-image"); return a ? a.target + " " + a.textContent : ""})()`))
	if !strings.Contains(img, "_blank") || !strings.Contains(img, "the diagram") || !strings.Contains(img, "img.example") {
		t.Errorf("image placeholder %q", img)
	}
	shoot(t, ctx, "markdown")
	if problems := b.Problems(); len(problems) > 0 {
		t.Fatalf("pages reported problems:\n%s", strings.Join(problems, "\n"))
	}
}

// TestBrowserCommentActionsKeepTheirRow: opening Edit (or Report) puts its
// form on a line of its own below the row of actions, which stays where it
// was; Cancel closes it and puts the text back.
func TestBrowserCommentActionsKeepTheirRow(t *testing.T) {
	e := newEnv(t, served())
	owner, me := e.register("poster"), e.register("talker")
	pid := e.apiPaste(owner, `{"content":"discuss"}`)
	cid := e.apiComment(me, pid, "my words", 0)
	e.apiComment(owner, pid, "their words", 0)
	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()
	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/login"] input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/login"] input[name="username"]`), me.name),
		chromedp.SendKeys(chromedp.CSS(`form[action="/login"] input[name="password"]`), me.password),
		chromedp.Submit(chromedp.CSS(`form[action="/login"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="nav-settings"]`)),
		chromedp.Navigate(e.base+"/"+pid),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="comment"]`)),
	)
	mine := fmt.Sprintf("#comment-%d", cid)
	rowTop := fmt.Sprintf(`Math.round(document.querySelector(%q).getBoundingClientRect().top)`, mine+` [data-testid="delete-comment"]`)
	before := browsertest.Get(t, ctx, chromedp.Evaluate[int](rowTop))
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(mine+` [data-testid="edit-toggle"]`)),
		chromedp.WaitVisible(chromedp.CSS(mine+` [data-testid="edit-cancel"]`)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = "changed my mind"`, mine+` [data-testid="edit-body-input"]`)),
	)
	if after := browsertest.Get(t, ctx, chromedp.Evaluate[int](rowTop)); after != before {
		t.Errorf("opening Edit moved the row of actions: Delete at %d px, was %d", after, before)
	}
	shoot(t, ctx, "comment-edit")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(mine+` [data-testid="edit-cancel"]`)))
	state := browsertest.Get(t, ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).open + " " + document.querySelector(%q).value`, mine+` details.comment-edit`, mine+` [data-testid="edit-body-input"]`)))
	if state != "false my words" {
		t.Errorf("after Cancel: open and text %q, want closed and the text put back", state)
	}
	// Someone else's comment: Report opens below, the row stays.
	other := `[data-testid="comment"]:not(` + mine + `)`
	otherTop := fmt.Sprintf(`Math.round(document.querySelector(%q).getBoundingClientRect().top)`, other+` [data-testid="like"]`)
	before = browsertest.Get(t, ctx, chromedp.Evaluate[int](otherTop))
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(other+` [data-testid="report-toggle"]`)),
		chromedp.WaitVisible(chromedp.CSS(other+` [data-testid="report-submit"]`)),
	)
	if after := browsertest.Get(t, ctx, chromedp.Evaluate[int](otherTop)); after != before {
		t.Errorf("opening Report moved the row of actions: %d px, was %d", after, before)
	}
	shoot(t, ctx, "comment-report")
	if problems := b.Problems(); len(problems) > 0 {
		t.Fatalf("pages reported problems:\n%s", strings.Join(problems, "\n"))
	}
}

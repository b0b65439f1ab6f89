package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
)

// TestBrowserReportAndRemove: a user reports a paste from its page; an
// admin finds the report in /admin, resolves it by deleting the paste, and
// the paste is gone for everyone.
func TestBrowserReportAndRemove(t *testing.T) {
	e := newEnv(t, served())
	carol, root := e.register("carol"), e.register("root_admin")
	e.makeAdmin(root)
	id := e.apiPaste(carol, `{"title":"Cheap pills <b>now</b>","content":"buy buy buy <script>alert(1)</script>"}`)
	b := browsertest.New(t)

	// Bob reports the paste.
	bob, cancelBob := b.Incognito()
	defer cancelBob()
	browsertest.Do(t, bob,
		chromedp.Navigate(e.base+"/register"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/register"] input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/register"] input[name="username"]`), "bob"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/register"] input[name="password"]`), "a long enough password"),
		chromedp.Submit(chromedp.CSS(`form[action="/register"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="nav-stars"]`)),
		chromedp.Navigate(e.base+"/"+id),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="paste-title"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="report-paste"] [data-testid="report-toggle"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="report-paste"] [data-testid="report-reason"]`)),
		chromedp.SetValue(chromedp.CSS(`[data-testid="report-paste"] [data-testid="report-reason"]`), "spam"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="report-paste"] [data-testid="report-details-input"]`), "pill spam"),
		chromedp.Click(chromedp.CSS(`[data-testid="report-paste"] [data-testid="report-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
	)
	if got := browsertest.Get(t, bob, chromedp.Text(chromedp.CSS(`[data-testid="flash"]`))); !strings.Contains(got, "report was sent") {
		t.Fatalf("after reporting: %q", got)
	}

	// The admin resolves it by deleting the paste.
	adm, cancelAdm := b.Incognito()
	defer cancelAdm()
	browsertest.Do(t, adm,
		chromedp.Navigate(e.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/login"] input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/login"] input[name="username"]`), root.name),
		chromedp.SendKeys(chromedp.CSS(`form[action="/login"] input[name="password"]`), root.password),
		chromedp.Submit(chromedp.CSS(`form[action="/login"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="nav-admin"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="nav-admin"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="admin-reports-tab"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="admin-reports-tab"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="admin-report"]`)),
	)
	if got := browsertest.Get(t, adm, chromedp.Text(chromedp.CSS(`[data-testid="report-excerpt"]`))); !strings.Contains(got, "<script>alert(1)</script>") {
		t.Fatalf("the queue shows %q, want the paste's text as text", got)
	}
	if n := browsertest.Get(t, adm, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="admin-report"] script, [data-testid="admin-report"] b').length`)); n != 0 {
		t.Fatalf("reported content became %d elements", n)
	}
	browsertest.Do(t, adm,
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.CSS(`[data-testid="report-delete"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="admin-notice"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="admin-reports-empty"]`)),
	)
	saveArtifact(t, "admin-reports.png", browsertest.Get(t, adm, chromedp.CaptureScreenshot()))

	if problems := b.Problems(); len(problems) > 0 {
		t.Fatalf("pages reported problems:\n%s", strings.Join(problems, "\n"))
	}

	// Gone for everyone: bob, the owner, anonymous visitors, the admin.
	browsertest.Do(t, bob, chromedp.Navigate(e.base+"/"+id), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if got := browsertest.Get(t, bob, chromedp.Text(chromedp.CSS(`h1`))); got != "Not Found" {
		t.Errorf("bob sees %q at the paste", got)
	}
	for _, who := range []*user{nil, carol, root} {
		for _, path := range []string{"/" + id, "/raw/" + id, "/api/v1/pastes/" + id} {
			if r, _ := e.userGet(who, path); r.StatusCode != 404 {
				t.Errorf("GET %s after removal = %d", path, r.StatusCode)
			}
		}
	}
	if _, body := e.get("/explore"); strings.Contains(string(body), id) {
		t.Error("explore still lists the removed paste")
	}
	_, log := e.userGet(root, "/admin/log")
	if got := parse(t, log).Find(`[data-testid="admin-log-target"]`).First().Text(); got != id {
		t.Errorf("admin log's latest target = %q, want %s", got, id)
	}
	// The one problem left is the 404 of the removed paste itself.
	for _, p := range b.Problems() {
		if !strings.Contains(p, "404") || !strings.Contains(p, "/"+id) {
			t.Errorf("page problem: %s", p)
		}
	}
}

package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
)

// TestBrowserPasswordPaste: in Chromium, a password paste's page asks for
// the password, a wrong one says so, the right one opens it and the tab
// keeps it; the prompt, the new-paste form's password, views cap and
// custom expiry fields, a capped paste's owner page and the share-link
// form, at 390 and 1280 px in light and dark, fit the window without a
// script error or CSP violation. Screenshots go to tmp/screens/privacy/.
func TestBrowserPasswordPaste(t *testing.T) {
	e := newEnv(t, served())
	owner := e.register("pw_owner")
	id := e.apiPaste(owner, `{"title":"deploy notes","content":"ssh deploy@example.org\nrestart the queue","password":"open sesame"}`)
	capped := e.apiPaste(owner, `{"title":"counted","content":"three reads","max_views":3}`)
	private := e.apiPaste(owner, `{"title":"private","content":"for a few","visibility":"private"}`)
	e.mustAPI(owner, "POST", "/api/v1/pastes/"+private+"/share-links", `{"expires_in":"1d","max_views":5}`, 201)

	if err := os.MkdirAll(filepath.Join(screenDir, "privacy"), 0o755); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	anon, cancelAnon := b.Incognito()
	defer cancelAnon()
	ownerTab, cancelOwner := b.Incognito()
	defer cancelOwner()
	signIn(t, e, ownerTab, owner)

	for _, width := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			browsertest.Do(t, anon, chromedp.EmulateViewport(width, 900), colourScheme(scheme))
			browsertest.Do(t, ownerTab, chromedp.EmulateViewport(width, 900), colourScheme(scheme))
			shot := func(name string) string { return fmt.Sprintf("privacy/%s-%d-%s", name, width, scheme) }
			checkLayout(t, anon, e.base+"/"+id, shot("prompt"))
			checkLayout(t, ownerTab, e.base+"/", shot("form"))
			// The new fields sit below the fold: a picture of them too.
			browsertest.Do(t, ownerTab, chromedp.ScrollIntoView(chromedp.CSS(`[data-testid="max-views-field"]`)))
			png := browsertest.Get(t, ownerTab, chromedp.CaptureScreenshot())
			os.WriteFile(filepath.Join(screenDir, shot("form-fields")+".png"), png, 0o644)
			checkLayout(t, ownerTab, e.base+"/"+capped, shot("capped-owner"))
			checkLayout(t, ownerTab, e.base+"/"+private, shot("share-panel"))
		}
	}
	// The owner's capped page says how many views are left.
	browsertest.Do(t, ownerTab, chromedp.Navigate(e.base+"/"+capped), chromedp.WaitReady(chromedp.CSS("footer.site-footer")))
	left := browsertest.Get(t, ownerTab, chromedp.Evaluate[string](`(document.querySelector('[data-testid="views-left"]')||{}).textContent||""`))
	if left != "3 views left" {
		t.Errorf("owner's capped page says %q, want 3 views left", left)
	}

	// A wrong password, then the right one; the tab then keeps the unlock.
	browsertest.Do(t, anon,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(e.base+"/"+id),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="password-input"]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="password-input"]`), "guess"),
		chromedp.Click(chromedp.CSS(`[data-testid="unlock"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="password-error"]`)),
	)
	png := browsertest.Get(t, anon, chromedp.CaptureScreenshot())
	os.WriteFile(filepath.Join(screenDir, "privacy", "prompt-wrong-1280.png"), png, 0o644)
	browsertest.Do(t, anon,
		chromedp.SendKeys(chromedp.CSS(`[data-testid="password-input"]`), "open sesame"),
		chromedp.Click(chromedp.CSS(`[data-testid="unlock"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="code"]`)),
	)
	code := browsertest.Get(t, anon, chromedp.Evaluate[string](`document.querySelector('[data-testid="code"]').textContent`))
	if !strings.Contains(code, "restart the queue") {
		t.Fatalf("after the password the page shows %q", code)
	}
	browsertest.Do(t, anon, chromedp.Navigate(e.base+"/raw/"+id), chromedp.WaitReady(chromedp.CSS("body")))
	raw := browsertest.Get(t, anon, chromedp.Evaluate[string](`document.body.innerText`))
	if !strings.Contains(raw, "restart the queue") {
		t.Fatalf("raw in the unlocked tab = %q", raw)
	}
	// Another tab (another session) still needs it.
	other, cancelOther := b.Incognito()
	defer cancelOther()
	browsertest.Do(t, other, chromedp.Navigate(e.base+"/"+id), chromedp.WaitVisible(chromedp.CSS(`[data-testid="password-form"]`)))
	// The prompt answers 401 on purpose (Chromium logs that); anything
	// else is a problem.
	var problems []string
	for _, p := range b.Problems() {
		if !strings.Contains(p, "status of 401") {
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		t.Fatalf("pages reported problems:\n%s", strings.Join(problems, "\n"))
	}
}

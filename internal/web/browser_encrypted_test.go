package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pastel/internal/blob"
	"pastel/internal/browsertest"
)

// encryptedScreens is where this file's screenshots go.
var encryptedScreens = filepath.Join(screenDir, "encryption")

// TestBrowserEncryptedPastes: text typed into the form with "Encrypt in my
// browser" ticked reaches neither the database (pastes, search, previews,
// every table) nor the blob store; the link with its #key shows it, the
// link without the key says the key is missing and shows nothing; with a
// password the page asks for it, refuses a wrong one and opens with the
// right one. No console or CSP errors, and every script the pages load is
// Pastel's own.
func TestBrowserEncryptedPastes(t *testing.T) {
	dir := t.TempDir()
	local, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, served(), withBlobs(local))
	if err := os.MkdirAll(encryptedScreens, 0o755); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()

	secret := fmt.Sprintf("the vault opens with PLAINTEXT-%d\nsecond line <b>not html</b>\n", time.Now().UnixNano())
	create := func(password string) string {
		browsertest.Do(t, ctx,
			chromedp.Navigate(e.base+"/"),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="encrypt-option"]`)),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('[name="content"]').value = `+quote(secret)),
			chromedp.Click(chromedp.CSS(`[data-testid="encrypt-input"]`)),
		)
		if password != "" {
			browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS(`[data-testid="encrypt-password"]`), password))
		}
		browsertest.Do(t, ctx,
			chromedp.Click(chromedp.CSS(`[data-testid="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="encrypted"]`)),
		)
		return browsertest.Get(t, ctx, chromedp.Location())
	}
	shown := func() string {
		return browsertest.Get(t, ctx, chromedp.Evaluate[string](`document.querySelector('[data-testid="decrypted"]').textContent`))
	}

	link := create("")
	id, key, ok := strings.Cut(strings.TrimPrefix(link, e.base+"/"), "#")
	if !ok || len(key) != 43 {
		t.Fatalf("landed on %q: want the paste's URL with a #key", link)
	}
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="decrypted"]`)))
	if got := shown(); got != secret {
		t.Errorf("decrypted %q, want %q", got, secret)
	}
	// The creator's notice gives the whole link, key included.
	if got := browsertest.Get(t, ctx, chromedp.Evaluate[string](`document.getElementById("created-url").textContent`)); got != link {
		t.Errorf("the Created notice offers %q, want %q", got, link)
	}
	if n := browsertest.Get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="decrypted"] b').length`)); n != 0 {
		t.Error("decrypted text was read as HTML")
	}
	needle := secret[:strings.IndexByte(secret, '\n')]
	if tables := tablesHolding(t, e.pool, "PLAINTEXT-"); len(tables) != 0 {
		t.Errorf("the plain text reached tables %v", tables)
	}
	if files := filesHolding(t, dir, "PLAINTEXT-"); len(files) != 0 {
		t.Errorf("the plain text reached the blob store: %v", files)
	}
	var encrypted bool
	var preview, title string
	if err := e.pool.QueryRow(context.Background(), `SELECT encrypted, preview, title FROM pastes WHERE id = $1`, id).Scan(&encrypted, &preview, &title); err != nil {
		t.Fatal(err)
	}
	if !encrypted || preview != "" || title != "" {
		t.Errorf("row: encrypted %v preview %q title %q", encrypted, preview, title)
	}
	if _, raw := e.get("/raw/" + id); !strings.HasPrefix(string(raw), `{"v":1,"iv":`) || strings.Contains(string(raw), needle) {
		t.Errorf("raw view: %.80s", raw)
	}
	for _, w := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			browsertest.Do(t, ctx, chromedp.EmulateViewport(w, 900), colourScheme(scheme))
			checkLayout(t, ctx, link, filepath.Join("encryption", fmt.Sprintf("decrypted-%d-%s", w, scheme)))
			browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="decrypted"]`)))
			shot(t, ctx, `[data-testid="encrypted"]`, fmt.Sprintf("decrypted-box-%d-%s", w, scheme))
		}
	}

	// Without the key: a clear message, nothing decrypted.
	other, cancelOther := b.Incognito()
	defer cancelOther()
	browsertest.Do(t, other, chromedp.Navigate(e.base+"/"+id), chromedp.WaitVisible(chromedp.CSS(`[data-testid="encrypted-status"]`)))
	msg := browsertest.Get(t, other, chromedp.Text(chromedp.CSS(`[data-testid="encrypted-status"]`)))
	if !strings.Contains(msg, "key is missing") {
		t.Errorf("without the key the page says %q", msg)
	}
	shot(t, other, `[data-testid="encrypted"]`, "no-key-1280-light")
	if body := browsertest.Get(t, other, chromedp.Evaluate[string](`document.body.innerText`)); strings.Contains(body, needle) {
		t.Error("the page showed the text without the key")
	}
	// A wrong key fails as clearly.
	wrong := strings.Repeat("A", 43)
	browsertest.Do(t, other, chromedp.Navigate(e.base+"/"+id+"#"+wrong), chromedp.Sleep(300*time.Millisecond))
	if msg := browsertest.Get(t, other, chromedp.Text(chromedp.CSS(`[data-testid="encrypted-status"]`))); !strings.Contains(msg, "does not open") {
		t.Errorf("with a wrong key the page says %q", msg)
	}

	// With a password on top.
	browsertest.Do(t, ctx, chromedp.EmulateViewport(1280, 900), colourScheme("light"))
	link = create("correct horse")
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="encrypted-password"]`)))
	for _, w := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			browsertest.Do(t, ctx, chromedp.EmulateViewport(w, 900), colourScheme(scheme))
			checkLayout(t, ctx, link, filepath.Join("encryption", fmt.Sprintf("password-prompt-%d-%s", w, scheme)))
			shot(t, ctx, `[data-testid="encrypted"]`, fmt.Sprintf("password-prompt-box-%d-%s", w, scheme))
		}
	}
	browsertest.Do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="decrypt-password"]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="decrypt-password"]`), "wrong horse"),
		chromedp.Click(chromedp.CSS(`[data-testid="decrypt-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="decrypt-error"]`)),
	)
	if got := shown(); got != "" {
		t.Errorf("a wrong password showed %q", got)
	}
	browsertest.Do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="decrypt-password"]').value = ""`),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="decrypt-password"]`), "correct horse"),
		chromedp.Click(chromedp.CSS(`[data-testid="decrypt-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="decrypted"]`)),
	)
	if got := shown(); got != secret {
		t.Errorf("the right password showed %q", got)
	}
	if tables := tablesHolding(t, e.pool, "PLAINTEXT-"); len(tables) != 0 {
		t.Errorf("the plain text reached tables %v", tables)
	}
	if files := filesHolding(t, dir, "PLAINTEXT-"); len(files) != 0 {
		t.Errorf("the plain text reached the blob store: %v", files)
	}
	if tables := tablesHolding(t, e.pool, "correct horse"); len(tables) != 0 {
		t.Errorf("the password reached tables %v", tables)
	}

	// The form with the option ticked and its password field.
	for _, w := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			browsertest.Do(t, ctx, chromedp.EmulateViewport(w, 900), colourScheme(scheme))
			checkLayout(t, ctx, e.base+"/", filepath.Join("encryption", fmt.Sprintf("form-%d-%s", w, scheme)))
			browsertest.Do(t, ctx,
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="encrypt-option"]`)),
				chromedp.Click(chromedp.CSS(`[data-testid="encrypt-input"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="encrypt-password"]`)),
				chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="encrypt-option"]').scrollIntoView({block: "center"})`),
			)
			png := browsertest.Get(t, ctx, chromedp.CaptureScreenshot())
			os.WriteFile(filepath.Join(encryptedScreens, fmt.Sprintf("form-ticked-%d-%s.png", w, scheme)), png, 0o644)
		}
	}
	assertOwnScripts(t, ctx, e.base)
	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("problems:\n%s", strings.Join(p, "\n"))
	}
}

// shot scrolls the element sel into view and saves a screenshot as name.
func shot(t *testing.T, ctx context.Context, sel, name string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('`+sel+`').scrollIntoView({block: "center"})`))
	png := browsertest.Get(t, ctx, chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(encryptedScreens, name+".png"), png, 0o644); err != nil {
		t.Log(err)
	}
}

// assertOwnScripts fails t when the page in ctx loaded a script from
// anywhere but Pastel's own /static/.
func assertOwnScripts(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	srcs := browsertest.Get(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.scripts, s => s.src || "inline:" + s.textContent.slice(0, 40)).concat(
		performance.getEntriesByType("resource").filter(r => r.initiatorType === "script").map(r => r.name))`))
	if len(srcs) == 0 {
		t.Fatal("no scripts at all: the page cannot have decrypted anything")
	}
	for _, s := range srcs {
		if !strings.HasPrefix(s, base+"/static/") {
			t.Errorf("a script not from Pastel's /static/: %q", s)
		}
	}
}

// TestBrowserSecretWarning: a public paste whose text holds an AWS key is
// held back with the line named, the typed text kept; "Remove those lines"
// publishes it without them.
func TestBrowserSecretWarning(t *testing.T) {
	e := newEnv(t, served())
	if err := os.MkdirAll(encryptedScreens, 0o755); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()
	text := "deploy:\n  region: eu-west-1\n  aws_access_key_id: AKIAIOSFODNN7EXAMPLQ\n  db: postgres://app:Tr0ub4dor3@db.internal/app\n  replicas: 3\n"
	fill := chromedp.Evaluate[chromedp.Void](`document.querySelector('[name="title"]').value = "deploy.yaml"; document.querySelector('[name="content"]').value = ` + quote(text))
	for _, w := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			browsertest.Do(t, ctx, chromedp.EmulateViewport(w, 900), colourScheme(scheme),
				chromedp.Navigate(e.base+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="submit"]`)), fill,
				chromedp.Click(chromedp.CSS(`[data-testid="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="secret-warning"]`)),
			)
			png := browsertest.Get(t, ctx, chromedp.CaptureScreenshot())
			os.WriteFile(filepath.Join(encryptedScreens, fmt.Sprintf("warning-%d-%s.png", w, scheme)), png, 0o644)
		}
	}
	lines := browsertest.Get(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-testid="secret-finding"]'), li => li.dataset.line)`))
	if strings.Join(lines, ",") != "3,4" {
		t.Errorf("warned lines %v, want 3 and 4", lines)
	}
	if got := browsertest.Get(t, ctx, chromedp.Evaluate[string](`document.querySelector('[name="content"]').value`)); got != text {
		t.Errorf("the typed text was not kept: %q", got)
	}
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="secret-remove"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="paste-title"]`)),
	)
	loc := browsertest.Get(t, ctx, chromedp.Location())
	id := strings.TrimPrefix(loc, e.base+"/")
	if _, raw := e.get("/raw/" + id); string(raw) != "deploy:\n  region: eu-west-1\n  replicas: 3\n" {
		t.Errorf("published: %q", raw)
	}
	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("problems:\n%s", strings.Join(p, "\n"))
	}
}

// TestBrowserEncryptedBurn: an encrypted burn-after-reading paste's creator
// gets the whole link (key included) without consuming it; its reader
// confirms, the page keeps the key across the reveal and decrypts it once;
// a second reader finds nothing.
func TestBrowserEncryptedBurn(t *testing.T) {
	e := newEnv(t, served())
	b := browsertest.New(t)
	ctx, cancel := b.Tab()
	defer cancel()
	secret := "read me once: PLAINTEXT-burn\n"
	browsertest.Do(t, ctx,
		chromedp.Navigate(e.base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="encrypt-option"]`)),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('[name="content"]').value = `+quote(secret)),
		chromedp.Click(chromedp.CSS(`[data-testid="burn-input"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="encrypt-input"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="created-url"]`)),
	)
	link := browsertest.Get(t, ctx, chromedp.Evaluate[string](`document.getElementById("created-url").textContent`))
	if loc := browsertest.Get(t, ctx, chromedp.Location()); link != loc || !strings.Contains(link, "#") {
		t.Fatalf("the Created notice offers %q on %q: want the link with its key", link, loc)
	}
	reader, cancelReader := b.Incognito()
	defer cancelReader()
	browsertest.Do(t, reader,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="reveal-form"] button`)),
		chromedp.Click(chromedp.CSS(`[data-testid="reveal-form"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="decrypted"]`)),
	)
	if got := browsertest.Get(t, reader, chromedp.Evaluate[string](`document.querySelector('[data-testid="decrypted"]').textContent`)); got != secret {
		t.Errorf("revealed %q", got)
	}
	id := strings.TrimPrefix(link[:strings.IndexByte(link, '#')], e.base+"/")
	if resp, _ := e.get("/raw/" + id); resp.StatusCode != 404 {
		t.Errorf("after its one reading the paste is %d, want 404", resp.StatusCode)
	}
	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("problems:\n%s", strings.Join(p, "\n"))
	}
}

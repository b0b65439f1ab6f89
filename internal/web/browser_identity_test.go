package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"pastel/internal/account"
	"pastel/internal/browsertest"
	"pastel/internal/web"
)

// TestBrowserIdentityPages: issue 16's sign-up and sign-in pages (sign-in
// with the provider button and the reset link, the invite-only sign-up
// with and without an invite, a refused provider sign-in, the second
// sign-in step, two-factor set-up in settings, an admin's invites, the
// reset link's page and the e-mail request) at 390 and 1280 px in light
// and dark: no page wider than the window, nothing sticking out, no script
// error or CSP violation. Screenshots go to tmp/screens/identity/.
func TestBrowserIdentityPages(t *testing.T) {
	p := newOIDCProvider(t)
	e := newEnv(t, served(), withRegistration(account.RegistrationInvite),
		withDeps(func(d *web.Deps) { d.Mailer = discardMailer{} }),
		withOptions(func(o *web.Options) {
			o.OIDC = &web.OIDCOptions{Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: p.ClientSecret, Name: "Example SSO"}
		}))
	p.SetRedirectURI(e.base + "/auth/oidc/callback")
	ctx := context.Background()
	boss := e.seedUser("boss")
	e.makeAdmin(boss)
	for _, note := range []string{"for the design team", "", "contractor, two weeks"} {
		if _, _, err := e.accounts.CreateInvite(ctx, boss.id, 0, note); err != nil {
			t.Fatal(err)
		}
	}
	invite, _, _ := e.accounts.CreateInvite(ctx, boss.id, 0, "")
	reset, _, err := e.accounts.CreateResetLink(ctx, "boss", boss.id, 0)
	if err != nil {
		t.Fatal(err)
	}
	tess := e.seedUser("tess")
	if _, _, err := e.accounts.BeginTOTP(ctx, tess.id, "Pastel"); err != nil {
		t.Fatal(err)
	}
	guarded := e.seedUser("guarded")
	secret, _, _ := e.accounts.BeginTOTP(ctx, guarded.id, "Pastel")
	code, _ := totp.GenerateCode(secret, e.clock.Now())
	if _, err := e.accounts.EnableTOTP(ctx, guarded.id, code); err != nil {
		t.Fatal(err)
	}

	if err := os.MkdirAll(filepath.Join(screenDir, "identity"), 0o755); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	anon, cancelAnon := b.Incognito()
	defer cancelAnon()
	admin, cancelAdmin := b.Incognito()
	defer cancelAdmin()
	signIn(t, e, admin, boss)
	tessTab, cancelTess := b.Incognito()
	defer cancelTess()
	signIn(t, e, tessTab, tess)
	half, cancelHalf := b.Incognito()
	defer cancelHalf()
	browsertest.Do(t, half,
		chromedp.Navigate(e.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/login"] input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`form[action="/login"] input[name="username"]`), "guarded"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/login"] input[name="password"]`), guarded.password),
		chromedp.Submit(chromedp.CSS(`form[action="/login"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="two-factor-form"]`)),
	)

	for _, width := range []int64{390, 1280} {
		for _, scheme := range []string{"light", "dark"} {
			for _, tab := range []context.Context{anon, admin, tessTab, half} {
				browsertest.Do(t, tab, chromedp.EmulateViewport(width, 900), colourScheme(scheme))
			}
			shot := func(name string) string { return fmt.Sprintf("identity/%s-%d-%s", name, width, scheme) }
			checkLayout(t, anon, e.base+"/login", shot("login"))
			checkLayout(t, anon, e.base+"/register", shot("register-no-invite"))
			checkLayout(t, anon, e.base+"/register?invite="+invite, shot("register-invite"))
			checkLayout(t, anon, e.base+"/auth/oidc/callback?state=forged&code=x", shot("oidc-refused"))
			checkLayout(t, anon, e.base+"/reset/"+reset, shot("reset"))
			checkLayout(t, anon, e.base+"/reset/NotARealResetToken1234", shot("reset-used"))
			checkLayout(t, anon, e.base+"/forgot", shot("forgot"))
			checkLayout(t, admin, e.base+"/admin/invites", shot("admin-invites"))
			checkLayout(t, tessTab, e.base+"/settings#two-factor", shot("settings-2fa-pending"))
			checkLayout(t, half, e.base+"/login/2fa", shot("second-factor"))
		}
	}
	// Making an invite shows its link once, with a Copy button.
	browsertest.Do(t, admin,
		chromedp.Navigate(e.base+"/admin/invites"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="invite-note"]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="invite-note"]`), "for Grace"),
		chromedp.Submit(chromedp.CSS(`[data-testid="invite-create"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="new-invite-url"]`)),
	)
	png := browsertest.Get(t, admin, chromedp.CaptureScreenshot())
	os.WriteFile(filepath.Join(screenDir, "identity", "admin-invite-made-1280-dark.png"), png, 0o644)
	// The refused sign-in and the used link answer 400 and 404 on purpose;
	// anything else the browser reports is a problem.
	var probs []string
	for _, pr := range b.Problems() {
		if strings.Contains(pr, "Failed to load resource") && (strings.Contains(pr, "/auth/oidc/callback?state=forged") || strings.Contains(pr, "/reset/NotARealResetToken1234")) {
			continue
		}
		probs = append(probs, pr)
	}
	if len(probs) > 0 {
		t.Fatalf("browser problems:\n%s", strings.Join(probs, "\n"))
	}
}

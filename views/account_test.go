package views

import (
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
)

func testRegisterForm() AuthForm {
	return AuthForm{
		Mode:     "register",
		Username: "new_user",
		Email:    "new@example.com",
		Next:     "/AbCdEf12",
		Errors:   map[string]string{"username": "is taken", "password": "must be at least 10 characters"},
	}
}

const newToken = "pst_s3cr3t-token-value"

func testSettings() SettingsView {
	used := time.Now().Add(-2 * time.Hour)
	return SettingsView{
		Username: "alice",
		Email:    "alice@example.com",
		JoinedAt: time.Now().Add(-90 * 24 * time.Hour),
		Sessions: []SessionView{
			{ID: "cur-1", UserAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", IP: "192.0.2.1", CreatedAt: time.Now().Add(-time.Hour), LastSeenAt: time.Now(), Current: true},
			{ID: "other/2", UserAgent: "curl/8.5.0", IP: "198.51.100.7", CreatedAt: time.Now().Add(-72 * time.Hour), LastSeenAt: time.Now().Add(-24 * time.Hour)},
		},
		Tokens: []APITokenView{
			{ID: 7, Name: "backup script", Prefix: "pst_ab12", CreatedAt: time.Now().Add(-5 * 24 * time.Hour), LastUsedAt: &used},
			{ID: 9, Name: "laptop", Prefix: "pst_cd34", CreatedAt: time.Now().Add(-time.Minute)},
		},
		NewToken:     newToken,
		NewTokenName: "laptop",
	}
}

func testSelfView() UserView {
	priv := testPaste()
	priv.ID, priv.Visibility = "Priv1234", paste.Private
	unl := testPaste()
	unl.ID, unl.Visibility = "Unl12345", paste.Unlisted
	return UserView{
		Username: "alice",
		JoinedAt: time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC),
		IsSelf:   true,
		Items:    []paste.Paste{testPaste(), unl, priv},
	}
}

func testOwnerView() PasteView {
	v := testView()
	v.Paste.Visibility = paste.Private
	v.CanEdit = true
	v.CanDelete = true
	v.EditURL = "/AbCdEf12/edit"
	v.ShowSharing = true
	used := time.Now().Add(-time.Hour)
	v.ShareLinks = []ShareLinkView{
		{ID: 11, CreatedAt: time.Now().Add(-2 * time.Hour), LastUsedAt: &used},
		{ID: 12, CreatedAt: time.Now().Add(-time.Minute)},
	}
	v.NewShareURL = "http://example.test/s/tok_abc"
	return v
}

func testEditForm() PasteForm {
	f := testForm()
	f.Action = "/AbCdEf12/edit"
	f.SubmitLabel = "Save changes"
	f.Editing = true
	f.Title = "Hello"
	f.Content = "package main"
	return f
}

func attrs(s *goquery.Selection, names ...string) map[string]string {
	got := map[string]string{}
	for _, n := range names {
		got[n] = s.AttrOr(n, "<none>")
	}
	return got
}

func TestAuthForms(t *testing.T) {
	tests := []struct {
		name   string
		page   templ.Component
		id     string
		action string
		submit string
		other  string // the link to the other form
	}{
		{"login", LoginPage(testPage, AuthForm{Mode: "login", Next: "/AbCdEf12?x=1"}), LoginFormID, "/login", "Sign in", `[data-testid="register-link"]`},
		{"register", RegisterPage(testPage, AuthForm{Mode: "register", Next: "/AbCdEf12?x=1"}), RegisterFormID, "/register", "Create account", `[data-testid="login-link"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, _ := render(t, tt.page)
			form := doc.Find("form#" + tt.id)
			want := map[string]string{"method": "post", "action": tt.action, "hx-post": tt.action, "hx-target": "#" + tt.id, "hx-swap": "outerHTML"}
			if diff := cmp.Diff(want, attrs(form, "method", "action", "hx-post", "hx-target", "hx-swap")); diff != "" {
				t.Errorf("form attributes (-want +got):\n%s", diff)
			}
			hidden := map[string]string{
				"_csrf": form.Find(`input[type="hidden"][name="_csrf"]`).AttrOr("value", "<none>"),
				"next":  form.Find(`input[type="hidden"][name="next"]`).AttrOr("value", "<none>"),
			}
			if diff := cmp.Diff(map[string]string{"_csrf": testPage.CSRFToken, "next": "/AbCdEf12?x=1"}, hidden); diff != "" {
				t.Errorf("hidden fields (-want +got):\n%s", diff)
			}
			user := form.Find(`input[name="username"]`)
			if diff := cmp.Diff(map[string]string{"type": "text", "autocomplete": "username", "autofocus": ""}, attrs(user, "type", "autocomplete", "autofocus")); diff != "" {
				t.Errorf("username input (-want +got):\n%s", diff)
			}
			wantPw := "current-password"
			if tt.name == "register" {
				wantPw = "new-password"
			}
			pw := form.Find(`input[name="password"]`)
			if diff := cmp.Diff(map[string]string{"type": "password", "autocomplete": wantPw, "value": "<none>"}, attrs(pw, "type", "autocomplete", "value")); diff != "" {
				t.Errorf("password input (-want +got):\n%s", diff)
			}
			if got := strings.TrimSpace(form.Find(`button[type="submit"]`).Text()); got != tt.submit {
				t.Errorf("submit = %q, want %q", got, tt.submit)
			}
			if got := doc.Find(tt.other).AttrOr("href", ""); !strings.HasSuffix(got, "?next=%2FAbCdEf12%3Fx%3D1") {
				t.Errorf("link to the other form = %q, want it to keep next", got)
			}
			if doc.Find(`.field-error, [data-testid="error-form"]`).Length() != 0 {
				t.Error("errors shown on a fresh form")
			}
		})
	}

	// Fragment: the token comes from the form itself; no next means plain links.
	doc, _ := render(t, LoginFormFragment(AuthForm{CSRFToken: "frag-tok"}))
	if got := doc.Find(`input[name="_csrf"]`).AttrOr("value", ""); got != "frag-tok" {
		t.Errorf("fragment _csrf = %q", got)
	}
	if got := doc.Find(`[data-testid="register-link"]`).AttrOr("href", ""); got != "/register" {
		t.Errorf("register link without next = %q", got)
	}
	doc, _ = render(t, RegisterPage(testPage, AuthForm{}))
	reg := doc.Find("form#" + RegisterFormID)
	email := reg.Find(`input[name="email"]`)
	if _, req := email.Attr("required"); req || email.AttrOr("type", "") != "email" {
		t.Errorf("email input: type=%q required=%v, want optional type=email", email.AttrOr("type", ""), req)
	}
	if got := reg.Find(`input[name="password"]`).AttrOr("minlength", ""); got != "10" {
		t.Errorf("password minlength = %q", got)
	}
	for _, hint := range []string{"3–32 characters: letters, digits, _ and -; case does not matter", "At least 10 characters"} {
		if !strings.Contains(reg.Find(".field-hint").Text(), hint) {
			t.Errorf("register form lacks the hint %q", hint)
		}
	}
}

func TestAuthFormErrors(t *testing.T) {
	doc, _ := render(t, LoginFormFragment(AuthForm{Username: "bob", Errors: map[string]string{"": "Wrong username or password."}}))
	if got := doc.Find(`[data-testid="error-form"]`).Text(); got != "Wrong username or password." {
		t.Errorf("form error = %q", got)
	}
	if got := doc.Find(`input[name="username"]`).AttrOr("value", ""); got != "bob" {
		t.Errorf("username kept as %q", got)
	}

	f := testRegisterForm()
	doc, _ = render(t, RegisterFormFragment(f))
	got := map[string]string{}
	for _, k := range []string{"username", "password", "email"} {
		if s := doc.Find(`[data-testid="error-` + k + `"]`); s.Length() > 0 {
			got[k] = s.Text()
		}
	}
	want := map[string]string{"username": "Username is taken.", "password": "Password must be at least 10 characters."}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("field errors (-want +got):\n%s", diff)
	}
	invalid := map[string]string{}
	doc.Find(`input[aria-invalid]`).Each(func(_ int, s *goquery.Selection) { invalid[s.AttrOr("name", "")] = s.AttrOr("aria-invalid", "") })
	if diff := cmp.Diff(map[string]string{"username": "true", "email": "false", "password": "true"}, invalid); diff != "" {
		t.Errorf("aria-invalid (-want +got):\n%s", diff)
	}
	kept := []string{doc.Find(`input[name="username"]`).AttrOr("value", ""), doc.Find(`input[name="email"]`).AttrOr("value", "")}
	if diff := cmp.Diff([]string{"new_user", "new@example.com"}, kept); diff != "" {
		t.Errorf("kept values (-want +got):\n%s", diff)
	}
}

func TestHeaderAccountLinks(t *testing.T) {
	doc, _ := render(t, ExplorePage(testPage, ExploreView{}))
	if n := doc.Find(`[data-testid="nav-my-pastes"], [data-testid="nav-settings"]`).Length(); n != 0 {
		t.Errorf("anonymous header has %d account links", n)
	}
	p := testPage
	p.User = "bob smith"
	p.Nav = "settings"
	doc, _ = render(t, SettingsPage(p, SettingsView{Username: "bob smith"}))
	links := map[string]string{
		"nav-my-pastes": doc.Find(`[data-testid="nav-my-pastes"]`).AttrOr("href", ""),
		"nav-settings":  doc.Find(`[data-testid="nav-settings"]`).AttrOr("href", ""),
	}
	if diff := cmp.Diff(map[string]string{"nav-my-pastes": "/u/bob%20smith", "nav-settings": "/settings"}, links); diff != "" {
		t.Errorf("account links (-want +got):\n%s", diff)
	}
	if doc.Find(`[data-testid="nav-settings"][aria-current="page"]`).Length() != 1 {
		t.Error("settings link not marked current on the settings page")
	}
	if doc.Find(`[data-testid="logout-form"]`).Length() != 1 {
		t.Error("sign out form missing")
	}
	p.Nav = ""
	doc, _ = render(t, UserPage(p, UserView{Username: "bob smith", IsSelf: true}))
	if doc.Find(`[data-testid="nav-my-pastes"][aria-current="page"]`).Length() != 1 {
		t.Error("my pastes link not marked current on one's own page")
	}
}

func TestSettingsPage(t *testing.T) {
	p := testPage
	p.User = "alice"
	doc, html := render(t, SettingsPage(p, testSettings()))

	if got := doc.Find(`[data-testid="new-token"]`).Text(); got != newToken {
		t.Errorf("new token = %q", got)
	}
	if n := strings.Count(html, newToken); n != 1 {
		t.Errorf("the new token appears %d times, want once", n)
	}
	copyBtn := doc.Find(`[data-testid="copy-token"]`)
	if copyBtn.AttrOr("data-copy", "") != NewTokenID || doc.Find("#"+NewTokenID).Length() != 1 {
		t.Errorf("copy button data-copy = %q, target found %d", copyBtn.AttrOr("data-copy", ""), doc.Find("#"+NewTokenID).Length())
	}
	if !strings.Contains(doc.Find(`[data-testid="new-token-box"]`).Text(), "you will not see it again") {
		t.Error("new token box does not say it is shown once")
	}
	if got := doc.Find(`input[name="name"]`).AttrOr("value", ""); got != "" {
		t.Errorf("token name field still holds %q after creation", got)
	}
	if n := doc.Find("[autofocus]").Length(); n != 1 || copyBtn.AttrOr("autofocus", "<none>") == "<none>" {
		t.Errorf("%d autofocus elements; want just the Copy button", n)
	}

	// Every form posts with the CSRF token.
	forms := map[string]int{}
	doc.Find("main form").Each(func(_ int, f *goquery.Selection) {
		if f.AttrOr("method", "") != "post" {
			t.Errorf("form %s: method %q", f.AttrOr("action", ""), f.AttrOr("method", ""))
		}
		if f.Find(`input[type="hidden"][name="_csrf"]`).AttrOr("value", "") != p.CSRFToken {
			t.Errorf("form %s lacks the CSRF token", f.AttrOr("action", ""))
		}
		forms[f.AttrOr("action", "")]++
	})
	wantForms := map[string]int{
		"/settings/password":                  1,
		"/settings/2fa/setup":                 1, // two-factor is off: the form that sets it up
		"/settings/delete":                    1,
		"/settings/sessions/revoke-others":    1,
		"/settings/sessions/other%2F2/revoke": 1,
		"/settings/tokens":                    1,
		"/settings/tokens/7/revoke":           1,
		"/settings/tokens/9/revoke":           1,
	}
	if diff := cmp.Diff(wantForms, forms); diff != "" {
		t.Errorf("forms (-want +got):\n%s", diff)
	}

	pwForm := doc.Find(`[data-testid="password-form"]`)
	names := []string{}
	pwForm.Find(`input[type="password"]`).Each(func(_ int, s *goquery.Selection) {
		names = append(names, s.AttrOr("name", "")+":"+s.AttrOr("autocomplete", ""))
	})
	if diff := cmp.Diff([]string{"old_password:current-password", "new_password:new-password"}, names); diff != "" {
		t.Errorf("password fields (-want +got):\n%s", diff)
	}
	if !strings.Contains(pwForm.Text(), "Changing your password signs you out everywhere else and revokes API refresh tokens.") {
		t.Error("password form lacks the sign-out note")
	}

	rows := doc.Find(`[data-testid="sessions-table"] [data-testid="session-row"]`)
	if rows.Length() != 2 {
		t.Fatalf("%d session rows, want 2", rows.Length())
	}
	cur, other := rows.Eq(0), rows.Eq(1)
	if cur.Find(`[data-testid="current-session"]`).Length() != 1 || cur.Find("form").Length() != 0 {
		t.Error("current session: want the badge and no sign-out form")
	}
	if other.Find(`[data-testid="current-session"]`).Length() != 0 || other.Find(`[data-testid="revoke-session"] button`).Text() != "Sign out" {
		t.Error("other session: want a Sign out form and no badge")
	}
	facts := []string{
		strings.TrimSpace(cur.Find(".device").Text()), cur.Find(`[data-testid="session-ip"]`).Text(),
		strings.TrimSpace(other.Find(".device").Text()), other.Find(`[data-testid="session-ip"]`).Text(),
		other.Find("time").First().Text(), other.Find("time").Last().Text(),
	}
	if diff := cmp.Diff([]string{"Firefox on Linux", "192.0.2.1", "curl", "198.51.100.7", "3 days ago", "1 day ago"}, facts); diff != "" {
		t.Errorf("session facts (-want +got):\n%s", diff)
	}

	tokens := doc.Find(`[data-testid="tokens-table"] [data-testid="token-row"]`)
	var got []string
	tokens.Each(func(_ int, s *goquery.Selection) {
		got = append(got, strings.Join([]string{
			s.Find(`[data-testid="token-name"]`).Text(),
			s.Find(`[data-testid="token-prefix"]`).Text(),
			strings.TrimSpace(s.Find(`[data-testid="token-last-used"]`).Text()),
		}, " | "))
	})
	if diff := cmp.Diff([]string{"backup script | pst_ab12… | 2 hours ago", "laptop | pst_cd34… | never"}, got); diff != "" {
		t.Errorf("token rows (-want +got):\n%s", diff)
	}
	if !strings.Contains(doc.Find(`[data-testid="tokens-section"]`).Text(), "Authorization: Bearer <token>") {
		t.Error("tokens section does not explain the header")
	}
}

func TestSettingsStates(t *testing.T) {
	// No new token: nothing secret on the page, empty states shown.
	s := SettingsView{Username: "alice", PasswordChanged: true}
	doc, _ := render(t, SettingsPage(testPage, s))
	for id, want := range map[string]int{"new-token": 0, "new-token-box": 0, "sessions-empty": 1, "tokens-empty": 1, "password-changed": 1, "error-form": 0} {
		if n := doc.Find(`[data-testid="` + id + `"]`).Length(); n != want {
			t.Errorf("%s: %d, want %d", id, n, want)
		}
	}
	if n := doc.Find("[autofocus]").Length(); n != 0 {
		t.Errorf("%d autofocus elements on a plain settings page", n)
	}

	// Errors: per field, kept name, focus on the first field in error.
	s = SettingsView{
		Username:       "alice",
		PasswordErrors: map[string]string{"old_password": "That is not your current password."},
		TokenErrors:    map[string]string{"name": "must not be empty", "": "Try again."},
		NewTokenName:   "  ",
	}
	doc, _ = render(t, SettingsPage(testPage, s))
	got := map[string]string{
		"old":  doc.Find(`[data-testid="error-old_password"]`).Text(),
		"name": doc.Find(`[data-testid="error-name"]`).Text(),
		"form": doc.Find(`[data-testid="token-form"] [data-testid="error-form"]`).Text(),
	}
	want := map[string]string{"old": "That is not your current password.", "name": "The name must not be empty.", "form": "Try again."}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if got := doc.Find(`input[name="name"]`).AttrOr("value", "<none>"); got != "  " {
		t.Errorf("token name kept as %q", got)
	}
	if got := doc.Find("[autofocus]").AttrOr("name", ""); got != "name" {
		t.Errorf("autofocus on %q, want the token name", got)
	}
	delete(s.TokenErrors, "name")
	s.TokenErrors = nil
	doc, _ = render(t, SettingsPage(testPage, s))
	if got := doc.Find("[autofocus]").AttrOr("name", ""); got != "old_password" {
		t.Errorf("autofocus on %q, want old_password", got)
	}
}

func TestUserPage(t *testing.T) {
	p := testPage
	p.User = "alice"
	doc, _ := render(t, UserPage(p, testSelfView()))
	if got := doc.Find(`[data-testid="user-heading"]`).Text(); got != "My pastes" {
		t.Errorf("own heading = %q", got)
	}
	var badges []string
	doc.Find(`[data-testid="paste-card"]`).Each(func(_ int, s *goquery.Selection) {
		badges = append(badges, s.Find(`[data-testid="card-visibility"]`).Text())
	})
	if diff := cmp.Diff([]string{"Public", "Unlisted", "Private"}, badges); diff != "" {
		t.Errorf("own page badges (-want +got):\n%s", diff)
	}
	if got := doc.Find(`[data-testid="joined"]`).Text(); got != "March 4, 2025" {
		t.Errorf("joined = %q", got)
	}
	if got := doc.Find("title").Text(); got != "My pastes · Pastel" {
		t.Errorf("title = %q", got)
	}

	other := UserView{Username: "carol", JoinedAt: time.Now(), Items: []paste.Paste{testPaste(), testPaste()}, NextCursor: "cur/1"}
	doc, _ = render(t, UserPage(p, other))
	if got := doc.Find(`[data-testid="user-heading"]`).Text(); got != "carol" {
		t.Errorf("heading = %q", got)
	}
	if n := doc.Find(`[data-testid="card-visibility"]`).Length(); n != 0 {
		t.Errorf("%d visibility badges on someone else's page", n)
	}
	if n := doc.Find(`[data-testid="paste-card"]`).Length(); n != 2 {
		t.Errorf("%d cards", n)
	}
	if got := doc.Find(`[data-testid="older-link"]`).AttrOr("href", ""); got != "?cursor=cur%2F1" {
		t.Errorf("older link = %q", got)
	}
	if doc.Find(`[data-testid="nav-my-pastes"][aria-current]`).Length() != 0 {
		t.Error("my pastes marked current on someone else's page")
	}

	doc, _ = render(t, UserPage(testPage, UserView{Username: "dave"}))
	if got := doc.Find(`[data-testid="empty-list"]`).Text(); got != "dave has no public pastes yet." {
		t.Errorf("empty state = %q", got)
	}
	doc, _ = render(t, UserPage(p, UserView{Username: "alice", IsSelf: true}))
	if got := doc.Find(`[data-testid="empty-list"]`).Text(); got != "You have no pastes yet." {
		t.Errorf("own empty state = %q", got)
	}

	doc, _ = render(t, PasteListWithBadges([]paste.Paste{testPaste()}, ""))
	if got := doc.Find(`[data-testid="card-visibility"]`).Text(); got != "Public" {
		t.Errorf("PasteListWithBadges badge = %q", got)
	}
	doc, _ = render(t, PasteList([]paste.Paste{testPaste()}, ""))
	if n := doc.Find(`[data-testid="card-visibility"]`).Length(); n != 0 {
		t.Error("PasteList shows a badge for a public paste")
	}
}

func TestPasteOwnerExtras(t *testing.T) {
	// A visitor sees neither edit nor sharing.
	doc, _ := render(t, PastePage(testPage, testView()))
	for _, id := range []string{"edit-link", "share-panel", "new-share-url"} {
		if doc.Find(`[data-testid="`+id+`"]`).Length() != 0 {
			t.Errorf("%s shown to a visitor", id)
		}
	}

	v := testOwnerView()
	doc, _ = render(t, PastePage(testPage, v))
	if got := doc.Find(`[data-testid="paste-actions"] [data-testid="edit-link"]`).AttrOr("href", ""); got != "/AbCdEf12/edit" {
		t.Errorf("edit link = %q", got)
	}
	panel := doc.Find(`[data-testid="share-panel"]`)
	if !strings.Contains(panel.Text(), "Anyone with a share link can read this private paste. Revoke a link to stop it working at once.") {
		t.Error("share panel lacks its explanation")
	}
	create := panel.Find(`form[action="/AbCdEf12/share-links"]`)
	if create.AttrOr("method", "") != "post" || create.Find(`input[name="_csrf"]`).AttrOr("value", "") != testPage.CSRFToken ||
		strings.TrimSpace(create.Find("button").Text()) != "Create share link" {
		t.Error("create share link form wrong")
	}
	newURL := panel.Find(`[data-testid="new-share-url"]`)
	if newURL.Text() != v.NewShareURL || newURL.AttrOr("id", "") != NewShareURLID {
		t.Errorf("new share url = %q (id %q)", newURL.Text(), newURL.AttrOr("id", ""))
	}
	if panel.Find(`[data-copy="`+NewShareURLID+`"]`).Length() != 1 {
		t.Error("new share url has no copy button")
	}
	var links []string
	panel.Find(`[data-testid="share-link"]`).Each(func(_ int, s *goquery.Selection) {
		f := s.Find(`[data-testid="revoke-share"]`)
		links = append(links, strings.Join([]string{
			strings.Join(strings.Fields(s.Find("span").First().Text()), " "),
			f.AttrOr("method", ""), f.AttrOr("action", ""), f.Find(`input[name="_csrf"]`).AttrOr("value", ""),
			strings.TrimSpace(f.Find("button").Text()),
		}, " | "))
	})
	want := []string{
		"Link created 2 hours ago · last used 1 hour ago | post | /AbCdEf12/share-links/11/revoke | " + testPage.CSRFToken + " | Revoke",
		"Link created 1 minute ago · never used | post | /AbCdEf12/share-links/12/revoke | " + testPage.CSRFToken + " | Revoke",
	}
	if diff := cmp.Diff(want, links); diff != "" {
		t.Errorf("share links (-want +got):\n%s", diff)
	}

	// The new URL is shown only right after creation; no links: empty state.
	v.NewShareURL, v.ShareLinks = "", nil
	doc, _ = render(t, PastePage(testPage, v))
	if doc.Find(`[data-testid="new-share-url"]`).Length() != 0 || doc.Find(`[data-testid="share-empty"]`).Length() != 1 {
		t.Error("share panel without a new link: want no URL and the empty state")
	}

	// Editable but not private: edit, no sharing.
	v = testOwnerView()
	v.ShowSharing = false
	doc, _ = render(t, PastePage(testPage, v))
	if doc.Find(`[data-testid="share-panel"]`).Length() != 0 || doc.Find(`[data-testid="edit-link"]`).Length() != 1 {
		t.Error("public owned paste: want edit and no share panel")
	}
}

func TestEditPastePage(t *testing.T) {
	f := testEditForm()
	doc, _ := render(t, EditPastePage(testPage, f, "AbCdEf12"))
	form := doc.Find("#" + PasteFormID)
	want := map[string]string{"method": "post", "action": "/AbCdEf12/edit", "hx-post": "/AbCdEf12/edit", "hx-target": "#" + PasteFormID}
	if diff := cmp.Diff(want, attrs(form, "method", "action", "hx-post", "hx-target")); diff != "" {
		t.Errorf("edit form attributes (-want +got):\n%s", diff)
	}
	got := []string{
		doc.Find(`[data-testid="edit-title"]`).Text(),
		strings.TrimSpace(form.Find(`button[type="submit"]`).Text()),
		form.Find(`input[name="_csrf"]`).AttrOr("value", ""),
		form.Find(`textarea[name="content"]`).Text(),
		form.Find(`select[name="expires_in"] option`).First().AttrOr("value", "<none>") + "=" + form.Find(`select[name="expires_in"] option`).First().Text(),
		form.Find(`select[name="expires_in"] option[selected]`).AttrOr("value", "<none>"),
		doc.Find(`[data-testid="cancel-edit"]`).AttrOr("href", ""),
	}
	wantGot := []string{"Edit paste", "Save changes", testPage.CSRFToken, "package main", "=Keep current expiry", "", "/AbCdEf12"}
	if diff := cmp.Diff(wantGot, got); diff != "" {
		t.Errorf("edit page (-want +got):\n%s", diff)
	}
	if form.Find(`input[name="burn_after_reading"]`).Length() != 1 {
		t.Error("edit form lacks the burn checkbox")
	}
	if n := form.Find(`select[name="expires_in"] option[selected]`).Length(); n != 1 {
		t.Errorf("%d expiry options selected", n)
	}

	// A chosen expiry stays chosen; defaults fill a bare form.
	f.ExpiresIn = "1d"
	doc, _ = render(t, PasteFormFragment(f))
	if got := doc.Find(`select[name="expires_in"] option[selected]`).AttrOr("value", ""); got != "1d" {
		t.Errorf("selected expiry = %q", got)
	}
	doc, _ = render(t, EditPastePage(testPage, testForm(), "Zz9/x"))
	form = doc.Find("#" + PasteFormID)
	if diff := cmp.Diff(map[string]string{"action": "/Zz9%2Fx/edit", "hx-post": "/Zz9%2Fx/edit"}, attrs(form, "action", "hx-post")); diff != "" {
		t.Errorf("default edit action (-want +got):\n%s", diff)
	}
	if got := strings.TrimSpace(form.Find(`button[type="submit"]`).Text()); got != "Save changes" {
		t.Errorf("default edit submit = %q", got)
	}

	// The new-paste form is unchanged: no keep option, posts to /.
	doc, _ = render(t, NewPastePage(testPage, testForm()))
	form = doc.Find("#" + PasteFormID)
	if form.Find(`[data-testid="keep-expiry"]`).Length() != 0 || form.AttrOr("action", "") != "/" ||
		strings.TrimSpace(form.Find(`button[type="submit"]`).Text()) != "Create paste" {
		t.Error("new-paste form changed")
	}
}

func TestDeviceLabel(t *testing.T) {
	tests := map[string]string{
		"": "Unknown device",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0":           "Edge on Windows",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15":                   "Safari on macOS",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1": "Safari on iOS",
		"Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36":                            "Chrome on Android",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36":                           "Headless Chrome on Linux",
		"curl/8.5.0":            "curl",
		"Go-http-client/1.1":    "Go-http-client",
		"   ":                   "Unknown device",
		strings.Repeat("x", 50): "Unknown device",
	}
	for ua, want := range tests {
		if got := DeviceLabel(ua); got != want {
			t.Errorf("DeviceLabel(%q) = %q, want %q", ua, got, want)
		}
	}
}

func TestAccountTextIsEscaped(t *testing.T) {
	for _, evil := range []string{xssScript, xssImg} {
		p := testPage
		p.User = evil
		s := testSettings()
		s.Username, s.Email, s.NewToken, s.NewTokenName = evil, evil, evil, evil
		s.Sessions[1].UserAgent, s.Sessions[1].IP = evil, evil
		s.Tokens[0].Name, s.Tokens[0].Prefix = evil, evil
		v := testOwnerView()
		v.NewShareURL = evil
		pages := map[string]templ.Component{
			"login":    LoginPage(p, AuthForm{Username: evil, Next: evil, Errors: map[string]string{"": evil, "username": evil}}),
			"register": RegisterPage(p, AuthForm{Username: evil, Email: evil, Errors: map[string]string{"email": evil}}),
			"settings": SettingsPage(p, s),
			"user":     UserPage(p, UserView{Username: evil, IsSelf: true}),
			"paste":    PastePage(p, v),
		}
		for name, c := range pages {
			doc, _ := render(t, c)
			if n := doc.Find("img").Length(); n != 0 {
				t.Errorf("%s: %q created %d <img>", name, evil, n)
			}
			if n := doc.Find("script").Length(); n != 1 {
				t.Errorf("%s: %q: %d <script>, want only the bundle", name, evil, n)
			}
			if !strings.Contains(doc.Text(), evil) {
				t.Errorf("%s: the text %q is not shown literally", name, evil)
			}
		}
	}
}

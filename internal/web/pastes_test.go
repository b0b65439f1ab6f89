package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"pastel/internal/paste"
)

func TestBrowserCreateAndRead(t *testing.T) {
	e := newEnv(t)
	e.browser()
	content := "package main\r\n\r\nfunc main() {\r\n\tprintln(\"hi\")\r\n}\r\n"
	resp, body := e.postForm("/", map[string]string{
		"title": "main.go", "content": content, "syntax": "auto",
		"visibility": "public", "expires_in": "1d",
	})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create = %d: %s", resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	id := strings.TrimPrefix(loc, "/")
	if len(id) != paste.ShortIDLen {
		t.Fatalf("public paste id %q: want %d characters", id, paste.ShortIDLen)
	}

	resp, body = e.get(loc)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", loc, resp.StatusCode)
	}
	doc := parse(t, body)
	if got := doc.Find(`[data-testid="code"] .line`).Length(); got != 5 {
		t.Fatalf("page shows %d lines, want 5", got)
	}
	if doc.Find("#L3").Length() != 1 || doc.Find(`a.ln[href="#L3"]`).Length() != 1 {
		t.Fatal("line 3 has no anchor")
	}
	if !strings.Contains(doc.Find(`[data-testid="code"]`).Text(), "println") {
		t.Fatal("code not shown")
	}
	if doc.Find(`[data-testid="code"] .line span[class]`).Length() == 0 {
		t.Fatal("code not highlighted (no token classes)")
	}

	// The browser's CRLF is stored as the LF the person typed.
	resp, body = e.get("/raw/" + id)
	want := strings.ReplaceAll(content, "\r\n", "\n")
	if resp.StatusCode != http.StatusOK || string(body) != want {
		t.Fatalf("raw = %d %q, want %q", resp.StatusCode, body, want)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Fatalf("raw content type %q", ct)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("raw headers: %v", resp.Header)
	}
	resp, body = e.get("/dl/" + id)
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename=main.go` {
		t.Fatalf("download disposition %q", cd)
	}
	if string(body) != want {
		t.Fatal("download bytes differ")
	}
	// Revalidation is cheap and exact.
	req := httptest.NewRequest(http.MethodGet, "/raw/"+id, nil)
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	if resp, _ := e.do(req); resp.StatusCode != http.StatusNotModified {
		t.Fatalf("conditional raw = %d, want 304", resp.StatusCode)
	}

	// It is listed on /explore.
	_, body = e.get("/explore")
	if !strings.Contains(string(body), "/"+id) {
		t.Fatal("public paste not on /explore")
	}
}

func TestFormValidationRerendersWith422(t *testing.T) {
	e := newEnv(t)
	e.browser()
	resp, body := e.postForm("/", map[string]string{
		"title": "bad\x00title", "content": "", "visibility": "secret", "expires_in": "5y", "syntax": "klingon",
	})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", resp.StatusCode)
	}
	doc := parse(t, body)
	for _, f := range []string{"title", "content", "visibility", "expires_in", "syntax"} {
		if doc.Find(`[data-testid="error-`+f+`"]`).Length() == 0 {
			t.Errorf("no error shown for %s", f)
		}
	}
	if doc.Find("html").Length() == 0 || doc.Find("header").Length() == 0 {
		t.Fatal("plain POST should get the whole page back")
	}
	// htmx gets only the form fragment, with the typed values kept.
	resp, body = e.postForm("/", map[string]string{"title": "keep me", "content": ""}, "HX-Request", "true")
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("htmx status %d", resp.StatusCode)
	}
	if strings.Contains(string(body), "<html") || !strings.Contains(string(body), `id="paste-form"`) {
		t.Fatalf("htmx should get the form fragment, got %.200s", body)
	}
	if v, _ := parse(t, body).Find(`input[name="title"]`).Attr("value"); v != "keep me" {
		t.Fatalf("typed title lost: %q", v)
	}
	// htmx success redirects with HX-Redirect.
	resp, _ = e.postForm("/", map[string]string{"content": "x"}, "HX-Request", "true")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("HX-Redirect"), "/") {
		t.Fatalf("htmx create: %d %q", resp.StatusCode, resp.Header.Get("HX-Redirect"))
	}
}

func TestCSRFRefused(t *testing.T) {
	e := newEnv(t)
	e.browser()
	cases := map[string][]string{
		"cross-site origin": {"Origin", "https://evil.example"},
		"cross-site fetch":  {"Sec-Fetch-Site", "cross-site"},
	}
	for name, hdr := range cases {
		t.Run(name, func(t *testing.T) {
			resp, _ := e.postForm("/", map[string]string{"content": "x"}, hdr...)
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("status %d, want 403", resp.StatusCode)
			}
		})
	}
	resp, _ := e.postForm("/", map[string]string{"content": "x", "_csrf": "forged-token-forged-token"})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("wrong token: %d, want 403", resp.StatusCode)
	}
	page, err := e.svc.ListRecent(context.Background(), "", 10)
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("a refused form created pastes: %v %v", page.Items, err)
	}
	// Same origin with the token passes.
	resp, _ = e.postForm("/", map[string]string{"content": "x"}, "Origin", "http://pastel.test", "Sec-Fetch-Site", "same-origin")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("same-origin post: %d", resp.StatusCode)
	}
}

func TestUnlistedAndListing(t *testing.T) {
	e := newEnv(t)
	pub := e.create(paste.CreateInput{Content: []byte("pub"), Visibility: paste.Public})
	unl := e.create(paste.CreateInput{Content: []byte("unl"), Visibility: paste.Unlisted})
	if len(unl.ID) != paste.SecretIDLen {
		t.Fatalf("unlisted id %q has %d chars, want %d", unl.ID, len(unl.ID), paste.SecretIDLen)
	}
	_, body := e.get("/explore")
	if !strings.Contains(string(body), string(pub.ID)) || strings.Contains(string(body), string(unl.ID)) {
		t.Fatal("explore must list public and never unlisted pastes")
	}
	_, body = e.get("/api/v1/pastes?sort=recent")
	if !strings.Contains(string(body), string(pub.ID)) || strings.Contains(string(body), string(unl.ID)) {
		t.Fatal("API list must list public and never unlisted pastes")
	}
	if resp, _ := e.get("/" + string(unl.ID)); resp.StatusCode != http.StatusOK {
		t.Fatalf("unlisted page by link = %d", resp.StatusCode)
	}
}

func TestExpiredIs404BeforeSweep(t *testing.T) {
	e := newEnv(t)
	p := e.create(paste.CreateInput{Content: []byte("soon gone"), ExpiresIn: "10m"})
	id := string(p.ID)
	for _, path := range []string{"/" + id, "/raw/" + id, "/dl/" + id, "/api/v1/pastes/" + id} {
		if resp, _ := e.get(path); resp.StatusCode != http.StatusOK {
			t.Fatalf("%s before expiry = %d", path, resp.StatusCode)
		}
	}
	e.clock.Advance(10 * time.Minute)
	for _, path := range []string{"/" + id, "/raw/" + id, "/dl/" + id, "/api/v1/pastes/" + id} {
		if resp, _ := e.get(path); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("%s at expiry = %d, want 404 (the sweeper has not run)", path, resp.StatusCode)
		}
	}
	_, body := e.get("/explore")
	if strings.Contains(string(body), id) {
		t.Fatal("expired paste listed")
	}
	// The sweeper then removes the row and the body.
	n, err := e.svc.SweepExpired(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("sweep: %d %v", n, err)
	}
	if _, err := e.blobs.Open(context.Background(), p.BlobKey); !errors.Is(err, paste.ErrNotFound) {
		t.Fatalf("body still stored after sweep: %v", err)
	}
}

func TestBurnAfterReading(t *testing.T) {
	e := newEnv(t)
	p := e.create(paste.CreateInput{Content: []byte("top secret"), BurnAfterReading: true})
	id := string(p.ID)

	// The page asks first and shows nothing; previewers do not consume it.
	for i := 0; i < 2; i++ {
		resp, body := e.get("/" + id)
		if resp.StatusCode != http.StatusOK || strings.Contains(string(body), "top secret") {
			t.Fatalf("confirmation page: %d, leaks content: %v", resp.StatusCode, strings.Contains(string(body), "top secret"))
		}
		if !strings.Contains(string(body), "/"+id+"/reveal") {
			t.Fatal("no reveal form")
		}
	}
	// HEAD does not consume.
	if resp, _ := e.do(httptest.NewRequest(http.MethodHead, "/raw/"+id, nil)); resp.StatusCode != http.StatusOK {
		t.Fatalf("HEAD = %d", resp.StatusCode)
	}
	// 50 concurrent readers: exactly one gets the body.
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[int]int{}
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, body := e.get("/raw/" + id)
			mu.Lock()
			defer mu.Unlock()
			got[resp.StatusCode]++
			if resp.StatusCode == http.StatusOK && string(body) != "top secret" {
				t.Errorf("winner got %q", body)
			}
		}()
	}
	wg.Wait()
	if got[http.StatusOK] != 1 || got[http.StatusNotFound] != 49 {
		t.Fatalf("statuses %v: want one 200 and 49 404s", got)
	}
	for _, path := range []string{"/" + id, "/raw/" + id, "/dl/" + id, "/api/v1/pastes/" + id} {
		if resp, _ := e.get(path); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("%s after burn = %d", path, resp.StatusCode)
		}
	}
	if _, err := e.blobs.Open(context.Background(), p.BlobKey); !errors.Is(err, paste.ErrNotFound) {
		t.Fatalf("burned body still stored: %v", err)
	}
}

func TestBurnRevealThroughPage(t *testing.T) {
	e := newEnv(t)
	e.browser()
	p := e.create(paste.CreateInput{Content: []byte("once <b>only</b>"), BurnAfterReading: true})
	resp, body := e.postForm("/"+string(p.ID)+"/reveal", map[string]string{})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reveal = %d", resp.StatusCode)
	}
	doc := parse(t, body)
	if !strings.Contains(doc.Find(`[data-testid="code"]`).Text(), "once <b>only</b>") || doc.Find("b").Length() != 0 {
		t.Fatal("revealed content missing or interpreted as HTML")
	}
	if resp, _ := e.postForm("/"+string(p.ID)+"/reveal", map[string]string{}); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("second reveal = %d", resp.StatusCode)
	}
}

func TestBrowserDeleteByCreator(t *testing.T) {
	e := newEnv(t)
	e.browser()
	resp, _ := e.postForm("/", map[string]string{"content": "mine"})
	loc := resp.Header.Get("Location")
	var del string
	for _, c := range resp.Cookies() {
		if c.Name == "pastel_delete" {
			del = c.Value
		}
	}
	if del == "" {
		t.Fatal("creator got no delete cookie")
	}
	// Someone else's browser sees no Delete button and cannot delete.
	_, body := e.get(loc)
	if parse(t, body).Find(`form[action="`+loc+`/delete"]`).Length() != 0 {
		t.Fatal("delete offered to a stranger")
	}
	if resp, _ := e.postForm(loc+"/delete", map[string]string{}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("stranger delete = %d, want 401", resp.StatusCode)
	}
	req := httptest.NewRequest(http.MethodGet, loc, nil)
	req.AddCookie(&http.Cookie{Name: "pastel_delete", Value: del})
	_, body = e.do(req)
	if parse(t, body).Find(`form[action="`+loc+`/delete"]`).Length() != 1 {
		t.Fatal("creator not offered delete")
	}
	req = httptest.NewRequest(http.MethodPost, loc+"/delete", strings.NewReader("_csrf="+e.csrf))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "pastel_delete", Value: del})
	req.AddCookie(&http.Cookie{Name: "pastel_csrf", Value: e.cookie})
	if resp, _ := e.do(req); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("creator delete = %d", resp.StatusCode)
	}
	if resp, _ := e.get(loc); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("deleted paste = %d", resp.StatusCode)
	}
}

func TestUnknownAndMalformedIDs(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/Zzzzzzzz", "/raw/Zzzzzzzz", "/dl/x", "/raw/../../etc/passwd", "/%00", "/api/v1/pastes/nope", "/nope/nope/nope"} {
		resp, _ := e.get(path)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s = %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestHealthAndReady(t *testing.T) {
	e := newEnv(t)
	if resp, _ := e.get("/healthz"); resp.StatusCode != http.StatusOK {
		t.Fatal("healthz")
	}
	resp, body := e.get("/readyz")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz = %d %s", resp.StatusCode, body)
	}
	if strings.Contains(strings.ToLower(string(body)), "postgres") || strings.Contains(string(body), "version") {
		t.Fatalf("readyz leaks details: %s", body)
	}
}

func TestOwnerSharePanelAfterCreatingLink(t *testing.T) {
	e := newEnv(t)
	u := e.register("olive")
	c, err := e.svc.Create(context.Background(), paste.Viewer{UserID: u.id, Username: u.name}, paste.CreateInput{Content: []byte("x"), Visibility: paste.Private})
	if err != nil {
		t.Fatal(err)
	}
	// Post/Redirect/Get: the URL stays the paste's, and a reload makes no
	// second link.
	path := "/" + string(c.Paste.ID)
	resp, _ := e.userForm(u, path+"/share-links", nil)
	share := setCookies(resp)["pastel_new_share"]
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != path || share == nil || share.Path != path {
		t.Fatalf("creating a link = %d to %q, cookie %v", resp.StatusCode, resp.Header.Get("Location"), share)
	}
	resp, body := e.getWith(u, path, "pastel_new_share", share.Value)
	doc := parse(t, body)
	url := strings.TrimSpace(doc.Find(`[data-testid="new-share-url"]`).Text())
	if resp.StatusCode != 200 || url != "http://pastel.test/s/"+share.Value || doc.Find(`[data-testid="revoke-share"]`).Length() != 1 {
		t.Fatalf("after creating a link: %d, url %q", resp.StatusCode, url)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatal("a page showing a secret link must not be cached")
	}
	if c := setCookies(resp)["pastel_new_share"]; c == nil || c.MaxAge >= 0 {
		t.Fatal("the new link's cookie is not cleared once shown")
	}
	if _, body := e.userGet(u, path); parse(t, body).Find(`[data-testid="new-share-url"]`).Length() != 0 {
		t.Fatal("the new link is shown again")
	}
	// A stranger's planted cookie shows nothing: the panel is the owner's.
	if _, body := e.getWith(nil, path, "pastel_new_share", share.Value); strings.Contains(string(body), share.Value) {
		t.Fatal("a share token echoed to someone who is not the owner")
	}
}

func TestBurnPrivatePasteThroughShareLink(t *testing.T) {
	e := newEnv(t)
	owner := e.register("olive")
	ownerV := paste.Viewer{UserID: owner.id, Username: owner.name}
	c, err := e.svc.Create(context.Background(), ownerV, paste.CreateInput{Content: []byte("once, privately"), Visibility: paste.Private, BurnAfterReading: true})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := e.svc.CreateShareLink(context.Background(), ownerV, c.Paste.ID, paste.ShareLinkInput{})
	if err != nil {
		t.Fatal(err)
	}
	// The share page asks first, and its form reveals through the link.
	resp, body := e.get("/s/" + tok)
	action, _ := parse(t, body).Find(`[data-testid="reveal-form"]`).Attr("action")
	if resp.StatusCode != 200 || strings.Contains(string(body), "once, privately") || action != "/s/"+tok+"/reveal" {
		t.Fatalf("share confirm page: %d, action %q", resp.StatusCode, action)
	}
	e.browser()
	resp, body = e.postForm("/s/"+tok+"/reveal", map[string]string{})
	if resp.StatusCode != 200 || !strings.Contains(string(body), "once, privately") {
		t.Fatalf("reveal through the link = %d", resp.StatusCode)
	}
	if resp, _ := e.postForm("/s/"+tok+"/reveal", map[string]string{}); resp.StatusCode != 404 {
		t.Fatalf("second reveal = %d, want 404", resp.StatusCode)
	}
}

package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"pastel/internal/paste"
)

// setCookies returns the cookies a response sets, by name.
func setCookies(resp *http.Response) map[string]*http.Cookie {
	out := map[string]*http.Cookie{}
	for _, c := range resp.Cookies() {
		out[c.Name] = c
	}
	return out
}

// getWith fetches path with the given cookies (name, value pairs), as u
// (nil: anonymous).
func (e *env) getWith(u *user, path string, cookies ...string) (*http.Response, []byte) {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(cookies); i += 2 {
		req.AddCookie(&http.Cookie{Name: cookies[i], Value: cookies[i+1]})
	}
	if u != nil {
		req = e.asUser(req, u)
	}
	return e.do(req)
}

func TestCreatedNoticeShowsLinkAndDeleteTokenOnce(t *testing.T) {
	e := newEnv(t)
	e.browser()
	resp, body := e.postForm("/", map[string]string{"content": "hello", "visibility": "unlisted"})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create = %d: %.300s", resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	set := setCookies(resp)
	created, del := set["pastel_created"], set["pastel_delete"]
	if created == nil || created.Path != loc || del == nil {
		t.Fatalf("create set cookies %v: want pastel_created for %s and pastel_delete", set, loc)
	}

	resp, body = e.getWith(nil, loc, "pastel_created", created.Value, "pastel_delete", del.Value)
	doc := parse(t, body)
	n := doc.Find(`[data-testid="created-notice"]`)
	if resp.StatusCode != http.StatusOK || n.Length() != 1 {
		t.Fatalf("creator's first view: %d, notice %d", resp.StatusCode, n.Length())
	}
	if got := strings.TrimSpace(n.Find(`[data-testid="created-url"]`).Text()); got != "http://pastel.test"+loc {
		t.Errorf("notice link %q, want the full URL", got)
	}
	if n.Find(`[data-testid="copy-created-url"][data-copy="created-url"]`).Length() != 1 {
		t.Error("no Copy link button")
	}
	if got := strings.TrimSpace(n.Find(`[data-testid="delete-token"]`).Text()); got != del.Value {
		t.Errorf("delete token shown %q, want the creator's token", got)
	}
	// The token shown deletes the paste from anywhere (here: the API).
	if c := setCookies(resp)["pastel_created"]; c == nil || c.MaxAge >= 0 {
		t.Fatalf("the notice's cookie is not cleared: %v", c)
	}
	// Once only; and to anyone else, never.
	_, body = e.getWith(nil, loc, "pastel_delete", del.Value)
	if parse(t, body).Find(`[data-testid="created-notice"]`).Length() != 0 {
		t.Error("notice shown again after the first view")
	}
	_, body = e.getWith(nil, loc, "pastel_created", "1")
	if doc := parse(t, body); doc.Find(`[data-testid="created-notice"]`).Length() != 1 || doc.Find(`[data-testid="delete-token"]`).Length() != 0 {
		t.Error("a browser without the delete cookie must not see a token")
	}
	req := httptest.NewRequest(http.MethodDelete, "/api/v1/pastes"+loc, nil)
	req.Header.Set("X-Delete-Token", del.Value)
	if resp, _ := e.do(req); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete with the shown token = %d", resp.StatusCode)
	}
}

func TestCreatedNoticeForSignedInCreatorHasNoToken(t *testing.T) {
	e := newEnv(t)
	u := e.register("carol")
	resp, body := e.userForm(u, "/", map[string]string{"content": "mine"})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create = %d: %.300s", resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	_, body = e.getWith(u, loc, "pastel_created", "1")
	doc := parse(t, body)
	if doc.Find(`[data-testid="created-notice"]`).Length() != 1 || doc.Find(`[data-testid="created-delete"]`).Length() != 0 {
		t.Fatal("signed-in creator: want the notice without a delete token")
	}
}

func TestBurnCreatorLandsOnLinkWithoutConsumingIt(t *testing.T) {
	e := newEnv(t)
	e.browser()
	resp, _ := e.postForm("/", map[string]string{"content": "read me once", "burn_after_reading": "1"})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || setCookies(resp)["pastel_created"] == nil {
		t.Fatalf("create = %d, cookies %v", resp.StatusCode, setCookies(resp))
	}
	resp, body := e.getWith(nil, loc, "pastel_created", "1")
	doc := parse(t, body)
	if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="burn-created"]`).Length() != 1 {
		t.Fatalf("creator's landing: %d, burn-created %d", resp.StatusCode, doc.Find(`[data-testid="burn-created"]`).Length())
	}
	if doc.Find(`[data-testid="reveal-form"]`).Length() != 0 || strings.Contains(string(body), "read me once") {
		t.Fatal("the creator's landing offers to consume the paste or shows its content")
	}
	if !strings.Contains(doc.Find(`[data-testid="created-notice"]`).Text(), "read once") {
		t.Error("the landing does not say the link can be read once")
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Error("landing cacheable")
	}
	// Still there for the one reader.
	if resp, body := e.get("/raw" + loc); resp.StatusCode != http.StatusOK || string(body) != "read me once" {
		t.Fatalf("after the landing, raw = %d %q", resp.StatusCode, body)
	}
}

func TestTextCreateAnswerCarriesDeleteToken(t *testing.T) {
	e := newEnv(t)
	req := httptest.NewRequest(http.MethodPost, "/api/v1/pastes", strings.NewReader("from the shell"))
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Accept", "text/plain")
	resp, body := e.do(req)
	tok := resp.Header.Get("X-Delete-Token")
	if resp.StatusCode != http.StatusCreated || tok == "" || !strings.HasSuffix(string(body), "\n") {
		t.Fatalf("text create = %d, token %q, body %q", resp.StatusCode, tok, body)
	}
	id := strings.TrimPrefix(strings.TrimSpace(string(body)), "http://pastel.test/")
	req = httptest.NewRequest(http.MethodDelete, "/api/v1/pastes/"+id, nil)
	req.Header.Set("X-Delete-Token", tok)
	if resp, body := e.do(req); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete with the header's token = %d %s", resp.StatusCode, body)
	}
	// A signed-in create has nothing to carry.
	u := e.register("dave")
	req = httptest.NewRequest(http.MethodPost, "/api/v1/pastes", strings.NewReader("mine"))
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Accept", "text/plain")
	req.Header.Set("Authorization", "Bearer "+u.access)
	if resp, _ := e.do(req); resp.StatusCode != http.StatusCreated || resp.Header.Get("X-Delete-Token") != "" {
		t.Fatalf("signed-in text create = %d, token %q", resp.StatusCode, resp.Header.Get("X-Delete-Token"))
	}
}

func TestPublicBurnPastesAreNeverListed(t *testing.T) {
	e := newEnv(t)
	u := e.register("erin")
	ctx := context.Background()
	mk := func(content string, burn bool) string {
		c, err := e.svc.Create(ctx, viewerOf(u), paste.CreateInput{Title: content, Content: []byte(content + " zebra"), Visibility: paste.Public, BurnAfterReading: burn})
		if err != nil {
			t.Fatal(err)
		}
		return string(c.Paste.ID)
	}
	kept, burn := mk("kept", false), mk("burnable", true)
	for _, path := range []string{"/explore", "/u/erin", "/explore/feed.atom", "/u/erin/feed.atom", "/api/v1/pastes?owner=erin", "/api/v1/pastes"} {
		resp, body := e.get(path)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), kept) {
			t.Fatalf("%s = %d, lists the ordinary paste: %v", path, resp.StatusCode, strings.Contains(string(body), kept))
		}
		if strings.Contains(string(body), burn) {
			t.Errorf("%s lists a public burn-after-reading paste", path)
		}
	}
	// Popular is a cache up to a minute old: a paste made burn-after-
	// reading after it was ranked leaves at once.
	fan := e.register("fan")
	if _, err := e.svc.RatePaste(ctx, viewerOf(fan), paste.ID(kept), 1); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RefreshPopular(ctx); err != nil {
		t.Fatal(err)
	}
	if _, body := e.get("/explore?sort=popular"); !strings.Contains(string(body), kept) {
		t.Fatal("the ranked paste is not on Popular")
	}
	on := true
	if _, err := e.svc.Update(ctx, viewerOf(u), paste.ID(kept), paste.UpdateInput{BurnAfterReading: &on}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/explore?sort=popular", "/api/v1/pastes?sort=popular"} {
		if _, body := e.get(path); strings.Contains(string(body), kept) {
			t.Errorf("%s lists a paste made burn-after-reading", path)
		}
	}
	// Its owner still finds it among their own.
	if _, body := e.userGet(u, "/u/erin"); !strings.Contains(string(body), burn) {
		t.Error("the owner's own list hides their burn paste")
	}
}

func TestRevealedBurnPasteOffersCopyNotRawOrDownload(t *testing.T) {
	e := newEnv(t)
	e.browser()
	p := e.create(paste.CreateInput{Content: []byte("# once\n\ntext"), Syntax: "markdown", BurnAfterReading: true})
	resp, body := e.postForm("/"+string(p.ID)+"/reveal", map[string]string{})
	doc := parse(t, body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reveal = %d", resp.StatusCode)
	}
	if doc.Find(`[data-testid="raw-link"], [data-testid="download-link"], [data-testid="source-view-link"]`).Length() != 0 {
		t.Fatal("a consumed paste offers links that are 404 now")
	}
	if doc.Find(`[data-testid="copy-burned"][data-copy="code"]`).Length() != 1 || !strings.Contains(doc.Find(`#code`).Text(), "# once") {
		t.Fatal("no Copy of the source")
	}
}

func TestFlashAfterDeleteRegisterAndSignOut(t *testing.T) {
	e := newEnv(t)
	e.browser()
	flashOf := func(resp *http.Response, u *user, path string) string {
		t.Helper()
		c := setCookies(resp)["pastel_flash"]
		if c == nil {
			t.Fatalf("no flash cookie on %d", resp.StatusCode)
		}
		resp2, body := e.getWith(u, path, "pastel_flash", c.Value)
		if cl := setCookies(resp2)["pastel_flash"]; cl == nil || cl.MaxAge >= 0 {
			t.Error("the flash cookie is not cleared once shown")
		}
		return strings.TrimSpace(parse(t, body).Find(`[data-testid="flash"]`).Text())
	}

	// Delete (the anonymous creator).
	resp, _ := e.postForm("/", map[string]string{"content": "gone soon"})
	loc, del := resp.Header.Get("Location"), setCookies(resp)["pastel_delete"]
	req := httptest.NewRequest(http.MethodPost, loc+"/delete", strings.NewReader("_csrf="+e.csrf))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "pastel_delete", Value: del.Value})
	req.AddCookie(&http.Cookie{Name: "pastel_csrf", Value: e.cookie})
	resp, _ = e.do(req)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("delete = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got := flashOf(resp, nil, "/"); got != "The paste was deleted." {
		t.Errorf("after delete: flash %q", got)
	}

	// Register.
	resp, body := e.postForm("/register", map[string]string{"username": "frank", "password": "a long enough password", "next": "/explore"})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/explore" {
		t.Fatalf("register = %d to %q: %.300s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if got := flashOf(resp, nil, "/explore"); !strings.Contains(got, "Welcome") {
		t.Errorf("after register: flash %q", got)
	}

	// Sign out: back where the button was pressed, when that page is safe
	// and open to anyone.
	u := e.register("gina")
	_, body = e.userGet(u, "/explore?sort=popular")
	next, _ := parse(t, body).Find(`[data-testid="logout-form"] input[name="next"]`).Attr("value")
	if next != "/explore?sort=popular" {
		t.Fatalf("sign-out form's next = %q", next)
	}
	for i, tt := range []struct{ next, want string }{
		{"/explore?sort=popular", "/explore?sort=popular"},
		{"//evil.example/x", "/"},
		{"https://evil.example/", "/"},
		{"/settings", "/"},
		{"/admin/reports", "/"},
	} {
		u := e.register(fmt.Sprintf("leaver%d", i))
		resp, body := e.userForm(u, "/logout", map[string]string{"next": tt.next})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != tt.want {
			t.Errorf("sign out with next %q = %d to %q, want %q: %.200s", tt.next, resp.StatusCode, resp.Header.Get("Location"), tt.want, body)
			continue
		}
		if got := flashOf(resp, nil, tt.want); got != "You are signed out." {
			t.Errorf("after sign-out: flash %q", got)
		}
	}
}

// TestFlashIsNeverPartOfASharedPage: a flash shown on an anonymous paste
// page must not end up in the page kept for everyone.
func TestFlashIsNeverPartOfASharedPage(t *testing.T) {
	e := newEnv(t)
	p := e.create(paste.CreateInput{Content: []byte("shared page")})
	_, body := e.getWith(nil, "/"+string(p.ID), "pastel_flash", "signed_out")
	if !strings.Contains(string(body), "You are signed out.") {
		t.Fatal("flash not shown on a paste page")
	}
	for i := 0; i < 2; i++ {
		if _, body := e.get("/" + string(p.ID)); strings.Contains(string(body), "signed out") {
			t.Fatal("another visitor sees someone's flash")
		}
	}
}

func TestOversizePasteKeepsTextAndSaysTheLimit(t *testing.T) {
	e := newEnv(t, withMaxBytes(100))
	e.browser()
	content := strings.Repeat("0123456789abcdefghi\n", 12) // 240 bytes
	resp, body := e.postForm("/", map[string]string{"title": "big one", "content": content})
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversize create = %d", resp.StatusCode)
	}
	doc := parse(t, body)
	kept := strings.TrimPrefix(doc.Find(`[data-testid="content-input"]`).Text(), "\n")
	if kept != content[:100] {
		t.Fatalf("form keeps %q, want the first 100 bytes (5 whole lines)", kept)
	}
	if v, _ := doc.Find(`[data-testid="title-input"]`).Attr("value"); v != "big one" {
		t.Errorf("title lost: %q", v)
	}
	msg := doc.Find(`[data-testid="error-content"]`).Text()
	if !strings.Contains(msg, "This paste is 240 B; the limit is 100 B.") || !strings.Contains(msg, "first 100 B") {
		t.Errorf("message %q does not give the size and the limit in words", msg)
	}
	// htmx swaps only 422s: the same form comes back as one.
	resp, body = e.postForm("/", map[string]string{"content": content}, "HX-Request", "true")
	if resp.StatusCode != http.StatusUnprocessableEntity || parse(t, body).Find(`[data-testid="paste-form"]`).Length() != 1 {
		t.Fatalf("htmx oversize create = %d", resp.StatusCode)
	}
}

// TestOwnersDoNotVoteOrReportTheirOwn: the server refuses with a clear 422,
// on the web and the API; the paste page offers no Report to its owner.
func TestOwnersDoNotVoteOrReportTheirOwn(t *testing.T) {
	e := newEnv(t)
	owner, other := e.register("owner1"), e.register("other1")
	pid := e.apiPaste(owner, `{"content":"my own"}`)
	cid := e.apiComment(owner, pid, "my own comment", 0)
	for _, c := range []struct{ path, body, want string }{
		{"/api/v1/pastes/" + pid + "/rating", `{"value":1}`, "own paste"},
		{fmt.Sprintf("/api/v1/comments/%d/rating", cid), `{"value":-1}`, "own comment"},
		{"/api/v1/pastes/" + pid + "/reports", `{"reason":"spam"}`, "own paste"},
		{fmt.Sprintf("/api/v1/comments/%d/reports", cid), `{"reason":"spam"}`, "own comment"},
	} {
		method := "PUT"
		if strings.HasSuffix(c.path, "/reports") {
			method = "POST"
		}
		resp, body := e.apiAs(owner.access, method, c.path, c.body)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), c.want) {
			t.Errorf("%s %s by its owner = %d %s", method, c.path, resp.StatusCode, body)
		}
		// Anyone else may.
		want := http.StatusOK
		if method == "POST" {
			want = http.StatusCreated
		}
		if resp, body := e.apiAs(other.access, method, c.path, c.body); resp.StatusCode != want {
			t.Errorf("%s %s by someone else = %d %s", method, c.path, resp.StatusCode, body)
		}
	}
	// Clearing a vote stays possible.
	if resp, body := e.apiAs(owner.access, "PUT", "/api/v1/pastes/"+pid+"/rating", `{"value":0}`); resp.StatusCode != http.StatusOK {
		t.Errorf("clearing one's vote = %d %s", resp.StatusCode, body)
	}
	// The web form says so too.
	resp, body := e.userForm(owner, "/"+pid+"/report", map[string]string{"reason": "spam"})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "cannot report your own paste") {
		t.Errorf("web report of one's own paste = %d", resp.StatusCode)
	}
	_, body = e.userGet(owner, "/"+pid)
	if parse(t, body).Find(`[data-testid="report-paste"]`).Length() != 0 {
		t.Error("Report offered to the paste's owner")
	}
	doc := parse(t, body)
	comment := doc.Find(fmt.Sprintf("#comment-%d", cid))
	if doc.Find(`#paste-votes [data-testid="like"]`).Length() != 0 || comment.Find(`[data-testid="like"], [data-testid="report-comment"]`).Length() != 0 {
		t.Error("vote or report buttons offered on the owner's own paste or comment")
	}
	if doc.Find(`#paste-votes [data-testid="likes"]`).Length() != 1 {
		t.Error("the owner does not see the paste's likes")
	}
	_, body = e.userGet(other, "/"+pid)
	doc = parse(t, body)
	if doc.Find(`[data-testid="report-paste"]`).Length() == 0 || doc.Find(`#paste-votes [data-testid="like"]`).Length() != 1 ||
		doc.Find(fmt.Sprintf("#comment-%d", cid)).Find(`[data-testid="like"], [data-testid="report-comment"]`).Length() != 2 {
		t.Error("Report or votes not offered to someone else")
	}
}

// TestCommentCountsStayTrueAfterHTMXRepliesAndDeletes: every HTMX answer
// that changes the number of comments carries both counts (the heading's
// and the social bar's) out of band.
func TestCommentCountsStayTrueAfterHTMXRepliesAndDeletes(t *testing.T) {
	e := newEnv(t)
	u := e.register("counter")
	pid := e.apiPaste(u, `{"content":"talk about me"}`)
	counts := func(what string, body []byte) (string, string) {
		t.Helper()
		doc := parse(t, body)
		head := doc.Find(`[data-testid="comment-count"][hx-swap-oob="true"]`)
		link := doc.Find(`#comments-link[hx-swap-oob="true"]`)
		if head.Length() != 1 || link.Length() != 1 {
			t.Fatalf("%s: out-of-band counts %d and %d, want one of each: %s", what, head.Length(), link.Length(), body)
		}
		return strings.TrimSpace(head.Text()), strings.TrimSpace(link.Text())
	}
	resp, body := e.htmxForm(u, "/"+pid+"/comments", map[string]string{"body": "first"})
	if h, l := counts("comment", body); resp.StatusCode != http.StatusOK || h != "1" || l != "1 comment" {
		t.Fatalf("after a comment: %d, counts %q %q", resp.StatusCode, h, l)
	}
	top := e.apiComment(u, pid, "second", 0)
	resp, body = e.htmxForm(u, "/"+pid+"/comments", map[string]string{"body": "a reply", "parent_id": fmt.Sprint(top)})
	if h, l := counts("reply", body); resp.StatusCode != http.StatusOK || h != "3" || l != "3 comments" {
		t.Fatalf("after a reply: %d, counts %q %q", resp.StatusCode, h, l)
	}
	lone := e.apiComment(u, pid, "alone", 0)
	resp, body = e.htmxForm(u, fmt.Sprintf("/c/%d/delete", lone), nil)
	if h, l := counts("delete", body); resp.StatusCode != http.StatusOK || h != "3" || l != "3 comments" {
		t.Fatalf("after a delete: %d, counts %q %q", resp.StatusCode, h, l)
	}
	// The page's social bar link is the element those answers replace.
	_, body = e.userGet(u, "/"+pid)
	if got := strings.TrimSpace(parse(t, body).Find(`[data-testid="social-bar"] #comments-link`).Text()); got != "3 comments" {
		t.Fatalf("social bar link %q", got)
	}
}

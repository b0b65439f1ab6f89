package web_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"pastel/internal/paste"
	"pastel/views"
)

func viewerOf(u *user) paste.Viewer { return paste.Viewer{UserID: u.id, Username: u.name} }

// htmxForm posts a urlencoded form as htmx does (HX-Request, CSRF header).
func (e *env) htmxForm(u *user, path string, fields map[string]string) (*http.Response, []byte) {
	e.t.Helper()
	vals := url.Values{}
	for k, v := range fields {
		vals.Set(k, v)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set(views.CSRFHeader, e.tokenFor(u))
	return e.do(e.asUser(req, u))
}

func (e *env) apiJSON(u *user, method, path, body string) (*http.Response, []byte) {
	e.t.Helper()
	var req *http.Request
	if body == "" {
		req = httptest.NewRequest(method, path, nil)
	} else {
		req = jsonReq(method, path, body)
	}
	if u != nil {
		bearer(req, e.freshToken(u.id))
	}
	return e.do(req)
}

func fields422(t *testing.T, body []byte) map[string]string {
	t.Helper()
	var out struct {
		Error struct {
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	return out.Error.Fields
}

func TestCommentsHTML(t *testing.T) {
	e := newEnv(t)
	ann, bob, cat := e.register("ann"), e.register("bob"), e.register("cat")
	p, err := e.svc.Create(context.Background(), viewerOf(ann), paste.CreateInput{Title: "talk", Content: []byte("x"), Visibility: paste.Public})
	if err != nil {
		t.Fatal(err)
	}
	id := string(p.Paste.ID)

	// Anonymous: read-only, 401 on writes.
	_, body := e.userGet(nil, "/"+id)
	doc := parse(t, body)
	if doc.Find(`[data-testid="comment-form"]`).Length() != 0 || doc.Find(`[data-testid="comment-signin"]`).Length() != 1 {
		t.Fatal("anonymous visitors should see a sign-in link, not the form")
	}
	if resp, _ := e.userForm(nil, "/"+id+"/comments", map[string]string{"body": "hi"}); resp.StatusCode != 401 {
		t.Fatalf("anonymous comment = %d, want 401", resp.StatusCode)
	}

	// No JavaScript: 303 back to the comment.
	xss := `<script>alert(1)</script> see https://example.org/a?b=1&c=<2>. and javascript:alert(1)`
	resp, _ := e.userForm(bob, "/"+id+"/comments", map[string]string{"body": xss})
	if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/"+id+"#comment-") {
		t.Fatalf("no-JS comment = %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = e.userGet(ann, "/"+id)
	doc = parse(t, body)
	cbody := doc.Find(`[data-testid="comment-body"]`).First()
	if doc.Find(`[data-testid="comment-body"] script`).Length() != 0 || !strings.Contains(cbody.Text(), "<script>alert(1)</script>") {
		t.Fatalf("comment body interpreted as HTML: %q", cbody.Text())
	}
	links := cbody.Find("a")
	if links.Length() != 1 {
		t.Fatalf("%d links in the comment, want 1 (the https one)", links.Length())
	}
	href, _ := links.Attr("href")
	rel, _ := links.Attr("rel")
	if !strings.HasPrefix(href, "https://example.org/a?b=1&c=") || strings.Contains(href, "<") || rel != "nofollow noopener noreferrer" {
		t.Fatalf("link href %q rel %q", href, rel)
	}
	if doc.Find(`[data-testid="comment-count"]`).Text() != "1" {
		t.Fatalf("count %q", doc.Find(`[data-testid="comment-count"]`).Text())
	}

	// HTMX: a new thread plus a fresh form and count out of band.
	resp, body = e.htmxForm(cat, "/"+id+"/comments", map[string]string{"body": "second"})
	doc = parse(t, body)
	if resp.StatusCode != 200 || doc.Find(`[data-testid="thread"] [data-testid="comment-body"]`).Text() != "second" ||
		doc.Find(`#`+views.CommentFormID+`[hx-swap-oob]`).Length() != 1 || doc.Find(`#`+views.CommentCountID).Text() != "2" {
		t.Fatalf("htmx comment = %d: %s", resp.StatusCode, body)
	}
	// Validation: 422 naming body, as the form fragment for htmx (retargeted)
	// and as the whole page otherwise.
	resp, body = e.htmxForm(cat, "/"+id+"/comments", map[string]string{"body": "   "})
	doc = parse(t, body)
	if resp.StatusCode != 422 || resp.Header.Get("HX-Retarget") != "#"+views.CommentFormID || doc.Find(`[data-testid="error-body"]`).Length() != 1 {
		t.Fatalf("empty htmx comment = %d %q: %s", resp.StatusCode, resp.Header.Get("HX-Retarget"), body)
	}
	resp, body = e.userForm(cat, "/"+id+"/comments", map[string]string{"body": strings.Repeat("y", 10001)})
	doc = parse(t, body)
	if resp.StatusCode != 422 || doc.Find(`[data-testid="error-body"]`).Length() != 1 || doc.Find(`[data-testid="paste-title"]`).Length() != 1 {
		t.Fatalf("oversized no-JS comment = %d", resp.StatusCode)
	}

	page, err := e.svc.Comments(context.Background(), viewerOf(ann), p.Paste.ID, paste.OldestFirst, "")
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("comments: %v %v", page.Items, err)
	}
	first := page.Items[0] // bob's
	cid := fmt.Sprint(first.ID)

	// A reply over htmx answers the whole thread.
	resp, body = e.htmxForm(cat, "/"+id+"/comments", map[string]string{"body": "a reply", "parent_id": cid})
	doc = parse(t, body)
	if resp.StatusCode != 200 || doc.Find(`#`+views.ThreadElemID(first.ID)+` [data-testid="comment"]`).Length() != 2 {
		t.Fatalf("htmx reply = %d: %s", resp.StatusCode, body)
	}
	resp, body = e.htmxForm(cat, "/"+id+"/comments", map[string]string{"body": "", "parent_id": cid})
	if resp.StatusCode != 422 || parse(t, body).Find(`details[open] [data-testid="error-body"]`).Length() != 1 {
		t.Fatalf("empty htmx reply = %d: %s", resp.StatusCode, body)
	}

	// Editing: 403 for others, the comment fragment for its author.
	if resp, _ := e.htmxForm(cat, "/c/"+cid+"/edit", map[string]string{"body": "hijack"}); resp.StatusCode != 403 {
		t.Fatalf("editing another's comment = %d, want 403", resp.StatusCode)
	}
	if resp, _ := e.htmxForm(ann, "/c/"+cid+"/edit", map[string]string{"body": "owner edit"}); resp.StatusCode != 403 {
		t.Fatalf("paste owner editing a comment = %d, want 403", resp.StatusCode)
	}
	resp, body = e.htmxForm(bob, "/c/"+cid+"/edit", map[string]string{"body": "", "next": "/" + id})
	if resp.StatusCode != 422 || parse(t, body).Find(`[data-testid="error-body"]`).Length() != 1 {
		t.Fatalf("empty edit = %d", resp.StatusCode)
	}
	e.clock.Advance(time.Minute)
	resp, body = e.htmxForm(bob, "/c/"+cid+"/edit", map[string]string{"body": "edited <b>text</b>"})
	doc = parse(t, body)
	if resp.StatusCode != 200 || doc.Find(`#`+views.CommentElemID(first.ID)+` [data-testid="comment-body"]`).Text() != "edited <b>text</b>" ||
		doc.Find(`[data-testid="comment-edited"]`).Length() != 1 {
		t.Fatalf("htmx edit = %d: %s", resp.StatusCode, body)
	}

	// Voting on a comment: the vote fragment with the counts.
	resp, body = e.htmxForm(cat, "/c/"+cid+"/rate", map[string]string{"value": "1"})
	doc = parse(t, body)
	if resp.StatusCode != 200 || doc.Find(`#`+views.CommentVotesID(first.ID)+` [data-testid="likes"]`).Text() != "1" {
		t.Fatalf("comment like = %d: %s", resp.StatusCode, body)
	}
	if v, _ := doc.Find(`[data-testid="like"]`).Attr("value"); v != "0" {
		t.Fatalf("pressed like button sends %q, want 0 (take back)", v)
	}

	// Deleting: a third user may not; the paste owner may; with a reply it
	// leaves a placeholder.
	if resp, _ := e.htmxForm(cat, "/c/"+cid+"/delete", nil); resp.StatusCode != 403 {
		t.Fatalf("third user deleting = %d, want 403", resp.StatusCode)
	}
	resp, body = e.htmxForm(ann, "/c/"+cid+"/delete", nil)
	doc = parse(t, body)
	if resp.StatusCode != 200 || doc.Find(`[data-testid="comment-deleted"]`).Length() != 1 || strings.Contains(string(body), "edited") {
		t.Fatalf("delete with replies = %d: %s", resp.StatusCode, body)
	}
	// Without JS: a redirect; the comment is gone.
	second := page.Items[1]
	resp, _ = e.userForm(cat, fmt.Sprintf("/c/%d/delete", second.ID), nil)
	if resp.StatusCode != 303 {
		t.Fatalf("no-JS delete = %d", resp.StatusCode)
	}
	if _, err := e.svc.Comment(context.Background(), viewerOf(ann), second.ID); err == nil {
		t.Fatal("comment still there")
	}
}

func TestVotesStarsAndViewsHTML(t *testing.T) {
	e := newEnv(t)
	ann, bob := e.register("ann"), e.register("bob")
	p, _ := e.svc.Create(context.Background(), viewerOf(ann), paste.CreateInput{Title: "rate me", Content: []byte("x"), Visibility: paste.Public})
	id := string(p.Paste.ID)

	resp, body := e.htmxForm(bob, "/"+id+"/rate", map[string]string{"value": "1"})
	doc := parse(t, body)
	if resp.StatusCode != 200 || doc.Find(`#`+views.PasteVotesID+` [data-testid="likes"]`).Text() != "1" {
		t.Fatalf("like = %d: %s", resp.StatusCode, body)
	}
	resp, body = e.htmxForm(bob, "/"+id+"/rate", map[string]string{"value": "-1"})
	doc = parse(t, body)
	if doc.Find(`[data-testid="likes"]`).Text() != "0" || doc.Find(`[data-testid="dislikes"]`).Text() != "1" {
		t.Fatalf("switch to dislike: %s", body)
	}
	if resp, _ := e.htmxForm(bob, "/"+id+"/rate", map[string]string{"value": "5"}); resp.StatusCode != 422 {
		t.Fatalf("vote 5 = %d, want 422", resp.StatusCode)
	}
	resp, _ = e.userForm(bob, "/"+id+"/rate", map[string]string{"value": "0"})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/"+id {
		t.Fatalf("no-JS vote = %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = e.htmxForm(bob, "/"+id+"/star", map[string]string{"star": "on"})
	doc = parse(t, body)
	if resp.StatusCode != 200 || doc.Find(`#`+views.PasteStarID+` [data-testid="stars"]`).Text() != "1" {
		t.Fatalf("star = %d: %s", resp.StatusCode, body)
	}
	if v, _ := doc.Find(`[data-testid="star-button"]`).Attr("value"); v != "off" {
		t.Fatalf("starred button sends %q, want off", v)
	}
	_, body = e.userGet(bob, "/stars")
	doc = parse(t, body)
	if doc.Find(`[data-testid="paste-card-title"]`).Text() != "rate me" {
		t.Fatalf("my stars: %s", doc.Find("main").Text())
	}
	if resp, _ := e.userGet(nil, "/stars"); resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous /stars = %d", resp.StatusCode)
	}
	_, body = e.userGet(nil, "/u/ann")
	if got := parse(t, body).Find(`[data-testid="stars-received"]`).Text(); got != "1 star received" {
		t.Fatalf("user page stars %q", got)
	}

	// Views: reloads by one person count once, after the flush.
	for i := 0; i < 5; i++ {
		e.userGet(bob, "/"+id)
		e.userGet(nil, "/"+id)
	}
	if err := e.svc.FlushViews(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, _ := e.svc.Get(context.Background(), paste.Anonymous, p.Paste.ID)
	if got.Views != 2 {
		t.Fatalf("views %d after 10 loads by 2 visitors, want 2", got.Views)
	}
	_, body = e.userGet(bob, "/"+id)
	doc = parse(t, body)
	if doc.Find(`[data-testid="views"]`).Text() != "2 views" || doc.Find(`[data-testid="star-button"][aria-pressed="true"]`).Length() != 1 {
		t.Fatalf("paste page social bar: %s", doc.Find(`[data-testid="social-bar"]`).Text())
	}
}

func TestCommunityAPI(t *testing.T) {
	e := newEnv(t)
	ann, bob := e.register("ann"), e.register("bob")
	p, _ := e.svc.Create(context.Background(), viewerOf(ann), paste.CreateInput{Title: "api", Content: []byte("x"), Visibility: paste.Public})
	id := string(p.Paste.ID)

	resp, body := e.apiJSON(bob, "POST", "/api/v1/pastes/"+id+"/comments", `{"body":"hello"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("create comment = %d %s", resp.StatusCode, body)
	}
	var c struct {
		ID       int64   `json:"id"`
		PasteID  string  `json:"paste_id"`
		ParentID *int64  `json:"parent_id"`
		Author   *string `json:"author"`
		Body     string  `json:"body"`
		Deleted  bool    `json:"deleted"`
		Likes    int64   `json:"likes"`
	}
	json.Unmarshal(body, &c)
	if c.PasteID != id || c.ParentID != nil || c.Author == nil || *c.Author != "bob" || c.Body != "hello" {
		t.Fatalf("comment JSON %s", body)
	}
	resp, body = e.apiJSON(ann, "POST", "/api/v1/pastes/"+id+"/comments", fmt.Sprintf(`{"body":"re","parent_id":%d}`, c.ID))
	var reply struct {
		ParentID *int64 `json:"parent_id"`
	}
	json.Unmarshal(body, &reply)
	if resp.StatusCode != 201 || reply.ParentID == nil || *reply.ParentID != c.ID {
		t.Fatalf("reply = %d %s", resp.StatusCode, body)
	}
	for _, bad := range []string{`{"body":""}`, `{}`, `{"body":"` + strings.Repeat("z", 10001) + `"}`} {
		resp, body = e.apiJSON(bob, "POST", "/api/v1/pastes/"+id+"/comments", bad)
		if resp.StatusCode != 422 || fields422(t, body)["body"] == "" {
			t.Fatalf("bad comment %.30s = %d %s", bad, resp.StatusCode, body)
		}
	}
	if resp, _ := e.apiJSON(nil, "POST", "/api/v1/pastes/"+id+"/comments", `{"body":"x"}`); resp.StatusCode != 401 {
		t.Fatalf("anonymous API comment = %d", resp.StatusCode)
	}
	resp, body = e.apiJSON(nil, "GET", "/api/v1/pastes/"+id+"/comments", "")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"next_cursor":null`) || strings.Count(string(body), `"paste_id"`) != 2 {
		t.Fatalf("list comments = %d %s", resp.StatusCode, body)
	}
	cpath := fmt.Sprintf("/api/v1/comments/%d", c.ID)
	if resp, _ := e.apiJSON(ann, "PATCH", cpath, `{"body":"mine"}`); resp.StatusCode != 403 {
		t.Fatalf("PATCH another's comment = %d, want 403", resp.StatusCode)
	}
	if resp, body := e.apiJSON(bob, "PATCH", cpath, `{"body":"edited"}`); resp.StatusCode != 200 || !strings.Contains(string(body), `"body":"edited"`) {
		t.Fatalf("PATCH own comment = %d %s", resp.StatusCode, body)
	}
	// Ratings.
	for _, bad := range []string{`{"value":2}`, `{"value":"1"}`, `{}`, `{"value":0.5}`} {
		resp, body := e.apiJSON(bob, "PUT", "/api/v1/pastes/"+id+"/rating", bad)
		if resp.StatusCode != 422 || fields422(t, body)["value"] == "" {
			t.Fatalf("rating %s = %d %s", bad, resp.StatusCode, body)
		}
	}
	resp, body = e.apiJSON(bob, "PUT", "/api/v1/pastes/"+id+"/rating", `{"value":-1}`)
	if resp.StatusCode != 200 || string(body) != `{"likes":0,"dislikes":1,"my_rating":-1}` {
		t.Fatalf("rating = %d %s", resp.StatusCode, body)
	}
	resp, body = e.apiJSON(ann, "PUT", cpath+"/rating", `{"value":1}`)
	if resp.StatusCode != 200 || string(body) != `{"likes":1,"dislikes":0,"my_rating":1}` {
		t.Fatalf("comment rating = %d %s", resp.StatusCode, body)
	}
	// Stars.
	if resp, _ := e.apiJSON(bob, "PUT", "/api/v1/pastes/"+id+"/star", ""); resp.StatusCode != 204 {
		t.Fatalf("star = %d", resp.StatusCode)
	}
	resp, body = e.apiJSON(bob, "GET", "/api/v1/stars", "")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"id":"`+id+`"`) || !strings.Contains(string(body), `"stars":1`) {
		t.Fatalf("stars = %d %s", resp.StatusCode, body)
	}
	if resp, _ := e.apiJSON(bob, "DELETE", "/api/v1/pastes/"+id+"/star", ""); resp.StatusCode != 204 {
		t.Fatalf("unstar = %d", resp.StatusCode)
	}
	if _, body := e.apiJSON(bob, "GET", "/api/v1/stars", ""); strings.Contains(string(body), id) {
		t.Fatalf("unstarred paste still listed: %s", body)
	}
	if resp, _ := e.apiJSON(nil, "GET", "/api/v1/stars", ""); resp.StatusCode != 401 {
		t.Fatalf("anonymous stars = %d", resp.StatusCode)
	}
	// Delete: the paste owner may delete any comment on it.
	if resp, _ := e.apiJSON(ann, "DELETE", cpath, ""); resp.StatusCode != 204 {
		t.Fatalf("owner deletes comment = %d", resp.StatusCode)
	}
	_, body = e.apiJSON(nil, "GET", "/api/v1/pastes/"+id+"/comments", "")
	if !strings.Contains(string(body), `"deleted":true`) || strings.Contains(string(body), "edited") {
		t.Fatalf("placeholder in JSON: %s", body)
	}
}

func TestPopularAndFeeds(t *testing.T) {
	e := newEnv(t)
	ann, bob := e.register("ann"), e.register("bob")
	ctx := context.Background()
	hot, _ := e.svc.Create(ctx, viewerOf(ann), paste.CreateInput{Title: `Hot & <"spicy">`, Content: []byte("x"), Visibility: paste.Public})
	cold, _ := e.svc.Create(ctx, viewerOf(ann), paste.CreateInput{Title: "cold", Content: []byte("x"), Visibility: paste.Public})
	priv, _ := e.svc.Create(ctx, viewerOf(ann), paste.CreateInput{Title: "private one", Content: []byte("x"), Visibility: paste.Private})
	if _, err := e.svc.RatePaste(ctx, viewerOf(bob), hot.Paste.ID, 1); err != nil {
		t.Fatal(err)
	}
	// A private paste with votes (cast while it was public; owners do not
	// vote on their own) stays off Popular.
	madePublic, madePrivate := paste.Public, paste.Private
	if _, err := e.svc.Update(ctx, viewerOf(ann), priv.Paste.ID, paste.UpdateInput{Visibility: &madePublic}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RatePaste(ctx, viewerOf(bob), priv.Paste.ID, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Update(ctx, viewerOf(ann), priv.Paste.ID, paste.UpdateInput{Visibility: &madePrivate}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RefreshPopular(ctx); err != nil {
		t.Fatal(err)
	}
	_, body := e.get("/explore?sort=popular")
	doc := parse(t, body)
	if doc.Find(`[data-testid="tab-popular"][aria-current="page"]`).Length() != 1 ||
		doc.Find(`[data-testid="paste-card-title"]`).Length() != 1 || doc.Find(`[data-testid="paste-card-title"]`).Text() != `Hot & <"spicy">` {
		t.Fatalf("popular tab: %s", doc.Find("main").Text())
	}
	resp, body := e.get("/api/v1/pastes?sort=popular")
	if resp.StatusCode != 200 || !strings.Contains(string(body), string(hot.Paste.ID)) || strings.Contains(string(body), string(cold.Paste.ID)) {
		t.Fatalf("API popular = %d %s", resp.StatusCode, body)
	}
	if resp, _ := e.get("/api/v1/pastes?sort=best"); resp.StatusCode != 422 {
		t.Fatalf("sort=best = %d", resp.StatusCode)
	}
	// Made unlisted: gone from both at once, before any refresh.
	unl := paste.Unlisted
	if _, err := e.svc.Update(ctx, viewerOf(ann), hot.Paste.ID, paste.UpdateInput{Visibility: &unl}); err != nil {
		t.Fatal(err)
	}
	if _, body := e.get("/explore?sort=popular"); parse(t, body).Find(`[data-testid="paste-card"]`).Length() != 0 {
		t.Fatal("an unlisted paste is still popular")
	}
	if _, body := e.get("/api/v1/pastes?sort=popular"); !strings.Contains(string(body), `"items":[]`) {
		t.Fatalf("API popular after unlisting: %s", body)
	}

	// Feeds: valid Atom, escaped titles, only public pastes, newest first
	// (the test clock stands still unless told: pub is a second newer).
	e.clock.Advance(time.Second)
	pub, _ := e.svc.Create(ctx, viewerOf(ann), paste.CreateInput{Title: `</title><script>x</script> & more`, Content: []byte("x"), Visibility: paste.Public})
	for _, path := range []string{"/explore/feed.atom", "/u/ann/feed.atom"} {
		resp, body := e.get(path)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
			t.Fatalf("%s = %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		var feed struct {
			XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
			Title   string   `xml:"title"`
			ID      string   `xml:"id"`
			Updated string   `xml:"updated"`
			Entries []struct {
				Title string `xml:"title"`
				ID    string `xml:"id"`
				Link  struct {
					Href string `xml:"href,attr"`
				} `xml:"link"`
				Updated string `xml:"updated"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(body, &feed); err != nil {
			t.Fatalf("%s is not XML: %v\n%s", path, err, body)
		}
		if strings.Contains(string(body), "<script>") || feed.ID == "" || feed.Updated == "" || len(feed.Entries) != 2 {
			t.Fatalf("%s: %d entries\n%s", path, len(feed.Entries), body)
		}
		if feed.Entries[0].Title != pub.Paste.Title || feed.Entries[0].Link.Href != "http://pastel.test/"+string(pub.Paste.ID) {
			t.Fatalf("%s first entry %+v", path, feed.Entries[0])
		}
		if strings.Contains(string(body), "private one") || strings.Contains(string(body), string(hot.Paste.ID)) {
			t.Fatalf("%s lists a paste that is not public", path)
		}
	}
	if resp, _ := e.get("/u/nobody/feed.atom"); resp.StatusCode != 404 {
		t.Fatalf("feed of unknown user = %d", resp.StatusCode)
	}
}

// TestCommunityAuthorizationMatrix: comment, vote and star routes × caller
// × paste state. Nothing reaches a paste the caller may not see (404, like
// every other route); anonymous writes are 401 before any lookup on the
// API and on the web forms alike.
func TestCommunityAuthorizationMatrix(t *testing.T) {
	type route struct {
		name  string
		write bool
		req   func(e *env, id string, cid int64) *http.Request
		ok    int
	}
	form := func(e *env, path string, f url.Values) *http.Request {
		f.Set("_csrf", e.csrf)
		r := httptest.NewRequest("POST", path, strings.NewReader(f.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	}
	routes := []route{
		{"API list comments", false, func(e *env, id string, _ int64) *http.Request {
			return httptest.NewRequest("GET", "/api/v1/pastes/"+id+"/comments", nil)
		}, 200},
		{"API comment", true, func(e *env, id string, _ int64) *http.Request {
			return jsonReq("POST", "/api/v1/pastes/"+id+"/comments", `{"body":"hi"}`)
		}, 201},
		{"API rate paste", true, func(e *env, id string, _ int64) *http.Request {
			return jsonReq("PUT", "/api/v1/pastes/"+id+"/rating", `{"value":1}`)
		}, 200},
		{"API rate comment", true, func(e *env, _ string, cid int64) *http.Request {
			return jsonReq("PUT", fmt.Sprintf("/api/v1/comments/%d/rating", cid), `{"value":1}`)
		}, 200},
		{"API star", true, func(e *env, id string, _ int64) *http.Request {
			return httptest.NewRequest("PUT", "/api/v1/pastes/"+id+"/star", nil)
		}, 204},
		{"API unstar", true, func(e *env, id string, _ int64) *http.Request {
			return httptest.NewRequest("DELETE", "/api/v1/pastes/"+id+"/star", nil)
		}, 204},
		{"web comment", true, func(e *env, id string, _ int64) *http.Request {
			return form(e, "/"+id+"/comments", url.Values{"body": {"hi"}})
		}, 303},
		{"web rate", true, func(e *env, id string, _ int64) *http.Request {
			return form(e, "/"+id+"/rate", url.Values{"value": {"-1"}})
		}, 303},
		{"web star", true, func(e *env, id string, _ int64) *http.Request {
			return form(e, "/"+id+"/star", url.Values{"star": {"on"}})
		}, 303},
		{"web rate comment", true, func(e *env, _ string, cid int64) *http.Request {
			return form(e, fmt.Sprintf("/c/%d/rate", cid), url.Values{"value": {"1"}})
		}, 303},
	}
	states := []pasteState{sPublic, sUnlisted, sPrivate, sExpired, sBurned, sDeleted}
	viewers := []viewerKind{vAnon, vOwner, vOther}
	e := newEnv(t)
	owner, other := e.register("olive"), e.register("otto")
	ctx := context.Background()
	for _, st := range states {
		for _, r := range routes {
			for _, vk := range viewers {
				vis := paste.Public
				switch st {
				case sUnlisted:
					vis = paste.Unlisted
				case sPrivate, sExpired, sBurned, sDeleted:
					vis = paste.Private
				}
				in := paste.CreateInput{Content: []byte("b"), Visibility: vis, Syntax: "text"}
				if st == sExpired {
					in.ExpiresIn = "10m"
				}
				if st == sBurned {
					in.BurnAfterReading = true
				}
				created, err := e.svc.Create(ctx, viewerOf(owner), in)
				if err != nil {
					t.Fatal(err)
				}
				cm, err := e.svc.AddComment(ctx, viewerOf(owner), created.Paste.ID, "first", 0)
				if err != nil {
					t.Fatal(err)
				}
				switch st {
				case sExpired:
					e.clock.Advance(11 * time.Minute)
				case sBurned:
					if _, _, err := e.svc.Open(ctx, viewerOf(owner), created.Paste.ID); err != nil {
						t.Fatal(err)
					}
				case sDeleted:
					if err := e.svc.Delete(ctx, viewerOf(owner), created.Paste.ID, ""); err != nil {
						t.Fatal(err)
					}
				}
				req := r.req(e, string(created.Paste.ID), cm.ID)
				var u *user
				switch vk {
				case vOwner:
					u = owner
				case vOther:
					u = other
				}
				if strings.HasPrefix(r.name, "API") {
					if u != nil {
						bearer(req, e.freshToken(u.id))
					}
				} else {
					e.asUser(req, u)
				}
				resp, body := e.do(req)
				want := r.ok
				switch {
				case vk == vAnon && r.write:
					want = 401
				case st == sExpired || st == sBurned || st == sDeleted:
					want = 404
				case st == sPrivate && vk != vOwner:
					want = 404
				case vk == vOwner && strings.Contains(r.name, "rate"):
					want = 422 // nobody votes on their own paste or comment
				}
				if resp.StatusCode != want {
					t.Errorf("%s × %s × %s = %d, want %d (%.120s)", r.name, vk, st, resp.StatusCode, want, body)
				}
			}
		}
	}
}

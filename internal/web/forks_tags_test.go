package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
)

// apiPasteOut is the part of the paste JSON forks and tags are about.
type apiPasteOut struct {
	ID          string   `json:"id"`
	Visibility  string   `json:"visibility"`
	Owner       *string  `json:"owner"`
	Tags        []string `json:"tags"`
	Forks       int64    `json:"forks"`
	DeleteToken string   `json:"delete_token"`
	ForkedFrom  *struct {
		ID  string `json:"id"`
		URL string `json:"url"`
	} `json:"forked_from"`
}

func decodePaste(t *testing.T, body []byte) apiPasteOut {
	t.Helper()
	var p apiPasteOut
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("paste JSON %s: %v", body, err)
	}
	return p
}

func listIDs(t *testing.T, body []byte) []string {
	t.Helper()
	var l struct {
		Items []apiPasteOut `json:"items"`
	}
	if err := json.Unmarshal(body, &l); err != nil {
		t.Fatalf("list JSON %s: %v", body, err)
	}
	var out []string
	for _, p := range l.Items {
		out = append(out, p.ID)
	}
	return out
}

// TestTagsThroughAPIAndPages: tags on create (JSON, raw body, the form)
// and edit, in the paste JSON, GET /api/v1/pastes?tag=, /explore?tag=,
// search's tag filter, tag links on pages and cards and the user page's
// tags, none of which shows a private or unlisted paste.
func TestTagsThroughAPIAndPages(t *testing.T) {
	e := newEnv(t)
	ann := e.register("ann")

	pub := decodePaste(t, e.mustAPI(ann, "POST", "/api/v1/pastes", `{"title":"server","content":"tagword server","tags":["Go","http","go"]}`, 201))
	if !cmp.Equal(pub.Tags, []string{"go", "http"}) {
		t.Errorf("created tags %v, want [go http]", pub.Tags)
	}
	e.clock.Advance(time.Second)
	req := jsonReq("POST", "/api/v1/pastes?tags=Go,cli", "raw tagword body")
	req.Header.Set("Content-Type", "text/plain")
	resp, body := e.do(bearer(req, e.freshToken(ann.id)))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("raw create with ?tags= = %d %s", resp.StatusCode, body)
	}
	raw := decodePaste(t, body)
	if !cmp.Equal(raw.Tags, []string{"cli", "go"}) {
		t.Errorf("raw create tags %v", raw.Tags)
	}
	e.clock.Advance(time.Second)
	e.mustAPI(ann, "POST", "/api/v1/pastes", `{"content":"tagword private","visibility":"private","tags":["go"]}`, 201)
	e.mustAPI(ann, "POST", "/api/v1/pastes", `{"content":"tagword unlisted","visibility":"unlisted","tags":["go"]}`, 201)
	e.mustAPI(nil, "POST", "/api/v1/pastes", `{"content":"tagword burn","burn_after_reading":true,"tags":["go"]}`, 201)
	untagged := decodePaste(t, e.mustAPI(ann, "POST", "/api/v1/pastes", `{"content":"tagword plain"}`, 201))
	if untagged.Tags == nil || len(untagged.Tags) != 0 {
		t.Errorf("an untagged paste's tags are %v, want []", untagged.Tags)
	}

	// Validation: the field is named.
	eleven := `["a","b","c","d","e","f","g","h","i","j","k"]`
	resp, body = e.apiJSON(ann, "POST", "/api/v1/pastes", `{"content":"x","tags":`+eleven+`}`)
	if resp.StatusCode != http.StatusUnprocessableEntity || fields422(t, body)["tags"] == "" {
		t.Errorf("eleven tags = %d %s", resp.StatusCode, body)
	}
	resp, body = e.apiJSON(ann, "POST", "/api/v1/pastes", `{"content":"x","tags":["no spaces"]}`)
	if resp.StatusCode != http.StatusUnprocessableEntity || fields422(t, body)["tags"] == "" {
		t.Errorf("a tag with a space = %d %s", resp.StatusCode, body)
	}
	resp, body = e.apiJSON(ann, "PATCH", "/api/v1/pastes/"+pub.ID, `{"tags":`+eleven+`}`)
	if resp.StatusCode != http.StatusUnprocessableEntity || fields422(t, body)["tags"] == "" {
		t.Errorf("edit to eleven tags = %d %s", resp.StatusCode, body)
	}

	// The public list by tag: newest first, public only, paged.
	resp, body = e.get("/api/v1/pastes?tag=GO")
	if resp.StatusCode != http.StatusOK || !cmp.Equal(listIDs(t, body), []string{raw.ID, pub.ID}) {
		t.Errorf("GET /api/v1/pastes?tag=GO = %d %v, want [%s %s]", resp.StatusCode, listIDs(t, body), raw.ID, pub.ID)
	}
	resp, body = e.get("/api/v1/pastes?tag=go&limit=1")
	var page struct {
		Next *string `json:"next_cursor"`
	}
	json.Unmarshal(body, &page)
	if resp.StatusCode != http.StatusOK || page.Next == nil {
		t.Fatalf("first page of one: %d %s", resp.StatusCode, body)
	}
	if _, body = e.get("/api/v1/pastes?tag=go&limit=1&cursor=" + *page.Next); !cmp.Equal(listIDs(t, body), []string{pub.ID}) {
		t.Errorf("second page %v, want [%s]", listIDs(t, body), pub.ID)
	}
	for _, q := range []string{"tag=no%20spaces", "tag=go&owner=ann", "tag=go&sort=popular"} {
		resp, body = e.get("/api/v1/pastes?" + q)
		if resp.StatusCode != http.StatusUnprocessableEntity || fields422(t, body)["tag"] == "" {
			t.Errorf("GET /api/v1/pastes?%s = %d %s", q, resp.StatusCode, body)
		}
	}

	// Search's tag filter.
	_, body = e.apiJSON(ann, "GET", "/api/v1/search?q=tagword&tag=http", "")
	if got := listIDs(t, body); !cmp.Equal(got, []string{pub.ID}) {
		t.Errorf("search tag=http as ann: %v, want [%s]", got, pub.ID)
	}
	_, body = e.get("/api/v1/search?q=tagword&tag=go")
	if got := listIDs(t, body); len(got) != 2 {
		t.Errorf("search tag=go anonymously: %v, want the two public pastes", got)
	}

	// Edit: tags replaced, the JSON and lists follow.
	resp, body = e.apiJSON(ann, "PATCH", "/api/v1/pastes/"+raw.ID, `{"tags":["Rust"]}`)
	if resp.StatusCode != http.StatusOK || !cmp.Equal(decodePaste(t, body).Tags, []string{"rust"}) {
		t.Errorf("PATCH tags = %d %s", resp.StatusCode, body)
	}
	if _, body = e.get("/api/v1/pastes?tag=go"); !cmp.Equal(listIDs(t, body), []string{pub.ID}) {
		t.Errorf("tag go after retagging: %v", listIDs(t, body))
	}

	// Pages: explore by tag, tag links on cards and the paste page.
	resp, body = e.get("/explore?tag=go")
	doc := parse(t, body)
	if resp.StatusCode != http.StatusOK || !cmp.Equal(cardIDs(doc), []string{pub.ID}) {
		t.Fatalf("/explore?tag=go = %d cards %v", resp.StatusCode, cardIDs(doc))
	}
	if title := doc.Find("title").Text(); !strings.HasPrefix(title, "Pastes tagged go") {
		t.Errorf("explore title %q", title)
	}
	if got := attrs(doc.Find(`[data-testid="card-tags"] [data-testid="tag-link"]`), "href"); !cmp.Equal(got, []string{"/explore?tag=go", "/explore?tag=http"}) {
		t.Errorf("card tag links %v", got)
	}
	if resp, _ = e.get("/explore?tag=%3Cb%3E"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("/explore with a malformed tag = %d, want 422", resp.StatusCode)
	}
	_, body = e.get("/" + pub.ID)
	if got := attrs(parse(t, body).Find(`[data-testid="paste-tags"] [data-testid="tag-link"]`), "data-tag"); !cmp.Equal(got, []string{"go", "http"}) {
		t.Errorf("paste page tags %v", got)
	}

	// The user page counts public pastes' tags only.
	_, body = e.get("/u/ann")
	doc = parse(t, body)
	var chips []string
	doc.Find(`[data-testid="user-tag"]`).Each(func(_ int, s *goquery.Selection) {
		chips = append(chips, strings.Join(strings.Fields(s.Text()), " "))
	})
	if !cmp.Equal(chips, []string{"#go 1", "#http 1", "#rust 1"}) {
		t.Errorf("user page tags %v", chips)
	}
}

// TestTagsFromTheForm: the new-paste form's tags field (commas or spaces)
// and the edit form's, prefilled with the paste's tags.
func TestTagsFromTheForm(t *testing.T) {
	e := newEnv(t)
	e.browser()
	resp, body := e.postForm("/", map[string]string{"content": "package main\n", "tags": "Go, cli  tools"})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create with tags = %d %s", resp.StatusCode, body)
	}
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/")
	p, err := e.svc.Get(t.Context(), paste.Anonymous, paste.ID(id))
	if err != nil || !cmp.Equal(p.Tags, []string{"cli", "go", "tools"}) {
		t.Errorf("form tags %v %v", p.Tags, err)
	}
	resp, body = e.postForm("/", map[string]string{"content": "x", "tags": "a b c d e f g h i j k"})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("eleven tags from the form = %d", resp.StatusCode)
	}
	doc := parse(t, body)
	if v, _ := doc.Find(`[data-testid="tags-input"]`).Attr("value"); v != "a b c d e f g h i j k" {
		t.Errorf("the form lost the tags typed: %q", v)
	}
	if doc.Find(`#error-tags`).Length() == 0 && !strings.Contains(doc.Find(`[data-testid="error-summary"]`).Text(), "Tags") {
		t.Errorf("no error names the tags field")
	}

	ann := e.register("ann")
	own := e.createAs(ann, paste.CreateInput{Content: []byte("body\n"), Tags: []string{"go", "http"}})
	_, body = e.userGet(ann, "/"+string(own.ID)+"/edit")
	if v, _ := parse(t, body).Find(`[data-testid="tags-input"]`).Attr("value"); v != "go, http" {
		t.Errorf("edit form tags %q, want \"go, http\"", v)
	}
	resp, _ = e.userForm(ann, "/"+string(own.ID)+"/edit", map[string]string{"content": "body\n", "tags": "rust", "visibility": "public"})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit = %d", resp.StatusCode)
	}
	if p, _ := e.svc.Get(t.Context(), viewerOf(ann), own.ID); !cmp.Equal(p.Tags, []string{"rust"}) {
		t.Errorf("tags after the edit form: %v", p.Tags)
	}
}

// TestForksThroughAPIAndPages: POST /api/v1/pastes/{id}/fork (bearer or
// anonymous) answers 201 with forked_from and counts on the original;
// burn-after-reading and unknown pastes are 404; a share link forks a
// private paste into a private paste of the caller's, never naming the
// original; the page's Fork button posts with the CSRF token and opens
// the fork, which says where it came from.
func TestForksThroughAPIAndPages(t *testing.T) {
	e := newEnv(t)
	ann, bob := e.register("ann"), e.register("bob")
	orig := decodePaste(t, e.mustAPI(ann, "POST", "/api/v1/pastes", `{"title":"main.go","content":"package main\n","tags":["go"]}`, 201))

	fork := decodePaste(t, e.mustAPI(bob, "POST", "/api/v1/pastes/"+orig.ID+"/fork", "", 201))
	if fork.ForkedFrom == nil || fork.ForkedFrom.ID != orig.ID || fork.Owner == nil || *fork.Owner != "bob" ||
		fork.Visibility != "public" || !cmp.Equal(fork.Tags, []string{"go"}) || fork.DeleteToken != "" {
		t.Errorf("bob's fork: %+v", fork)
	}
	anon := decodePaste(t, e.mustAPI(nil, "POST", "/api/v1/pastes/"+orig.ID+"/fork", "", 201))
	if anon.Owner != nil || anon.DeleteToken == "" || anon.ForkedFrom == nil {
		t.Errorf("anonymous fork: %+v", anon)
	}
	if got := decodePaste(t, e.mustAPI(nil, "GET", "/api/v1/pastes/"+orig.ID, "", 200)); got.Forks != 2 || got.ForkedFrom != nil {
		t.Errorf("original: forks %d, forked_from %+v", got.Forks, got.ForkedFrom)
	}
	if got := decodePaste(t, e.mustAPI(nil, "GET", "/api/v1/pastes/"+fork.ID, "", 200)); got.ForkedFrom == nil || got.ForkedFrom.ID != orig.ID {
		t.Errorf("fork read back: %+v", got.ForkedFrom)
	}

	burn := decodePaste(t, e.mustAPI(ann, "POST", "/api/v1/pastes", `{"content":"once","burn_after_reading":true}`, 201))
	e.mustAPI(bob, "POST", "/api/v1/pastes/"+burn.ID+"/fork", "", 404)
	e.mustAPI(bob, "POST", "/api/v1/pastes/Zz9Zz9Zz/fork", "", 404)
	if _, b := e.get("/raw/" + burn.ID); string(b) != "once" {
		t.Errorf("the refused fork consumed the burn paste: %q", b)
	}

	// Private through a share link.
	secret := decodePaste(t, e.mustAPI(ann, "POST", "/api/v1/pastes", `{"content":"secret\n","visibility":"private"}`, 201))
	e.mustAPI(bob, "POST", "/api/v1/pastes/"+secret.ID+"/fork", "", 404)
	var link struct {
		Token string `json:"token"`
	}
	json.Unmarshal(e.mustAPI(ann, "POST", "/api/v1/pastes/"+secret.ID+"/share-links", "", 201), &link)
	pf := decodePaste(t, e.mustAPI(bob, "POST", "/api/v1/shared/"+link.Token+"/fork", "", 201))
	if pf.Visibility != "private" || pf.Owner == nil || *pf.Owner != "bob" || pf.ForkedFrom != nil {
		t.Errorf("share-link fork: %+v", pf)
	}
	if strings.Contains(string(e.mustAPI(bob, "GET", "/api/v1/pastes/"+pf.ID, "", 200)), secret.ID) {
		t.Error("bob's private fork names ann's private paste")
	}
	resp, body := e.apiJSON(nil, "POST", "/api/v1/shared/"+link.Token+"/fork", "")
	if resp.StatusCode != http.StatusUnprocessableEntity || fields422(t, body)["visibility"] == "" {
		t.Errorf("anonymous share-link fork = %d %s", resp.StatusCode, body)
	}

	// The page: Fork button, count, and the fork's "forked from".
	_, body = e.userGet(bob, "/"+orig.ID)
	doc := parse(t, body)
	if action, _ := doc.Find(`[data-testid="fork-form"]`).Attr("action"); action != "/"+orig.ID+"/fork" {
		t.Errorf("fork form action %q", action)
	}
	if got := strings.TrimSpace(doc.Find(`[data-testid="forks"]`).Text()); got != "2 forks" {
		t.Errorf("forks on the page %q", got)
	}
	resp, _ = e.userForm(bob, "/"+orig.ID+"/fork", map[string]string{})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("Fork button = %d", resp.StatusCode)
	}
	forkPath := resp.Header.Get("Location")
	_, body = e.userGet(bob, forkPath)
	doc = parse(t, body)
	if href, _ := doc.Find(`[data-testid="forked-from-link"]`).Attr("href"); href != "/"+orig.ID {
		t.Errorf("forked-from link %q on %s", href, forkPath)
	}
	resp, _ = e.userForm(bob, "/"+orig.ID+"/fork", map[string]string{"_csrf": "forged"})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("Fork without the CSRF token = %d, want 403", resp.StatusCode)
	}
	_, body = e.userGet(bob, "/s/"+link.Token)
	if action, _ := parse(t, body).Find(`[data-testid="fork-form"]`).Attr("action"); action != "/s/"+link.Token+"/fork" {
		t.Errorf("share-link page fork action %q", action)
	}
	_, body = e.get("/s/" + link.Token)
	if parse(t, body).Find(`[data-testid="fork-form"]`).Length() != 0 {
		t.Error("an anonymous visitor is offered a fork of a private paste")
	}
	// A password paste offers no Fork.
	pw := decodePaste(t, e.mustAPI(ann, "POST", "/api/v1/pastes", `{"content":"locked","password":"hunter2hunter2"}`, 201))
	_, body = e.userGet(ann, "/"+pw.ID)
	if parse(t, body).Find(`[data-testid="fork-form"]`).Length() != 0 {
		t.Error("a password paste offers Fork")
	}
}

// exerciseForksTagsAPI drives the fork routes and the tag parameters for
// TestOpenAPIMatchesServer.
func exerciseForksTagsAPI(t *testing.T, e *env, s *specChecker) {
	t.Helper()
	fay := e.register("fay")
	auth := func(r *http.Request) *http.Request { return bearer(r, e.freshToken(fay.id)) }
	_, body := s.do(auth(jsonReq("POST", "/api/v1/pastes", `{"content":"fork me\n","tags":["Go","cli"]}`)), 201)
	orig := decodePaste(t, body)
	s.do(auth(jsonReq("POST", "/api/v1/pastes", `{"content":"x","tags":["no spaces"]}`)), 422)
	s.do(rawReq("POST", "/api/v1/pastes?tags=raw,text", "text/plain", "raw tagged\n"), 201)
	s.do(auth(jsonReq("PATCH", "/api/v1/pastes/"+orig.ID, `{"tags":["go","cli","http"]}`)), 200)
	s.do(httptest.NewRequest("GET", "/api/v1/pastes?tag=go", nil), 200)
	s.do(httptest.NewRequest("GET", "/api/v1/pastes?tag=go&owner=fay", nil), 422)
	s.do(httptest.NewRequest("GET", "/api/v1/search?q=fork&tag=go", nil), 200)

	s.do(auth(httptest.NewRequest("POST", "/api/v1/pastes/"+orig.ID+"/fork", nil)), 201)
	s.do(httptest.NewRequest("POST", "/api/v1/pastes/"+orig.ID+"/fork", nil), 201)
	s.do(httptest.NewRequest("POST", "/api/v1/pastes/Zzzzzzzz/fork", nil), 404)
	s.do(bearer(httptest.NewRequest("POST", "/api/v1/pastes/"+orig.ID+"/fork", nil), "garbage"), 401)
	_, body = s.do(auth(jsonReq("POST", "/api/v1/pastes", `{"content":"private\n","visibility":"private"}`)), 201)
	priv := decodePaste(t, body)
	_, body = s.do(auth(httptest.NewRequest("POST", "/api/v1/pastes/"+priv.ID+"/share-links", nil)), 201)
	var link struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(body, &link); err != nil {
		t.Fatal(err)
	}
	s.do(auth(httptest.NewRequest("POST", "/api/v1/shared/"+link.Token+"/fork", nil)), 201)
	s.do(httptest.NewRequest("POST", "/api/v1/shared/"+link.Token+"/fork", nil), 422)
	s.do(httptest.NewRequest("POST", "/api/v1/shared/ZzzzzzzzZzzzzzzzZzzzzz/fork", nil), 404)
}

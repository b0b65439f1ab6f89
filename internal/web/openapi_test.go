package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"pastel/internal/api"
)

// specChecker validates real responses against the embedded OpenAPI
// document and records which operations and statuses were seen.
type specChecker struct {
	t      *testing.T
	e      *env
	router routers.Router
	seen   map[string]bool // "METHOD /path"
}

func newSpecChecker(t *testing.T, e *env) *specChecker {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI())
	if err != nil {
		t.Fatalf("load openapi.json: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI 3 document: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: e.base + "/api/v1"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &specChecker{t: t, e: e, router: router, seen: map[string]bool{}}
}

// do sends req and checks the answer against the document: the route and
// the status must be documented, and headers and body must match.
func (s *specChecker) do(req *http.Request, want int) (*http.Response, []byte) {
	s.t.Helper()
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	check := httptest.NewRequest(req.Method, s.e.base+req.URL.RequestURI(), bytes.NewReader(reqBody))
	check.Header = req.Header.Clone()
	route, params, err := s.router.FindRoute(check)
	if err != nil {
		s.t.Fatalf("%s %s: not in openapi.json: %v", req.Method, req.URL.Path, err)
	}
	resp, body := s.e.do(req)
	if resp.StatusCode != want {
		s.t.Fatalf("%s %s = %d, want %d: %s", req.Method, req.URL, resp.StatusCode, want, body)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		s.t.Fatalf("%s %s → %d does not match openapi.json: %v\nbody: %.400s", req.Method, req.URL, resp.StatusCode, err, body)
	}
	for _, h := range []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} {
		if resp.Header.Get(h) == "" {
			s.t.Errorf("%s %s → %d lacks %s", req.Method, req.URL, resp.StatusCode, h)
		}
	}
	s.seen[req.Method+" "+route.Path] = true
	return resp, body
}

// TestOpenAPIMatchesServer drives every documented operation, with its
// successes and its errors, and validates each real answer against
// openapi.json; then checks that every /api/v1 route the app registers is
// documented and was exercised.
func TestOpenAPIMatchesServer(t *testing.T) {
	e := newEnv(t, withMaxBytes(1024))
	s := newSpecChecker(t, e)
	u := e.register("olga")
	auth := func(r *http.Request) *http.Request { return bearer(r, u.access) }

	// Meta.
	resp, _ := s.do(httptest.NewRequest("GET", "/api/v1/openapi.json", nil), 200)
	cond := httptest.NewRequest("GET", "/api/v1/openapi.json", nil)
	cond.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	s.do(cond, 304)

	// Auth.
	s.do(jsonReq("POST", "/api/v1/auth/register", `{"username":"oscar","password":"a long enough password"}`), 201)
	s.do(jsonReq("POST", "/api/v1/auth/register", `{"username":"oscar","password":"a long enough password"}`), 422)
	s.do(jsonReq("POST", "/api/v1/auth/register", `{"username":"","password":"x"}`), 422)
	s.do(jsonReq("POST", "/api/v1/auth/register", `{"username":`), 400)
	_, body := s.do(jsonReq("POST", "/api/v1/auth/token", `{"username":"oscar","password":"a long enough password"}`), 200)
	pair := decode[struct {
		Access  string `json:"access_token"`
		Refresh string `json:"refresh_token"`
	}](t, body)
	s.do(jsonReq("POST", "/api/v1/auth/token", `{"username":"oscar","password":"wrong password!"}`), 401)
	s.do(jsonReq("POST", "/api/v1/auth/refresh", fmt.Sprintf(`{"refresh_token":%q}`, pair.Refresh)), 200)
	s.do(jsonReq("POST", "/api/v1/auth/refresh", fmt.Sprintf(`{"refresh_token":%q}`, pair.Refresh)), 401)
	s.do(jsonReq("POST", "/api/v1/auth/refresh", `{}`), 422)
	s.do(bearer(httptest.NewRequest("POST", "/api/v1/auth/revoke", nil), pair.Access), 204)
	s.do(httptest.NewRequest("POST", "/api/v1/auth/revoke", nil), 401)

	// Me.
	resp, _ = s.do(auth(httptest.NewRequest("GET", "/api/v1/me", nil)), 200)
	cond = auth(httptest.NewRequest("GET", "/api/v1/me", nil))
	cond.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	s.do(cond, 304)
	s.do(httptest.NewRequest("GET", "/api/v1/me", nil), 401)
	s.do(bearer(httptest.NewRequest("GET", "/api/v1/me", nil), "garbage"), 401)

	// Pastes: every create form.
	_, body = s.do(jsonReq("POST", "/api/v1/pastes", `{"content":"hello\n","title":"t"}`), 201)
	anon := decode[apiPaste](t, body)
	_, body = s.do(auth(jsonReq("POST", "/api/v1/pastes", `{"content":"mine","visibility":"private","expires_in":"1d"}`)), 201)
	mine := decode[apiPaste](t, body)
	s.do(rawReq("POST", "/api/v1/pastes?syntax=go", "text/plain", "package x\n"), 201)
	s.do(rawReq("POST", "/api/v1/pastes", "application/octet-stream", "\x00\xff"), 201)
	s.do(rawReq("POST", "/api/v1/pastes", "text/plain", "url only", "Accept", "text/plain"), 201)
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	fw, _ := w.CreateFormFile("content", "a.py")
	fw.Write([]byte("x = 1\n"))
	w.Close()
	s.do(rawReq("POST", "/api/v1/pastes", w.FormDataContentType(), mp.String()), 201)
	idem := rawReq("POST", "/api/v1/pastes", "text/plain", "idem", "Idempotency-Key", "k1-0123456789abcdef")
	s.do(idem, 201)
	s.do(rawReq("POST", "/api/v1/pastes", "text/plain", "idem", "Idempotency-Key", "k1-0123456789abcdef"), 201)
	s.do(rawReq("POST", "/api/v1/pastes", "text/plain", "other", "Idempotency-Key", "k1-0123456789abcdef"), 422)
	s.do(rawReq("POST", "/api/v1/pastes", "text/plain", "x", "Idempotency-Key", "bad key"), 400)
	s.do(jsonReq("POST", "/api/v1/pastes", `{"content":`), 400)
	s.do(jsonReq("POST", "/api/v1/pastes", `{"content":"x","visibility":"everyone"}`), 422)
	s.do(rawReq("POST", "/api/v1/pastes", "text/plain", strings.Repeat("x", 1025)), 413)
	s.do(rawReq("POST", "/api/v1/pastes", "image/png", "x"), 415)

	// Reading and listing.
	resp, _ = s.do(httptest.NewRequest("GET", "/api/v1/pastes/"+anon.ID, nil), 200)
	cond = httptest.NewRequest("GET", "/api/v1/pastes/"+anon.ID, nil)
	cond.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	s.do(cond, 304)
	s.do(httptest.NewRequest("GET", "/api/v1/pastes/"+mine.ID, nil), 404)
	s.do(auth(httptest.NewRequest("GET", "/api/v1/pastes/"+mine.ID, nil)), 200)
	resp, _ = s.do(httptest.NewRequest("GET", "/api/v1/pastes?limit=2", nil), 200)
	cond = httptest.NewRequest("GET", "/api/v1/pastes?limit=2", nil)
	cond.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	s.do(cond, 304)
	s.do(auth(httptest.NewRequest("GET", "/api/v1/pastes?owner=me", nil)), 200)
	s.do(httptest.NewRequest("GET", "/api/v1/pastes?owner=olga", nil), 200)
	s.do(httptest.NewRequest("GET", "/api/v1/pastes?owner=me", nil), 401)
	s.do(httptest.NewRequest("GET", "/api/v1/pastes?owner=nobody", nil), 404)
	s.do(httptest.NewRequest("GET", "/api/v1/pastes?limit=ten", nil), 422)

	// Changing and deleting.
	s.do(auth(jsonReq("PATCH", "/api/v1/pastes/"+mine.ID, `{"title":"renamed"}`)), 200)
	s.do(auth(jsonReq("PATCH", "/api/v1/pastes/"+mine.ID, `{"visibility":"nope"}`)), 422)
	s.do(auth(jsonReq("PATCH", "/api/v1/pastes/"+mine.ID, `{"colour":1}`)), 400)
	s.do(jsonReq("PATCH", "/api/v1/pastes/"+mine.ID, `{"title":"x"}`), 401)
	s.do(auth(jsonReq("PATCH", "/api/v1/pastes/"+anon.ID, `{"title":"x"}`)), 403)
	s.do(auth(jsonReq("PATCH", "/api/v1/pastes/Zzzzzzzz", `{"title":"x"}`)), 404)

	// Share links.
	_, body = s.do(auth(httptest.NewRequest("POST", "/api/v1/pastes/"+mine.ID+"/share-links", nil)), 201)
	link := decode[struct{ Token string }](t, body)
	resp, _ = s.do(auth(httptest.NewRequest("GET", "/api/v1/pastes/"+mine.ID+"/share-links", nil)), 200)
	cond = auth(httptest.NewRequest("GET", "/api/v1/pastes/"+mine.ID+"/share-links", nil))
	cond.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	s.do(cond, 304)
	s.do(httptest.NewRequest("GET", "/api/v1/pastes/"+mine.ID+"/share-links", nil), 401)
	s.do(httptest.NewRequest("POST", "/api/v1/pastes/"+mine.ID+"/share-links", nil), 401)
	s.do(auth(httptest.NewRequest("POST", "/api/v1/pastes/Zzzzzzzz/share-links", nil)), 404)
	s.do(auth(httptest.NewRequest("DELETE", "/api/v1/pastes/"+mine.ID+"/share-links/"+link.Token, nil)), 204)
	s.do(auth(httptest.NewRequest("DELETE", "/api/v1/pastes/"+mine.ID+"/share-links/"+link.Token, nil)), 404)
	s.do(httptest.NewRequest("DELETE", "/api/v1/pastes/"+mine.ID+"/share-links/x", nil), 401)

	del := httptest.NewRequest("DELETE", "/api/v1/pastes/"+anon.ID, nil)
	del.Header.Set("X-Delete-Token", "wrong-token-wrong-token")
	s.do(del, 403)
	s.do(httptest.NewRequest("DELETE", "/api/v1/pastes/"+anon.ID, nil), 401)
	del = httptest.NewRequest("DELETE", "/api/v1/pastes/"+anon.ID, nil)
	del.Header.Set("X-Delete-Token", anon.DeleteToken)
	s.do(del, 204)
	s.do(auth(httptest.NewRequest("DELETE", "/api/v1/pastes/"+mine.ID, nil)), 204)
	s.do(auth(httptest.NewRequest("DELETE", "/api/v1/pastes/"+mine.ID, nil)), 404)
	s.do(httptest.NewRequest("GET", "/api/v1/pastes/"+anon.ID, nil), 404)

	// Comments, ratings and stars.
	pavel := e.register("pavel")
	asPavel := func(r *http.Request) *http.Request { return bearer(r, pavel.access) }
	_, body = s.do(auth(jsonReq("POST", "/api/v1/pastes", `{"content":"talk","visibility":"public"}`)), 201)
	talk := decode[apiPaste](t, body)
	_, body = s.do(auth(jsonReq("POST", "/api/v1/pastes", `{"content":"secret","visibility":"private"}`)), 201)
	secret := decode[apiPaste](t, body)
	type apiComment struct {
		ID       int64   `json:"id"`
		ParentID *int64  `json:"parent_id"`
		Author   *string `json:"author"`
		Deleted  bool    `json:"deleted"`
	}
	comments := "/api/v1/pastes/" + talk.ID + "/comments"
	_, body = s.do(auth(jsonReq("POST", comments, `{"body":"first"}`)), 201)
	top := decode[apiComment](t, body)
	if top.ParentID != nil || top.Author == nil || *top.Author != "olga" {
		t.Fatalf("top-level comment %s", body)
	}
	_, body = s.do(asPavel(jsonReq("POST", comments, fmt.Sprintf(`{"body":"a reply","parent_id":%d}`, top.ID))), 201)
	if reply := decode[apiComment](t, body); reply.ParentID == nil || *reply.ParentID != top.ID {
		t.Fatalf("reply %s", body)
	}
	s.do(asPavel(jsonReq("POST", comments, `{"body":"null parent","parent_id":null}`)), 201)
	idemC := asPavel(jsonReq("POST", comments, `{"body":"once"}`))
	idemC.Header.Set("Idempotency-Key", "c1")
	s.do(idemC, 201)
	idemC = asPavel(jsonReq("POST", comments, `{"body":"once"}`))
	idemC.Header.Set("Idempotency-Key", "c1")
	s.do(idemC, 201)
	s.do(jsonReq("POST", comments, `{"body":"anonymous"}`), 401)
	s.do(asPavel(jsonReq("POST", "/api/v1/pastes/"+secret.ID+"/comments", `{"body":"let me in"}`)), 404)
	s.do(asPavel(jsonReq("POST", "/api/v1/pastes/Zzzzzzzz/comments", `{"body":"x"}`)), 404)
	s.do(asPavel(jsonReq("POST", comments, `{"body":""}`)), 422)
	s.do(asPavel(jsonReq("POST", comments, `{}`)), 422)
	s.do(asPavel(jsonReq("POST", comments, `{"body":"x","parent_id":999999}`)), 422)
	s.do(asPavel(jsonReq("POST", comments, `{"body":`)), 400)
	s.do(asPavel(jsonReq("POST", comments, `{"body":"x","colour":1}`)), 400)
	_, body = s.do(auth(jsonReq("POST", "/api/v1/pastes/"+secret.ID+"/comments", `{"body":"note to self"}`)), 201)
	secretComment := decode[apiComment](t, body)

	resp, _ = s.do(httptest.NewRequest("GET", comments, nil), 200)
	cond = httptest.NewRequest("GET", comments, nil)
	cond.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	s.do(cond, 304)
	s.do(asPavel(httptest.NewRequest("GET", comments, nil)), 200)
	s.do(httptest.NewRequest("GET", "/api/v1/pastes/"+secret.ID+"/comments", nil), 404)
	s.do(asPavel(httptest.NewRequest("GET", "/api/v1/pastes/"+secret.ID+"/comments", nil)), 404)
	s.do(auth(httptest.NewRequest("GET", "/api/v1/pastes/"+secret.ID+"/comments", nil)), 200)
	s.do(httptest.NewRequest("GET", comments+"?cursor=garbage", nil), 422)
	s.do(bearer(httptest.NewRequest("GET", comments, nil), "garbage"), 401)

	comment := fmt.Sprintf("/api/v1/comments/%d", top.ID)
	s.do(auth(jsonReq("PATCH", comment, `{"body":"edited"}`)), 200)
	s.do(asPavel(jsonReq("PATCH", comment, `{"body":"mine now"}`)), 403)
	s.do(auth(jsonReq("PATCH", comment, `{}`)), 422)
	s.do(auth(jsonReq("PATCH", comment, `{"body":"   "}`)), 422)
	s.do(auth(jsonReq("PATCH", comment, `{"body":"x","parent_id":1}`)), 400)
	s.do(jsonReq("PATCH", comment, `{"body":"x"}`), 401)
	s.do(auth(jsonReq("PATCH", "/api/v1/comments/999999", `{"body":"x"}`)), 404)
	s.do(asPavel(jsonReq("PATCH", fmt.Sprintf("/api/v1/comments/%d", secretComment.ID), `{"body":"x"}`)), 404)

	// Ratings.
	pasteRating := "/api/v1/pastes/" + talk.ID + "/rating"
	_, body = s.do(asPavel(jsonReq("PUT", pasteRating, `{"value":1}`)), 200)
	if string(body) != `{"likes":1,"dislikes":0,"my_rating":1}` {
		t.Fatalf("paste rating %s", body)
	}
	s.do(asPavel(jsonReq("PUT", pasteRating, `{"value":0}`)), 200)
	s.do(asPavel(jsonReq("PUT", pasteRating, `{"value":2}`)), 422)
	s.do(asPavel(jsonReq("PUT", pasteRating, `{"value":"1"}`)), 422)
	s.do(asPavel(jsonReq("PUT", pasteRating, `{}`)), 422)
	s.do(asPavel(jsonReq("PUT", pasteRating, `{"value":`)), 400)
	s.do(jsonReq("PUT", pasteRating, `{"value":1}`), 401)
	s.do(asPavel(jsonReq("PUT", "/api/v1/pastes/"+secret.ID+"/rating", `{"value":1}`)), 404)
	_, body = s.do(asPavel(jsonReq("PUT", comment+"/rating", `{"value":-1}`)), 200)
	if string(body) != `{"likes":0,"dislikes":1,"my_rating":-1}` {
		t.Fatalf("comment rating %s", body)
	}
	s.do(asPavel(jsonReq("PUT", comment+"/rating", `{"value":2}`)), 422)
	s.do(asPavel(jsonReq("PUT", comment+"/rating", `{"value":1,"extra":true}`)), 400)
	s.do(jsonReq("PUT", comment+"/rating", `{"value":1}`), 401)
	s.do(asPavel(jsonReq("PUT", "/api/v1/comments/999999/rating", `{"value":1}`)), 404)
	s.do(asPavel(jsonReq("PUT", fmt.Sprintf("/api/v1/comments/%d/rating", secretComment.ID), `{"value":1}`)), 404)

	// Stars.
	star := "/api/v1/pastes/" + talk.ID + "/star"
	s.do(asPavel(httptest.NewRequest("PUT", star, nil)), 204)
	s.do(asPavel(httptest.NewRequest("PUT", star, nil)), 204)
	s.do(httptest.NewRequest("PUT", star, nil), 401)
	s.do(asPavel(httptest.NewRequest("PUT", "/api/v1/pastes/"+secret.ID+"/star", nil)), 404)
	resp, body = s.do(asPavel(httptest.NewRequest("GET", "/api/v1/stars", nil)), 200)
	if !strings.Contains(string(body), `"id":"`+talk.ID+`"`) {
		t.Fatalf("stars %s", body)
	}
	cond = asPavel(httptest.NewRequest("GET", "/api/v1/stars", nil))
	cond.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	s.do(cond, 304)
	s.do(asPavel(httptest.NewRequest("GET", "/api/v1/stars?limit=1", nil)), 200)
	s.do(asPavel(httptest.NewRequest("GET", "/api/v1/stars?limit=ten", nil)), 422)
	s.do(httptest.NewRequest("GET", "/api/v1/stars", nil), 401)
	s.do(asPavel(httptest.NewRequest("DELETE", star, nil)), 204)
	s.do(asPavel(httptest.NewRequest("DELETE", star, nil)), 204)
	s.do(httptest.NewRequest("DELETE", star, nil), 401)
	s.do(asPavel(httptest.NewRequest("DELETE", "/api/v1/pastes/"+secret.ID+"/star", nil)), 404)
	_, body = s.do(asPavel(httptest.NewRequest("GET", "/api/v1/stars", nil)), 200)
	if strings.Contains(string(body), talk.ID) {
		t.Fatalf("unstarred paste still listed: %s", body)
	}

	// Deleting a comment: not by a third party; by its author, leaving a
	// placeholder (author null) because it has a reply.
	s.do(asPavel(httptest.NewRequest("DELETE", comment, nil)), 403)
	s.do(httptest.NewRequest("DELETE", comment, nil), 401)
	s.do(auth(httptest.NewRequest("DELETE", comment, nil)), 204)
	s.do(auth(httptest.NewRequest("DELETE", comment, nil)), 404)
	s.do(asPavel(httptest.NewRequest("DELETE", fmt.Sprintf("/api/v1/comments/%d", secretComment.ID), nil)), 404)
	_, body = s.do(httptest.NewRequest("GET", comments, nil), 200)
	list := decode[struct{ Items []apiComment }](t, body)
	if len(list.Items) == 0 || list.Items[0].ID != top.ID || !list.Items[0].Deleted || list.Items[0].Author != nil {
		t.Fatalf("placeholder %s", body)
	}

	// Search. Without a search engine configured every search is 503.
	if resp, _ := e.do(httptest.NewRequest("GET", "/api/v1/search?q=talk", nil)); resp.StatusCode == http.StatusServiceUnavailable {
		s.do(httptest.NewRequest("GET", "/api/v1/search?q=talk", nil), 503)
	} else {
		resp, body = s.do(httptest.NewRequest("GET", "/api/v1/search?q=talk", nil), 200)
		if !strings.Contains(string(body), `"id":"`+talk.ID+`"`) || strings.Contains(string(body), secret.ID) {
			t.Fatalf("search for talk: %s", body)
		}
		cond = httptest.NewRequest("GET", "/api/v1/search?q=talk", nil)
		cond.Header.Set("If-None-Match", resp.Header.Get("ETag"))
		s.do(cond, 304)
		s.do(auth(httptest.NewRequest("GET", "/api/v1/search?q=secret&owner=me&limit=5", nil)), 200)
		s.do(httptest.NewRequest("GET", "/api/v1/search?q=talk&owner=olga&syntax=text", nil), 200)
		s.do(httptest.NewRequest("GET", "/api/v1/search?q=nothing-matches-this", nil), 200)
		s.do(httptest.NewRequest("GET", "/api/v1/search?q=talk&owner=me", nil), 401)
		s.do(bearer(httptest.NewRequest("GET", "/api/v1/search?q=talk", nil), "garbage"), 401)
		s.do(httptest.NewRequest("GET", "/api/v1/search", nil), 422)
		s.do(httptest.NewRequest("GET", "/api/v1/search?q=talk&syntax=no-such-syntax", nil), 422)
		s.do(httptest.NewRequest("GET", "/api/v1/search?q=talk&limit=ten", nil), 422)
		s.do(httptest.NewRequest("GET", "/api/v1/search?q=talk&cursor=garbage", nil), 422)
		_, body = s.do(httptest.NewRequest("GET", "/api/v1/search?q=talk&sort=recent&facets=syntax", nil), 200)
		if !strings.Contains(string(body), `"facets":{"syntax":[{"value":"text","count":`) || !strings.Contains(string(body), `"sort":"recent"`) {
			t.Fatalf("search with facets: %s", body)
		}
		_, body = s.do(httptest.NewRequest("GET", "/api/v1/search?q=talk&tag=go", nil), 200)
		if strings.Contains(string(body), talk.ID) {
			t.Fatalf("a tag filter found an untagged paste: %s", body)
		}
		s.do(httptest.NewRequest("GET", "/api/v1/search?q=talk&sort=oldest", nil), 422)
		s.do(httptest.NewRequest("GET", "/api/v1/search?q=talk&tag=not%20a%20tag", nil), 422)
		s.do(httptest.NewRequest("GET", "/api/v1/search?q=talk&facets=owner", nil), 422)
	}

	exerciseRevisionsAPI(t, e, s)
	exerciseAdminAPI(t, e, s)
	exerciseOriginalAPI(t, e, s)
	exerciseForksTagsAPI(t, e, s)

	// Every route the app serves under /api/v1 is documented and exercised.
	param := regexp.MustCompile(`:([A-Za-z_]+)`)
	var missing []string
	done := map[string]bool{}
	for _, r := range e.app.GetRoutes(true) {
		path, ok := strings.CutPrefix(r.Path, "/api/v1")
		if !ok || strings.Contains(path, "*") || r.Method == http.MethodHead || done[r.Method+path] {
			continue
		}
		done[r.Method+path] = true
		key := r.Method + " " + param.ReplaceAllString(path, "{$1}")
		if !s.seen[key] {
			missing = append(missing, key)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("routes not documented in openapi.json or not exercised by this test: %v", missing)
	}
	if len(api.Routes()) != len(done) {
		t.Errorf("openapi.json documents %d operations, the app serves %d", len(api.Routes()), len(done))
	}
}

// TestOpenAPIServedWithBaseURL checks the served document names this
// server.
func TestOpenAPIServedWithBaseURL(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get("/api/v1/openapi.json")
	doc, err := openapi3.NewLoader().LoadFromData(body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("served document: %d %v", resp.StatusCode, err)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "http://pastel.test/api/v1" {
		t.Fatalf("servers %v", doc.Servers)
	}
}

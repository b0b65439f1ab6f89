package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"pastel/internal/api"
	"pastel/internal/paste"
)

// testRateLimits are budgets no ordinary test reaches: tests send many
// requests from one address within a second.
var testRateLimits = api.RateLimits{User: 1 << 20, Anonymous: 1 << 20, UserCreates: 1 << 20, AnonCreates: 1 << 20}

// withRateLimits sets the API's budgets for one test.
func withRateLimits(l api.RateLimits) envOption { return func(c *envConfig) { c.rateLimits = l } }

func rawReq(method, path, contentType, body string, hdr ...string) *http.Request {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return req
}

// countPastes counts the public pastes (what these tests create).
func countPastes(t *testing.T, e *env) int {
	t.Helper()
	page, err := e.svc.ListRecent(t.Context(), "", paste.MaxPageSize)
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Items)
}

func TestAPIRateLimits(t *testing.T) {
	e := newEnv(t, withRateLimits(api.RateLimits{User: 5, Anonymous: 4, UserCreates: 3, AnonCreates: 2}))
	u := e.register("rita") // the token endpoint spends one anonymous request

	// Anonymous reads spend the address's budget, and every answer says so.
	var last *http.Response
	var lastBody []byte
	for i := 0; i < 4; i++ {
		last, lastBody = e.get("/api/v1/pastes")
		if i < 3 && last.StatusCode != 200 {
			t.Fatalf("request %d = %d %s", i, last.StatusCode, lastBody)
		}
		if last.Header.Get("RateLimit-Limit") != "4" || last.Header.Get("RateLimit-Remaining") == "" || last.Header.Get("RateLimit-Reset") == "" {
			t.Fatalf("request %d headers: %v", i, last.Header)
		}
	}
	if last.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("past the budget = %d, want 429", last.StatusCode)
	}
	if ra, err := strconv.Atoi(last.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 60 {
		t.Fatalf("Retry-After %q", last.Header.Get("Retry-After"))
	}
	if ae := decode[apiError](t, lastBody); ae.Error.Code != "rate_limited" || last.Header.Get("RateLimit-Remaining") != "0" {
		t.Fatalf("429 body %s, remaining %q", lastBody, last.Header.Get("RateLimit-Remaining"))
	}

	// A bearer caller has its own budget, wherever it comes from.
	resp, body := e.do(bearer(httptest.NewRequest("GET", "/api/v1/me", nil), u.access))
	if resp.StatusCode != 200 || resp.Header.Get("RateLimit-Limit") != "5" {
		t.Fatalf("bearer after address exhausted = %d %v %s", resp.StatusCode, resp.Header.Get("RateLimit-Limit"), body)
	}
	// Creates are limited tighter: 3 per minute for the user.
	for i := 0; i < 4; i++ {
		resp, body = e.do(bearer(jsonReq("POST", "/api/v1/pastes", fmt.Sprintf(`{"content":"c%d"}`, i)), u.access))
		want := http.StatusCreated
		if i == 3 {
			want = http.StatusTooManyRequests
		}
		if resp.StatusCode != want {
			t.Fatalf("create %d = %d %s", i, resp.StatusCode, body)
		}
		if resp.Header.Get("RateLimit-Limit") != "3" {
			t.Fatalf("create %d shows limit %q, want the create budget 3", i, resp.Header.Get("RateLimit-Limit"))
		}
	}
	if resp.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
}

func TestAPIRateLimitInvalidTokens(t *testing.T) {
	e := newEnv(t, withRateLimits(api.RateLimits{Anonymous: 3}))
	codes := []int{}
	for i := 0; i < 5; i++ {
		resp, _ := e.do(bearer(httptest.NewRequest("GET", "/api/v1/me", nil), "not-a-token"))
		codes = append(codes, resp.StatusCode)
	}
	// Three guesses are checked, then the address waits.
	if fmt.Sprint(codes) != "[401 401 401 429 429]" {
		t.Fatalf("statuses %v", codes)
	}
}

func TestAPIIdempotencyKey(t *testing.T) {
	e := newEnv(t)
	body := `{"content":"once only\n","title":"idem"}`
	create := func(key, body string, hdr ...string) (*http.Response, []byte) {
		req := jsonReq("POST", "/api/v1/pastes", body)
		req.Header.Set("Idempotency-Key", key)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		return e.do(req)
	}
	before := countPastes(t, e)
	r1, b1 := create("key-1-0123456789ab", body)
	r2, b2 := create("key-1-0123456789ab", body)
	if r1.StatusCode != 201 || r2.StatusCode != 201 {
		t.Fatalf("statuses %d %d: %s %s", r1.StatusCode, r2.StatusCode, b1, b2)
	}
	if !bytes.Equal(b1, b2) || r1.Header.Get("Location") != r2.Header.Get("Location") || r2.Header.Get("Idempotent-Replayed") != "true" || r1.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("replay differs:\n%s\n%s\n%v", b1, b2, r2.Header)
	}
	if n := countPastes(t, e); n != before+1 {
		t.Fatalf("%d pastes created, want 1", n-before)
	}
	// The same key with another body: 422 naming the header; nothing created.
	r3, b3 := create("key-1-0123456789ab", `{"content":"something else"}`)
	ae := decode[apiError](t, b3)
	if r3.StatusCode != 422 || ae.Error.Code != "idempotency_key_reused" || ae.Error.Fields["Idempotency-Key"] == "" {
		t.Fatalf("reused key = %d %s", r3.StatusCode, b3)
	}
	// Another caller's key of the same name is theirs.
	u := e.register("ida")
	r4, b4 := e.do(bearer(func() *http.Request {
		req := jsonReq("POST", "/api/v1/pastes", body)
		req.Header.Set("Idempotency-Key", "key-1-0123456789ab")
		return req
	}(), u.access))
	if r4.StatusCode != 201 || decode[apiPaste](t, b4).ID == decode[apiPaste](t, b1).ID {
		t.Fatalf("other caller = %d %s", r4.StatusCode, b4)
	}
	// A failed request keeps nothing: the retry, corrected, runs.
	if r, b := create("key-2-0123456789ab", `{"content":""}`); r.StatusCode != 422 {
		t.Fatalf("invalid = %d %s", r.StatusCode, b)
	}
	if r, b := create("key-2-0123456789ab", `{"content":"fixed"}`); r.StatusCode != 201 {
		t.Fatalf("corrected retry = %d %s", r.StatusCode, b)
	}
	// Raw uploads are keyed on the bytes and the query.
	raw := func(q string) (*http.Response, []byte) {
		return e.do(rawReq("POST", "/api/v1/pastes"+q, "text/plain", "raw body", "Idempotency-Key", "key-3-0123456789ab", "Accept", "text/plain"))
	}
	ra, ba := raw("?syntax=text")
	rb, bb := raw("?syntax=text")
	rc, _ := raw("?syntax=go")
	if ra.StatusCode != 201 || rb.StatusCode != 201 || !bytes.Equal(ba, bb) || rc.StatusCode != 422 || rb.Header.Get("Content-Type") != ra.Header.Get("Content-Type") {
		t.Fatalf("raw replay: %d %d %d %q %q", ra.StatusCode, rb.StatusCode, rc.StatusCode, ba, bb)
	}
	if r, b := create(strings.Repeat("k", 256), body); r.StatusCode != 400 {
		t.Fatalf("overlong key = %d %s", r.StatusCode, b)
	}
}

// Concurrent requests with one key: one runs, the others get its answer or
// 409; exactly one paste exists afterwards.
func TestAPIIdempotencyConcurrent(t *testing.T) {
	e := newEnv(t, served())
	before := countPastes(t, e)
	const n = 12
	var wg sync.WaitGroup
	statuses := make([]int, n)
	ids := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", e.base+"/api/v1/pastes", strings.NewReader(`{"content":"race"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", "same-key-0123456789")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			var buf bytes.Buffer
			buf.ReadFrom(resp.Body)
			statuses[i] = resp.StatusCode
			if resp.StatusCode == 201 {
				ids[i] = decode[apiPaste](t, buf.Bytes()).ID
			} else if resp.StatusCode != 409 || resp.Header.Get("Retry-After") == "" || !strings.Contains(buf.String(), "idempotency_key_in_use") {
				t.Errorf("status %d %s", resp.StatusCode, buf.String())
			}
		}()
	}
	wg.Wait()
	first := ""
	for _, id := range ids {
		if id == "" {
			continue
		}
		if first == "" {
			first = id
		} else if id != first {
			t.Fatalf("two pastes for one key: %s and %s (%v)", first, id, statuses)
		}
	}
	if got := countPastes(t, e); first == "" || got != before+1 {
		t.Fatalf("created %d pastes, statuses %v", got-before, statuses)
	}
}

func TestAPIConditionalLists(t *testing.T) {
	e := newEnv(t)
	u := e.register("etta")
	e.do(jsonReq("POST", "/api/v1/pastes", `{"content":"one"}`))
	for _, path := range []string{"/api/v1/pastes", "/api/v1/pastes?owner=me", "/api/v1/me"} {
		resp, body := e.do(bearer(httptest.NewRequest("GET", path, nil), u.access))
		tag := resp.Header.Get("ETag")
		if resp.StatusCode != 200 || tag == "" || !strings.Contains(resp.Header.Get("Vary"), "Authorization") {
			t.Fatalf("%s = %d etag %q vary %q %s", path, resp.StatusCode, tag, resp.Header.Get("Vary"), body)
		}
		req := bearer(httptest.NewRequest("GET", path, nil), u.access)
		req.Header.Set("If-None-Match", `"other", `+tag)
		if resp, body := e.do(req); resp.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Fatalf("%s conditional = %d %q", path, resp.StatusCode, body)
		}
	}
	// A new paste changes the list, and its tag.
	_, body := e.get("/api/v1/pastes")
	resp, _ := e.get("/api/v1/pastes")
	tag := resp.Header.Get("ETag")
	e.do(jsonReq("POST", "/api/v1/pastes", `{"content":"two"}`))
	req := httptest.NewRequest("GET", "/api/v1/pastes", nil)
	req.Header.Set("If-None-Match", tag)
	if resp, b := e.do(req); resp.StatusCode != 200 || bytes.Equal(b, body) {
		t.Fatalf("changed list = %d", resp.StatusCode)
	}
}

func TestAPILocationOnEvery201(t *testing.T) {
	e := newEnv(t)
	resp, body := e.do(jsonReq("POST", "/api/v1/auth/register", `{"username":"lola","password":"a long enough password"}`))
	if resp.StatusCode != 201 || resp.Header.Get("Location") != "http://pastel.test/u/lola" {
		t.Fatalf("register = %d %q %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	u := e.register("lena")
	resp, body = e.do(bearer(jsonReq("POST", "/api/v1/pastes", `{"content":"secret","visibility":"private"}`), u.access))
	p := decode[apiPaste](t, body)
	if resp.StatusCode != 201 || resp.Header.Get("Location") != p.URL {
		t.Fatalf("create = %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = e.do(bearer(httptest.NewRequest("POST", "/api/v1/pastes/"+p.ID+"/share-links", nil), u.access))
	link := decode[struct{ URL string }](t, body)
	if resp.StatusCode != 201 || link.URL == "" || resp.Header.Get("Location") != link.URL {
		t.Fatalf("share link = %d %q %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
}

func TestAPILimitClamped(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < paste.MaxPageSize+3; i++ {
		e.create(paste.CreateInput{Content: []byte("p" + strconv.Itoa(i))})
	}
	type list struct {
		Items      []apiPaste `json:"items"`
		NextCursor *string    `json:"next_cursor"`
	}
	_, body := e.get("/api/v1/pastes?limit=100000")
	l := decode[list](t, body)
	if len(l.Items) != 100 || l.NextCursor == nil {
		t.Fatalf("limit=100000 gave %d items, cursor %v", len(l.Items), l.NextCursor)
	}
	_, body = e.get("/api/v1/pastes?limit=0")
	if l := decode[list](t, body); len(l.Items) != 20 {
		t.Fatalf("default page %d", len(l.Items))
	}
}

func TestAPIShellUploads(t *testing.T) {
	e := newEnv(t)
	src := "package main\n\nfunc main() {}\n"
	// curl --data-binary @main.go "$PASTEL/api/v1/pastes?syntax=go" -H 'Accept: text/plain'
	resp, body := e.do(rawReq("POST", "/api/v1/pastes?syntax=go", "application/x-www-form-urlencoded", src, "Accept", "text/plain"))
	if resp.StatusCode != 201 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") || !strings.HasSuffix(string(body), "\n") || strings.Count(string(body), "\n") != 1 {
		t.Fatalf("text answer %d %q", resp.StatusCode, body)
	}
	id := strings.TrimPrefix(strings.TrimSpace(string(body)), "http://pastel.test/")
	_, pj := e.get("/api/v1/pastes/" + id)
	if p := decode[apiPaste](t, pj); p.Syntax != "go" || *p.Content != src {
		t.Fatalf("uploaded %+v", p)
	}
	// The syntax from a filename query parameter.
	resp, body = e.do(rawReq("POST", "/api/v1/pastes?filename=tool.py", "text/plain", "x = 1\n"))
	if p := decode[apiPaste](t, body); resp.StatusCode != 201 || p.Syntax != "python" {
		t.Fatalf("filename guess: %d %+v", resp.StatusCode, p)
	}
	// curl -F content=@deploy.sh: the file part's name guides the syntax, the
	// bytes arrive untouched.
	content := "#!/bin/sh\necho \"hi\" \x00\r\n"
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("content", "deploy.sh")
	fw.Write([]byte(content))
	w.WriteField("title", "deploy")
	w.Close()
	resp, body = e.do(rawReq("POST", "/api/v1/pastes", w.FormDataContentType(), buf.String()))
	p := decode[apiPaste](t, body)
	if resp.StatusCode != 201 || p.Title != "deploy" || p.Syntax != "bash" {
		t.Fatalf("multipart: %d %s", resp.StatusCode, body)
	}
	if _, raw := e.get("/raw/" + p.ID); string(raw) != content {
		t.Fatalf("multipart bytes %q", raw)
	}
}

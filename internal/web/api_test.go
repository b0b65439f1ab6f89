package web_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type apiPaste struct {
	ID               string  `json:"id"`
	URL              string  `json:"url"`
	RawURL           string  `json:"raw_url"`
	Title            string  `json:"title"`
	Syntax           string  `json:"syntax"`
	Visibility       string  `json:"visibility"`
	Size             int64   `json:"size"`
	CreatedAt        string  `json:"created_at"`
	ExpiresAt        *string `json:"expires_at"`
	BurnAfterReading bool    `json:"burn_after_reading"`
	Owner            *string `json:"owner"`
	Content          *string `json:"content"`
	ContentEncoding  string  `json:"content_encoding"`
	DeleteToken      string  `json:"delete_token"`
}

type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

func TestAPICreateJSONAndRead(t *testing.T) {
	e := newEnv(t)
	resp, body := e.do(jsonReq("POST", "/api/v1/pastes", `{"title":"hello.py","content":"print('hi')\n","syntax":"python","visibility":"unlisted","expires_in":"1w"}`))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create = %d %s", resp.StatusCode, body)
	}
	p := decode[apiPaste](t, body)
	if resp.Header.Get("Location") != p.URL || p.URL != "http://pastel.test/"+p.ID || p.RawURL != "http://pastel.test/raw/"+p.ID {
		t.Fatalf("urls: loc %q url %q raw %q", resp.Header.Get("Location"), p.URL, p.RawURL)
	}
	if p.Title != "hello.py" || p.Syntax != "python" || p.Visibility != "unlisted" || p.Size != 12 || p.ExpiresAt == nil || p.Owner != nil || p.DeleteToken == "" {
		t.Fatalf("paste fields: %+v", p)
	}
	for _, field := range []string{"likes", "dislikes", "stars", "views", "created_at", "burn_after_reading"} {
		if !strings.Contains(string(body), `"`+field+`"`) {
			t.Errorf("paste JSON lacks %q", field)
		}
	}
	resp, body = e.get("/api/v1/pastes/" + p.ID)
	got := decode[apiPaste](t, body)
	if resp.StatusCode != 200 || got.Content == nil || *got.Content != "print('hi')\n" || got.ContentEncoding != "utf-8" || got.DeleteToken != "" {
		t.Fatalf("read = %d %+v", resp.StatusCode, got)
	}
	req := httptest.NewRequest("GET", "/api/v1/pastes/"+p.ID, nil)
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	if resp, _ := e.do(req); resp.StatusCode != http.StatusNotModified {
		t.Fatalf("conditional GET = %d", resp.StatusCode)
	}
}

func TestAPICurlDataBinaryPrintsURL(t *testing.T) {
	e := newEnv(t)
	// curl --data-binary sends application/x-www-form-urlencoded; the body is
	// still the paste, byte for byte.
	content := "a=1&b=2\n%41 + spaces\n"
	req := httptest.NewRequest("POST", "/api/v1/pastes?syntax=text&title=vars", strings.NewReader(content))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/plain")
	resp, body := e.do(req)
	if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(string(body), "http://pastel.test/") || !strings.HasSuffix(string(body), "\n") || strings.Count(string(body), "\n") != 1 {
		t.Fatalf("text answer = %d %q", resp.StatusCode, body)
	}
	id := strings.TrimSpace(strings.TrimPrefix(string(body), "http://pastel.test/"))
	if _, raw := e.get("/raw/" + id); string(raw) != content {
		t.Fatalf("raw = %q, want %q", raw, content)
	}
}

func TestAPIBinaryRoundTrip(t *testing.T) {
	e := newEnv(t)
	content := []byte("\x00\x01binary\xff\xfe\x80 not utf-8\x00\n")
	req := httptest.NewRequest("POST", "/api/v1/pastes", bytes.NewReader(content))
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, body := e.do(req)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create = %d %s", resp.StatusCode, body)
	}
	p := decode[apiPaste](t, body)
	if _, raw := e.get("/raw/" + p.ID); !bytes.Equal(raw, content) {
		t.Fatalf("raw = %q", raw)
	}
	if _, dl := e.get("/dl/" + p.ID); !bytes.Equal(dl, content) {
		t.Fatalf("download = %q", dl)
	}
	_, body = e.get("/api/v1/pastes/" + p.ID)
	got := decode[apiPaste](t, body)
	dec, err := base64.StdEncoding.DecodeString(*got.Content)
	if got.ContentEncoding != "base64" || err != nil || !bytes.Equal(dec, content) {
		t.Fatalf("API content %q (%s)", *got.Content, got.ContentEncoding)
	}
	// And back in through JSON with base64.
	resp, body = e.do(jsonReq("POST", "/api/v1/pastes", fmt.Sprintf(`{"content":%q,"content_encoding":"base64"}`, *got.Content)))
	p2 := decode[apiPaste](t, body)
	if _, raw := e.get("/raw/" + p2.ID); resp.StatusCode != 201 || !bytes.Equal(raw, content) {
		t.Fatalf("base64 create round trip: %d %q", resp.StatusCode, raw)
	}
	// The page does not try to show binary content.
	resp, body = e.get("/" + p.ID)
	if resp.StatusCode != 200 || !strings.Contains(strings.ToLower(string(body)), "binary") {
		t.Fatalf("binary page: %d", resp.StatusCode)
	}
}

func TestAPIErrors(t *testing.T) {
	e := newEnv(t, withMaxBytes(1024))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(bytes.Repeat([]byte("a"), 1<<20)) // 1 MiB from ~1 KiB: a small bomb
	zw.Close()
	big := strings.Repeat("x", 1025)

	cases := []struct {
		name   string
		req    *http.Request
		status int
		code   string
		field  string
	}{
		{"malformed json", jsonReq("POST", "/api/v1/pastes", `{"content":`), 400, "bad_request", ""},
		{"unknown field", jsonReq("POST", "/api/v1/pastes", `{"content":"x","colour":"red"}`), 400, "bad_request", ""},
		{"wrong type", jsonReq("POST", "/api/v1/pastes", `{"content":"x","burn_after_reading":"yes"}`), 422, "validation_failed", "burn_after_reading"},
		{"missing content", jsonReq("POST", "/api/v1/pastes", `{"title":"x"}`), 422, "validation_failed", "content"},
		{"empty content", jsonReq("POST", "/api/v1/pastes", `{"content":""}`), 422, "validation_failed", "content"},
		{"nul in title", jsonReq("POST", "/api/v1/pastes", `{"content":"x","title":"a\u0000b"}`), 422, "validation_failed", "title"},
		{"control in title", jsonReq("POST", "/api/v1/pastes", `{"content":"x","title":"a\u001bb"}`), 422, "validation_failed", "title"},
		{"bad visibility", jsonReq("POST", "/api/v1/pastes", `{"content":"x","visibility":"everyone"}`), 422, "validation_failed", "visibility"},
		{"anonymous private", jsonReq("POST", "/api/v1/pastes", `{"content":"x","visibility":"private"}`), 422, "validation_failed", "visibility"},
		{"bad expiry", jsonReq("POST", "/api/v1/pastes", `{"content":"x","expires_in":"3d"}`), 422, "validation_failed", "expires_in"},
		{"bad syntax", jsonReq("POST", "/api/v1/pastes", `{"content":"x","syntax":"<script>"}`), 422, "validation_failed", "syntax"},
		{"bad source", jsonReq("POST", "/api/v1/pastes", `{"content":"x","source_url":"javascript:alert(1)"}`), 422, "validation_failed", "source_url"},
		{"too large raw", func() *http.Request {
			r := httptest.NewRequest("POST", "/api/v1/pastes", strings.NewReader(big))
			r.Header.Set("Content-Type", "text/plain")
			return r
		}(), 413, "too_large", ""},
		{"too large json", jsonReq("POST", "/api/v1/pastes", `{"content":"`+big+`"}`), 413, "too_large", ""},
		{"gzip bomb", func() *http.Request {
			r := httptest.NewRequest("POST", "/api/v1/pastes", bytes.NewReader(gz.Bytes()))
			r.Header.Set("Content-Type", "text/plain")
			r.Header.Set("Content-Encoding", "gzip")
			return r
		}(), 413, "too_large", ""},
		{"unknown encoding", func() *http.Request {
			r := httptest.NewRequest("POST", "/api/v1/pastes", strings.NewReader("x"))
			r.Header.Set("Content-Type", "text/plain")
			r.Header.Set("Content-Encoding", "zstd")
			return r
		}(), 415, "unsupported_content_encoding", ""},
		{"unknown media type", func() *http.Request {
			r := httptest.NewRequest("POST", "/api/v1/pastes", strings.NewReader("x"))
			r.Header.Set("Content-Type", "image/png")
			return r
		}(), 415, "unsupported_media_type", ""},
		{"bad burn query", func() *http.Request {
			r := httptest.NewRequest("POST", "/api/v1/pastes?burn_after_reading=perhaps", strings.NewReader("x"))
			r.Header.Set("Content-Type", "text/plain")
			return r
		}(), 422, "validation_failed", "burn_after_reading"},
		{"bad cursor", httptest.NewRequest("GET", "/api/v1/pastes?cursor=!!!", nil), 422, "validation_failed", "cursor"},
		{"bad limit", httptest.NewRequest("GET", "/api/v1/pastes?limit=ten", nil), 422, "validation_failed", "limit"},
		{"bad sort", httptest.NewRequest("GET", "/api/v1/pastes?sort=oldest", nil), 422, "validation_failed", "sort"},
		{"unknown route", httptest.NewRequest("GET", "/api/v1/nothing", nil), 404, "not_found", ""},
		{"unknown paste", httptest.NewRequest("GET", "/api/v1/pastes/Zzzzzzzz", nil), 404, "not_found", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.do(tc.req)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("content type %q", ct)
			}
			ae := decode[apiError](t, body)
			if ae.Error.Code != tc.code || ae.Error.Message == "" {
				t.Fatalf("error %+v, want code %s", ae.Error, tc.code)
			}
			if tc.field != "" && ae.Error.Fields[tc.field] == "" {
				t.Fatalf("fields %v do not name %s", ae.Error.Fields, tc.field)
			}
		})
	}
}

func TestAPIDeleteWithToken(t *testing.T) {
	e := newEnv(t)
	_, body := e.do(jsonReq("POST", "/api/v1/pastes", `{"content":"bye"}`))
	p := decode[apiPaste](t, body)
	del := func(token string) int {
		req := httptest.NewRequest("DELETE", "/api/v1/pastes/"+p.ID, nil)
		if token != "" {
			req.Header.Set("X-Delete-Token", token)
		}
		resp, _ := e.do(req)
		return resp.StatusCode
	}
	if s := del(""); s != 401 {
		t.Fatalf("no token = %d, want 401", s)
	}
	if s := del("wrong-token-wrong-token"); s != 403 {
		t.Fatalf("wrong token = %d, want 403", s)
	}
	if s := del(p.DeleteToken); s != 204 {
		t.Fatalf("right token = %d, want 204", s)
	}
	if s := del(p.DeleteToken); s != 404 {
		t.Fatalf("again = %d, want 404", s)
	}
	if resp, _ := e.get("/raw/" + p.ID); resp.StatusCode != 404 {
		t.Fatal("deleted paste still readable")
	}
}

func TestAPIListPagination(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 7; i++ {
		e.do(jsonReq("POST", "/api/v1/pastes", fmt.Sprintf(`{"content":"p%d"}`, i)))
		e.clock.Advance(1e9)
	}
	type list struct {
		Items      []apiPaste `json:"items"`
		NextCursor *string    `json:"next_cursor"`
	}
	seen := map[string]bool{}
	path := "/api/v1/pastes?limit=3"
	for pages := 0; ; pages++ {
		_, body := e.get(path)
		l := decode[list](t, body)
		for _, it := range l.Items {
			if seen[it.ID] {
				t.Fatalf("%s listed twice", it.ID)
			}
			seen[it.ID] = true
		}
		if l.NextCursor == nil {
			break
		}
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		path = "/api/v1/pastes?limit=3&cursor=" + *l.NextCursor
	}
	if len(seen) != 7 {
		t.Fatalf("listed %d, want 7", len(seen))
	}
}

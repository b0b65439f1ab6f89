package web_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5/pgxpool"
)

// sealEnvelope encrypts text as static/crypt.js does (no password) and
// returns the envelope and the key as the link's #fragment carries it.
func sealEnvelope(t testing.TB, text string) (envelope, key string) {
	t.Helper()
	raw := make([]byte, 32)
	iv := make([]byte, 12)
	rand.Read(raw)
	rand.Read(iv)
	block, _ := aes.NewCipher(raw)
	gcm, _ := cipher.NewGCM(block)
	ct := gcm.Seal(nil, iv, []byte(text), nil)
	env, _ := json.Marshal(map[string]any{"v": 1, "iv": base64.StdEncoding.EncodeToString(iv), "ct": base64.StdEncoding.EncodeToString(ct)})
	return string(env), base64.RawURLEncoding.EncodeToString(raw)
}

// tablesHolding names the tables of the public schema any row of which
// holds needle in its text form.
func tablesHolding(t testing.TB, pool *pgxpool.Pool, needle string) []string {
	t.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var out []string
	for _, tbl := range tables {
		var n int
		q := fmt.Sprintf(`SELECT count(*) FROM %q t WHERE strpos(t::text, $1) > 0`, tbl)
		if err := pool.QueryRow(ctx, q, needle).Scan(&n); err != nil {
			t.Fatalf("%s: %v", tbl, err)
		}
		if n > 0 {
			out = append(out, tbl)
		}
	}
	return out
}

// filesHolding names the files under dir that contain needle.
func filesHolding(t testing.TB, dir, needle string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if b, err := os.ReadFile(p); err == nil && strings.Contains(string(b), needle) {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// The API takes an envelope under encrypted: true and refuses anything
// else (the server never stores plain text under the flag); the paste is
// unlisted, plain text, untitled, and its page, raw view and JSON carry
// the envelope alone; embeds, oEmbed and link previews refuse it.
func TestAPIEncryptedPastes(t *testing.T) {
	e := newEnv(t)
	envelope, _ := sealEnvelope(t, "the launch code is 0000\n")
	body, _ := json.Marshal(map[string]any{"content": envelope, "encrypted": true, "syntax": "go"})
	var created struct {
		ID         string   `json:"id"`
		Encrypted  bool     `json:"encrypted"`
		Visibility string   `json:"visibility"`
		Syntax     string   `json:"syntax"`
		Warnings   []any    `json:"warnings"`
		Tags       []string `json:"tags"`
	}
	raw := e.mustAPI(nil, "POST", "/api/v1/pastes", string(body), 201)
	if err := json.Unmarshal(raw, &created); err != nil {
		t.Fatal(err)
	}
	if !created.Encrypted || created.Visibility != "unlisted" || created.Syntax != "text" || created.Warnings == nil || len(created.Warnings) != 0 {
		t.Fatalf("created: %s", raw)
	}
	if !strings.Contains(string(raw), `"warnings":[]`) {
		t.Errorf("a create answer carries warnings, even none: %s", raw)
	}
	for _, c := range []struct{ name, body, field string }{
		{"plain text", `{"encrypted":true,"content":"not encrypted at all"}`, "content"},
		{"envelope with extra field", `{"encrypted":true,"content":` + quote(strings.Replace(envelope, `"v":1`, `"v":1,"text":"x"`, 1)) + `}`, "content"},
		{"short iv", `{"encrypted":true,"content":"{\"v\":1,\"iv\":\"AAAA\",\"ct\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}"}`, "content"},
		{"weak iterations", `{"encrypted":true,"content":"{\"v\":1,\"iv\":\"AAAAAAAAAAAAAAAA\",\"salt\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"iter\":1000,\"ct\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}"}`, "content"},
		{"public", `{"encrypted":true,"visibility":"public","content":` + quote(envelope) + `}`, "visibility"},
		{"title", `{"encrypted":true,"title":"launch codes","content":` + quote(envelope) + `}`, "title"},
		{"files", `{"encrypted":true,"files":[{"name":"a.txt","content":"plain"}]}`, "files"},
		{"tags", `{"encrypted":true,"tags":["launch"],"content":` + quote(envelope) + `}`, "tags"},
	} {
		resp, b := e.apiJSON(nil, "POST", "/api/v1/pastes", c.body)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"`+c.field+`"`) {
			t.Errorf("%s: %d %s; want 422 naming %s", c.name, resp.StatusCode, b, c.field)
		}
	}

	resp, page := e.get("/" + created.ID)
	if resp.StatusCode != 200 {
		t.Fatalf("page: %d", resp.StatusCode)
	}
	doc := parse(t, page)
	got, _ := doc.Find(`[data-testid="encrypted"]`).Attr("data-envelope")
	if got != envelope {
		t.Errorf("the page carries %q, want the envelope", got)
	}
	if doc.Find(`[data-testid="code-wrap"], meta[property="og:title"], link[type="application/json+oembed"]`).Length() != 0 {
		t.Error("an encrypted paste's page has rendered code or link-preview tags")
	}
	if title := doc.Find(`[data-testid="paste-title"]`).Text(); title != "Encrypted paste" {
		t.Errorf("title %q", title)
	}
	resp, rawBody := e.get("/raw/" + created.ID)
	if resp.StatusCode != 200 || string(rawBody) != envelope || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("raw: %d %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), rawBody)
	}
	// Lists: never public ones; the owner's own list names it without a title.
	alice := e.register("alice")
	mine := e.apiPaste(alice, `{"encrypted":true,"content":`+quote(envelope)+`}`)
	for _, path := range []string{"/explore", "/search?q=launch"} {
		if _, b := e.get(path); strings.Contains(string(b), mine) || strings.Contains(string(b), created.ID) {
			t.Errorf("%s lists an encrypted paste", path)
		}
	}
	_, own := e.do(e.browserGet(alice, "/u/alice", false))
	card := parse(t, own).Find(`a[href="/` + mine + `"]`)
	if card.Length() == 0 || !strings.Contains(card.First().Text(), "Encrypted paste") {
		t.Errorf("the owner's list: %q", card.Text())
	}
	for _, path := range []string{"/embed/" + created.ID, "/oembed?url=" + e.base + "/" + created.ID} {
		if resp, _ := e.get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s = %d, want 404", path, resp.StatusCode)
		}
	}
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// Credentials in a create or an edit come back as warnings with their
// lines; the paste is still made (the API warns, it does not refuse).
func TestAPISecretWarnings(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice")
	text := "line one\nkey = \"AKIAIOSFODNN7EXAMPLQ\"\nok\ndb = \"postgres://app:Tr0ub4dor3@db/x\"\n"
	b := e.mustAPI(alice, "POST", "/api/v1/pastes", `{"content":`+quote(text)+`}`, 201)
	var out struct {
		ID       string `json:"id"`
		Warnings []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Line    int    `json:"line"`
		} `json:"warnings"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, w := range out.Warnings {
		if w.Code != "possible_secret" || w.Message == "" {
			t.Errorf("warning %+v", w)
		}
		if strings.Contains(w.Message, "AKIAIOSFODNN7EXAMPLQ") || strings.Contains(w.Message, "Tr0ub4dor3") {
			t.Errorf("a warning repeats the secret: %+v", w)
		}
		lines = append(lines, w.Line)
	}
	if fmt.Sprint(lines) != "[2 4]" {
		t.Errorf("warned lines %v, want [2 4]: %s", lines, b)
	}
	b = e.mustAPI(alice, "PATCH", "/api/v1/pastes/"+out.ID, `{"content":"x\ny\ntoken: ghp_1234567890abcdefghijABCDEFGHIJ123456\n"}`, 200)
	if !strings.Contains(string(b), `"line":3`) || !strings.Contains(string(b), `"possible_secret"`) {
		t.Errorf("edit answer: %s", b)
	}
	b = e.mustAPI(alice, "POST", "/api/v1/pastes", `{"files":[{"name":"notes.md","content":"hi"},{"name":".env","content":"A=1\nDB=postgres://app:Tr0ub4dor3@db/x\n"}]}`, 201)
	if !strings.Contains(string(b), `"file":".env"`) || !strings.Contains(string(b), `"line":2`) {
		t.Errorf("a create of files: %s", b)
	}
	b = e.mustAPI(alice, "PATCH", "/api/v1/pastes/"+out.ID, `{"title":"renamed"}`, 200)
	if !strings.Contains(string(b), `"warnings":[]`) {
		t.Errorf("an edit without new text: %s", b)
	}
}

// The form holds back a public paste whose text looks like it holds a
// credential, before anything is stored, and offers to remove the lines,
// to make it private, or to publish anyway; everything typed is kept.
func TestFormSecretWarning(t *testing.T) {
	e := newEnv(t)
	e.browser()
	text := "first\naws = \"AKIAIOSFODNN7EXAMPLQ\"\nlast\n"
	fields := func(action string) map[string]string {
		return map[string]string{"title": "config", "content": text, "visibility": "public", "expires_in": "never", "secret_action": action}
	}
	resp, body := e.postForm("/", fields(""))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("held form: %d", resp.StatusCode)
	}
	doc := parse(t, body)
	if doc.Find(`[data-testid="secret-finding"][data-line="2"]`).Length() != 1 {
		t.Errorf("the warning does not name line 2: %s", doc.Find(`[data-testid="secret-warning"]`).Text())
	}
	if doc.Find(`[data-testid="secret-private"]`).Length() != 0 {
		t.Error("an anonymous visitor was offered a private paste")
	}
	if v, _ := doc.Find(`[name="title"]`).Attr("value"); v != "config" || !strings.Contains(doc.Find(`textarea[name="content"]`).Text(), "AKIA") {
		t.Error("the typed title and text were not kept")
	}
	if tables := tablesHolding(t, e.pool, "AKIAIOSFODNN7EXAMPLQ"); len(tables) != 0 {
		t.Fatalf("held text reached the database: %v", tables)
	}

	resp, _ = e.postForm("/", fields("remove_lines"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove lines: %d", resp.StatusCode)
	}
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/")
	if _, raw := e.get("/raw/" + id); string(raw) != "first\nlast\n" {
		t.Errorf("after removing the lines: %q", raw)
	}

	resp, _ = e.postForm("/", fields("publish"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish anyway: %d", resp.StatusCode)
	}
	id = strings.TrimPrefix(resp.Header.Get("Location"), "/")
	if _, raw := e.get("/raw/" + id); string(raw) != text {
		t.Errorf("published anyway: %q", raw)
	}
}

// The form's further files are checked too: the warning names the file,
// and "Remove those lines" removes them there.
func TestFormSecretWarningInFiles(t *testing.T) {
	e := newEnv(t)
	e.browser()
	fields := func(action string) map[string]string {
		return map[string]string{"content": "main text\n", "file_name": ".env", "file_content": "A=1\nDB=postgres://app:Tr0ub4dor3@db/x\nB=2\n",
			"visibility": "unlisted", "expires_in": "never", "secret_action": action}
	}
	resp, body := e.postForm("/", fields(""))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("held form: %d", resp.StatusCode)
	}
	if got := parse(t, body).Find(`[data-testid="secret-finding"][data-line="2"]`).Text(); !strings.Contains(got, ".env") {
		t.Errorf("the warning does not name .env, line 2: %q", got)
	}
	resp, _ = e.postForm("/", fields("remove_lines"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove lines: %d", resp.StatusCode)
	}
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/")
	if resp, raw := e.get("/raw/" + id + "/.env"); resp.StatusCode != 200 || string(raw) != "A=1\nB=2\n" {
		t.Errorf("the .env file after removing the line: %d %q", resp.StatusCode, raw)
	}
}

// Without JavaScript the encryption option is neither shown nor sent: it
// is rendered hidden and none of its inputs has a name (its password
// never leaves the browser even with JavaScript).
func TestFormEncryptOptionInert(t *testing.T) {
	e := newEnv(t)
	_, body := e.get("/")
	opt := parse(t, body).Find(`[data-testid="encrypt-option"]`)
	if opt.Length() != 1 {
		t.Fatal("no encryption option on the form")
	}
	if _, hidden := opt.Attr("hidden"); !hidden {
		t.Error("the encryption option is shown without JavaScript")
	}
	opt.Find("input").Each(func(_ int, s *goquery.Selection) {
		if name, ok := s.Attr("name"); ok {
			t.Errorf("an input of the encryption option is sent as %q", name)
		}
	})
}

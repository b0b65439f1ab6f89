package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
)

// twentyLines is a JSON-escaped paste body of 20 numbered lines.
func twentyLines() string {
	var b strings.Builder
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&b, "line %d\\n", i)
	}
	return b.String()
}

// TestAPILineComments: a comment may anchor to lines; the range is checked
// against the paste (422 naming the field), stored, and read back in the
// list, in the OpenAPI document's shape.
func TestAPILineComments(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.register("alice"), e.register("bob")
	id := e.apiPaste(alice, `{"title":"twenty","syntax":"text","content":"`+twentyLines()+`"}`)
	spec := newSpecChecker(t, e)
	path := "/api/v1/pastes/" + id + "/comments"
	auth := func(body string) *http.Request {
		return bearer(jsonReq("POST", path, body), e.freshToken(bob.id))
	}

	bad := []struct {
		name, body, field string
	}{
		{"start zero", `{"body":"x","line_start":0}`, "line_start"},
		{"end before start", `{"body":"x","line_start":5,"line_end":4}`, "line_end"},
		{"end past the last line", `{"body":"x","line_start":12,"line_end":21}`, "line_end"},
		{"start past the last line", `{"body":"x","line_start":21}`, "line_start"},
		{"end without start", `{"body":"x","line_end":3}`, "line_start"},
		{"negative end", `{"body":"x","line_start":1,"line_end":-2}`, "line_end"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, body := spec.do(auth(c.body), http.StatusUnprocessableEntity)
			if f := fields422(t, body); f[c.field] == "" {
				t.Fatalf("422 fields %v, want %s named", f, c.field)
			}
		})
	}

	_, body := spec.do(auth(`{"body":"off by one here","line_start":12,"line_end":18}`), http.StatusCreated)
	var made struct {
		ID           int64 `json:"id"`
		LineStart    int   `json:"line_start"`
		LineEnd      int   `json:"line_end"`
		LineRevision int   `json:"line_revision"`
	}
	if err := json.Unmarshal(body, &made); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([3]int{12, 18, 1}, [3]int{made.LineStart, made.LineEnd, made.LineRevision}); diff != "" {
		t.Fatalf("created comment's lines (-want +got):\n%s", diff)
	}
	// One line: line_end defaults to line_start. The last line is allowed.
	_, body = spec.do(auth(`{"body":"the end","line_start":20}`), http.StatusCreated)
	if !strings.Contains(string(body), `"line_start":20,"line_end":20`) {
		t.Fatalf("one-line comment: %s", body)
	}
	// A reply takes no lines of its own.
	_, body = spec.do(auth(fmt.Sprintf(`{"body":"a reply","parent_id":%d,"line_start":1}`, made.ID)), http.StatusUnprocessableEntity)
	if f := fields422(t, body); f["line_start"] == "" {
		t.Fatalf("reply with lines: fields %v", f)
	}
	// A plain comment has no line fields at all.
	_, body = spec.do(auth(`{"body":"on the whole"}`), http.StatusCreated)
	if strings.Contains(string(body), "line_") {
		t.Fatalf("a comment on the whole paste carries line fields: %s", body)
	}

	_, body = spec.do(httptestGet(path), http.StatusOK)
	var list struct {
		Items []struct {
			Body      string `json:"body"`
			LineStart *int   `json:"line_start"`
			LineEnd   *int   `json:"line_end"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range list.Items {
		s := it.Body
		if it.LineStart != nil {
			s += fmt.Sprintf(" @%d-%d", *it.LineStart, *it.LineEnd)
		}
		got = append(got, s)
	}
	want := []string{"off by one here @12-18", "the end @20-20", "on the whole"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("listed comments (-want +got):\n%s", diff)
	}
}

func httptestGet(path string) *http.Request {
	return httptest.NewRequest(http.MethodGet, path, nil)
}

// TestLineCommentShowsUnderItsLastLine: a comment posted from the page's
// form (no JavaScript) about lines 12-18 shows in the code right after
// line 18, before line 19, and in the thread with a link to #L12-L18; a bad
// range re-renders the form with 422 and the field's error.
func TestLineCommentShowsUnderItsLastLine(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.register("alice"), e.register("bob")
	id := e.apiPaste(alice, `{"title":"twenty","syntax":"text","content":"`+twentyLines()+`"}`)

	resp, body := e.userForm(bob, "/"+id+"/comments", map[string]string{"body": "too many lines", "line_start": "12", "line_end": "99"})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad range = %d", resp.StatusCode)
	}
	doc := parse(t, body)
	if doc.Find(`[data-testid="error-line_end"]`).Length() != 1 {
		t.Fatalf("no line_end error on the re-rendered form")
	}
	if v, _ := doc.Find(`[data-testid="comment-line-end"]`).Attr("value"); v != "99" {
		t.Fatalf("the form lost the typed last line: %q", v)
	}

	resp, _ = e.userForm(bob, "/"+id+"/comments", map[string]string{"body": "off by <b>one</b>", "line_start": "12", "line_end": "18"})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("post = %d", resp.StatusCode)
	}
	// HTMX: the whole page again, so the note shows beside its lines.
	resp, _ = e.htmxForm(bob, "/"+id+"/comments", map[string]string{"body": "and the first line", "line_start": "1"})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("HX-Refresh") != "true" {
		t.Fatalf("htmx post = %d, HX-Refresh %q", resp.StatusCode, resp.Header.Get("HX-Refresh"))
	}

	_, body = e.userGet(nil, "/"+id)
	doc = parse(t, body)
	after18 := doc.Find(`#L18`).Next()
	if !after18.Is(`[data-testid="line-notes"]`) {
		t.Fatalf("after line 18 comes %v, want the line notes", after18.Nodes)
	}
	if got := strings.TrimSpace(after18.Find(`[data-testid="line-note-body"]`).Text()); got != "off by <b>one</b>" {
		t.Fatalf("note under line 18 reads %q", got)
	}
	if after18.Find("b").Length() != 0 {
		t.Fatal("the note's text became markup")
	}
	if !after18.Next().Is(`#L19`) {
		t.Fatal("line 19 does not follow the note")
	}
	if got := strings.TrimSpace(doc.Find(`#L1`).Next().Find(`[data-testid="line-note-body"]`).Text()); got != "and the first line" {
		t.Fatalf("note under line 1 reads %q", got)
	}
	if doc.Find(`[data-testid="line-notes"]`).Length() != 2 {
		t.Fatalf("%d line notes, want 2", doc.Find(`[data-testid="line-notes"]`).Length())
	}
	var links []string
	doc.Find(`[data-testid="comment-list"] [data-testid="comment-lines"]`).Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		links = append(links, href+" "+strings.Join(strings.Fields(s.Text()), " "))
	})
	if diff := cmp.Diff([]string{"#L12-L18 lines 12–18", "#L1 line 1"}, links); diff != "" {
		t.Fatalf("thread line links (-want +got):\n%s", diff)
	}

	// After an edit the lines may have moved: the comments stay in the
	// thread, naming the revision, but no longer sit in the code.
	e.mustAPI(alice, "PATCH", "/api/v1/pastes/"+id, `{"content":"new\nbody\n"}`, 200)
	_, body = e.userGet(nil, "/"+id)
	doc = parse(t, body)
	if n := doc.Find(`[data-testid="line-notes"]`).Length(); n != 0 {
		t.Fatalf("%d line notes on a later revision", n)
	}
	if got := strings.Join(strings.Fields(doc.Find(`[data-testid="comment-lines"]`).First().Text()), " "); got != "lines 12–18 (revision 1)" {
		t.Fatalf("thread link after an edit: %q", got)
	}
}

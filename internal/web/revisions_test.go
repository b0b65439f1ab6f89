package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"pastel/internal/paste"
)

// edit changes a paste's content as its owner, making its next revision.
func (e *env) edit(u *user, id paste.ID, content string) paste.Paste {
	e.t.Helper()
	p, err := e.svc.Update(context.Background(), viewerOf(u), id, paste.UpdateInput{Content: []byte(content)})
	if err != nil {
		e.t.Fatalf("edit %s: %v", id, err)
	}
	return p
}

// historyRoutes are every history route of paste id (web pages and API).
func historyRoutes(id string) []string {
	return []string{
		"/" + id + "/revisions",
		"/" + id + "/revisions/1",
		"/" + id + "/revisions/1/raw",
		"/" + id + "/diff?from=1&to=2",
		"/" + id + "/diff?from=x&to=2", // a bad query is still 404 to who may not read
		"/api/v1/pastes/" + id + "/revisions",
		"/api/v1/pastes/" + id + "/revisions/1",
		"/api/v1/pastes/" + id + "/diff?from=1&to=2",
		"/api/v1/pastes/" + id + "/diff?from=x",
	}
}

// TestRevisionsAccess: the history of a paste is read under the paste's
// own rule on every route: a private paste's first revision is as private
// as its newest (404 alike to anonymous visitors and other users, open
// through a share link), burn-after-reading pastes show no history (and
// asking does not consume them), expired pastes' history is gone with
// them.
func TestRevisionsAccess(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.register("alice"), e.register("bob")
	priv := e.createAs(alice, paste.CreateInput{Title: "secret plan", Content: []byte("one\ntwo\nthree\n"), Visibility: paste.Private})
	e.edit(alice, priv.ID, "one\n2\nthree\n")
	id := string(priv.ID)

	for _, path := range historyRoutes(id) {
		if resp, body := e.userGet(nil, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("anonymous GET %s = %d, want 404: %.200s", path, resp.StatusCode, body)
		}
		if resp, body := e.userGet(bob, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("bob GET %s = %d, want 404: %.200s", path, resp.StatusCode, body)
		}
		if resp, body := e.apiJSON(bob, "GET", path, ""); strings.HasPrefix(path, "/api/") && resp.StatusCode != http.StatusNotFound {
			t.Errorf("bob (bearer) GET %s = %d, want 404: %.200s", path, resp.StatusCode, body)
		}
	}
	pub := e.createAs(bob, paste.CreateInput{Content: []byte("one\n")})
	for _, path := range []string{"/diff?a=" + id + "&b=" + string(pub.ID), "/api/v1/diff?a=" + string(pub.ID) + "&b=" + id} {
		if resp, _ := e.userGet(bob, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("bob GET %s = %d, want 404", path, resp.StatusCode)
		}
	}

	// The owner reads every revision.
	resp, body := e.userGet(alice, "/"+id+"/revisions/1/raw")
	if resp.StatusCode != http.StatusOK || string(body) != "one\ntwo\nthree\n" {
		t.Errorf("owner: revision 1 raw = %d %q", resp.StatusCode, body)
	}
	resp, body = e.apiJSON(alice, "GET", "/api/v1/pastes/"+id+"/diff?from=1&to=2", "")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/x-diff") ||
		!strings.Contains(string(body), "-two\n+2\n") {
		t.Errorf("owner: diff = %d %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}

	// Through a share link: the old revision opens, and no page names the
	// paste's ID.
	var link struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(e.mustAPI(alice, "POST", "/api/v1/pastes/"+id+"/share-links", "", 201), &link); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/s/" + link.Token + "/revisions", "/s/" + link.Token + "/revisions/1", "/s/" + link.Token + "/diff?from=1&to=2"} {
		resp, body := e.userGet(nil, path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("share link GET %s = %d: %.300s", path, resp.StatusCode, body)
			continue
		}
		if strings.Contains(string(body), id) {
			t.Errorf("share link page %s names the paste's ID", path)
		}
	}
	resp, body = e.userGet(nil, "/api/v1/shared/"+link.Token+"/revisions/1")
	var rev struct {
		Revision int32  `json:"revision"`
		Content  string `json:"content"`
		ID       string `json:"id"`
		Title    string `json:"title"`
		Files    []struct {
			Name    string `json:"name"`
			Content string `json:"content"`
		} `json:"files"`
	}
	if err := json.Unmarshal(body, &rev); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("API share link revision 1 = %d %s", resp.StatusCode, body)
	}
	if rev.Revision != 1 || rev.Content != "one\ntwo\nthree\n" || rev.ID != "" || len(rev.Files) != 1 || rev.Files[0].Content != rev.Content {
		t.Errorf("API share link revision 1 = %+v", rev)
	}
	resp, body = e.userGet(nil, "/api/v1/shared/"+link.Token+"/diff?from=1&to=2")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "+2\n") {
		t.Errorf("API share link diff = %d %q", resp.StatusCode, body)
	}

	// Burn after reading: no history on any route, and asking consumed
	// nothing.
	burn := e.createAs(alice, paste.CreateInput{Content: []byte("read once\n"), BurnAfterReading: true})
	for _, path := range historyRoutes(string(burn.ID)) {
		if resp, _ := e.userGet(alice, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("burn paste: GET %s = %d, want 404", path, resp.StatusCode)
		}
	}
	if resp, _ := e.userGet(nil, "/api/v1/diff?a="+string(burn.ID)+"&b="+string(pub.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("diff with a burn paste = %d, want 404", resp.StatusCode)
	}
	if resp, body := e.userGet(nil, "/raw/"+string(burn.ID)); resp.StatusCode != http.StatusOK || string(body) != "read once\n" {
		t.Errorf("burn paste after history requests: raw = %d %q, want its one read", resp.StatusCode, body)
	}

	// Expired: its history goes with it, owner included.
	exp := e.createAs(alice, paste.CreateInput{Content: []byte("a\n"), ExpiresIn: "10m"})
	e.edit(alice, exp.ID, "b\n")
	if resp, _ := e.userGet(alice, "/"+string(exp.ID)+"/revisions/1"); resp.StatusCode != http.StatusOK {
		t.Fatalf("before expiry: revision 1 = %d", resp.StatusCode)
	}
	e.clock.Advance(11 * time.Minute)
	for _, path := range historyRoutes(string(exp.ID)) {
		if resp, _ := e.userGet(alice, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("expired paste: GET %s = %d, want 404", path, resp.StatusCode)
		}
	}
}

// TestRevisionsPages: the revision list, an old revision, the diff in
// both layouts, the paste page's "Revisions (N)" link, bad from/to named.
func TestRevisionsPages(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice")
	p := e.createAs(alice, paste.CreateInput{Title: "main.go", Content: []byte("package main\n\nfunc main() {\n\tprintln(\"a\")\n}\n")})
	id := string(p.ID)
	if _, body := e.userGet(nil, "/"+id); parse(t, body).Find(`[data-testid="revisions-link"]`).Length() != 0 {
		t.Error("a paste with one revision links to its revisions")
	}
	e.edit(alice, p.ID, "package main\n\nfunc main() {\n\tprintln(\"<b>\")\n}\n")
	e.edit(alice, p.ID, "package main\n\nfunc main() {\n\tprintln(\"<b>\")\n\tprintln(\"c\")\n}\n")

	_, body := e.userGet(nil, "/"+id)
	if link := parse(t, body).Find(`[data-testid="revisions-link"]`); link.Text() != "Revisions (3)" || link.AttrOr("href", "") != "/"+id+"/revisions" {
		t.Errorf("revisions link = %q → %q", link.Text(), link.AttrOr("href", ""))
	}

	resp, body := e.userGet(nil, "/"+id+"/revisions")
	doc := parse(t, body)
	if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="revision-row"]`).Length() != 3 {
		t.Fatalf("revisions page = %d with %d rows", resp.StatusCode, doc.Find(`[data-testid="revision-row"]`).Length())
	}
	if doc.Find(`input[name="from"][value="2"][checked]`).Length() != 1 || doc.Find(`input[name="to"][value="3"][checked]`).Length() != 1 {
		t.Error("the compare form does not start on the newest change (2 → 3)")
	}

	resp, body = e.userGet(nil, "/"+id+"/revisions/1")
	doc = parse(t, body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(doc.Find(`[data-testid="revision-file"]`).Text(), `println("a")`) {
		t.Errorf("revision 1 page = %d: %.300s", resp.StatusCode, doc.Find(`[data-testid="revision-file"]`).Text())
	}

	for _, split := range []bool{false, true} {
		path := "/" + id + "/diff?from=1&to=3"
		if split {
			path += "&view=split"
		}
		resp, body = e.userGet(nil, path)
		doc = parse(t, body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, resp.StatusCode)
		}
		if cur := doc.Find(`[data-testid="view-split"]`).AttrOr("aria-current", ""); (cur == "page") != split {
			t.Errorf("GET %s: the side-by-side tab's aria-current = %q", path, cur)
		}
		table := doc.Find(`[data-testid="diff-table"]`)
		if split != table.HasClass("diff-split") || table.Length() != 1 {
			t.Errorf("GET %s: table classes %q", path, table.AttrOr("class", ""))
		}
		// Highlighted as Go and escaped: the string token holds &lt;b&gt;.
		if got := table.Find(".d-add .s").First().Text(); got != `"<b>"` {
			t.Errorf("GET %s: first added string token = %q", path, got)
		}
		if strings.Contains(string(body), "<b>") || table.Find("b").Length() != 0 {
			t.Error("diff content became markup")
		}
		if s := doc.Find(`[data-testid="diff-summary"]`).Text(); !strings.Contains(s, "+2") || !strings.Contains(s, "−1") {
			t.Errorf("summary = %q", s)
		}
	}

	for path, field := range map[string]string{
		"/" + id + "/diff?to=2":                       "from",
		"/" + id + "/diff?from=1&to=9":                "to",
		"/api/v1/pastes/" + id + "/diff?from=0&to=1":  "from",
		"/api/v1/pastes/" + id + "/diff?from=1&to=xx": "to",
		"/api/v1/diff?a=" + id:                        "b",
	} {
		resp, body := e.userGet(nil, path)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), field) {
			t.Errorf("GET %s = %d, want 422 naming %s: %.300s", path, resp.StatusCode, field, body)
		}
	}
	if resp, _ := e.userGet(nil, "/"+id+"/revisions/4"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a revision the paste does not have = %d, want 404", resp.StatusCode)
	}

	// The API lists the revisions newest first.
	resp, body = e.userGet(nil, "/api/v1/pastes/"+id+"/revisions")
	var list struct {
		Items []struct {
			Revision int32   `json:"revision"`
			Author   *string `json:"author"`
			Files    []struct {
				Name string `json:"name"`
			} `json:"files"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &list); err != nil || resp.StatusCode != http.StatusOK || len(list.Items) != 3 {
		t.Fatalf("API revisions = %d %s", resp.StatusCode, body)
	}
	if it := list.Items[0]; it.Revision != 3 || it.Author == nil || *it.Author != "alice" || len(it.Files) != 1 {
		t.Errorf("newest revision item = %+v", it)
	}

	// Two pastes.
	q := e.createAs(nil, paste.CreateInput{Content: []byte("package main\n")})
	resp, body = e.userGet(nil, "/api/v1/diff?a="+string(q.ID)+"&b="+id)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "+func main() {\n") {
		t.Errorf("diff of two pastes = %d %q", resp.StatusCode, body)
	}
	if resp, _ := e.userGet(nil, "/diff?a="+string(q.ID)+"&b="+id+"&view=split"); resp.StatusCode != http.StatusOK {
		t.Errorf("diff page of two pastes = %d", resp.StatusCode)
	}
	// Without either paste: a form asking for both.
	resp, body = e.userGet(nil, "/diff")
	if form := parse(t, body).Find(`[data-testid="compare-form"]`); resp.StatusCode != http.StatusOK ||
		form.AttrOr("action", "") != "/diff" || form.Find(`input[name="a"]`).Length() != 1 || form.Find(`input[name="b"]`).Length() != 1 {
		t.Errorf("GET /diff = %d without the compare form", resp.StatusCode)
	}
}

// TestDiffPastePage: a paste whose syntax is diff shows its added, removed
// and hunk lines with their own classes, which chroma.css colours.
func TestDiffPastePage(t *testing.T) {
	e := newEnv(t)
	p := e.create(paste.CreateInput{Content: []byte("--- a/x.txt\n+++ b/x.txt\n@@ -1,2 +1,2 @@\n same\n-old <line>\n+new <line>\n")})
	if p.Syntax != "diff" {
		t.Fatalf("syntax = %q, want diff detected", p.Syntax)
	}
	_, body := e.get("/" + string(p.ID))
	doc := parse(t, body)
	for sel, want := range map[string]string{
		".line.d-file": "--- a/x.txt", ".line.d-hunk": "@@ -1,2 +1,2 @@", ".line.d-del": "-old <line>", ".line.d-add": "+new <line>",
	} {
		if got := strings.TrimSpace(doc.Find(sel).First().Find(".cl").Text()); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	_, css := e.get(doc.Find(`link[href*="chroma"]`).AttrOr("href", ""))
	if !strings.Contains(string(css), ".chroma .line.d-add") {
		t.Error("chroma.css does not colour added lines")
	}
}

// TestRevisionsDiffFiles: an edit that renames a file, deletes one, adds
// one and changes one shows as such in the API's diff (git's headers) and
// on the page (a section per file with its status).
func TestRevisionsDiffFiles(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice")
	filesJSON := func(files ...[2]string) string {
		var list []map[string]string
		for _, f := range files {
			list = append(list, map[string]string{"name": f[0], "content": f[1]})
		}
		b, err := json.Marshal(list)
		if err != nil {
			t.Fatal(err)
		}
		return `{"title":"files","files":` + string(b) + `}`
	}
	body := "package main\n\n// One.\nfunc one() {}\n\n// Two.\nfunc two() {}\n"
	id := e.apiPaste(alice, filesJSON(
		[2]string{"a.go", body}, [2]string{"b.txt", "keep\n"}, [2]string{"gone.txt", "bye\n"}, [2]string{"edit.txt", "x\ny\n"}))
	e.mustAPI(alice, "PATCH", "/api/v1/pastes/"+id, filesJSON(
		[2]string{"renamed.go", body}, [2]string{"b.txt", "keep\n"}, [2]string{"edit.txt", "x\nz\n"}, [2]string{"new.txt", "hello\n"}), 200)
	resp, text := e.apiJSON(alice, "GET", "/api/v1/pastes/"+id+"/diff?from=1&to=2", "")
	if resp.StatusCode != 200 {
		t.Fatalf("diff = %d %s", resp.StatusCode, text)
	}
	for _, want := range []string{
		"diff --git a/a.go b/renamed.go\nsimilarity index 100%\nrename from a.go\nrename to renamed.go\n",
		"diff --git a/edit.txt b/edit.txt\n--- a/edit.txt\n+++ b/edit.txt\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n",
		"diff --git a/new.txt b/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+hello\n",
		"diff --git a/gone.txt b/gone.txt\ndeleted file mode 100644\n--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n",
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("diff lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(string(text), "b.txt") {
		t.Errorf("an unchanged file is in the diff:\n%s", text)
	}
	_, page := e.userGet(alice, "/"+id+"/diff?from=1&to=2")
	var got []string
	parse(t, page).Find(`[data-testid="diff-file"]`).Each(func(_ int, s *goquery.Selection) {
		got = append(got, s.AttrOr("data-status", "")+":"+s.Find(`[data-testid="diff-name"]`).Text())
	})
	if want := "[renamed:renamed.go modified:edit.txt added:new.txt deleted:gone.txt]"; fmt.Sprint(got) != want {
		t.Errorf("page sections = %v, want %s", got, want)
	}
}

// TestRevisionsPasswordPaste: a password paste's history needs its
// password like the paste does.
func TestRevisionsPasswordPaste(t *testing.T) {
	e := newEnv(t)
	alice := e.register("alice")
	p := e.createAs(alice, paste.CreateInput{Content: []byte("a\n"), Password: "open sesame"})
	e.edit(alice, p.ID, "b\n")
	path := "/api/v1/pastes/" + string(p.ID) + "/revisions/1"
	if resp, body := e.userGet(nil, path); resp.StatusCode != 401 || !strings.Contains(string(body), "password_required") {
		t.Errorf("without the password: %d %s", resp.StatusCode, body)
	}
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("X-Paste-Password", "open sesame")
	if resp, body := e.do(req); resp.StatusCode != 200 || !strings.Contains(string(body), `"content":"a\n"`) {
		t.Errorf("with the password: %d %s", resp.StatusCode, body)
	}
}

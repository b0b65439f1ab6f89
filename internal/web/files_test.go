package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
)

// pngBytes is a 1x1 PNG.
var pngBytes, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

type apiFile struct {
	Name            string  `json:"name"`
	Syntax          string  `json:"syntax"`
	Size            int64   `json:"size"`
	RawURL          string  `json:"raw_url"`
	ContentType     string  `json:"content_type"`
	Content         *string `json:"content"`
	ContentEncoding string  `json:"content_encoding"`
}

type apiPasteFiles struct {
	ID       string    `json:"id"`
	Syntax   string    `json:"syntax"`
	Size     int64     `json:"size"`
	Content  string    `json:"content"`
	Files    []apiFile `json:"files"`
	Revision int32     `json:"revision"`
}

// blobKeys lists every key in the env's blob store.
func (e *env) blobKeys() []string {
	e.t.Helper()
	var out []string
	if err := e.blobs.Walk(context.Background(), func(k string, _ time.Time) error {
		out = append(out, k)
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// TestFilesThroughTheAPI: a paste of three files (Go, Markdown, a PNG) made
// through the JSON API carries its files; each is served by name (the image
// with the type its bytes say, nosniff), the first by /raw/{id}; /dl/{id} is
// a ZIP holding exactly them; the page shows each under its anchor with
// line anchors of its own; a files edit keeps the old bodies for the
// revision before; deleting the paste leaves no body behind.
func TestFilesThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	u := e.register("filer")
	goSrc := "package main\n\nfunc main() {}\n"
	md := "# Notes\n\nSome *text*.\n"
	body := fmt.Sprintf(`{"title":"demo","visibility":"unlisted","files":[
		{"name":"main.go","content":%q},
		{"name":"README.md","content":%q},
		{"name":"logo.png","content":%q,"content_encoding":"base64"}]}`,
		goSrc, md, base64.StdEncoding.EncodeToString(pngBytes))
	resp, b := e.apiJSON(u, http.MethodPost, "/api/v1/pastes", body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create = %d %s", resp.StatusCode, b)
	}
	var created apiPasteFiles
	if err := json.Unmarshal(b, &created); err != nil {
		t.Fatal(err)
	}
	id := created.ID
	gotNames := []string{}
	for _, f := range created.Files {
		gotNames = append(gotNames, f.Name+":"+f.Syntax)
	}
	if diff := cmp.Diff([]string{"main.go:go", "README.md:markdown", "logo.png:text"}, gotNames); diff != "" {
		t.Fatalf("files (-want +got):\n%s", diff)
	}
	if created.Syntax != "go" || created.Size != int64(len(goSrc)+len(md)+len(pngBytes)) {
		t.Fatalf("paste syntax %q size %d", created.Syntax, created.Size)
	}
	if created.Files[2].ContentType != "image/png" || !strings.HasSuffix(created.Files[1].RawURL, "/raw/"+id+"/README.md") {
		t.Fatalf("file entries: %+v", created.Files)
	}

	// Raw: the first file by the paste's URL, each file by name.
	for path, want := range map[string]string{"/raw/" + id: goSrc, "/raw/" + id + "/main.go": goSrc, "/raw/" + id + "/README.md": md} {
		resp, b := e.get(path)
		if resp.StatusCode != http.StatusOK || string(b) != want || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
			t.Fatalf("%s = %d %q (%s)", path, resp.StatusCode, b, resp.Header.Get("Content-Type"))
		}
	}
	resp, b = e.get("/raw/" + id + "/logo.png")
	if resp.StatusCode != http.StatusOK || !bytes.Equal(b, pngBytes) || resp.Header.Get("Content-Type") != "image/png" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("image = %d %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("X-Content-Type-Options"))
	}
	for _, path := range []string{"/raw/" + id + "/nope.txt", "/raw/" + id + "/..", "/raw/" + id + "/main.GO"} {
		if resp, _ := e.get(path); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("%s = %d, want 404", path, resp.StatusCode)
		}
	}

	// The ZIP holds exactly the three files.
	resp, b = e.get("/dl/" + id)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("dl = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if got := unzip(t, b); !cmp.Equal(got, map[string]string{"main.go": goSrc, "README.md": md, "logo.png": string(pngBytes)}) {
		t.Fatalf("zip holds %v", got)
	}

	// The API read carries each file's content.
	var read apiPasteFiles
	resp, b = e.apiJSON(u, http.MethodGet, "/api/v1/pastes/"+id, "")
	if err := json.Unmarshal(b, &read); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("read = %d %s", resp.StatusCode, b)
	}
	if read.Content != goSrc || read.Files[1].Content == nil || *read.Files[1].Content != md || read.Files[2].ContentEncoding != "base64" {
		t.Fatalf("read contents: %+v", read.Files)
	}

	// The page: a section per file, anchors, per-file Raw and Copy, the ZIP.
	resp, b = e.get("/" + id)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("page = %d", resp.StatusCode)
	}
	doc := parse(t, b)
	var anchors []string
	doc.Find(`[data-testid="file"]`).Each(func(_ int, s *goquery.Selection) {
		a, _ := s.Attr("id")
		anchors = append(anchors, a)
	})
	if diff := cmp.Diff([]string{"file-main-go", "file-readme-md", "file-logo-png"}, anchors); diff != "" {
		t.Fatalf("anchors (-want +got):\n%s", diff)
	}
	if doc.Find(`#file-main-go-L3`).Length() != 1 || doc.Find(`a[href="#file-main-go-L3"]`).Length() != 1 || doc.Find(`#L3`).Length() != 0 {
		t.Fatal("line anchors are not the file's own")
	}
	if src, _ := doc.Find(`[data-testid="file-image"] img`).Attr("src"); src != "/raw/"+id+"/logo.png" {
		t.Fatalf("image src %q", src)
	}
	if doc.Find(`#file-readme-md [data-testid="markdown"] h1`).Length() != 1 {
		t.Fatal("the Markdown file is not rendered")
	}
	if n := doc.Find(`[data-testid="file-raw"]`).Length(); n != 3 {
		t.Fatalf("%d Raw links, want 3", n)
	}
	if got := strings.TrimSpace(doc.Find(`[data-testid="download-link"]`).Text()); got != "Download all (ZIP)" {
		t.Fatalf("download link %q", got)
	}

	// An edit of the files: a new revision; the old bodies stay for it.
	before := e.blobKeys()
	resp, b = e.apiJSON(u, http.MethodPatch, "/api/v1/pastes/"+id, fmt.Sprintf(`{"files":[{"name":"main.go","content":%q},{"name":"extra.txt","content":"more\n"}]}`, goSrc+"// changed\n"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("patch = %d %s", resp.StatusCode, b)
	}
	if resp, b := e.get("/raw/" + id + "/extra.txt"); resp.StatusCode != http.StatusOK || string(b) != "more\n" {
		t.Fatalf("new file = %d %q", resp.StatusCode, b)
	}
	if resp, _ := e.get("/raw/" + id + "/README.md"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a file the edit removed = %d", resp.StatusCode)
	}
	after := e.blobKeys()
	for _, k := range before {
		if !contains(after, k) {
			t.Fatalf("the edit removed %s, which revision 1 names", k)
		}
	}
	if len(after) != len(before)+2 {
		t.Fatalf("blobs %d after the edit, want %d", len(after), len(before)+2)
	}

	// Deleting removes every body of every revision.
	if resp, b := e.apiJSON(u, http.MethodDelete, "/api/v1/pastes/"+id, ""); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete = %d %s", resp.StatusCode, b)
	}
	if left := e.blobKeys(); len(left) != 0 {
		t.Fatalf("bodies left after delete: %v", left)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func unzip(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = string(data)
	}
	return out
}

// TestFilesValidation: bad file lists are 422 naming the field, too much
// is 413, and a multipart create takes several "file" parts.
func TestFilesValidation(t *testing.T) {
	e := newEnv(t, withMaxBytes(1000))
	u := e.register("checker")
	cases := map[string]struct {
		body  string
		code  int
		field string
	}{
		"duplicate":   {`{"files":[{"name":"a.go","content":"x"},{"name":"A.go","content":"y"}]}`, 422, "files[1].name"},
		"slash":       {`{"files":[{"name":"../etc/passwd","content":"x"}]}`, 422, "files[0].name"},
		"dotdot":      {`{"files":[{"name":"..","content":"x"}]}`, 422, "files[0].name"},
		"bidi":        {`{"files":[{"name":"gpj.\u202eexe","content":"x"}]}`, 422, "files[0].name"},
		"zero width":  {`{"files":[{"name":"a\u200b.go","content":"x"}]}`, 422, "files[0].name"},
		"empty body":  {`{"files":[{"name":"a.go","content":""}]}`, 422, "files[0].content"},
		"none":        {`{"files":[]}`, 422, "files"},
		"no content":  {`{"files":[{"name":"a.go"}]}`, 422, "files[0].content"},
		"both":        {`{"content":"x","files":[{"name":"a.go","content":"x"}]}`, 422, "content"},
		"too many":    {`{"files":[` + strings.TrimSuffix(strings.Repeat(`{"name":"f%d","content":"x"},`, 21), ",") + `]}`, 422, "files"},
		"whole limit": {`{"files":[{"name":"a","content":"` + strings.Repeat("a", 600) + `"},{"name":"b","content":"` + strings.Repeat("b", 600) + `"}]}`, 413, ""},
		"file limit":  {`{"files":[{"name":"a","content":"` + strings.Repeat("a", 1001) + `"}]}`, 413, ""},
	}
	for name, tc := range cases {
		body := tc.body
		if name == "too many" {
			args := make([]any, 21)
			for i := range args {
				args[i] = i
			}
			body = fmt.Sprintf(body, args...)
		}
		resp, b := e.apiJSON(u, http.MethodPost, "/api/v1/pastes", body)
		if resp.StatusCode != tc.code {
			t.Errorf("%s: %d %s, want %d", name, resp.StatusCode, b, tc.code)
			continue
		}
		if tc.field != "" && !strings.Contains(string(b), `"`+tc.field+`"`) {
			t.Errorf("%s: %s does not name %s", name, b, tc.field)
		}
	}

	// Multipart: several "file" parts are the paste's files.
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("title", "two")
	for _, f := range [][2]string{{"one.py", "print(1)\n"}, {"two.sh", "echo 2\n"}} {
		fw, _ := w.CreateFormFile("file", f[0])
		fw.Write([]byte(f[1]))
	}
	w.Close()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/pastes", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+u.access)
	resp, b := e.do(req)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("multipart = %d %s", resp.StatusCode, b)
	}
	var p apiPasteFiles
	json.Unmarshal(b, &p)
	if len(p.Files) != 2 || p.Files[0].Name != "one.py" || p.Files[0].Syntax != "python" || p.Files[1].Syntax != "bash" {
		t.Fatalf("multipart files: %+v", p.Files)
	}
	// A one-file paste keeps its download as before (not a ZIP).
	one := e.create(paste.CreateInput{Content: []byte("hello\n"), Visibility: paste.Public})
	if resp, b := e.get("/dl/" + string(one.ID)); resp.StatusCode != http.StatusOK || string(b) != "hello\n" || resp.Header.Get("Content-Type") != "application/octet-stream" {
		t.Fatalf("one-file download = %d %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
}

// TestFilesEditForm: the edit form of a three-file paste shows the first
// file in the editor under its name, the other text file as a block and
// the PNG as a kept file; posting it with the block left out and the main
// text changed makes the paste those two files, the PNG's bytes unchanged.
func TestFilesEditForm(t *testing.T) {
	e := newEnv(t)
	u := e.register("editor")
	body := fmt.Sprintf(`{"title":"three","files":[{"name":"main.go","content":"package main\n"},{"name":"notes.md","content":"# n\n"},{"name":"logo.png","content":%q,"content_encoding":"base64"}]}`,
		base64.StdEncoding.EncodeToString(pngBytes))
	resp, b := e.apiJSON(u, http.MethodPost, "/api/v1/pastes", body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create = %d %s", resp.StatusCode, b)
	}
	id := decode[apiPasteFiles](t, b).ID
	resp, b = e.userGet(u, "/"+id+"/edit")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("edit page = %d", resp.StatusCode)
	}
	doc := parse(t, b)
	name, _ := doc.Find(`[data-testid="filename-input"]`).Attr("value")
	block, _ := doc.Find(`[data-testid="file-name-input"]`).First().Attr("value")
	kept, _ := doc.Find(`input[name="keep_file"]`).Attr("value")
	if name != "main.go" || block != "notes.md" || kept != "logo.png" || !strings.Contains(doc.Find(`[data-testid="file-content-input"]`).First().Text(), "# n") {
		t.Fatalf("edit form: name %q block %q kept %q", name, block, kept)
	}
	csrf, _ := doc.Find(`input[name="_csrf"]`).First().Attr("value")

	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, kv := range [][2]string{{"_csrf", csrf}, {"title", "two now"}, {"filename", "main.go"}, {"content", "package main\n\nfunc main() {}\n"},
		{"syntax", ""}, {"visibility", "public"}, {"files_form", "1"}, {"keep_file", "logo.png"}} {
		w.WriteField(kv[0], kv[1])
	}
	w.Close()
	req := httptest.NewRequest(http.MethodPost, "/"+id+"/edit", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, b = e.do(e.asUser(req, u))
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		t.Fatalf("edit = %d %s", resp.StatusCode, b)
	}
	resp, b = e.apiJSON(u, http.MethodGet, "/api/v1/pastes/"+id, "")
	p := decode[apiPasteFiles](t, b)
	var names []string
	for _, f := range p.Files {
		names = append(names, f.Name+":"+f.Syntax)
	}
	if diff := cmp.Diff([]string{"main.go:go", "logo.png:text"}, names); diff != "" {
		t.Fatalf("files after the edit (-want +got):\n%s", diff)
	}
	if p.Content != "package main\n\nfunc main() {}\n" {
		t.Fatalf("main file %q", p.Content)
	}
	if resp, got := e.get("/raw/" + id + "/logo.png"); resp.StatusCode != http.StatusOK || !bytes.Equal(got, pngBytes) {
		t.Fatalf("kept image = %d", resp.StatusCode)
	}
}

// TestFilesThroughAShareLink: a private paste's files read through a share
// link name their bytes under the link (/s/{token}/raw/{name}), never
// under the paste's ID.
func TestFilesThroughAShareLink(t *testing.T) {
	e := newEnv(t)
	u := e.register("sharer")
	resp, b := e.apiJSON(u, http.MethodPost, "/api/v1/pastes", `{"visibility":"private","files":[{"name":"a.txt","content":"one\n"},{"name":"b.txt","content":"two\n"}]}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create = %d %s", resp.StatusCode, b)
	}
	id := decode[apiPasteFiles](t, b).ID
	resp, b = e.apiJSON(u, http.MethodPost, "/api/v1/pastes/"+id+"/share-links", "")
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("share link = %d %s", resp.StatusCode, b)
	}
	var link struct{ Token string }
	json.Unmarshal(b, &link)
	resp, b = e.get("/api/v1/shared/" + link.Token)
	if resp.StatusCode != http.StatusOK || strings.Contains(string(b), id) {
		t.Fatalf("shared read = %d, or it names the paste's ID: %s", resp.StatusCode, b)
	}
	p := decode[apiPasteFiles](t, b)
	if len(p.Files) != 2 || !strings.HasSuffix(p.Files[1].RawURL, "/s/"+link.Token+"/raw/b.txt") {
		t.Fatalf("shared files: %+v", p.Files)
	}
	if resp, got := e.get("/s/" + link.Token + "/raw/b.txt"); resp.StatusCode != http.StatusOK || string(got) != "two\n" {
		t.Fatalf("shared raw file = %d %q", resp.StatusCode, got)
	}
	if resp, _ := e.get("/raw/" + id + "/b.txt"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("private file without the link = %d", resp.StatusCode)
	}
}

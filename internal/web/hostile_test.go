package web_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// pageBudget is the longest any surface may take to answer one request:
// 2 s in a normal build, more under the race detector (raceSlowdown).
const pageBudget = 2 * time.Second * raceSlowdown

// hostileRun sends requests and collects what is wrong with the answers,
// so one run reports every broken surface rather than the first.
type hostileRun struct {
	mu       sync.Mutex
	t        *testing.T
	e        *env
	problems []string
	requests int
	slowest  time.Duration
	slowURL  string
	byKind   map[string]time.Duration
}

func (h *hostileRun) fail(format string, args ...any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.problems = append(h.problems, fmt.Sprintf(format, args...))
}

// full reports whether enough problems are known to stop early.
func (h *hostileRun) full() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.problems) > 40
}

func (h *hostileRun) report() {
	h.t.Helper()
	for k, d := range h.byKind {
		if d > time.Second {
			h.t.Logf("%-24s %v", k, d.Round(time.Millisecond))
		}
	}
	if len(h.problems) > 0 {
		h.t.Fatalf("%d problems:\n%s", len(h.problems), strings.Join(h.problems, "\n"))
	}
}

// send runs req through the app, timing it; every answer must be below 500
// and within the page budget.
func (h *hostileRun) send(what string, req *http.Request) (*http.Response, []byte) {
	h.t.Helper()
	start := time.Now()
	resp, err := h.e.app.Test(req, -1)
	if err != nil {
		// app.Test reports a request fasthttp refused to read as an
		// error, where a real server answers 400 or 431.
		h.fail("%s: %s %s: %.200v", what, req.Method, trim(req.URL.String(), 80), err)
		return &http.Response{StatusCode: 400, Header: http.Header{}}, nil
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.requests++
	if h.byKind == nil {
		h.byKind = map[string]time.Duration{}
	}
	kind := what
	if i := strings.Index(what, ") "); i >= 0 {
		kind = what[i+2:]
	}
	h.byKind[kind] += d
	if d > h.slowest {
		h.slowest, h.slowURL = d, req.Method+" "+trim(req.URL.Path, 60)
	}
	if resp.StatusCode >= 500 {
		h.problems = append(h.problems, fmt.Sprintf("%s: %s %s = %d: %.200s", what, req.Method, trim(req.URL.String(), 80), resp.StatusCode, body))
	}
	if d > pageBudget {
		h.problems = append(h.problems, fmt.Sprintf("%s: %s %s took %v", what, req.Method, trim(req.URL.String(), 80), d))
	}
	return resp, body
}

// page checks an HTML answer: inert, whatever went into it.
func (h *hostileRun) page(what string, resp *http.Response, body []byte) *goquery.Document {
	h.t.Helper()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 || resp.Header.Get("HX-Redirect") != "" {
		return nil // a redirect (htmx's comes as 200): no page
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		h.fail("%s: %d Content-Type %q", what, resp.StatusCode, ct)
		return nil
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		h.fail("%s: %v", what, err)
		return nil
	}
	for _, p := range inertProblems(doc) {
		h.fail("%s: %s", what, p)
	}
	return doc
}

// json checks a JSON answer: well formed, and JSON (an error envelope for
// failures).
func (h *hostileRun) json(what string, resp *http.Response, body []byte) {
	h.t.Helper()
	if resp.StatusCode == http.StatusNoContent {
		return
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		h.fail("%s: %d Content-Type %q", what, resp.StatusCode, ct)
	}
	if !json.Valid(body) {
		h.fail("%s: %d invalid JSON %.100q", what, resp.StatusCode, body)
	}
	if resp.StatusCode >= 400 && !bytes.Contains(body, []byte(`"error"`)) {
		h.fail("%s: %d without an error envelope: %.100s", what, resp.StatusCode, body)
	}
}

// pastelHX are the htmx attributes Pastel's own templates use; anything else
// on a page came from somewhere it should not have.
var pastelHX = map[string]bool{
	"hx-disabled-elt": true, "hx-get": true, "hx-headers": true, "hx-post": true, "hx-push-url": true,
	"hx-swap-oob": true, "hx-swap": true, "hx-sync": true, "hx-target": true, "hx-trigger": true,
}

// userContent are the containers that hold what people typed.
const userContent = `.markdown, [data-testid="code"], [data-testid="comment-body"], pre, textarea, h1`

// inertProblems lists markup on a page that an attacker could have made:
// script without the nonce or with inline code, active elements, event
// handler and style attributes, script URLs, htmx attributes Pastel does not
// use (hx-on, hx-vals, data-hx-*) or js: values, and any htmx attribute inside
// user content.
func inertProblems(doc *goquery.Document) []string {
	var out []string
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if _, ok := s.Attr("nonce"); !ok || strings.TrimSpace(s.Text()) != "" {
			out = append(out, "a script without nonce or with inline code")
		}
		if src, _ := s.Attr("src"); !strings.HasPrefix(src, "/static/") {
			out = append(out, fmt.Sprintf("script src=%q", src))
		}
	})
	for _, tag := range []string{"iframe", "object", "embed", "svg", "math", "style", "base", "template", "noscript",
		"meta[http-equiv]", "video", "audio", "marquee", "pwned-el", "frame", "frameset", "applet", "xmp", "plaintext"} {
		if n := doc.Find(tag).Length(); n > 0 {
			out = append(out, fmt.Sprintf("%d <%s>", n, tag))
		}
	}
	if n := doc.Find(`meta[name="htmx-config"]`).Length(); n > 1 {
		out = append(out, fmt.Sprintf("%d htmx-config meta elements", n))
	}
	if n := doc.Find("title").Length(); n > 1 {
		out = append(out, fmt.Sprintf("%d <title> elements", n))
	}
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			name := strings.ToLower(a.Key)
			// Browsers drop ASCII whitespace and controls before the scheme.
			val := strings.ToLower(strings.Map(func(r rune) rune {
				if r <= ' ' {
					return -1
				}
				return r
			}, a.Val))
			switch {
			case strings.HasPrefix(name, "on"), name == "style", name == "srcdoc", name == "formaction", name == "xlink:href":
				out = append(out, fmt.Sprintf("<%s %s=%.60q>", s.Nodes[0].Data, a.Key, a.Val))
			case strings.HasPrefix(name, "data-hx-"), strings.HasPrefix(name, "hx-") && !pastelHX[name]:
				out = append(out, fmt.Sprintf("<%s %s=%.60q>: not an htmx attribute of Pastel's", s.Nodes[0].Data, a.Key, a.Val))
			case strings.HasPrefix(name, "hx-") && (strings.HasPrefix(val, "js:") || strings.HasPrefix(val, "javascript:")):
				out = append(out, fmt.Sprintf("<%s %s=%.60q>: script in an htmx value", s.Nodes[0].Data, a.Key, a.Val))
			case name == "href" || name == "src" || name == "action" || name == "data" || name == "poster" || name == "background":
				for _, scheme := range []string{"javascript:", "data:", "vbscript:"} {
					if strings.HasPrefix(val, scheme) || strings.HasPrefix(val, "&#") {
						out = append(out, fmt.Sprintf("<%s %s=%.60q>", s.Nodes[0].Data, a.Key, a.Val))
					}
				}
			}
		}
	})
	doc.Find(userContent).Each(func(_ int, s *goquery.Selection) {
		s.Find("*").Each(func(_ int, el *goquery.Selection) {
			for _, a := range el.Nodes[0].Attr {
				if strings.HasPrefix(a.Key, "hx-") {
					out = append(out, fmt.Sprintf("htmx attribute %s inside user content", a.Key))
				}
			}
			if n := el.Nodes[0]; n.Type == html.ElementNode && (n.Data == "form" || n.Data == "details" || n.Data == "button" || n.Data == "input" && el.AttrOr("type", "") != "checkbox") {
				out = append(out, fmt.Sprintf("<%s> inside user content", n.Data))
			}
		})
	})
	return out
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// form encodes fields as multipart/form-data (the paste form's encoding).
func form(fields [][2]string, file *[3]string) (string, *bytes.Buffer) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range fields {
		w.WriteField(f[0], f[1])
	}
	if file != nil {
		h := textproto.MIMEHeader{}
		// The file name goes in as a browser sends it: quotes, CR and LF
		// percent-encoded. Other control bytes in a part header make the
		// whole request malformed (TestHostileMultipartHeader).
		name := strings.Map(func(r rune) rune {
			if r < ' ' || r == 0x7f {
				return '%'
			}
			return r
		}, strings.NewReplacer(`"`, `%22`, "\r", "%0D", "\n", "%0A").Replace(file[1]))
		h.Set("Content-Disposition", `form-data; name="`+file[0]+`"; filename="`+name+`"`)
		h.Set("Content-Type", "application/octet-stream")
		p, _ := w.CreatePart(h)
		p.Write([]byte(file[2]))
	}
	w.Close()
	return w.FormDataContentType(), &buf
}

// browserPost is a form POST from Pastel's own page, as u (nil: anonymous).
func (e *env) browserPost(u *user, path, contentType string, body io.Reader, htmx bool) *http.Request {
	req := httptest.NewRequest(http.MethodPost, path, body)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-CSRF-Token", e.tokenFor(u))
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	return e.asUser(req, u)
}

func (e *env) browserGet(u *user, path string, htmx bool) *http.Request {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	return e.asUser(req, u)
}

// createdID reads the new paste's ID from a create answer.
func createdID(resp *http.Response) string {
	loc := resp.Header.Get("HX-Redirect")
	if loc == "" {
		loc = resp.Header.Get("Location")
	}
	return strings.TrimPrefix(loc, "/")
}

var formSyntaxes = []string{"markdown", "text", "html", "auto", "markdown", "go"}

// TestHostileInputsEverywhere sends every input of the corpus through every
// field (title, body, syntax, file name, comment, username, search query,
// next=) and reads it back on every surface (page, HTMX fragments, raw,
// download, API, search, lists, feeds). No answer may be a 5xx or take more
// than two seconds, no HTML page may carry markup the input made, JSON and
// Atom stay well formed, and raw and download give back the exact bytes.
func TestHostileInputsEverywhere(t *testing.T) {
	start := time.Now()
	e := newEnv(t, withMaxBytes(8<<20))
	e.browser()
	owner := e.register("hostile_owner")
	h := &hostileRun{t: t, e: e}
	corpus := hostileCorpus(t)
	// A few workers overlap the database round trips; the app is shared,
	// as it is under real traffic.
	var wg sync.WaitGroup
	next := make(chan int)
	for range 3 {
		wg.Go(func() {
			for g := range next {
				h.group(owner, g, corpus[g:min(g+groupSize, len(corpus))])
			}
		})
	}
	for g := 0; g < len(corpus); g += groupSize {
		if h.full() {
			break
		}
		next <- g
	}
	close(next)
	wg.Wait()
	inputs := time.Since(start)
	h.lists(owner)
	h.giants(owner)
	h.report()
	t.Logf("%d inputs, %d requests in %v (inputs %v); slowest %v (%s)", len(corpus), h.requests,
		time.Since(start).Round(time.Millisecond), inputs.Round(time.Millisecond), h.slowest, h.slowURL)
}

// maxQueryValue bounds an input carried in a query string: fasthttp refuses
// request lines longer than its 16 KiB read buffer (TestHostileLongRequestLine
// checks that answer over a real connection).
const maxQueryValue = 2 << 10

func queryValue(v string) string {
	if len(v) > maxQueryValue {
		return v[:maxQueryValue]
	}
	return v
}

// groupSize inputs share one paste (as its body, and as its comments), so
// the suite stays affordable; every input still goes through every field
// on its own request.
const groupSize = 4

// group sends a few inputs through every field (the first also as the
// stored title, each in the 422 form) and reads them back on the page that
// shows them all, and on one more surface in turn.
func (h *hostileRun) group(owner *user, g int, ins []hostile) {
	e := h.e
	what := fmt.Sprintf("inputs %d-%d (%s %.40q)", g, g+len(ins)-1, ins[0].class, ins[0].value)
	htmx := g/groupSize%2 == 0
	var values []string
	for _, in := range ins {
		values = append(values, in.value)
	}
	v := strings.Join(values, "\n\n")
	syntax := formSyntaxes[g/groupSize%len(formSyntaxes)]

	// The paste form: title and body, a valid syntax. A title the service
	// refuses comes back in the form with 422; then a plain title.
	title := ins[0].value
	ct, body := form([][2]string{{"title", title}, {"content", v}, {"syntax", syntax}, {"visibility", "public"}}, nil)
	resp, rb := h.send(what+" form create", e.browserPost(owner, "/", ct, body, htmx))
	if resp.StatusCode == http.StatusUnprocessableEntity {
		h.page(what+" form 422", resp, rb)
		title = fmt.Sprintf("hostile %d", g)
		ct, body = form([][2]string{{"title", title}, {"content", v}, {"syntax", syntax}, {"visibility", "public"}}, nil)
		resp, rb = h.send(what+" form create", e.browserPost(owner, "/", ct, body, htmx))
	}
	id := createdID(resp)
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusOK || id == "" {
		if strings.TrimSpace(v) != "" {
			h.fail("%s: form create = %d %.200s", what, resp.StatusCode, rb)
		} else {
			h.page(what+" form empty", resp, rb)
		}
		id = ""
	}
	if g/groupSize%3 == 1 {
		h.apiCreate(what, owner, g/groupSize, ins[0].value, v)
	}
	for k, in := range ins {
		h.input(owner, g+k, in, id)
	}
	if id != "" {
		h.read(what, g/groupSize, owner, id, title, syntax, strings.ReplaceAll(v, "\r\n", "\n"))
	}
}

// input sends one input through the fields that take it alone: the
// syntax (refused, with the form echoing title, body and syntax), a
// comment on the group's paste, the search query, next= and the username.
func (h *hostileRun) input(owner *user, i int, in hostile, id string) {
	e := h.e
	v := in.value
	what := fmt.Sprintf("input %d (%s %.40q)", i, in.class, v)
	htmx := i%2 == 0

	ct, body := form([][2]string{{"title", v}, {"content", v}, {"syntax", v}}, nil)
	resp, rb := h.send(what+" syntax", e.browserPost(owner, "/", ct, body, !htmx))
	if resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusOK {
		h.fail("%s: syntax field = %d %.100q", what, resp.StatusCode, rb)
	}
	h.page(what+" syntax 422", resp, rb)

	if id != "" {
		vals := url.Values{"body": {v}}
		resp, rb = h.send(what+" comment", e.browserPost(owner, "/"+id+"/comments", "application/x-www-form-urlencoded", strings.NewReader(vals.Encode()), htmx))
		switch resp.StatusCode {
		case http.StatusSeeOther, http.StatusOK, http.StatusUnprocessableEntity:
			h.page(what+" comment answer", resp, rb)
		default:
			h.fail("%s: comment = %d %.200s", what, resp.StatusCode, rb)
		}
	}
	if i%8 == 1 && id != "" {
		cb, _ := json.Marshal(map[string]string{"body": v})
		resp, rb = h.send(what+" api comment", bearer(jsonReq("POST", "/api/v1/pastes/"+id+"/comments", string(cb)), owner.access))
		h.json(what+" api comment", resp, rb)
		resp, rb = h.send(what+" api comments", httptest.NewRequest("GET", "/api/v1/pastes/"+id+"/comments", nil))
		h.json(what+" api comments", resp, rb)
	}

	// Search: the page, the fragment or the API, in turn.
	q := url.QueryEscape(queryValue(v))
	switch i % 3 {
	case 0, 1:
		resp, rb = h.send(what+" search", e.browserGet(nil, "/search?q="+q, i%3 == 1))
		h.page(what+" search", resp, rb)
	default:
		resp, rb = h.send(what+" api search", httptest.NewRequest("GET", "/api/v1/search?q="+q, nil))
		h.json(what+" api search", resp, rb)
	}

	// next= on the sign-in page (register posts it too), and the input
	// as a username.
	if i%2 == 0 {
		resp, rb = h.send(what+" login next", e.browserGet(nil, "/login?next="+q, i%4 == 0))
		if doc := h.page(what+" login next", resp, rb); doc != nil {
			if next := doc.Find(`input[name="next"]`).AttrOr("value", "/"); !sameSite(next) {
				h.fail("%s: login form carries next=%q", what, next)
			}
		}
	}
	h.register(what, i, v)
}

// apiCreate creates a paste through one of the API's three encodings; it
// returns the ID, or "" when the input was refused (a 4xx with an error
// envelope).
func (h *hostileRun) apiCreate(what string, u *user, i int, t, v string) string {
	var req *http.Request
	switch i / 3 % 3 {
	case 0:
		in := map[string]any{"title": t, "content": v, "filename": t, "visibility": "public"}
		if !utf8.ValidString(v) {
			in["content"], in["content_encoding"] = base64.StdEncoding.EncodeToString([]byte(v)), "base64"
		}
		b, _ := json.Marshal(in)
		req = jsonReq("POST", "/api/v1/pastes", string(b))
	case 1:
		q := url.Values{"title": {queryValue(t)}, "filename": {queryValue(t)}, "visibility": {"public"}}
		req = httptest.NewRequest("POST", "/api/v1/pastes?"+q.Encode(), strings.NewReader(v))
		req.Header.Set("Content-Type", "text/plain")
	default:
		ct, body := form([][2]string{{"title", t}, {"visibility", "public"}}, &[3]string{"content", t, v})
		req = httptest.NewRequest("POST", "/api/v1/pastes", body)
		req.Header.Set("Content-Type", ct)
	}
	resp, rb := h.send(what+" api create", bearer(req, u.access))
	h.json(what+" api create", resp, rb)
	if resp.StatusCode != http.StatusCreated {
		if resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusBadRequest {
			h.fail("%s: api create = %d %.200s", what, resp.StatusCode, rb)
		}
		return ""
	}
	var p struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	json.Unmarshal(rb, &p)
	// JSON cannot carry invalid UTF-8 (the encoder sent U+FFFD); a raw
	// create's query can, and such a title is refused.
	if p.Title != strings.TrimSpace(t) && i/3%3 == 0 && utf8.ValidString(t) {
		h.fail("%s: api title %q, sent %q", what, trim(p.Title, 40), trim(t, 40))
	}
	// The exact bytes come back from raw and download; the API answers
	// JSON. One of the three in turn.
	switch i / 3 % 3 {
	case 0:
		resp, rb = h.send(what+" download", httptest.NewRequest("GET", "/dl/"+p.ID, nil))
		if typ, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); !bytes.Equal(rb, []byte(v)) || err != nil || typ != "attachment" ||
			strings.ContainsAny(params["filename"], "/\\\x00") {
			h.fail("%s: download = %d %q", what, resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
	case 1:
		resp, rb = h.send(what+" raw", httptest.NewRequest("GET", "/raw/"+p.ID, nil))
		if !bytes.Equal(rb, []byte(v)) || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" ||
			!strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "sandbox") {
			h.fail("%s: raw = %d %s, %d bytes of %d", what, resp.StatusCode, resp.Header.Get("Content-Type"), len(rb), len(v))
		}
	default:
		resp, rb = h.send(what+" api get", httptest.NewRequest("GET", "/api/v1/pastes/"+p.ID, nil))
		h.json(what+" api get", resp, rb)
		var got struct {
			Content string `json:"content"`
		}
		if json.Unmarshal(rb, &got); utf8.ValidString(v) && got.Content != v {
			h.fail("%s: api content differs", what)
		}
	}
	return p.ID
}

// read shows a form-made paste on its page (with the comments), then in
// turn its source view, its edit form or its raw bytes.
func (h *hostileRun) read(what string, i int, u *user, id, title, syntax, content string) {
	resp, rb := h.send(what+" page", h.e.browserGet(u, "/"+id, false))
	if doc := h.page(what+" page", resp, rb); doc != nil && resp.StatusCode == http.StatusOK {
		if got := doc.Find("h1").First().Text(); title != "" && !strings.Contains(got, strings.TrimSpace(title)) {
			h.fail("%s: page heading %.60q does not show the title as text", what, got)
		}
	}
	if syntax == "markdown" && i%2 == 0 {
		resp, rb = h.send(what+" source", h.e.browserGet(nil, "/"+id+"?view=source", false))
		h.page(what+" source", resp, rb)
		return
	}
	if i%3 == 0 {
		// The owner's edit form shows title and body in its fields.
		resp, rb = h.send(what+" edit", h.e.browserGet(u, "/"+id+"/edit", false))
		if resp.StatusCode != http.StatusOK {
			h.fail("%s: edit page = %d", what, resp.StatusCode)
		}
		h.page(what+" edit", resp, rb)
		return
	}
	resp, rb = h.send(what+" raw", httptest.NewRequest("GET", "/raw/"+id, nil))
	if resp.StatusCode == http.StatusOK && string(rb) != content {
		h.fail("%s: raw of form paste: %d bytes, typed %d", what, len(rb), len(content))
	}
}

// register tries the input as a username, through the form (fragment or
// page) and the API, with the input as next= too. When the username is
// acceptable the redirect must stay on the site.
func (h *hostileRun) register(what string, i int, v string) {
	name := v
	if i%7 == 0 {
		name = fmt.Sprintf("hostile_%d", i) // a valid name, so next= is followed
	}
	vals := url.Values{"username": {name}, "password": {"correct horse battery staple"}, "next": {v}}
	resp, rb := h.send(what+" register", h.e.browserPost(nil, "/register", "application/x-www-form-urlencoded", strings.NewReader(vals.Encode()), i%2 == 1))
	switch resp.StatusCode {
	case http.StatusSeeOther, http.StatusOK:
		loc := resp.Header.Get("Location") + resp.Header.Get("HX-Redirect")
		if !sameSite(loc) {
			h.fail("%s: register with next= redirects to %q", what, loc)
		}
	case http.StatusUnprocessableEntity, http.StatusConflict:
		h.page(what+" register", resp, rb)
	case http.StatusRequestEntityTooLarge:
		// Only routes that carry a paste take more than 256 KiB.
		if len(vals.Encode()) <= 256<<10 {
			h.fail("%s: register of %d bytes = 413", what, len(vals.Encode()))
		}
		h.page(what+" register", resp, rb)
	default:
		h.fail("%s: register = %d", what, resp.StatusCode)
	}
	if i%4 == 1 {
		b, _ := json.Marshal(map[string]string{"username": v, "password": "correct horse battery staple"})
		resp, rb = h.send(what+" api register", jsonReq("POST", "/api/v1/auth/register", string(b)))
		h.json(what+" api register", resp, rb)
	}
}

// sameSite reports whether a redirect target stays on this site.
func sameSite(loc string) bool {
	if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
		return false
	}
	base, _ := url.Parse("https://pastel.test/login")
	u, err := url.Parse(loc)
	return err == nil && base.ResolveReference(u).Host == "pastel.test"
}

// lists reads every list that shows the hostile pastes: explore (recent and
// popular, several pages), the owner's profile and "my pastes", stars,
// search results, the feeds and the API lists.
func (h *hostileRun) lists(u *user) {
	e := h.e
	// Star a few so the stars list has hostile titles.
	_, rb := h.send("api list", bearer(httptest.NewRequest("GET", "/api/v1/pastes?owner=me&limit=20", nil), u.access))
	var mine struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	json.Unmarshal(rb, &mine)
	for _, p := range mine.Items {
		h.send("star", bearer(httptest.NewRequest("PUT", "/api/v1/pastes/"+p.ID+"/star", nil), u.access))
		h.send("rate", bearer(jsonReq("PUT", "/api/v1/pastes/"+p.ID+"/rating", `{"value":1}`), u.access))
	}
	if _, err := e.svc.RefreshPopular(h.t.Context()); err != nil {
		h.t.Fatal(err)
	}
	for _, path := range []string{"/explore", "/explore?sort=popular", "/u/" + u.name, "/stars", "/search?q=window", "/search?q=script&syntax=markdown", "/search?q=img&owner=me"} {
		next := path
		for pageN := 0; next != "" && pageN < 5; pageN++ {
			for _, htmx := range []bool{true, false} {
				resp, rb := h.send("list "+next, e.browserGet(u, next, htmx))
				h.page("list "+next, resp, rb)
				if resp.StatusCode != http.StatusOK {
					h.fail("list %s = %d", next, resp.StatusCode)
				}
				if htmx {
					continue
				}
				doc := parse(h.t, rb)
				if pageN == 0 && doc.Find(`[data-testid="paste-card"], [data-testid="search-hit"]`).Length() == 0 {
					h.fail("list %s: shows no pastes", next)
				}
				cur, _ := url.Parse(next)
				next = ""
				if href, ok := doc.Find(`a[rel="next"]`).First().Attr("href"); ok {
					ref, _ := url.Parse(href)
					next = cur.ResolveReference(ref).String()
				}
			}
		}
	}
	// A private paste opened through a share link: its page and raw view.
	var hostileBody strings.Builder
	for _, in := range hostileCorpus(h.t)[:60] {
		hostileBody.WriteString(in.value + "\n")
	}
	cb, _ := json.Marshal(map[string]string{"title": `"><img src=x onerror=window.__pwned=1>`,
		"content": strings.ToValidUTF8(hostileBody.String(), "\uFFFD"), "visibility": "private", "syntax": "markdown"})
	resp, rb := h.send("private create", bearer(jsonReq("POST", "/api/v1/pastes", string(cb)), u.access))
	var priv struct{ ID string }
	json.Unmarshal(rb, &priv)
	resp, rb = h.send("share link", bearer(jsonReq("POST", "/api/v1/pastes/"+priv.ID+"/share-links", ""), u.access))
	var link struct{ Token string }
	if json.Unmarshal(rb, &link); resp.StatusCode != http.StatusCreated || link.Token == "" {
		h.fail("share link = %d %.200s", resp.StatusCode, rb)
	} else {
		for _, path := range []string{"/s/" + link.Token, "/s/" + link.Token + "?view=source"} {
			resp, rb = h.send("shared page", httptest.NewRequest("GET", path, nil))
			if resp.StatusCode != http.StatusOK {
				h.fail("shared page = %d", resp.StatusCode)
			}
			h.page("shared page", resp, rb)
		}
		if resp, rb = h.send("shared raw", httptest.NewRequest("GET", "/s/"+link.Token+"/raw", nil)); !strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "sandbox") || len(rb) == 0 {
			h.fail("shared raw = %d %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
		}
	}
	for _, path := range []string{"/explore/feed.atom", "/u/" + u.name + "/feed.atom"} {
		resp, rb := h.send("feed", httptest.NewRequest("GET", path, nil))
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "xml") {
			h.fail("feed %s = %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if err := wellFormedXML(rb); err != nil {
			h.fail("feed %s: %v", path, err)
		}
	}
	for _, path := range []string{"/api/v1/pastes?owner=me", "/api/v1/pastes?owner=" + u.name, "/api/v1/pastes?sort=popular&limit=100", "/api/v1/pastes?sort=recent&limit=100", "/api/v1/stars", "/api/v1/search?q=script&limit=100"} {
		resp, rb := h.send("api list", bearer(httptest.NewRequest("GET", path, nil), u.access))
		h.json("api list "+path, resp, rb)
		if resp.StatusCode != http.StatusOK {
			h.fail("api list %s = %d", path, resp.StatusCode)
		}
	}
}

// wellFormedXML reads every token of an XML document.
func wellFormedXML(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// giants sends the megabyte shapes through the body field (the API's raw
// body, and the form for the 4 MB line) and reads each on its page and
// one other surface, every answer within the budget.
func (h *hostileRun) giants(u *user) {
	for i, g := range hostileGiants() {
		what := fmt.Sprintf("giant %d (%d bytes)", i, len(g.value))
		var id string
		if i == 1 {
			ct, body := form([][2]string{{"title", "giant"}, {"content", g.value}, {"syntax", "auto"}}, nil)
			resp, rb := h.send(what+" form", h.e.browserPost(u, "/", ct, body, false))
			if id = createdID(resp); resp.StatusCode != http.StatusSeeOther {
				h.fail("%s: form create = %d %.200s", what, resp.StatusCode, rb)
				continue
			}
		} else {
			req := httptest.NewRequest("POST", "/api/v1/pastes?syntax=markdown&title=giant", strings.NewReader(g.value))
			req.Header.Set("Content-Type", "text/plain")
			resp, rb := h.send(what+" create", bearer(req, u.access))
			if resp.StatusCode != http.StatusCreated {
				h.fail("%s: create = %d %.200s", what, resp.StatusCode, rb)
				continue
			}
			var p struct{ ID string }
			json.Unmarshal(rb, &p)
			id = p.ID
		}
		resp, rb := h.send(what+" page", httptest.NewRequest("GET", "/"+id, nil))
		h.page(what+" page", resp, rb)
		switch i {
		case 0, 1:
			resp, rb = h.send(what+" raw", httptest.NewRequest("GET", "/raw/"+id, nil))
			if string(rb) != g.value {
				h.fail("%s: raw gave %d bytes", what, len(rb))
			}
		case 2:
			resp, rb = h.send(what+" api get", httptest.NewRequest("GET", "/api/v1/pastes/"+id, nil))
			h.json(what+" api get", resp, rb)
		default:
			resp, rb = h.send(what+" download", httptest.NewRequest("GET", "/dl/"+id, nil))
			if len(rb) != len(g.value) {
				h.fail("%s: download gave %d bytes", what, len(rb))
			}
		}
	}
	for _, path := range []string{"/explore", "/search?q=giant"} {
		resp, rb := h.send("after giants "+path, httptest.NewRequest("GET", path, nil))
		h.page("after giants "+path, resp, rb)
	}
}

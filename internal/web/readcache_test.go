package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"pastel/internal/paste"
)

// TestCachedReadsAnswerForTheIDAsked reads many pastes of equal ID length
// one after another, as the server reuses request memory between them: each
// answer is the paste asked for, before and after others are deleted. (A
// cache keyed on a route parameter without copying it once answered one
// paste's URL with another's bytes, found by TestCrashSafety.)
func TestCachedReadsAnswerForTheIDAsked(t *testing.T) {
	e := newEnv(t)
	var ids []paste.ID
	for i := range 20 {
		p := e.create(paste.CreateInput{Content: []byte(fmt.Sprintf("body %02d", i)), Visibility: paste.Unlisted})
		ids = append(ids, p.ID)
	}
	check := func(round string, gone map[paste.ID]bool) {
		t.Helper()
		for i, id := range ids {
			for _, path := range []string{"/raw/" + string(id), "/api/v1/pastes/" + string(id), "/" + string(id)} {
				resp, body := e.get(path)
				if gone[id] {
					if resp.StatusCode != http.StatusNotFound {
						t.Fatalf("%s: %s of a deleted paste = %d", round, path, resp.StatusCode)
					}
					continue
				}
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%s: %s = %d", round, path, resp.StatusCode)
				}
				want := fmt.Sprintf("body %02d", i)
				if path[:5] == "/raw/" && string(body) != want {
					t.Fatalf("%s: %s = %q, want %q", round, path, body, want)
				}
				if path[:5] == "/api/" && !strings.Contains(string(body), `"id":"`+string(id)+`"`) {
					t.Fatalf("%s: %s answered another paste: %s", round, path, body)
				}
			}
		}
	}
	check("first reads", nil)
	check("reads from memory", nil)
	gone := map[paste.ID]bool{}
	for i := 0; i < len(ids); i += 3 {
		if err := e.svc.Delete(t.Context(), paste.Viewer{IsAdmin: true}, ids[i], ""); err != nil {
			t.Fatal(err)
		}
		gone[ids[i]] = true
	}
	check("after deletes", gone)
}

// TestPageSnapshotSecretsAreEachVisitorsOwn: anonymous visitors are served
// a kept rendering of the page, with their own CSP nonce (the one in their
// header) and their own CSRF token (the one in their cookie), never another
// visitor's or the stand-ins.
func TestPageSnapshotSecretsAreEachVisitorsOwn(t *testing.T) {
	e := newEnv(t)
	p := e.create(paste.CreateInput{Content: []byte("package main\n"), Syntax: "go", Visibility: paste.Public})
	seenNonces := map[string]bool{}
	seenTokens := map[string]bool{}
	var first string
	for i := range 5 {
		resp, body := e.get("/" + string(p.ID))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("page = %d", resp.StatusCode)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		_, rest, _ := strings.Cut(csp, "'nonce-")
		nonce, _, _ := strings.Cut(rest, "'")
		if nonce == "" || seenNonces[nonce] {
			t.Fatalf("view %d: nonce %q (reused or missing) in %q", i, nonce, csp)
		}
		seenNonces[nonce] = true
		doc := parse(t, body)
		scripts := doc.Find("script")
		if scripts.Length() == 0 {
			t.Fatal("no script on the page")
		}
		scripts.Each(func(_ int, s *goquery.Selection) {
			if got, _ := s.Attr("nonce"); got != nonce {
				t.Fatalf("view %d: script nonce %q, header %q", i, got, nonce)
			}
		})
		var cookie string
		for _, c := range resp.Cookies() {
			if c.Name == "pastel_csrf" {
				cookie = c.Value
			}
		}
		hx, _ := doc.Find("body").Attr("hx-headers")
		var hdr map[string]string
		json.Unmarshal([]byte(hx), &hdr)
		token := hdr["X-CSRF-Token"]
		if cookie == "" || token == "" || seenTokens[token] {
			t.Fatalf("view %d: hx-headers %q: token missing or another visitor's", i, hx)
		}
		seenTokens[token] = true
		// The token is this visitor's own: it passes the CSRF check with
		// this visitor's cookie (sign-out without a session just redirects).
		out := httptest.NewRequest("POST", "/logout", nil)
		out.Header.Set("X-CSRF-Token", token)
		out.AddCookie(&http.Cookie{Name: "pastel_csrf", Value: cookie})
		if resp, _ := e.do(out); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("view %d: the page's token with its visitor's cookie = %d, want 303", i, resp.StatusCode)
		}
		// Apart from the secrets, every view is the same page.
		norm := strings.ReplaceAll(strings.ReplaceAll(string(body), nonce, "N"), token, "T")
		if i == 0 {
			first = norm
		} else if norm != first {
			t.Fatalf("view %d differs from the first beyond its secrets", i)
		}
	}
}

// TestPageShowsChangesAtOnce: a comment, a vote and a star show on the very
// next view of the page, although the page before them was kept.
func TestPageShowsChangesAtOnce(t *testing.T) {
	e := newEnv(t)
	u := e.register("kept")
	id := e.apiPaste(u, `{"content":"watch me","visibility":"public"}`)
	view := func() string {
		resp, body := e.get("/" + id)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("page = %d", resp.StatusCode)
		}
		return string(body)
	}
	view()
	if strings.Contains(view(), "a fresh remark") {
		t.Fatal("comment before it was made")
	}
	e.apiComment(u, id, "a fresh remark", 0)
	if !strings.Contains(view(), "a fresh remark") {
		t.Fatal("comment not on the next view")
	}
	before := parse(t, []byte(view())).Find(`[data-testid="likes"]`).Text()
	fan := e.register("kept_fan") // owners do not vote on their own pastes
	e.mustAPI(fan, "PUT", "/api/v1/pastes/"+id+"/rating", `{"value":1}`, 200)
	after := parse(t, []byte(view())).Find(`[data-testid="likes"]`).Text()
	if before == after {
		t.Fatalf("likes %q before and %q after a like", before, after)
	}
	e.mustAPI(u, "DELETE", "/api/v1/pastes/"+id, "", 204)
	if resp, _ := e.get("/" + id); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("page after delete = %d", resp.StatusCode)
	}
}

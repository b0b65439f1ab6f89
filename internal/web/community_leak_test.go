package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"pastel/internal/paste"
)

// noID fails when any part of an answer (status line, headers, body)
// names id.
func noID(t *testing.T, what string, resp *http.Response, body []byte, id paste.ID) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%d\n", resp.StatusCode)
	for k, vs := range resp.Header {
		fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(vs, ", "))
	}
	b.Write(body)
	if strings.Contains(b.String(), string(id)) {
		t.Errorf("%s: the answer names the unlisted paste %s:\n%.600s", what, id, b.String())
	}
}

// TestCommentRoutesDoNotLeakUnlistedIDs: comment IDs are sequential, so a
// second account walking them through every comment route (web, with and
// without htmx, and the API) must not learn the ID of the unlisted paste
// they belong to; the page the comments are on still leads back to it.
func TestCommentRoutesDoNotLeakUnlistedIDs(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ann, bob, mal := e.register("ann"), e.register("bob"), e.register("mal")
	hidden, err := e.svc.Create(ctx, viewerOf(ann), paste.CreateInput{Title: "hidden", Content: []byte("x"), Visibility: paste.Unlisted})
	if err != nil {
		t.Fatal(err)
	}
	id := hidden.Paste.ID
	root, err := e.svc.AddComment(ctx, viewerOf(bob), id, "root", 0)
	if err != nil {
		t.Fatal(err)
	}
	reply, err := e.svc.AddComment(ctx, viewerOf(ann), id, "reply", root.ID)
	if err != nil {
		t.Fatal(err)
	}

	for cid := int64(1); cid <= reply.ID+2; cid++ {
		c := fmt.Sprint(cid)
		for _, form := range []func(*user, string, map[string]string) (*http.Response, []byte){e.userForm, e.htmxForm} {
			for _, r := range []struct {
				path   string
				fields map[string]string
			}{
				{"/c/" + c + "/rate", map[string]string{"value": "0"}},
				{"/c/" + c + "/rate", map[string]string{"value": "1"}},
				{"/c/" + c + "/report", map[string]string{"reason": "spam"}},
				{"/c/" + c + "/edit", map[string]string{"body": "mine now"}},
				{"/c/" + c + "/edit", map[string]string{"body": ""}},
				{"/c/" + c + "/delete", nil},
				// A next that is not the paste's page buys nothing.
				{"/c/" + c + "/rate", map[string]string{"value": "0", "next": "/explore"}},
			} {
				resp, body := form(mal, r.path, r.fields)
				noID(t, "POST "+r.path, resp, body, id)
				if resp.StatusCode == http.StatusSeeOther && !strings.HasPrefix(resp.Header.Get("Location"), "/?") && resp.Header.Get("Location") != "/" {
					t.Errorf("POST %s without the paste's page: Location %q, want the home page", r.path, resp.Header.Get("Location"))
				}
			}
		}
		for _, r := range []struct{ method, path, body string }{
			{"PUT", "/api/v1/comments/" + c + "/rating", `{"value":0}`},
			{"POST", "/api/v1/comments/" + c + "/reports", `{"reason":"spam"}`},
			{"PATCH", "/api/v1/comments/" + c, `{"body":"x"}`},
			{"DELETE", "/api/v1/comments/" + c, ""},
		} {
			resp, body := e.apiJSON(mal, r.method, r.path, r.body)
			noID(t, r.method+" "+r.path, resp, body, id)
		}
	}

	// From the page, the forms carry where they are: a browser without
	// JavaScript comes back to it.
	_, body := e.userGet(bob, "/"+string(id))
	// (On ann's reply: nobody votes on their own comment.)
	action, _ := parse(t, body).Find(`#comment-votes-` + fmt.Sprint(reply.ID) + ` form`).Attr("action")
	if !strings.Contains(action, "next=") {
		t.Fatalf("comment vote form action %q carries no next", action)
	}
	resp, _ := e.userForm(bob, action, map[string]string{"value": "1"})
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != "/"+string(id)+"#comment-"+fmt.Sprint(reply.ID) {
		t.Fatalf("vote from the page = %d %q, want back to the comment", resp.StatusCode, loc)
	}
	report, _ := parse(t, body).Find(`#comment-` + fmt.Sprint(reply.ID) + ` [data-testid="report-comment"] form`).Attr("action")
	if report == "" {
		report, _ = parse(t, body).Find(`#comment-` + fmt.Sprint(reply.ID) + ` form[action*="/report"]`).Attr("action")
	}
	resp, _ = e.userForm(bob, report, map[string]string{"reason": "spam"})
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || !strings.HasPrefix(loc, "/"+string(id)+"?reported=1#comment-") {
		t.Fatalf("report from the page (%q) = %d %q", report, resp.StatusCode, loc)
	}

	// A public paste made unlisted gets a new ID: the authors of its
	// comments had only the old one.
	pub, err := e.svc.Create(ctx, viewerOf(ann), paste.CreateInput{Title: "open", Content: []byte("y"), Visibility: paste.Public})
	if err != nil {
		t.Fatal(err)
	}
	mine, err := e.svc.AddComment(ctx, viewerOf(mal), pub.Paste.ID, "hello", 0)
	if err != nil {
		t.Fatal(err)
	}
	unl := paste.Unlisted
	moved, err := e.svc.Update(ctx, viewerOf(ann), pub.Paste.ID, paste.UpdateInput{Visibility: &unl})
	if err != nil || moved.ID == pub.Paste.ID {
		t.Fatalf("visibility change: %v, id %s -> %s", err, pub.Paste.ID, moved.ID)
	}
	c := fmt.Sprint(mine.ID)
	for _, form := range []func(*user, string, map[string]string) (*http.Response, []byte){e.userForm, e.htmxForm} {
		for _, f := range []map[string]string{{"body": "edited"}, {"body": ""}, {"body": "again", "next": "/" + string(pub.Paste.ID)}} {
			resp, body := form(mal, "/c/"+c+"/edit", f)
			noID(t, "author's edit after the move", resp, body, moved.ID)
		}
	}
	resp, body = e.apiJSON(mal, "PATCH", "/api/v1/comments/"+c, `{"body":"api edit"}`)
	noID(t, "author's API edit after the move", resp, body, moved.ID)
	if resp.StatusCode != 200 {
		t.Fatalf("author's API edit = %d %s", resp.StatusCode, body)
	}
	resp, body = e.userForm(mal, "/c/"+c+"/delete", nil)
	noID(t, "author's delete after the move", resp, body, moved.ID)
	// The owner has the ID: her API edit answer names it.
	own, err := e.svc.AddComment(ctx, viewerOf(ann), moved.ID, "owner's", 0)
	if err != nil {
		t.Fatal(err)
	}
	_, body = e.apiJSON(ann, "PATCH", fmt.Sprintf("/api/v1/comments/%d", own.ID), `{"body":"owner's edit"}`)
	var cj struct {
		PasteID string `json:"paste_id"`
	}
	if err := json.Unmarshal(body, &cj); err != nil || cj.PasteID != string(moved.ID) {
		t.Fatalf("owner's edit answer paste_id %q (%v): %s", cj.PasteID, err, body)
	}
}

// TestStarsOfAPasteMadeUnlisted: "My stars" (web and API) of someone who
// starred a public paste must not show the new ID it gets when made
// unlisted; the owner's stars and a star of an unlisted paste the starrer
// opened (same ID) stay.
func TestStarsOfAPasteMadeUnlisted(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ann, bob := e.register("ann"), e.register("bob")
	pub, err := e.svc.Create(ctx, viewerOf(ann), paste.CreateInput{Title: "was public", Content: []byte("x"), Visibility: paste.Public})
	if err != nil {
		t.Fatal(err)
	}
	unl, err := e.svc.Create(ctx, viewerOf(ann), paste.CreateInput{Title: "given link", Content: []byte("y"), Visibility: paste.Unlisted})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []*user{ann, bob} {
		if _, err := e.svc.Star(ctx, viewerOf(u), pub.Paste.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.Star(ctx, viewerOf(bob), unl.Paste.ID, true); err != nil {
		t.Fatal(err)
	}
	vis := paste.Unlisted
	moved, err := e.svc.Update(ctx, viewerOf(ann), pub.Paste.ID, paste.UpdateInput{Visibility: &vis})
	if err != nil || moved.ID == pub.Paste.ID {
		t.Fatalf("visibility change: %v", err)
	}

	_, web := e.userGet(bob, "/stars")
	resp, api := e.apiJSON(bob, "GET", "/api/v1/stars", "")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /api/v1/stars = %d", resp.StatusCode)
	}
	for what, body := range map[string][]byte{"web": web, "api": api} {
		if strings.Contains(string(body), string(moved.ID)) {
			t.Errorf("bob's stars (%s) show the new unlisted ID", what)
		}
		if !strings.Contains(string(body), string(unl.Paste.ID)) {
			t.Errorf("bob's stars (%s) lost the unlisted paste he starred by its link", what)
		}
	}
	_, web = e.userGet(ann, "/stars")
	_, api = e.apiJSON(ann, "GET", "/api/v1/stars", "")
	for what, body := range map[string][]byte{"web": web, "api": api} {
		if !strings.Contains(string(body), string(moved.ID)) {
			t.Errorf("the owner's stars (%s) lost her own paste", what)
		}
	}
}

// TestSharePagesNameOnlyTheShareLink: every page reached through a share
// link (rendered, source view, the burn step and the one showing) links
// through the share link and never names the private paste's ID.
func TestSharePagesNameOnlyTheShareLink(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ann, bob := e.register("ann"), e.register("bob")
	md, err := e.svc.Create(ctx, viewerOf(ann), paste.CreateInput{Title: "notes", Content: []byte("# Head\n\nsome *text*\n"), Syntax: "markdown", Visibility: paste.Private})
	if err != nil {
		t.Fatal(err)
	}
	burn, err := e.svc.Create(ctx, viewerOf(ann), paste.CreateInput{Title: "once", Content: []byte("# Once\n"), Syntax: "markdown", Visibility: paste.Private, BurnAfterReading: true})
	if err != nil {
		t.Fatal(err)
	}
	mdToken, _, err := e.svc.CreateShareLink(ctx, viewerOf(ann), md.Paste.ID, paste.ShareLinkInput{})
	if err != nil {
		t.Fatal(err)
	}
	burnToken, _, err := e.svc.CreateShareLink(ctx, viewerOf(ann), burn.Paste.ID, paste.ShareLinkInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []*user{nil, bob} {
		for _, path := range []string{"/s/" + mdToken, "/s/" + mdToken + "?view=source", "/s/" + mdToken + "?full=1", "/s/" + burnToken} {
			resp, body := e.userGet(u, path)
			if resp.StatusCode != 200 {
				t.Fatalf("GET %s = %d", path, resp.StatusCode)
			}
			noID(t, "GET "+path, resp, body, md.Paste.ID)
			noID(t, "GET "+path, resp, body, burn.Paste.ID)
		}
	}
	_, body := e.userGet(nil, "/s/"+mdToken)
	src, ok := parse(t, body).Find(`[data-testid="source-view-link"]`).Attr("href")
	if !ok || src != "/s/"+mdToken+"?view=source" {
		t.Fatalf("source view link %q, want through the share link", src)
	}
	_, body = e.userGet(nil, "/s/"+mdToken+"?view=source")
	if r, _ := parse(t, body).Find(`[data-testid="rendered-link"]`).Attr("href"); r != "/s/"+mdToken {
		t.Fatalf("rendered link %q, want the share link", r)
	}
	req := httptest.NewRequest(http.MethodPost, "/s/"+burnToken+"/reveal", strings.NewReader("_csrf="+e.csrf))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, body := e.do(e.asUser(req, bob))
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Once") {
		t.Fatalf("reveal = %d", resp.StatusCode)
	}
	noID(t, "reveal", resp, body, burn.Paste.ID)
}

// TestLongThreadIsPaged: 2,000 replies under one comment leave the paste
// page small, with a "More replies" link that pages through all of them in
// reading order, with htmx and without, and the API pages them too.
func TestLongThreadIsPaged(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ann, bob := e.register("ann"), e.register("bob")
	p, err := e.svc.Create(ctx, viewerOf(ann), paste.CreateInput{Title: "busy", Content: []byte("x"), Visibility: paste.Public})
	if err != nil {
		t.Fatal(err)
	}
	id := string(p.Paste.ID)
	root, err := e.svc.AddComment(ctx, viewerOf(ann), p.Paste.ID, "root", 0)
	if err != nil {
		t.Fatal(err)
	}
	// Pairs: a reply to the root, then a reply to that reply, so reading
	// order (depth first) is the order of creation.
	const n = 2000
	want := make([]string, 0, n)
	var last int64
	for i := 0; i < n; i++ {
		parent := root.ID
		if i%2 == 1 {
			parent = last
		}
		c, err := e.svc.AddComment(ctx, viewerOf(bob), p.Paste.ID, fmt.Sprintf("reply %d", i), parent)
		if err != nil {
			t.Fatal(err)
		}
		last = c.ID
		want = append(want, fmt.Sprintf("comment-%d", c.ID))
	}

	for _, u := range []*user{nil, bob, nil} { // the second anonymous view comes from the read cache
		resp, body := e.userGet(u, "/"+id)
		if resp.StatusCode != 200 || len(body) > 200<<10 {
			t.Fatalf("paste page = %d, %d bytes (want under 200 KB)", resp.StatusCode, len(body))
		}
		doc := parse(t, body)
		if got := doc.Find(`[data-testid="thread"] [data-testid="comment"]`).Length(); got != 1+paste.RepliesShown {
			t.Fatalf("paste page shows %d comments of the thread, want %d", got, 1+paste.RepliesShown)
		}
	}
	_, body := e.userGet(bob, "/"+id)
	doc := parse(t, body)
	var seen []string
	doc.Find(`[data-testid="thread"] [data-testid="comment"]`).Each(func(i int, s *goquery.Selection) {
		if i > 0 {
			seen = append(seen, s.AttrOr("id", ""))
		}
	})
	first := doc.Find(`[data-testid="more-replies"]`).AttrOr("href", "")
	if first == "" || doc.Find(`[data-testid="more-replies"]`).AttrOr("hx-get", "") != first {
		t.Fatalf("no working More replies link: %q", first)
	}

	// Without JavaScript: pages of their own.
	pages, next, got := 0, first, append([]string(nil), seen...)
	for next != "" {
		resp, body := e.userGet(bob, next)
		if resp.StatusCode != 200 || len(body) > 200<<10 {
			t.Fatalf("GET %s = %d, %d bytes", next, resp.StatusCode, len(body))
		}
		doc := parse(t, body)
		doc.Find(`[data-testid="thread"] [data-testid="comment"]`).Each(func(i int, s *goquery.Selection) {
			if i > 0 { // the thread's own comment heads every page
				got = append(got, s.AttrOr("id", ""))
			}
		})
		next = doc.Find(`[data-testid="more-replies"]`).AttrOr("href", "")
		if pages++; pages > n {
			t.Fatal("More replies never ends")
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("pages without JavaScript: %d replies, want %d in reading order", len(got), len(want))
	}

	// htmx: each answer is the next replies and the link after them.
	next, got = first, append([]string(nil), seen...)
	for next != "" {
		req := httptest.NewRequest(http.MethodGet, next, nil)
		req.Header.Set("HX-Request", "true")
		resp, body := e.do(e.asUser(req, bob))
		if resp.StatusCode != 200 {
			t.Fatalf("htmx GET %s = %d", next, resp.StatusCode)
		}
		doc := parse(t, body)
		if strings.Contains(string(body), "<html") || doc.Find(`[data-testid="thread-heading"]`).Length() != 0 {
			t.Fatal("htmx More replies answered a whole page")
		}
		doc.Find(`[data-testid="comment"]`).Each(func(_ int, s *goquery.Selection) {
			got = append(got, s.AttrOr("id", ""))
		})
		next = doc.Find(`[data-testid="more-replies"]`).AttrOr("hx-get", "")
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("htmx pages: %d replies, want %d in reading order", len(got), len(want))
	}

	// The API: the list bounds the thread and says how to go on.
	resp, body := e.apiJSON(nil, "GET", "/api/v1/pastes/"+id+"/comments", "")
	var list struct {
		Items []struct {
			ID          int64   `json:"id"`
			RepliesNext *string `json:"replies_next_cursor"`
		} `json:"items"`
		Next *string `json:"next_cursor"`
	}
	if err := json.Unmarshal(body, &list); err != nil || resp.StatusCode != 200 || len(list.Items) != 1+paste.RepliesShown || list.Items[0].RepliesNext == nil {
		t.Fatalf("API list = %d, %d items: %.300s", resp.StatusCode, len(list.Items), body)
	}
	count, cursor := paste.RepliesShown, *list.Items[0].RepliesNext
	for cursor != "" {
		resp, body := e.apiJSON(nil, "GET", fmt.Sprintf("/api/v1/pastes/%s/comments?thread_id=%d&cursor=%s", id, root.ID, cursor), "")
		list.Next, list.Items = nil, nil
		if err := json.Unmarshal(body, &list); err != nil || resp.StatusCode != 200 {
			t.Fatalf("API thread page = %d: %.300s", resp.StatusCode, body)
		}
		for _, it := range list.Items {
			if want[count] != fmt.Sprintf("comment-%d", it.ID) {
				t.Fatalf("API reply %d is %d, want %s", count, it.ID, want[count])
			}
			count++
		}
		cursor = ""
		if list.Next != nil {
			cursor = *list.Next
		}
	}
	if count != n {
		t.Fatalf("API pages: %d replies, want %d", count, n)
	}
}

package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"pastel/internal/paste"
)

// makeAdmin grants u admin rights the way `web admin grant` does.
func (e *env) makeAdmin(u *user) {
	e.t.Helper()
	if _, err := e.pool.Exec(context.Background(), `UPDATE users SET is_admin = true WHERE id = $1`, u.id); err != nil {
		e.t.Fatal(err)
	}
}

// apiAs sends a JSON API request with a fixed bearer token.
func (e *env) apiAs(token, method, path, body string) (*http.Response, []byte) {
	e.t.Helper()
	var req *http.Request
	if body == "" {
		req = httptest.NewRequest(method, path, nil)
	} else {
		req = jsonReq(method, path, body)
	}
	if token != "" {
		bearer(req, token)
	}
	return e.do(req)
}

func (e *env) mustAPI(u *user, method, path, body string, want int) []byte {
	e.t.Helper()
	resp, b := e.apiJSON(u, method, path, body)
	if resp.StatusCode != want {
		e.t.Fatalf("%s %s = %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	return b
}

func (e *env) apiPaste(u *user, fields string) string {
	e.t.Helper()
	var p struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(e.mustAPI(u, "POST", "/api/v1/pastes", fields, 201), &p); err != nil {
		e.t.Fatal(err)
	}
	return p.ID
}

func (e *env) apiComment(u *user, pasteID, body string, parent int64) int64 {
	e.t.Helper()
	in := fmt.Sprintf(`{"body":%q}`, body)
	if parent != 0 {
		in = fmt.Sprintf(`{"body":%q,"parent_id":%d}`, body, parent)
	}
	var c struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(e.mustAPI(u, "POST", "/api/v1/pastes/"+pasteID+"/comments", in, 201), &c); err != nil {
		e.t.Fatal(err)
	}
	return c.ID
}

// footprint is everything a user left that must be gone after deletion.
type footprint struct {
	user     *user
	pastes   []string
	blobKeys []string
	markers  []string // text only the user wrote
	token    string   // a personal API token
	// byAdmin: an admin deleted the account, so the admin log keeps its
	// name (and nothing else of it) on purpose.
	byAdmin bool
}

// leaveFootprint makes zed own or touch every kind of data there is:
// pastes of every visibility (one burn-after-reading, one private with a
// share link, one made with an Idempotency-Key), comments with and without
// replies on another user's paste, votes, stars, views, a report, an API
// token, sessions and refresh tokens.
func (e *env) leaveFootprint(zed, other *user) (footprint, string) {
	e.t.Helper()
	ctx := context.Background()
	fp := footprint{user: zed, markers: []string{"ZEDTITLE", "ZEDBODY", "ZEDCOMMENT", "ZEDREPORT"}}
	fp.pastes = append(fp.pastes,
		e.apiPaste(zed, `{"title":"ZEDTITLE public","content":"ZEDBODY one","visibility":"public"}`),
		e.apiPaste(zed, `{"title":"ZEDTITLE unlisted","content":"ZEDBODY two","visibility":"unlisted"}`),
		e.apiPaste(zed, `{"title":"ZEDTITLE burn","content":"ZEDBODY three","burn_after_reading":true}`),
	)
	priv := e.apiPaste(zed, `{"title":"ZEDTITLE private","content":"ZEDBODY four","visibility":"private"}`)
	fp.pastes = append(fp.pastes, priv)
	e.mustAPI(zed, "POST", "/api/v1/pastes/"+priv+"/share-links", "", 201)
	req := jsonReq("POST", "/api/v1/pastes", `{"title":"ZEDTITLE idem","content":"ZEDBODY five"}`)
	req.Header.Set("Idempotency-Key", "zed-key-1")
	resp, body := e.do(bearer(req, zed.access))
	if resp.StatusCode != 201 {
		e.t.Fatalf("idempotent create = %d %s", resp.StatusCode, body)
	}
	var idem struct {
		ID string `json:"id"`
	}
	json.Unmarshal(body, &idem)
	fp.pastes = append(fp.pastes, idem.ID)

	theirs := e.apiPaste(other, `{"title":"other's paste","content":"other body"}`)
	lonely := e.apiComment(zed, theirs, "ZEDCOMMENT lonely", 0)
	replied := e.apiComment(zed, theirs, "ZEDCOMMENT replied", 0)
	e.apiComment(other, theirs, "other's reply to zed", replied)
	top := e.apiComment(other, theirs, "other's top comment", 0)
	e.apiComment(zed, theirs, "ZEDCOMMENT reply to other", top)
	_ = lonely
	e.apiComment(other, fp.pastes[0], "other on zed's paste", 0)
	e.mustAPI(zed, "PUT", "/api/v1/pastes/"+theirs+"/star", "", 204)
	e.mustAPI(zed, "PUT", "/api/v1/pastes/"+theirs+"/rating", `{"value":1}`, 200)
	e.mustAPI(zed, "PUT", "/api/v1/comments/"+strconv.FormatInt(top, 10)+"/rating", `{"value":-1}`, 200)
	e.mustAPI(other, "PUT", "/api/v1/pastes/"+fp.pastes[0]+"/star", "", 204)
	e.mustAPI(zed, "POST", "/api/v1/pastes/"+theirs+"/reports", `{"reason":"spam","details":"ZEDREPORT"}`, 201)
	tok, _, err := e.accounts.CreateAPIToken(ctx, zed.id, "ZEDTOKEN")
	if err != nil {
		e.t.Fatal(err)
	}
	fp.token = tok
	fp.markers = append(fp.markers, "ZEDTOKEN")
	// A view by zed, written to paste_views.
	if r, _ := e.userGet(zed, "/"+theirs); r.StatusCode != 200 {
		e.t.Fatalf("view = %d", r.StatusCode)
	}
	if err := e.svc.FlushViews(ctx); err != nil {
		e.t.Fatal(err)
	}
	rows, err := e.pool.Query(ctx, `SELECT blob_key FROM pastes WHERE owner_id = $1`, zed.id)
	if err != nil {
		e.t.Fatal(err)
	}
	for rows.Next() {
		var k string
		rows.Scan(&k)
		fp.blobKeys = append(fp.blobKeys, k)
	}
	rows.Close()
	if len(fp.blobKeys) != len(fp.pastes) {
		e.t.Fatalf("zed owns %d bodies, want %d", len(fp.blobKeys), len(fp.pastes))
	}
	// Every kind of data is there before the deletion: the check below
	// would be vacuous otherwise.
	for _, q := range []string{
		`SELECT count(*) FROM paste_search WHERE owner_id = $1`,
		`SELECT count(*) FROM share_links s JOIN pastes p ON p.id = s.paste_id WHERE p.owner_id = $1`,
		`SELECT count(*) FROM comments WHERE author_id = $1`,
		`SELECT count(*) FROM paste_votes WHERE user_id = $1`,
		`SELECT count(*) FROM comment_votes WHERE user_id = $1`,
		`SELECT count(*) FROM stars WHERE user_id = $1`,
		`SELECT count(*) FROM sessions WHERE user_id = $1`,
		`SELECT count(*) FROM refresh_tokens WHERE user_id = $1`,
		`SELECT count(*) FROM api_tokens WHERE user_id = $1`,
		`SELECT count(*) FROM reports WHERE reporter_id = $1`,
		`SELECT count(*) FROM idempotency_keys WHERE scope = 'user:' || $1::bigint`,
		`SELECT count(*) FROM paste_views WHERE visitor_hash = ANY($2)`,
	} {
		var n int
		args := []any{zed.id}
		if strings.Contains(q, "$2") {
			args = []any{"", paste.UserVisitorHashes(zed.id, e.clock.Now())}
			q = strings.Replace(q, "WHERE", "WHERE $1::text = '' AND", 1)
		}
		if err := e.pool.QueryRow(ctx, q, args...).Scan(&n); err != nil || n == 0 {
			e.t.Fatalf("%s: %d rows (%v), want some", q, n, err)
		}
	}
	return fp, theirs
}

// userColumns lists every column that can hold a user's ID: foreign keys
// to users, plus the columns that keep a user ID without one.
func (e *env) userColumns() [][2]string {
	e.t.Helper()
	rows, err := e.pool.Query(context.Background(), `
		SELECT c.conrelid::regclass::text, a.attname
		FROM pg_constraint c
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
		WHERE c.contype = 'f' AND c.confrelid = 'users'::regclass
		UNION
		SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'public' AND column_name IN ('user_id', 'owner_id', 'author_id', 'reporter_id', 'admin_id', 'resolved_by')
		UNION SELECT 'users', 'id'`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var tc [2]string
		rows.Scan(&tc[0], &tc[1])
		out = append(out, tc)
	}
	if len(out) < 12 {
		e.t.Fatalf("only %d user columns found: %v", len(out), out)
	}
	return out
}

// assertNothingOf checks every table of the database, row by row, and the
// blob store for anything of the footprint.
func (e *env) assertNothingOf(fp footprint) {
	e.t.Helper()
	ctx := context.Background()
	for _, tc := range e.userColumns() {
		var n int
		q := fmt.Sprintf(`SELECT count(*) FROM %q WHERE %q = $1`, tc[0], tc[1])
		if err := e.pool.QueryRow(ctx, q, fp.user.id).Scan(&n); err != nil {
			e.t.Fatalf("%s: %v", q, err)
		}
		if n != 0 {
			e.t.Errorf("%s.%s still holds user %d in %d rows", tc[0], tc[1], fp.user.id, n)
		}
	}
	var views int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM paste_views WHERE visitor_hash = ANY($1)`, paste.UserVisitorHashes(fp.user.id, e.clock.Now())).Scan(&views); err != nil || views != 0 {
		e.t.Errorf("paste_views keeps %d views by the user (%v)", views, err)
	}
	tables, err := e.pool.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`)
	if err != nil {
		e.t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		tables.Scan(&n)
		names = append(names, n)
	}
	tables.Close()
	if len(names) < 15 {
		e.t.Fatalf("only %d tables: %v", len(names), names)
	}
	needles := append([]string{fp.user.name, "user:" + strconv.FormatInt(fp.user.id, 10)}, fp.markers...)
	needles = append(needles, fp.pastes...)
	needles = append(needles, fp.blobKeys...)
	for _, table := range names {
		rows, err := e.pool.Query(ctx, fmt.Sprintf(`SELECT t::text FROM %q t`, table))
		if err != nil {
			e.t.Fatal(err)
		}
		for rows.Next() {
			var row string
			rows.Scan(&row)
			for _, n := range needles {
				if fp.byAdmin && table == "admin_actions" && n == fp.user.name {
					continue
				}
				if strings.Contains(row, n) {
					e.t.Errorf("table %s still holds %q: %.200s", table, n, row)
				}
			}
		}
		rows.Close()
	}
	err = e.blobs.Walk(ctx, func(key string, _ time.Time) error {
		for _, k := range fp.blobKeys {
			if key == k {
				e.t.Errorf("blob %s is still stored", key)
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// deliverSearchQueue checks that the deletion queued the removal of every
// paste from an external index, then delivers (drops) the queue as the
// worker does without Typesense.
func (e *env) deliverSearchQueue(fp footprint) {
	e.t.Helper()
	ctx := context.Background()
	for _, id := range fp.pastes {
		var last string
		err := e.pool.QueryRow(ctx, `SELECT op FROM search_queue WHERE paste_id = $1 ORDER BY id DESC LIMIT 1`, id).Scan(&last)
		if err != nil || last != "delete" {
			e.t.Errorf("search queue for %s ends with %q (%v), want delete", id, last, err)
		}
	}
	if _, err := e.store.PurgeSearchJobs(ctx, 100_000); err != nil {
		e.t.Fatal(err)
	}
}

// assertOthersIntact checks the deletion took nothing of other's: their
// paste, the reply to zed's comment (under a "deleted" placeholder) and
// counters without zed's votes and star.
func (e *env) assertOthersIntact(other *user, theirs string) {
	e.t.Helper()
	var p struct {
		Stars int64 `json:"stars"`
		Likes int64 `json:"likes"`
	}
	json.Unmarshal(e.mustAPI(other, "GET", "/api/v1/pastes/"+theirs, "", 200), &p)
	if p.Stars != 0 || p.Likes != 0 {
		e.t.Errorf("other's paste counts stars %d likes %d, want 0 0 after zed's went", p.Stars, p.Likes)
	}
	var list struct {
		Items []struct {
			Body    string  `json:"body"`
			Deleted bool    `json:"deleted"`
			Author  *string `json:"author"`
			Dislike int64   `json:"dislikes"`
		} `json:"items"`
	}
	json.Unmarshal(e.mustAPI(other, "GET", "/api/v1/pastes/"+theirs+"/comments", "", 200), &list)
	var bodies []string
	placeholders := 0
	for _, c := range list.Items {
		if c.Deleted {
			placeholders++
			if c.Author != nil || c.Body != "" {
				e.t.Errorf("placeholder shows author %v body %q", c.Author, c.Body)
			}
			continue
		}
		bodies = append(bodies, c.Body)
		if c.Dislike != 0 {
			e.t.Errorf("comment %q keeps zed's dislike", c.Body)
		}
	}
	want := "other's reply to zed|other's top comment"
	if strings.Join(bodies, "|") != want || placeholders != 1 {
		e.t.Errorf("comments after deletion = %q with %d placeholders, want %q with 1", strings.Join(bodies, "|"), placeholders, want)
	}
}

func TestDeleteOwnAccountRemovesEverything(t *testing.T) {
	e := newEnv(t)
	zed, other := e.register("zed_leaver"), e.register("otto")
	fp, theirs := e.leaveFootprint(zed, other)

	// A wrong password changes nothing.
	if r, b := e.apiAs(zed.access, "DELETE", "/api/v1/me", `{"password":"not it at all"}`); r.StatusCode != 422 || !strings.Contains(string(b), `"password"`) {
		t.Fatalf("wrong password = %d %s", r.StatusCode, b)
	}
	if r, b := e.apiAs(zed.access, "DELETE", "/api/v1/me", `{"password":`+strconv.Quote(zed.password)+`}`); r.StatusCode != 204 {
		t.Fatalf("DELETE /me = %d %s", r.StatusCode, b)
	}
	// At once, before the job: the token, the session and sign-in are dead.
	if r, _ := e.apiAs(zed.access, "GET", "/api/v1/me", ""); r.StatusCode != 401 {
		t.Errorf("token after deletion = %d", r.StatusCode)
	}
	if r, _ := e.apiAs(fp.token, "GET", "/api/v1/me", ""); r.StatusCode != 401 {
		t.Errorf("API token after deletion = %d", r.StatusCode)
	}
	if _, err := e.accounts.Authenticate(context.Background(), zed.name, zed.password, "192.0.2.9"); err == nil {
		t.Error("the deleted account can still sign in")
	}
	n, err := e.admin.RunDeletions(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("RunDeletions = %d, %v", n, err)
	}
	e.deliverSearchQueue(fp)
	e.assertNothingOf(fp)
	e.assertOthersIntact(other, theirs)
	// The username is free again once the job is done.
	if _, err := e.accounts.Register(context.Background(), zed.name, "", "a brand new password"); err != nil {
		t.Errorf("username not free after deletion: %v", err)
	}
}

// TestDeleteAccountSurvivesCrash runs the first transaction only (as if the
// process died right after it), checks nothing is visible, then "restarts":
// a new runner finds the job and finishes it.
func TestDeleteAccountSurvivesCrash(t *testing.T) {
	e := newEnv(t)
	zed, other := e.register("zed_crasher"), e.register("olga")
	fp, theirs := e.leaveFootprint(zed, other)

	// The settings form, without htmx: the first step commits, and the
	// worker is never run in this process.
	r, b := e.userForm(zed, "/settings/delete", map[string]string{"password": zed.password})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/?account=deleted" {
		t.Fatalf("delete form = %d %s %.300s", r.StatusCode, r.Header.Get("Location"), b)
	}
	// Half-way: rows and bodies are still there, but nothing is visible.
	var jobs int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM account_deletions WHERE user_id = $1`, zed.id).Scan(&jobs)
	if jobs != 1 {
		t.Fatalf("%d deletion jobs queued, want 1", jobs)
	}
	for _, id := range fp.pastes {
		for _, path := range []string{"/" + id, "/raw/" + id, "/api/v1/pastes/" + id} {
			if r, _ := e.userGet(other, path); r.StatusCode != 404 {
				t.Errorf("GET %s half-way = %d, want 404", path, r.StatusCode)
			}
		}
	}
	for _, path := range []string{"/explore", "/u/" + zed.name, "/search?q=ZEDBODY", "/" + theirs, "/api/v1/search?q=ZEDBODY", "/api/v1/pastes"} {
		r, b := e.userGet(other, path)
		page := strings.ReplaceAll(string(b), "q=ZEDBODY", "")
		page = strings.ReplaceAll(page, `value="ZEDBODY"`, "")
		if strings.Contains(page, "ZEDBODY") || strings.Contains(string(b), "ZEDTITLE") || strings.Contains(string(b), "ZEDCOMMENT") {
			t.Errorf("GET %s half-way (%d) shows zed's content", path, r.StatusCode)
		}
	}
	if r, _ := e.userGet(zed, "/settings"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("zed's session half-way: /settings = %d, want a redirect to sign in", r.StatusCode)
	}

	// "Restart": a fresh runner over the same database and blob store.
	n, err := e.admin.RunDeletions(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("RunDeletions after restart = %d, %v", n, err)
	}
	e.deliverSearchQueue(fp)
	e.assertNothingOf(fp)
	e.assertOthersIntact(other, theirs)
	// Idempotent: running again finds nothing to do.
	if n, err := e.admin.RunDeletions(context.Background()); err != nil || n != 0 {
		t.Fatalf("second run = %d, %v", n, err)
	}
}

// TestDeleteAccountCrashMidJob stops the job after the bodies of some
// pastes were deleted but before their rows were: the next run carries on.
func TestDeleteAccountCrashMidJob(t *testing.T) {
	e := newEnv(t)
	zed, other := e.register("zed_midway"), e.register("oscar")
	fp, theirs := e.leaveFootprint(zed, other)
	if r, b := e.apiAs(zed.access, "DELETE", "/api/v1/me", `{"password":`+strconv.Quote(zed.password)+`}`); r.StatusCode != 204 {
		t.Fatalf("DELETE /me = %d %s", r.StatusCode, b)
	}
	// What the job does first, by hand, then "crash".
	ctx := context.Background()
	for _, k := range fp.blobKeys[:2] {
		if err := e.blobs.Delete(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := e.admin.RunDeletions(ctx); err != nil || n != 1 {
		t.Fatalf("RunDeletions = %d, %v", n, err)
	}
	e.deliverSearchQueue(fp)
	e.assertNothingOf(fp)
	e.assertOthersIntact(other, theirs)
}

func TestDisableStopsLiveSessionAndTokenAtOnce(t *testing.T) {
	e := newEnv(t)
	root, bob, carol := e.register("root_admin"), e.register("bob"), e.register("carol")
	e.makeAdmin(root)
	ctx := context.Background()
	pat, _, err := e.accounts.CreateAPIToken(ctx, bob.id, "script")
	if err != nil {
		t.Fatal(err)
	}
	pid := e.apiPaste(bob, `{"title":"BOBTITLE","content":"BOBBODY words"}`)
	theirs := e.apiPaste(carol, `{"title":"carol's","content":"carol body"}`)
	e.apiComment(bob, theirs, "BOBCOMMENT here", 0)
	// In carol's stars and in the popular list.
	e.mustAPI(carol, "PUT", "/api/v1/pastes/"+pid+"/star", "", 204)
	e.mustAPI(carol, "PUT", "/api/v1/pastes/"+pid+"/rating", `{"value":1}`, 200)
	if _, err := e.svc.RefreshPopular(ctx); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.userGet(bob, "/settings"); r.StatusCode != 200 {
		t.Fatalf("live session: /settings = %d", r.StatusCode)
	}
	for _, tok := range []string{bob.access, pat} {
		if r, _ := e.apiAs(tok, "GET", "/api/v1/me", ""); r.StatusCode != 200 {
			t.Fatalf("live token: /me = %d", r.StatusCode)
		}
	}

	if r, b := e.apiAs(e.freshToken(root.id), "POST", "/api/v1/admin/users/bob/disable", ""); r.StatusCode != 204 {
		t.Fatalf("disable = %d %s", r.StatusCode, b)
	}
	// The very next request of the live session and tokens fails.
	if r, _ := e.userGet(bob, "/settings"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("session after disable: /settings = %d, want redirect to sign in", r.StatusCode)
	}
	for name, tok := range map[string]string{"access": bob.access, "personal": pat} {
		if r, _ := e.apiAs(tok, "GET", "/api/v1/me", ""); r.StatusCode != 401 {
			t.Errorf("%s token after disable: /me = %d, want 401", name, r.StatusCode)
		}
	}
	if r, _ := e.do(jsonReq("POST", "/api/v1/auth/refresh", `{"refresh_token":"`+bob.refresh+`"}`)); r.StatusCode != 401 {
		t.Errorf("refresh after disable = %d, want 401", r.StatusCode)
	}
	if r, _ := e.postForm("/login", map[string]string{"username": "bob", "password": bob.password}); r.StatusCode != 422 {
		t.Errorf("sign-in while disabled = %d, want 422", r.StatusCode)
	}
	// Bob's content is hidden on every surface.
	hidden := func(when string, want bool) {
		t.Helper()
		for _, path := range []string{"/" + pid, "/raw/" + pid, "/api/v1/pastes/" + pid, "/u/bob"} {
			r, _ := e.userGet(carol, path)
			if got := r.StatusCode == 404; got != want {
				t.Errorf("%s: GET %s = %d", when, path, r.StatusCode)
			}
		}
		for _, path := range []string{"/explore", "/search?q=BOBBODY", "/api/v1/search?q=BOBBODY", "/api/v1/pastes", "/" + theirs, "/api/v1/pastes/" + theirs + "/comments",
			"/explore?sort=popular", "/api/v1/pastes?sort=popular", "/stars", "/explore/feed.atom"} {
			_, b := e.userGet(carol, path)
			// The search pages repeat the query itself: look for the title.
			shows := (!strings.Contains(path, "q=BOBBODY") && strings.Contains(string(b), "BOBBODY")) || strings.Contains(string(b), "BOBTITLE") || strings.Contains(string(b), "BOBCOMMENT")
			if shows == want {
				t.Errorf("%s: GET %s shows bob's content: %v", when, path, shows)
			}
		}
	}
	hidden("disabled", true)

	if r, b := e.apiAs(e.freshToken(root.id), "POST", "/api/v1/admin/users/bob/enable", ""); r.StatusCode != 204 {
		t.Fatalf("enable = %d %s", r.StatusCode, b)
	}
	hidden("enabled again", false)
	// Disabling ended the personal token for good: enabling brings it not back.
	if r, _ := e.apiAs(pat, "GET", "/api/v1/me", ""); r.StatusCode != 401 {
		t.Errorf("personal token after enable = %d, want 401", r.StatusCode)
	}
}

func TestAdminRoutesAre404ToEveryoneElse(t *testing.T) {
	e := newEnv(t)
	root, bob := e.register("root_admin"), e.register("bob")
	e.makeAdmin(root)
	e.register("victim")
	routes := []struct {
		method, path string
		api          bool
	}{
		{"GET", "/admin", false},
		{"GET", "/admin/reports", false},
		{"GET", "/admin/log", false},
		{"GET", "/admin/anything", false},
		{"POST", "/admin/users/victim/disable", false},
		{"POST", "/admin/users/victim/enable", false},
		{"POST", "/admin/users/victim/delete", false},
		{"POST", "/admin/reports/1/resolve", false},
		{"GET", "/api/v1/admin/users", true},
		{"GET", "/api/v1/admin/users?q=vic", true},
		{"GET", "/api/v1/admin/reports?status=open", true},
		{"POST", "/api/v1/admin/users/victim/disable", true},
		{"POST", "/api/v1/admin/users/victim/enable", true},
		{"DELETE", "/api/v1/admin/users/victim", true},
		{"POST", "/api/v1/admin/reports/1/resolve", true},
	}
	for _, who := range []*user{nil, bob} {
		for _, rt := range routes {
			name := "anonymous"
			if who != nil {
				name = who.name
			}
			var r *http.Response
			var b []byte
			switch {
			case rt.api:
				tok := ""
				if who != nil {
					tok = who.access
				}
				body := ""
				if rt.method != "GET" {
					body = `{"action":"dismiss"}`
				}
				r, b = e.apiAs(tok, rt.method, rt.path, body)
			case rt.method == "GET":
				r, b = e.userGet(who, rt.path)
			default:
				r, b = e.userForm(who, rt.path, map[string]string{"action": "dismiss"})
			}
			if r.StatusCode != 404 {
				t.Errorf("%s: %s %s = %d, want 404: %.200s", name, rt.method, rt.path, r.StatusCode, b)
			}
		}
	}
	// Nothing changed, and the admin does see the pages.
	if u, err := e.accounts.UserByUsername(context.Background(), "victim"); err != nil || u.Disabled {
		t.Fatalf("victim after the attempts: %+v %v", u, err)
	}
	for _, path := range []string{"/admin", "/admin/reports", "/admin/log"} {
		if r, _ := e.userGet(root, path); r.StatusCode != 200 {
			t.Errorf("admin GET %s = %d", path, r.StatusCode)
		}
	}
	if r, _ := e.apiJSON(root, "GET", "/api/v1/admin/users", ""); r.StatusCode != 200 {
		t.Errorf("admin GET /api/v1/admin/users = %d", r.StatusCode)
	}
	// GET never changes state: the POST routes do not answer GET, even to an admin.
	for _, path := range []string{"/admin/users/victim/disable", "/admin/users/victim/delete", "/admin/reports/1/resolve"} {
		if r, _ := e.userGet(root, path); r.StatusCode != 404 {
			t.Errorf("admin GET %s = %d, want 404", path, r.StatusCode)
		}
	}
	// CSRF: an admin's form without the token is refused.
	r, _ := e.userForm(root, "/admin/users/victim/disable", map[string]string{"_csrf": "forged"})
	if r.StatusCode != 403 {
		t.Errorf("admin form with a forged CSRF token = %d, want 403", r.StatusCode)
	}
	if u, _ := e.accounts.UserByUsername(context.Background(), "victim"); u.Disabled {
		t.Error("a forged form disabled the account")
	}
}

func TestAdminLogRecordsEachAction(t *testing.T) {
	e := newEnv(t)
	root, bob, carol, dave := e.register("root_admin"), e.register("bob"), e.register("carol"), e.register("dave")
	e.makeAdmin(root)
	ctx := context.Background()
	p1 := e.apiPaste(bob, `{"content":"spam one"}`)
	p2 := e.apiPaste(bob, `{"content":"spam two"}`)
	p3 := e.apiPaste(carol, `{"content":"fine"}`)
	cm := e.apiComment(bob, p3, "rude comment", 0)
	cm2 := e.apiComment(bob, p3, "another rude comment", 0)
	var rep struct {
		ID int64 `json:"id"`
	}
	json.Unmarshal(e.mustAPI(carol, "POST", "/api/v1/pastes/"+p1+"/reports", `{"reason":"spam"}`, 201), &rep)
	var rep2 struct {
		ID int64 `json:"id"`
	}
	json.Unmarshal(e.mustAPI(carol, "POST", "/api/v1/comments/"+strconv.FormatInt(cm2, 10)+"/reports", `{"reason":"abuse"}`, 201), &rep2)
	var rep3 struct {
		ID int64 `json:"id"`
	}
	json.Unmarshal(e.mustAPI(dave, "POST", "/api/v1/pastes/"+p3+"/reports", `{"reason":"other","details":"not sure"}`, 201), &rep3)

	steps := []struct {
		run    func()
		action string
		target string
	}{
		{func() { e.mustAPI(root, "POST", "/api/v1/admin/users/dave/disable", "", 204) }, "user.disable", "dave"},
		{func() { e.mustAPI(root, "POST", "/api/v1/admin/users/dave/enable", "", 204) }, "user.enable", "dave"},
		{func() { e.mustAPI(root, "DELETE", "/api/v1/pastes/"+p2, "", 204) }, "paste.delete", p2},
		{func() { e.mustAPI(root, "DELETE", "/api/v1/comments/"+strconv.FormatInt(cm, 10), "", 204) }, "comment.delete", strconv.FormatInt(cm, 10)},
		{func() {
			e.mustAPI(root, "POST", fmt.Sprintf("/api/v1/admin/reports/%d/resolve", rep.ID), `{"action":"delete"}`, 204)
		}, "paste.delete", p1},
		{func() {
			e.mustAPI(root, "POST", fmt.Sprintf("/api/v1/admin/reports/%d/resolve", rep2.ID), `{"action":"delete"}`, 204)
		}, "comment.delete", strconv.FormatInt(cm2, 10)},
		{func() {
			r, b := e.userForm(root, fmt.Sprintf("/admin/reports/%d/resolve", rep3.ID), map[string]string{"action": "dismiss"})
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("dismiss form = %d %s", r.StatusCode, b)
			}
		}, "report.dismiss", fmt.Sprintf("report #%d", rep3.ID)},
		{func() {
			r, b := e.userForm(root, "/admin/users/dave/delete", nil)
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("delete form = %d %s", r.StatusCode, b)
			}
		}, "user.delete", "dave"},
	}
	for i, s := range steps {
		s.run()
		page, err := e.admin.Actions(ctx, paste.Viewer{UserID: root.id, Username: root.name, IsAdmin: true}, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != i+1 {
			t.Fatalf("after %s: %d log entries, want %d", s.action, len(page.Items), i+1)
		}
		got := page.Items[0]
		if got.Action != s.action || got.Target != s.target || got.AdminName != root.name || got.AdminID != root.id || got.CreatedAt.IsZero() {
			t.Errorf("log entry %d = %+v, want %s %s by %s", i, got, s.action, s.target, root.name)
		}
	}
	// The owner's own deletion and the author's are not admin actions.
	own := e.apiPaste(carol, `{"content":"mine"}`)
	e.mustAPI(carol, "DELETE", "/api/v1/pastes/"+own, "", 204)
	page, _ := e.admin.Actions(ctx, paste.Viewer{UserID: root.id, IsAdmin: true}, "", 100)
	if len(page.Items) != len(steps) {
		t.Errorf("a user's own deletion was logged: %d entries", len(page.Items))
	}
	// The log page lists them.
	_, b := e.userGet(root, "/admin/log")
	if n := parse(t, b).Find(`[data-testid="admin-log-row"]`).Length(); n != len(steps) {
		t.Errorf("/admin/log shows %d rows, want %d", n, len(steps))
	}
	// The deleted paste is gone for everyone.
	if r, _ := e.userGet(carol, "/"+p1); r.StatusCode != 404 {
		t.Errorf("paste deleted through its report = %d", r.StatusCode)
	}
}

func TestReportsAreDeduplicatedPerUserAndItem(t *testing.T) {
	e := newEnv(t)
	root, bob, carol, dave := e.register("root_admin"), e.register("bob"), e.register("carol"), e.register("dave")
	e.makeAdmin(root)
	pid := e.apiPaste(carol, `{"title":"<script>alert(1)</script>","content":"<img src=x onerror=alert(2)> payload"}`)
	cid := e.apiComment(carol, pid, "<b>bold</b> comment", 0)
	cpath := "/api/v1/comments/" + strconv.FormatInt(cid, 10) + "/reports"

	e.mustAPI(bob, "POST", "/api/v1/pastes/"+pid+"/reports", `{"reason":"spam","details":"ads"}`, 201)
	r, b := e.apiJSON(bob, "POST", "/api/v1/pastes/"+pid+"/reports", `{"reason":"abuse"}`)
	if r.StatusCode != 409 || !strings.Contains(string(b), "already_reported") {
		t.Errorf("second report = %d %s, want 409 already_reported", r.StatusCode, b)
	}
	// The same through the HTML form: back to the paste with a notice.
	r, _ = e.userForm(bob, "/"+pid+"/report", map[string]string{"reason": "spam"})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/"+pid+"?reported=already" {
		t.Errorf("form duplicate = %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	_, page := e.userGet(bob, r.Header.Get("Location"))
	if got := parse(t, page).Find(`[data-testid="flash"]`).Text(); !strings.Contains(got, "already reported") {
		t.Errorf("duplicate notice = %q", got)
	}
	// Another user, and the same user on another item, may report.
	e.mustAPI(dave, "POST", "/api/v1/pastes/"+pid+"/reports", `{"reason":"spam"}`, 201)
	e.mustAPI(bob, "POST", cpath, `{"reason":"abuse"}`, 201)
	if r, _ := e.apiJSON(bob, "POST", cpath, `{"reason":"abuse"}`); r.StatusCode != 409 {
		t.Errorf("second comment report = %d", r.StatusCode)
	}
	// The form says which page it is on (cameFrom); the answer goes back there.
	r, _ = e.userForm(dave, "/c/"+strconv.FormatInt(cid, 10)+"/report", map[string]string{"reason": "abuse", "details": "rude", "next": "/" + pid})
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/"+pid+"?reported=1#comment-") {
		t.Errorf("comment form = %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	// Bad input names the field; anonymous callers must sign in.
	if r, b := e.apiJSON(bob, "POST", "/api/v1/pastes/"+pid+"/reports", `{"reason":""}`); r.StatusCode != 422 || !strings.Contains(string(b), `"reason"`) {
		t.Errorf("empty reason = %d %s", r.StatusCode, b)
	}
	if r, _ := e.apiAs("", "POST", "/api/v1/pastes/"+pid+"/reports", `{"reason":"spam"}`); r.StatusCode != 401 {
		t.Errorf("anonymous report = %d", r.StatusCode)
	}
	if r, _ := e.apiJSON(bob, "POST", "/api/v1/pastes/Nope1234/reports", `{"reason":"spam"}`); r.StatusCode != 404 {
		t.Errorf("report of an unknown paste = %d", r.StatusCode)
	}
	var count int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM reports WHERE status = 'open'`).Scan(&count)
	if count != 4 {
		t.Errorf("%d open reports, want 4", count)
	}

	// The queue shows the reported content as text, never as markup.
	_, b = e.userGet(root, "/admin/reports")
	doc := parse(t, b)
	if n := doc.Find(`[data-testid="admin-report"]`).Length(); n != 4 {
		t.Errorf("queue shows %d reports, want 4", n)
	}
	if doc.Find(`[data-testid="admin-report"] script, [data-testid="admin-report"] img, [data-testid="admin-report"] b`).Length() != 0 {
		t.Error("reported content was rendered as HTML")
	}
	if !strings.Contains(doc.Find(`[data-testid="report-title"]`).First().Text(), "<script>alert(1)</script>") ||
		!strings.Contains(doc.Text(), "<img src=x onerror=alert(2)> payload") {
		t.Error("reported content is not shown as text")
	}

	// Once dismissed, the same user may report the item again.
	var list struct {
		Items []struct {
			ID       int64  `json:"id"`
			Reporter string `json:"reporter"`
			Kind     string `json:"kind"`
		} `json:"items"`
	}
	json.Unmarshal(e.mustAPI(root, "GET", "/api/v1/admin/reports?status=open", "", 200), &list)
	if len(list.Items) != 4 || list.Items[0].Reporter != "bob" || list.Items[0].Kind != "paste" {
		t.Fatalf("API queue = %+v", list.Items)
	}
	e.mustAPI(root, "POST", fmt.Sprintf("/api/v1/admin/reports/%d/resolve", list.Items[0].ID), `{"action":"dismiss"}`, 204)
	if r, _ := e.apiJSON(root, "POST", fmt.Sprintf("/api/v1/admin/reports/%d/resolve", list.Items[0].ID), `{"action":"dismiss"}`); r.StatusCode != 409 {
		t.Errorf("resolving twice = %d, want 409", r.StatusCode)
	}
	if r, b := e.apiJSON(root, "POST", fmt.Sprintf("/api/v1/admin/reports/%d/resolve", list.Items[1].ID), `{"action":"burn"}`); r.StatusCode != 422 || !strings.Contains(string(b), `"action"`) {
		t.Errorf("bad action = %d %s", r.StatusCode, b)
	}
	e.mustAPI(bob, "POST", "/api/v1/pastes/"+pid+"/reports", `{"reason":"spam"}`, 201)
}

// TestDeleteAccountFormWithHTMX: a wrong password re-renders the section
// alone (422, the field named), a forged form is refused, and success
// sends the browser home through HX-Redirect with the session gone.
func TestDeleteAccountFormWithHTMX(t *testing.T) {
	e := newEnv(t)
	zoe := e.register("zoe")
	htmx := func(fields map[string]string) (*http.Response, []byte) {
		vals := make([]string, 0, len(fields))
		for k, v := range fields {
			vals = append(vals, k+"="+v)
		}
		req := httptest.NewRequest("POST", "/settings/delete", strings.NewReader(strings.Join(vals, "&")))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		return e.do(e.asUser(req, zoe))
	}
	_, page := e.userGet(zoe, "/settings")
	form := parse(t, page).Find(`[data-testid="delete-account-form"]`)
	if form.AttrOr("action", "") != "/settings/delete" || form.AttrOr("hx-post", "") != "/settings/delete" || form.AttrOr("method", "") != "post" {
		t.Fatalf("delete form: action %q hx-post %q", form.AttrOr("action", ""), form.AttrOr("hx-post", ""))
	}
	r, b := htmx(map[string]string{"_csrf": zoe.csrf, "password": "wrong-password"})
	doc := parse(t, b)
	if r.StatusCode != 422 || doc.Find(`#delete-account`).Length() != 1 || doc.Find(`[data-testid="site-header"]`).Length() != 0 ||
		doc.Find(`[data-testid="delete-password-input"][aria-invalid="true"]`).Length() != 1 {
		t.Fatalf("wrong password = %d %.400s", r.StatusCode, b)
	}
	if r, _ := htmx(map[string]string{"_csrf": "forged", "password": zoe.password}); r.StatusCode != 403 {
		t.Fatalf("forged = %d", r.StatusCode)
	}
	if _, err := e.accounts.UserByID(context.Background(), zoe.id); err != nil {
		t.Fatalf("the account went on a failed attempt: %v", err)
	}
	r, _ = htmx(map[string]string{"_csrf": zoe.csrf, "password": strings.ReplaceAll(zoe.password, " ", "+")})
	if r.StatusCode != 200 || r.Header.Get("HX-Redirect") != "/?account=deleted" {
		t.Fatalf("delete = %d HX-Redirect %q", r.StatusCode, r.Header.Get("HX-Redirect"))
	}
	_, home := e.userGet(zoe, "/?account=deleted")
	hd := parse(t, home)
	if !strings.Contains(hd.Find(`[data-testid="flash"]`).Text(), "deleted") || hd.Find(`[data-testid="username"]`).Length() != 0 {
		t.Errorf("home after deletion: flash %q, signed in %v", hd.Find(`[data-testid="flash"]`).Text(), hd.Find(`[data-testid="username"]`).Length() != 0)
	}
}

// TestAdminDeletesAccountWithTheSameCleanup: an admin's Delete removes
// everything of the account like self-deletion; the admin log keeps the
// name of whom it deleted.
func TestAdminDeletesAccountWithTheSameCleanup(t *testing.T) {
	e := newEnv(t)
	root, zed, other := e.register("root_admin"), e.register("zed_removed"), e.register("opal")
	e.makeAdmin(root)
	fp, theirs := e.leaveFootprint(zed, other)
	fp.byAdmin = true
	r, b := e.userForm(root, "/admin/users/ZED_REMOVED/delete", nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin delete = %d %.300s", r.StatusCode, b)
	}
	if r, _ := e.userGet(zed, "/settings"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the deleted account's session still works: %d", r.StatusCode)
	}
	if n, err := e.admin.RunDeletions(context.Background()); err != nil || n != 1 {
		t.Fatalf("RunDeletions = %d, %v", n, err)
	}
	e.deliverSearchQueue(fp)
	e.assertNothingOf(fp)
	e.assertOthersIntact(other, theirs)
	var target string
	e.pool.QueryRow(context.Background(), `SELECT target FROM admin_actions WHERE action = 'user.delete'`).Scan(&target)
	if target != zed.name {
		t.Errorf("admin log target = %q, want %q", target, zed.name)
	}
}

func TestAdminUserListSearchAndSort(t *testing.T) {
	e := newEnv(t)
	root := e.register("root_admin")
	e.makeAdmin(root)
	amy, ben := e.register("amy_x"), e.register("ben_x")
	e.clock.Advance(time.Minute)
	e.register("cal_x")
	for i := 0; i < 3; i++ {
		e.apiPaste(amy, `{"content":"a"}`)
	}
	e.apiPaste(ben, `{"content":"b"}`)
	names := func(path string) []string {
		t.Helper()
		var out struct {
			Items []struct {
				Username string `json:"username"`
				Pastes   int64  `json:"pastes"`
			} `json:"items"`
			Next *string `json:"next_cursor"`
		}
		json.Unmarshal(e.mustAPI(root, "GET", path, "", 200), &out)
		var got []string
		for _, u := range out.Items {
			got = append(got, u.Username+":"+strconv.FormatInt(u.Pastes, 10))
		}
		return got
	}
	if got := strings.Join(names("/api/v1/admin/users?q=_x&sort=pastes"), " "); got != "amy_x:3 ben_x:1 cal_x:0" {
		t.Errorf("by pastes: %s", got)
	}
	if got := names("/api/v1/admin/users?q=_x"); len(got) != 3 || got[0] != "cal_x:0" {
		t.Errorf("newest first: %v", got)
	}
	// Pages join up.
	var page struct {
		Items []struct {
			Username string `json:"username"`
		} `json:"items"`
		Next *string `json:"next_cursor"`
	}
	json.Unmarshal(e.mustAPI(root, "GET", "/api/v1/admin/users?q=_x&sort=pastes&limit=2", "", 200), &page)
	if len(page.Items) != 2 || page.Next == nil {
		t.Fatalf("first page: %+v", page)
	}
	if got := names("/api/v1/admin/users?q=_x&sort=pastes&limit=2&cursor=" + *page.Next); len(got) != 1 || got[0] != "cal_x:0" {
		t.Errorf("second page: %v", got)
	}
	// LIKE wildcards in q are taken literally.
	if got := names("/api/v1/admin/users?q=%25"); len(got) != 0 {
		t.Errorf("q=%%: %v", got)
	}
	_, b := e.userGet(root, "/admin?q=ben&sort=pastes")
	rows := parse(t, b).Find(`[data-testid="admin-user-row"]`)
	if rows.Length() != 1 || rows.AttrOr("data-username", "") != "ben_x" {
		t.Errorf("HTML search shows %d rows", rows.Length())
	}
}

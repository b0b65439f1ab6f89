package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
	"pastel/views"
)

// createAs makes a paste as u through the service.
func (e *env) createAs(u *user, in paste.CreateInput) paste.Paste {
	e.t.Helper()
	v := paste.Anonymous
	if u != nil {
		v = viewerOf(u)
	}
	c, err := e.svc.Create(context.Background(), v, in)
	if err != nil {
		e.t.Fatalf("create: %v", err)
	}
	return c.Paste
}

func attrs(sel *goquery.Selection, name string) []string {
	var out []string
	sel.Each(func(_ int, s *goquery.Selection) { v, _ := s.Attr(name); out = append(out, v) })
	return out
}

func cardIDs(doc *goquery.Document) []string {
	var out []string
	doc.Find(`[data-testid="paste-card-title"]`).Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		out = append(out, strings.TrimPrefix(href, "/"))
	})
	return out
}

// TestExploreByLanguage: the latest pastes' languages are offered, most
// used first; a language lists its public pastes only, newest first.
func TestExploreByLanguage(t *testing.T) {
	e := newEnv(t)
	ann := e.register("ann")
	goA := e.createAs(ann, paste.CreateInput{Content: []byte("package a\n"), Syntax: "go"})
	e.clock.Advance(time.Second)
	goB := e.createAs(nil, paste.CreateInput{Content: []byte("package b\n"), Syntax: "golang"})
	e.createAs(nil, paste.CreateInput{Content: []byte("print(1)\n"), Syntax: "python"})
	e.createAs(ann, paste.CreateInput{Content: []byte("package secret\n"), Syntax: "go", Visibility: paste.Private})
	e.createAs(nil, paste.CreateInput{Content: []byte("package hidden\n"), Syntax: "go", Visibility: paste.Unlisted})
	e.createAs(nil, paste.CreateInput{Content: []byte("package burn\n"), Syntax: "go", BurnAfterReading: true})

	resp, body := e.get("/explore")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /explore = %d", resp.StatusCode)
	}
	doc := parse(t, body)
	chips := doc.Find(`[data-testid="language-chip"]`)
	if got := attrs(chips, "data-language"); !cmp.Equal(got, []string{"go", "python"}) {
		t.Errorf("language chips %v, want [go python] (most used first, public only)", got)
	}
	if got := strings.Join(strings.Fields(chips.First().Text()), " "); got != "Go 2" {
		t.Errorf("first chip %q, want \"Go 2\"", got)
	}

	resp, body = e.get("/explore?language=golang")
	doc = parse(t, body)
	if resp.StatusCode != http.StatusOK || !cmp.Equal(cardIDs(doc), []string{string(goB.ID), string(goA.ID)}) {
		t.Fatalf("explore?language=golang = %d, cards %v; want [%s %s]", resp.StatusCode, cardIDs(doc), goB.ID, goA.ID)
	}
	if cur, _ := doc.Find(`[data-testid="language-chip"][aria-current="true"]`).Attr("data-language"); cur != "go" {
		t.Errorf("current language chip %q", cur)
	}
	if title := doc.Find("title").Text(); !strings.HasPrefix(title, "Go pastes") {
		t.Errorf("title %q", title)
	}
	resp, body = e.get("/explore?language=rust")
	if resp.StatusCode != http.StatusOK || parse(t, body).Find(`[data-testid="empty-list"]`).Length() != 1 {
		t.Errorf("a language without pastes = %d, want the empty list", resp.StatusCode)
	}
	if resp, _ := e.get("/explore?language=no-such-language"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown language = %d, want 422", resp.StatusCode)
	}
}

// TestExploreTrending: this week's stars and likes rank pastes; older
// activity does not count, nor do pastes others may not read.
func TestExploreTrending(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ann, bob, cat := e.register("ann"), e.register("bob"), e.register("cat")
	old := e.createAs(ann, paste.CreateInput{Content: []byte("old news"), Title: "old news"})
	quiet := e.createAs(ann, paste.CreateInput{Content: []byte("quiet")})
	liked := e.createAs(ann, paste.CreateInput{Content: []byte("liked")})
	starred := e.createAs(ann, paste.CreateInput{Content: []byte("starred")})
	private := e.createAs(ann, paste.CreateInput{Content: []byte("private"), Visibility: paste.Private})
	for _, u := range []*user{bob, cat} {
		if _, err := e.svc.Star(ctx, viewerOf(u), old.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Advance(8 * 24 * time.Hour) // old's stars are now last week's
	if _, err := e.svc.Star(ctx, viewerOf(bob), starred.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RatePaste(ctx, viewerOf(bob), liked.ID, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Star(ctx, viewerOf(ann), private.ID, true); err != nil {
		t.Fatal(err)
	}
	// Nothing is listed before the scheduled rebuild has run: the page
	// says so instead of computing the week per request.
	_, body := e.get("/explore?sort=trending")
	if doc := parse(t, body); cardIDs(doc) != nil || doc.Find(`[data-testid="empty-list"]`).Length() != 1 {
		t.Fatalf("trending before any rebuild: %v, want the empty state", cardIDs(doc))
	}
	if _, err := e.svc.RefreshTrending(ctx); err != nil {
		t.Fatal(err)
	}
	resp, body := e.get("/explore?sort=trending")
	doc := parse(t, body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("trending = %d", resp.StatusCode)
	}
	// starred: 3 (a star); liked: 2 (a like); old and quiet: nothing this week.
	if got, want := cardIDs(doc), []string{string(starred.ID), string(liked.ID)}; !cmp.Equal(got, want) {
		t.Errorf("trending %v, want %v (quiet %s, old %s)", got, want, quiet.ID, old.ID)
	}
	if doc.Find(`[data-testid="tab-trending"][aria-current="page"]`).Length() != 1 || doc.Find(`[data-testid="explore-languages"]`).Length() != 0 {
		t.Error("trending tab not current, or language chips shown on it")
	}
}

// TestUserPageLanguages: a user's page lists the languages of their
// public pastes with counts, and their stars received.
func TestUserPageLanguages(t *testing.T) {
	e := newEnv(t)
	ann, bob := e.register("ann"), e.register("bob")
	p := e.createAs(ann, paste.CreateInput{Content: []byte("print(1)"), Syntax: "python"})
	e.createAs(ann, paste.CreateInput{Content: []byte("print(2)"), Syntax: "python"})
	e.createAs(ann, paste.CreateInput{Content: []byte("SELECT 1"), Syntax: "sql"})
	e.createAs(ann, paste.CreateInput{Content: []byte("fn main() {}"), Syntax: "rust", Visibility: paste.Private})
	if _, err := e.svc.Star(context.Background(), viewerOf(bob), p.ID, true); err != nil {
		t.Fatal(err)
	}
	for _, viewer := range []*user{nil, ann} { // the owner sees the same public figures
		_, body := e.userGet(viewer, "/u/ann")
		doc := parse(t, body)
		langs := doc.Find(`[data-testid="user-language"]`)
		if got := attrs(langs, "data-language"); !cmp.Equal(got, []string{"python", "sql"}) {
			t.Errorf("languages %v, want [python sql]", got)
		}
		if href, _ := langs.First().Attr("href"); href != "/explore?language=python" {
			t.Errorf("language link %q", href)
		}
		if got := doc.Find(`[data-testid="stars-received"]`).Text(); got != "1 star received" {
			t.Errorf("stars received %q", got)
		}
	}
	if _, body := e.userGet(nil, "/u/bob"); parse(t, body).Find(`[data-testid="user-discovery"]`).Length() != 0 {
		t.Error("a user without public pastes shows a languages section")
	}
}

// TestAdminPastesPage: admins see every paste with filters and change a
// paste's visibility there (logged); others get 404.
func TestAdminPastesPage(t *testing.T) {
	e := newEnv(t)
	root, ann := e.register("rooty"), e.register("ann")
	e.makeAdmin(root)
	// A second apart: the list is newest first (ties would go by ID).
	pub := e.createAs(ann, paste.CreateInput{Content: []byte("hello"), Title: "public hello"})
	e.clock.Advance(time.Second)
	priv := e.createAs(ann, paste.CreateInput{Content: []byte("secret"), Title: "secret plans", Visibility: paste.Private})
	e.clock.Advance(time.Second)
	anon := e.createAs(nil, paste.CreateInput{Content: []byte("anon"), Title: "anonymous note"})

	rows := func(path string) []string {
		t.Helper()
		resp, body := e.userGet(root, path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, resp.StatusCode)
		}
		return attrs(parse(t, body).Find(`[data-testid="admin-paste-row"]`), "data-paste-id")
	}
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/admin/pastes", []string{string(anon.ID), string(priv.ID), string(pub.ID)}},
		{"/admin/pastes?visibility=private", []string{string(priv.ID)}},
		{"/admin/pastes?owner=ANN", []string{string(priv.ID), string(pub.ID)}},
		{"/admin/pastes?q=plans", []string{string(priv.ID)}},
		{"/admin/pastes?q=" + string(anon.ID), []string{string(anon.ID)}},
		{"/admin/pastes?q=100%25", nil},
	} {
		if got := rows(tc.path); !cmp.Equal(got, tc.want) {
			t.Errorf("%s: rows %v, want %v", tc.path, got, tc.want)
		}
	}
	if resp, _ := e.userGet(ann, "/admin/pastes"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("non-admin /admin/pastes = %d", resp.StatusCode)
	}
	if resp, _ := e.userForm(ann, "/admin/pastes/"+string(pub.ID)+"/visibility", map[string]string{"visibility": "private"}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("non-admin visibility change = %d", resp.StatusCode)
	}

	resp, _ := e.userForm(root, "/admin/pastes/"+string(pub.ID)+"/visibility", map[string]string{"visibility": "unlisted"})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("visibility change = %d", resp.StatusCode)
	}
	loc, _ := resp.Location()
	newID := loc.Query().Get("q")
	if newID == string(pub.ID) || len(newID) != paste.SecretIDLen {
		t.Fatalf("a public paste made unlisted keeps a guessable ID: %q", newID)
	}
	got, err := e.svc.Get(context.Background(), paste.Anonymous, paste.ID(newID))
	if err != nil || got.Visibility != paste.Unlisted {
		t.Fatalf("after the change: %+v %v", got, err)
	}
	_, body := e.userGet(root, loc.RequestURI())
	doc := parse(t, body)
	if doc.Find(`[data-testid="admin-notice"]`).Length() != 1 {
		t.Error("no notice after the change")
	}
	_, body = e.userGet(root, "/admin/log")
	if log := parse(t, body).Text(); !strings.Contains(log, "paste.visibility") || !strings.Contains(log, "public → unlisted") {
		t.Errorf("admin log does not show the change")
	}
	if resp, _ := e.userForm(root, "/admin/pastes/"+string(anon.ID)+"/visibility", map[string]string{"visibility": "private"}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("anonymous paste made private = %d, want 422", resp.StatusCode)
	}
}

// TestCommentOrderOnPage: the paste page orders threads by ?order=, keeps
// the order in its links, and shows deep replies flat at the third level
// saying whom they answer.
func TestCommentOrderOnPage(t *testing.T) {
	e := newEnv(t)
	ann, bob := e.register("ann"), e.register("bob")
	pid := e.apiPaste(ann, `{"content":"discuss","visibility":"public"}`)
	first := e.apiComment(bob, pid, "first", 0)
	parent := first
	for range 5 {
		parent = e.apiComment(ann, pid, "deeper", parent)
	}
	e.clock.Advance(time.Second)
	second := e.apiComment(bob, pid, "second", 0)

	threads := func(doc *goquery.Document) []string {
		return attrs(doc.Find(`[data-testid="thread"]`), "id")
	}
	_, body := e.get("/" + pid)
	doc := parse(t, body)
	if got := threads(doc); len(got) != 2 || got[0] != views.ThreadElemID(first) {
		t.Errorf("default order %v", got)
	}
	if got := attrs(doc.Find(`[data-testid="comment"]`), "data-depth"); !cmp.Equal(got, []string{"0", "1", "2", "3", "3", "3", "0"}) {
		t.Errorf("display depths %v", got)
	}
	if flat := doc.Find(`[data-testid="reply-to"]`); flat.Length() != 2 || strings.TrimSpace(flat.First().Text()) != "↪ ann" {
		t.Errorf("flattened replies name whom they answer: %d, %q", flat.Length(), flat.First().Text())
	}
	if doc.Find(`[data-testid="order-oldest"][aria-current="true"]`).Length() != 1 {
		t.Error("oldest-first not marked current by default")
	}
	_, body = e.get("/" + pid + "?order=newest")
	doc = parse(t, body)
	if got := threads(doc); len(got) != 2 || got[0] != views.ThreadElemID(second) {
		t.Errorf("newest first %v", got)
	}
	if doc.Find(`[data-testid="order-newest"][aria-current="true"]`).Length() != 1 {
		t.Error("newest-first not marked current")
	}
}

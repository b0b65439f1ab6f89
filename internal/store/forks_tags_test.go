package store_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
)

// tagged creates a paste with tags as owner, advancing the clock so the
// newest-first order is unambiguous.
func (e *communityEnv) tagged(owner paste.Viewer, vis paste.Visibility, title string, mod func(*paste.CreateInput), tags ...string) paste.Paste {
	e.t.Helper()
	e.Advance(time.Second)
	in := paste.CreateInput{Title: title, Content: []byte("body of " + title), Visibility: vis, Syntax: "text", Tags: tags}
	if mod != nil {
		mod(&in)
	}
	c, err := e.svc.Create(context.Background(), owner, in)
	if err != nil {
		e.t.Fatal(err)
	}
	return c.Paste
}

func fieldErr(t *testing.T, err error, field string) string {
	t.Helper()
	var verr *paste.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("want a validation error naming %s, got %v", field, err)
	}
	msg, ok := verr.Fields[field]
	if !ok {
		t.Fatalf("validation error names %v, want %s", verr.Fields, field)
	}
	return msg
}

// TestTagsValidation: tags are lower-cased, deduplicated and sorted; at
// most ten; each a slug; an edit replaces them and an empty list clears
// them.
func TestTagsValidation(t *testing.T) {
	e := newCommunity(t)
	ctx := context.Background()
	alice := e.user("alice")
	p := e.tagged(alice, paste.Public, "ok", nil, " Go", "HTTP", "go", "c++", "c#", "k8s.io", "a-b_c")
	if diff := cmp.Diff([]string{"a-b_c", "c#", "c++", "go", "http", "k8s.io"}, p.Tags); diff != "" {
		t.Errorf("tags as stored (-want +got):\n%s", diff)
	}
	got, err := e.svc.Get(ctx, alice, p.ID)
	if err != nil || !cmp.Equal(got.Tags, p.Tags) {
		t.Errorf("read back: %v %v", got.Tags, err)
	}
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = "t" + strconv.Itoa(i)
	}
	for name, tags := range map[string][]string{
		"eleven":      eleven,
		"space":       {"two words"},
		"punctuation": {"go!"},
		"leading dot": {".hidden"},
		"too long":    {"abcdefghijklmnopqrstuvwxyz0123456"},
		"non-ascii":   {"café"},
		"empty":       {""},
	} {
		_, err := e.svc.Create(ctx, alice, paste.CreateInput{Content: []byte("x"), Tags: tags})
		fieldErr(t, err, "tags")
		_ = name
	}
	ten := eleven[:10]
	if _, err := e.svc.Create(ctx, alice, paste.CreateInput{Content: []byte("x"), Tags: ten}); err != nil {
		t.Errorf("ten tags refused: %v", err)
	}
	newTags := []string{"Rust"}
	up, err := e.svc.Update(ctx, alice, p.ID, paste.UpdateInput{Tags: &newTags})
	if err != nil || !cmp.Equal(up.Tags, []string{"rust"}) {
		t.Fatalf("edit tags: %v %v", up.Tags, err)
	}
	_, err = e.svc.Update(ctx, alice, p.ID, paste.UpdateInput{Tags: &eleven})
	fieldErr(t, err, "tags")
	none := []string{}
	if up, err = e.svc.Update(ctx, alice, p.ID, paste.UpdateInput{Tags: &none}); err != nil || len(up.Tags) != 0 {
		t.Fatalf("clear tags: %v %v", up.Tags, err)
	}
	if n := e.count(`SELECT count(*) FROM paste_tags WHERE paste_id = $1`, string(p.ID)); n != 0 {
		t.Errorf("paste_tags rows left after clearing: %d", n)
	}
}

// TestListByTagNeverLeaks: a tag lists publicly readable pastes only,
// newest first over keyset pages, and a paste leaves the list at once when
// it turns unlisted (with its new ID), is deleted or loses the tag; the
// user page's counts see the same.
func TestListByTagNeverLeaks(t *testing.T) {
	e := newCommunity(t)
	ctx := context.Background()
	alice, bob := e.user("alice"), e.user("bob")
	var public []paste.Paste
	for i := range 5 {
		public = append(public, e.tagged(alice, paste.Public, "pub"+strconv.Itoa(i), nil, "go"))
	}
	e.tagged(alice, paste.Unlisted, "unlisted", nil, "go")
	e.tagged(alice, paste.Private, "private", nil, "go")
	e.tagged(alice, paste.Public, "burn", func(in *paste.CreateInput) { in.BurnAfterReading = true }, "go")
	e.tagged(alice, paste.Public, "expiring", func(in *paste.CreateInput) { in.ExpiresIn = "10m" }, "go")
	e.tagged(bob, paste.Public, "other tag", nil, "rust")
	e.Advance(11 * time.Minute) // the expiring paste has expired

	var seen []paste.ID
	cursor := ""
	for pages := 0; ; pages++ {
		page, err := e.svc.ListByTag(ctx, "Go", cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Items {
			seen = append(seen, p.ID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
		if pages > 5 {
			t.Fatal("pages do not end")
		}
	}
	want := []paste.ID{public[4].ID, public[3].ID, public[2].ID, public[1].ID, public[0].ID}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("tag go, newest first (-want +got):\n%s", diff)
	}
	counts, err := e.svc.UserTags(ctx, alice.UserID)
	if err != nil || !cmp.Equal(counts, []paste.TagCount{{Tag: "go", Pastes: 5}}) {
		t.Errorf("alice's tags: %v %v", counts, err)
	}

	unlisted := paste.Unlisted
	moved, err := e.svc.Update(ctx, alice, public[4].ID, paste.UpdateInput{Visibility: &unlisted})
	if err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM paste_tags WHERE paste_id = $1`, string(moved.ID)); n != 1 {
		t.Errorf("tags did not follow the new ID: %d rows", n)
	}
	if err := e.svc.Delete(ctx, alice, public[3].ID, ""); err != nil {
		t.Fatal(err)
	}
	other := []string{"python"}
	if _, err := e.svc.Update(ctx, alice, public[2].ID, paste.UpdateInput{Tags: &other}); err != nil {
		t.Fatal(err)
	}
	page, err := e.svc.ListByTag(ctx, "go", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []paste.ID
	for _, p := range page.Items {
		ids = append(ids, p.ID)
	}
	if diff := cmp.Diff([]paste.ID{public[1].ID, public[0].ID}, ids); diff != "" {
		t.Errorf("after unlisting, deleting and retagging (-want +got):\n%s", diff)
	}
	if _, err := e.svc.ListByTag(ctx, "no spaces", "", 10); err == nil {
		t.Error("a malformed tag was listed")
	} else {
		fieldErr(t, err, "tag")
	}
	if _, err := e.svc.ListByTag(ctx, "go", "garbage!", 10); err == nil {
		t.Error("a bad cursor was taken")
	} else {
		fieldErr(t, err, "cursor")
	}
}

// TestForks: a fork copies the body, title, syntax and tags into a new
// paste of the forker's, keeps the original's visibility (a private paste
// read through a share link forks into a private paste of the forker's,
// which anonymous visitors cannot keep), and the original counts the forks
// that exist. Pastes that reads consume are not found.
func TestForks(t *testing.T) {
	e := newCommunity(t)
	ctx := context.Background()
	alice, bob := e.user("alice"), e.user("bob")
	orig := e.tagged(alice, paste.Public, "main.go", func(in *paste.CreateInput) { in.Syntax = "go" }, "go")

	fork, err := e.svc.Fork(ctx, bob, orig.ID)
	if err != nil {
		t.Fatal(err)
	}
	f := fork.Paste
	if f.OwnerID != bob.UserID || f.ForkedFrom != orig.ID || f.Title != "main.go" || f.Syntax != "go" ||
		f.Visibility != paste.Public || !cmp.Equal(f.Tags, []string{"go"}) || f.ID == orig.ID {
		t.Errorf("fork: %+v", f)
	}
	_, body, err := e.svc.Open(ctx, bob, f.ID)
	if err != nil || string(body) != "body of main.go" {
		t.Errorf("fork body %q %v", body, err)
	}
	anon, err := e.svc.Fork(ctx, paste.Anonymous, orig.ID)
	if err != nil || anon.DeleteToken == "" || !anon.Paste.IsAnonymous() {
		t.Fatalf("anonymous fork: %+v %v", anon, err)
	}
	if got, _ := e.svc.Get(ctx, alice, orig.ID); got.Forks != 2 {
		t.Errorf("original counts %d forks, want 2", got.Forks)
	}
	if _, ok := e.svc.ForkOrigin(ctx, paste.Anonymous, f); !ok {
		t.Error("a public original is not named to everyone")
	}

	// Every file is copied, under the fork's own keys.
	multi, err := e.svc.Create(ctx, alice, paste.CreateInput{Title: "two files", Files: []paste.FileInput{
		{Name: "main.go", Content: []byte("package main\n")}, {Name: "README.md", Content: []byte("# hi\n")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	mf, err := e.svc.Fork(ctx, bob, multi.Paste.ID)
	if err != nil {
		t.Fatal(err)
	}
	mfRead, bodies, err := e.svc.OpenFiles(ctx, bob, mf.Paste.ID)
	if err != nil || len(mfRead.Files) != 2 || mfRead.Files[0].Name != "main.go" || mfRead.Files[1].Name != "README.md" ||
		string(bodies[0]) != "package main\n" || string(bodies[1]) != "# hi\n" || mfRead.Files[1].Syntax != "markdown" {
		t.Fatalf("fork of two files: %+v %q %v", mfRead.Files, bodies, err)
	}
	for i, f := range mfRead.Files {
		if f.BlobKey == multi.Paste.Files[i].BlobKey {
			t.Errorf("file %s shares its body key with the original", f.Name)
		}
	}

	// A fork of a fork counts on its own original only.
	if _, err := e.svc.Fork(ctx, alice, f.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.svc.Get(ctx, bob, f.ID); got.Forks != 1 {
		t.Errorf("fork counts %d forks, want 1", got.Forks)
	}
	if got, _ := e.svc.Get(ctx, alice, orig.ID); got.Forks != 2 {
		t.Errorf("original counts %d forks after a fork of a fork, want 2", got.Forks)
	}

	// Deleting a fork takes it off the count; deleting the original
	// leaves its forks, no longer naming it.
	if err := e.svc.Delete(ctx, paste.Anonymous, anon.Paste.ID, anon.DeleteToken); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.svc.Get(ctx, alice, orig.ID); got.Forks != 1 {
		t.Errorf("original counts %d forks after one was deleted, want 1", got.Forks)
	}
	// An original made unlisted (a new, secret ID) is named only to its
	// owner and the fork's owner.
	unlisted := paste.Unlisted
	moved, err := e.svc.Update(ctx, alice, orig.ID, paste.UpdateInput{Visibility: &unlisted})
	if err != nil {
		t.Fatal(err)
	}
	f, _ = e.svc.Get(ctx, bob, f.ID)
	if f.ForkedFrom != moved.ID {
		t.Errorf("forked_from %q did not follow the original to %q", f.ForkedFrom, moved.ID)
	}
	for _, c := range []struct {
		who  paste.Viewer
		want bool
	}{{paste.Anonymous, false}, {e.user("carol"), false}, {bob, true}, {alice, true}} {
		if _, ok := e.svc.ForkOrigin(ctx, c.who, f); ok != c.want {
			t.Errorf("unlisted original named to %q: %v, want %v", c.who.Username, ok, c.want)
		}
	}
	if err := e.svc.Delete(ctx, alice, moved.ID, ""); err != nil {
		t.Fatal(err)
	}
	f, _ = e.svc.Get(ctx, bob, f.ID)
	if f.ForkedFrom != "" {
		t.Errorf("fork still names the deleted original %q", f.ForkedFrom)
	}

	// Private through a share link: a private fork of the signed-in
	// forker's; anonymous visitors are told to sign in.
	secret := e.tagged(alice, paste.Private, "secret", nil)
	token, _, err := e.svc.CreateShareLink(ctx, alice, secret.ID, paste.ShareLinkInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Fork(ctx, bob, secret.ID); !errors.Is(err, paste.ErrNotFound) {
		t.Errorf("fork of a private paste without its link: %v", err)
	}
	viaLink, id, err := e.svc.Shared(ctx, bob, token, true)
	if err != nil {
		t.Fatal(err)
	}
	pf, err := e.svc.Fork(ctx, viaLink, id)
	if err != nil {
		t.Fatal(err)
	}
	if pf.Paste.Visibility != paste.Private || pf.Paste.OwnerID != bob.UserID {
		t.Errorf("share-link fork: %+v", pf.Paste)
	}
	if _, ok := e.svc.ForkOrigin(ctx, viaLink, pf.Paste); ok {
		t.Error("a private original is named to someone holding only its share link")
	}
	if _, ok := e.svc.ForkOrigin(ctx, bob, pf.Paste); ok {
		t.Error("a private original is named to the fork's owner")
	}
	anonLink, id, err := e.svc.Shared(ctx, paste.Anonymous, token, true)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Fork(ctx, anonLink, id)
	fieldErr(t, err, "visibility")

	// Burn after reading and a views cap: not found, and nothing consumed.
	burn := e.tagged(alice, paste.Public, "burn", func(in *paste.CreateInput) { in.BurnAfterReading = true })
	if _, err := e.svc.Fork(ctx, bob, burn.ID); !errors.Is(err, paste.ErrNotFound) {
		t.Errorf("fork of a burn paste: %v", err)
	}
	if _, body, err := e.svc.Open(ctx, alice, burn.ID); err != nil || string(body) != "body of burn" {
		t.Errorf("the burn paste was consumed by the refused fork: %q %v", body, err)
	}
	if e.svc.CanFork(bob, burn) {
		t.Error("CanFork offers a burn paste")
	}
}

package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"pastel/internal/account"
	"pastel/internal/blob"
	"pastel/internal/clock"
	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/render"
	"pastel/internal/runner"
	"pastel/internal/store"
)

// communityEnv is a paste service with the community repository over a
// fresh database, and a settable clock.
type communityEnv struct {
	t    *testing.T
	pool *pgxpool.Pool
	st   *store.Store
	com  *store.Community
	svc  *paste.Service
	*clock.Fake
}

func newCommunity(t *testing.T) *communityEnv {
	t.Helper()
	pool := pgtest.NewPool(t)
	st := store.New(pool)
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e := &communityEnv{t: t, pool: pool, st: st, Fake: clock.NewFake(t0)}
	e.com = store.NewCommunity(st, store.CommunityOptions{Now: e.Now})
	e.svc = paste.NewService(st.Pastes(), blobs, render.NewSyntaxes(), paste.Options{
		MaxBytes: 1 << 20, AllowAnonymous: true, Now: e.Now, Community: e.com,
	})
	return e
}

func (e *communityEnv) user(name string) paste.Viewer {
	e.t.Helper()
	u, err := e.st.Accounts().InsertUser(context.Background(), account.User{Username: name, PasswordHash: "x", CreatedAt: t0})
	if err != nil {
		e.t.Fatal(err)
	}
	return paste.Viewer{UserID: u.ID, Username: u.Username}
}

func (e *communityEnv) paste(owner paste.Viewer, vis paste.Visibility, title string) paste.Paste {
	e.t.Helper()
	c, err := e.svc.Create(context.Background(), owner, paste.CreateInput{Title: title, Content: []byte("body of " + title), Visibility: vis, Syntax: "text"})
	if err != nil {
		e.t.Fatal(err)
	}
	return c.Paste
}

func (e *communityEnv) count(sql string, args ...any) int64 {
	e.t.Helper()
	var n int64
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// shape is a comment reduced to what the thread order is about.
type shape struct {
	Body    string
	Depth   int
	Shown   int
	Deleted bool
}

func shapes(cs []paste.Comment) []shape {
	out := make([]shape, len(cs))
	for i, c := range cs {
		out[i] = shape{c.Body, c.Depth, c.DisplayDepth(), c.Deleted}
	}
	return out
}

func TestCommentThreadsAndPlaceholders(t *testing.T) {
	e := newCommunity(t)
	ctx := context.Background()
	ann, bob := e.user("ann"), e.user("bob")
	p := e.paste(ann, paste.Public, "threads")
	add := func(v paste.Viewer, body string, parent int64) paste.Comment {
		t.Helper()
		e.Advance(time.Second)
		c, err := e.svc.AddComment(ctx, v, p.ID, body, parent)
		if err != nil {
			t.Fatalf("add %q: %v", body, err)
		}
		return c
	}
	a := add(ann, "a", 0)
	b := add(bob, "b", 0)
	a1 := add(bob, "a1", a.ID)
	a11 := add(ann, "a11", a1.ID)
	a111 := add(bob, "a111", a11.ID)
	add(ann, "a1111", a111.ID) // depth 4: shown at 3
	add(ann, "a2", a.ID)
	add(ann, "b1", b.ID)
	if a111.RootID != a.ID || a111.Depth != 3 || a111.ParentID != a11.ID {
		t.Fatalf("reply bookkeeping: %+v", a111)
	}
	page, err := e.svc.Comments(ctx, paste.Anonymous, p.ID, paste.OldestFirst, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []shape{
		{"a", 0, 0, false}, {"a1", 1, 1, false}, {"a11", 2, 2, false}, {"a111", 3, 3, false},
		{"a1111", 4, 3, false}, {"a2", 1, 1, false}, {"b", 0, 0, false}, {"b1", 1, 1, false},
	}
	if diff := cmp.Diff(want, shapes(page.Items)); diff != "" {
		t.Fatalf("thread order (-want +got):\n%s", diff)
	}
	if page.Total != 8 || page.NextCursor != "" {
		t.Fatalf("total %d next %q", page.Total, page.NextCursor)
	}

	// A reply must belong to the same paste.
	other := e.paste(ann, paste.Public, "other")
	var verr *paste.ValidationError
	if _, err := e.svc.AddComment(ctx, bob, other.ID, "x", a.ID); !errors.As(err, &verr) || verr.Fields["parent_id"] == "" {
		t.Fatalf("reply across pastes: %v", err)
	}

	// Deleting a comment with replies leaves a placeholder; deleting its
	// last reply then removes the placeholder too.
	if _, err := e.svc.DeleteComment(ctx, e.user("cat"), b.ID); !errors.Is(err, paste.ErrForbidden) {
		t.Fatalf("a third user deletes bob's comment: %v, want ErrForbidden", err)
	}
	if _, err := e.svc.DeleteComment(ctx, ann, b.ID); err != nil { // ann owns the paste
		t.Fatalf("paste owner deletes a comment: %v", err)
	}
	page, _ = e.svc.Comments(ctx, paste.Anonymous, p.ID, paste.OldestFirst, "")
	var bShape shape
	for _, c := range page.Items {
		if c.ID == b.ID {
			bShape = shape{c.Body, c.Depth, c.DisplayDepth(), c.Deleted}
		}
	}
	if !bShape.Deleted || bShape.Body != "" {
		t.Fatalf("deleted comment with a reply: %+v, want a placeholder", bShape)
	}
	if _, err := e.svc.EditComment(ctx, bob, b.ID, "revived"); !errors.Is(err, paste.ErrNotFound) {
		t.Fatalf("editing a placeholder: %v", err)
	}
	b1 := page.Items[len(page.Items)-1]
	if _, err := e.svc.DeleteComment(ctx, ann, b1.ID); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM comments WHERE id = ANY($1)`, []int64{b.ID, b1.ID}); n != 0 {
		t.Fatalf("placeholder without replies left: %d rows", n)
	}
	// A comment without replies just goes.
	if _, err := e.svc.DeleteComment(ctx, ann, a.ID); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM comments WHERE id = $1 AND deleted_at IS NOT NULL`, a.ID); n != 1 {
		t.Fatal("a (with replies) should be a placeholder")
	}

	// Editing: author only, validated.
	if _, err := e.svc.EditComment(ctx, ann, a1.ID, "mine now"); !errors.Is(err, paste.ErrForbidden) {
		t.Fatalf("editing another's comment: %v", err)
	}
	if _, err := e.svc.EditComment(ctx, bob, a1.ID, "  "); !errors.As(err, &verr) || verr.Fields["body"] == "" {
		t.Fatalf("empty edit: %v", err)
	}
	e.Advance(time.Minute)
	ed, err := e.svc.EditComment(ctx, bob, a1.ID, "a1 edited")
	if err != nil || ed.Body != "a1 edited" || !ed.Edited() {
		t.Fatalf("edit: %+v %v", ed, err)
	}
	// Deleting the paste takes its comments along.
	if err := e.svc.Delete(ctx, ann, p.ID, ""); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM comments WHERE paste_id = $1`, string(p.ID)); n != 0 {
		t.Fatalf("%d comments outlived their paste", n)
	}
}

func TestCommentValidation(t *testing.T) {
	e := newCommunity(t)
	ctx := context.Background()
	ann := e.user("ann")
	p := e.paste(ann, paste.Public, "v")
	for _, body := range []string{"", "   \n ", strings.Repeat("x", paste.MaxCommentRunes+1), "nul\x00", "bidi \u202e"} {
		var verr *paste.ValidationError
		if _, err := e.svc.AddComment(ctx, ann, p.ID, body, 0); !errors.As(err, &verr) || verr.Fields["body"] == "" {
			t.Errorf("body %.20q: %v, want a validation error naming body", body, err)
		}
	}
	if _, err := e.svc.AddComment(ctx, ann, p.ID, strings.Repeat("é", paste.MaxCommentRunes), 0); err != nil {
		t.Errorf("10,000 characters: %v", err)
	}
	if _, err := e.svc.AddComment(ctx, paste.Anonymous, p.ID, "hi", 0); !errors.Is(err, paste.ErrUnauthorized) {
		t.Errorf("anonymous comment: %v", err)
	}
	var verr *paste.ValidationError
	if _, err := e.svc.RatePaste(ctx, ann, p.ID, 2); !errors.As(err, &verr) || verr.Fields["value"] == "" {
		t.Errorf("vote 2: %v", err)
	}
}

// TestCommunityFollowsVisibility: nothing reaches a paste the viewer may
// not see.
func TestCommunityFollowsVisibility(t *testing.T) {
	e := newCommunity(t)
	ctx := context.Background()
	ann, bob := e.user("ann"), e.user("bob")
	priv := e.paste(ann, paste.Private, "secret")
	checks := map[string]error{}
	_, checks["comment"] = e.svc.AddComment(ctx, bob, priv.ID, "hi", 0)
	_, checks["list"] = e.svc.Comments(ctx, bob, priv.ID, paste.OldestFirst, "")
	_, checks["rate"] = e.svc.RatePaste(ctx, bob, priv.ID, 1)
	_, checks["star"] = e.svc.Star(ctx, bob, priv.ID, true)
	for name, err := range checks {
		if !errors.Is(err, paste.ErrNotFound) {
			t.Errorf("%s on another's private paste: %v, want ErrNotFound", name, err)
		}
	}
	c, err := e.svc.AddComment(ctx, ann, priv.ID, "note to self", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RateComment(ctx, bob, c.ID, 1); !errors.Is(err, paste.ErrNotFound) {
		t.Errorf("rating a comment on a private paste: %v", err)
	}
	if _, err := e.svc.DeleteComment(ctx, paste.Viewer{UserID: bob.UserID, IsAdmin: true}, c.ID); !errors.Is(err, paste.ErrNotFound) {
		t.Errorf("admin deleting a comment on a paste they cannot see: %v", err)
	}
	// A starred paste that turns private leaves the stars of others.
	pub := e.paste(ann, paste.Public, "open")
	if _, err := e.svc.Star(ctx, bob, pub.ID, true); err != nil {
		t.Fatal(err)
	}
	priv2 := paste.Private
	if _, err := e.svc.Update(ctx, ann, pub.ID, paste.UpdateInput{Visibility: &priv2}); err != nil {
		t.Fatal(err)
	}
	page, err := e.svc.Stars(ctx, bob, "", 0)
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("bob's stars after the paste turned private: %v %v", page.Items, err)
	}
}

// TestConcurrentVotesAndStars: 20 concurrent votes or stars by one user
// leave one row, and counters equal a recount.
func TestConcurrentVotesAndStars(t *testing.T) {
	e := newCommunity(t)
	ctx := context.Background()
	ann, bob := e.user("ann"), e.user("bob")
	p := e.paste(ann, paste.Public, "hot")
	c, err := e.svc.AddComment(ctx, ann, p.ID, "comment", 0)
	if err != nil {
		t.Fatal(err)
	}
	run := func(n int, fn func(i int) error) {
		t.Helper()
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := fn(i); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	}
	recount := func() {
		t.Helper()
		var likes, dislikes, stars int64
		if err := e.pool.QueryRow(ctx, `SELECT likes, dislikes, stars FROM pastes WHERE id = $1`, string(p.ID)).Scan(&likes, &dislikes, &stars); err != nil {
			t.Fatal(err)
		}
		rl := e.count(`SELECT count(*) FROM paste_votes WHERE paste_id = $1 AND value = 1`, string(p.ID))
		rd := e.count(`SELECT count(*) FROM paste_votes WHERE paste_id = $1 AND value = -1`, string(p.ID))
		rs := e.count(`SELECT count(*) FROM stars WHERE paste_id = $1`, string(p.ID))
		if likes != rl || dislikes != rd || stars != rs {
			t.Fatalf("paste counters %d/%d/%d, recount %d/%d/%d", likes, dislikes, stars, rl, rd, rs)
		}
		if err := e.pool.QueryRow(ctx, `SELECT likes, dislikes FROM comments WHERE id = $1`, c.ID).Scan(&likes, &dislikes); err != nil {
			t.Fatal(err)
		}
		rl = e.count(`SELECT count(*) FROM comment_votes WHERE comment_id = $1 AND value = 1`, c.ID)
		rd = e.count(`SELECT count(*) FROM comment_votes WHERE comment_id = $1 AND value = -1`, c.ID)
		if likes != rl || dislikes != rd {
			t.Fatalf("comment counters %d/%d, recount %d/%d", likes, dislikes, rl, rd)
		}
	}

	// The same vote 20 times at once.
	run(20, func(int) error { _, err := e.svc.RatePaste(ctx, bob, p.ID, 1); return err })
	if n := e.count(`SELECT count(*) FROM paste_votes WHERE user_id = $1`, bob.UserID); n != 1 {
		t.Fatalf("%d vote rows for one user", n)
	}
	recount()
	// Mixed values at once: whatever wins, the counters agree.
	run(20, func(i int) error { _, err := e.svc.RatePaste(ctx, bob, p.ID, []int{1, -1, 0}[i%3]); return err })
	recount()
	run(20, func(i int) error { _, err := e.svc.RateComment(ctx, bob, c.ID, []int{1, -1, 0, 1}[i%4]); return err })
	recount()
	run(20, func(int) error { _, err := e.svc.Star(ctx, bob, p.ID, true); return err })
	if n := e.count(`SELECT count(*) FROM stars WHERE user_id = $1`, bob.UserID); n != 1 {
		t.Fatalf("%d star rows for one user", n)
	}
	recount()
	run(20, func(i int) error { _, err := e.svc.Star(ctx, bob, p.ID, i%2 == 0); return err })
	recount()
	// Several users at once.
	var users []paste.Viewer
	for i := 0; i < 10; i++ {
		users = append(users, e.user(fmt.Sprintf("u%02d", i)))
	}
	run(40, func(i int) error {
		u := users[i%len(users)]
		if i%2 == 0 {
			_, err := e.svc.Star(ctx, u, p.ID, true)
			return err
		}
		_, err := e.svc.RatePaste(ctx, u, p.ID, []int{1, -1}[i%4/2])
		return err
	})
	recount()
}

func TestSwitchingVotes(t *testing.T) {
	e := newCommunity(t)
	ctx := context.Background()
	ann, bob, cid := e.user("ann"), e.user("bob"), e.user("cid")
	p := e.paste(ann, paste.Public, "switch")
	steps := []struct {
		who   paste.Viewer
		value int
		want  paste.Rating
	}{
		{bob, 1, paste.Rating{Likes: 1, Dislikes: 0, Mine: 1}},
		{bob, 1, paste.Rating{Likes: 1, Dislikes: 0, Mine: 1}},
		{bob, -1, paste.Rating{Likes: 0, Dislikes: 1, Mine: -1}},
		{cid, -1, paste.Rating{Likes: 0, Dislikes: 2, Mine: -1}},
		{bob, 0, paste.Rating{Likes: 0, Dislikes: 1, Mine: 0}},
		{bob, 0, paste.Rating{Likes: 0, Dislikes: 1, Mine: 0}},
		{cid, 1, paste.Rating{Likes: 1, Dislikes: 0, Mine: 1}},
	}
	// Owners do not vote on their own pastes (ann); two others switch.
	if _, err := e.svc.RatePaste(ctx, ann, p.ID, 1); err == nil {
		t.Fatal("the owner voted on their own paste")
	}
	for i, s := range steps {
		got, err := e.svc.RatePaste(ctx, s.who, p.ID, s.value)
		if err != nil {
			t.Fatal(err)
		}
		if got != s.want {
			t.Fatalf("step %d: %+v, want %+v", i, got, s.want)
		}
	}
	soc, err := e.svc.Social(ctx, cid, p)
	if err != nil || soc.Rating != (paste.Rating{Likes: 1, Mine: 1}) {
		t.Fatalf("social: %+v %v", soc, err)
	}
}

func TestViewsDedupAndBatchFlush(t *testing.T) {
	e := newCommunity(t)
	ctx := context.Background()
	ann, bob := e.user("ann"), e.user("bob")
	p := e.paste(ann, paste.Public, "viewed")
	q := e.paste(ann, paste.Public, "also viewed")
	for i := 0; i < 50; i++ { // reloads
		e.svc.RecordView(bob, p, "")
		e.svc.RecordView(paste.Anonymous, p, "1.2.3.4\x00curl")
	}
	e.svc.RecordView(paste.Anonymous, p, "5.6.7.8\x00curl")
	e.svc.RecordView(bob, q, "")
	if n := e.com.Pending(); n != 4 {
		t.Fatalf("%d distinct views queued, want 4", n)
	}
	views := func(id paste.ID) int64 { return e.count(`SELECT views FROM pastes WHERE id = $1`, string(id)) }
	if views(p.ID) != 0 {
		t.Fatal("views written before the flush")
	}
	if err := e.svc.FlushViews(ctx); err != nil {
		t.Fatal(err)
	}
	if views(p.ID) != 3 || views(q.ID) != 1 {
		t.Fatalf("views %d/%d, want 3/1", views(p.ID), views(q.ID))
	}
	// Same visitors later the same day: not counted again, even though the
	// memory queue was emptied by the flush.
	e.Advance(time.Hour)
	e.svc.RecordView(bob, p, "")
	e.svc.RecordView(paste.Anonymous, p, "1.2.3.4\x00curl")
	if err := e.svc.FlushViews(ctx); err != nil {
		t.Fatal(err)
	}
	if views(p.ID) != 3 {
		t.Fatalf("views %d after same-day reloads, want 3", views(p.ID))
	}
	// The next day they count again.
	e.Advance(24 * time.Hour)
	e.svc.RecordView(bob, p, "")
	if err := e.svc.FlushViews(ctx); err != nil {
		t.Fatal(err)
	}
	if views(p.ID) != 4 {
		t.Fatalf("views %d the next day, want 4", views(p.ID))
	}
	// A paste deleted before the flush does not break the batch.
	gone := e.paste(ann, paste.Public, "gone")
	e.svc.RecordView(bob, gone, "")
	e.svc.RecordView(bob, q, "x")
	e.Advance(24 * time.Hour)
	e.svc.RecordView(bob, q, "")
	if err := e.svc.Delete(ctx, ann, gone.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.FlushViews(ctx); err != nil {
		t.Fatal(err)
	}
	if views(q.ID) != 3 { // day 0, day 1 and day 2
		t.Fatalf("views %d, want 3", views(q.ID))
	}
}

// TestViewFlusherDrainsOnStop: the flush task, as cmd/web runs it, writes
// what is queued when its context ends.
func TestViewFlusherDrainsOnStop(t *testing.T) {
	e := newCommunity(t)
	ann := e.user("ann")
	p := e.paste(ann, paste.Public, "drain")
	com := store.NewCommunity(e.st, store.CommunityOptions{Now: e.Now})
	flush := func(ctx context.Context) (int, error) { return 0, com.FlushViews(ctx) }
	jobs := runner.New(runner.Options{})
	jobs.Add(runner.Task{Name: "view_flush", Every: time.Hour, Wake: com.Kicks(), Round: flush, Drain: com.FlushViews})
	ctx, cancel := context.WithCancel(context.Background())
	jobs.Start(ctx)
	com.RecordView(paste.View{PasteID: p.ID, Visitor: [32]byte{1}, Window: t0.Truncate(24 * time.Hour)})
	com.RecordView(paste.View{PasteID: p.ID, Visitor: [32]byte{2}, Window: t0.Truncate(24 * time.Hour)})
	cancel()
	done := make(chan struct{})
	go func() { jobs.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("the flush task did not stop")
	}
	if n := e.count(`SELECT views FROM pastes WHERE id = $1`, string(p.ID)); n != 2 {
		t.Fatalf("views after drain %d, want 2", n)
	}
}

func TestPopularOrderingAndImmediateRemoval(t *testing.T) {
	e := newCommunity(t)
	ctx := context.Background()
	ann := e.user("ann")
	var voters []paste.Viewer
	for i := 0; i < 6; i++ {
		voters = append(voters, e.user(fmt.Sprintf("v%d", i)))
	}
	old := e.paste(ann, paste.Public, "old but loved")
	e.Advance(48 * time.Hour)
	fresh := e.paste(ann, paste.Public, "fresh")
	mid := e.paste(ann, paste.Public, "mid")
	quiet := e.paste(ann, paste.Public, "quiet") // no activity: not listed
	hated := e.paste(ann, paste.Public, "hated")
	unlisted := e.paste(ann, paste.Unlisted, "unlisted")
	for _, v := range voters {
		for _, id := range []paste.ID{old.ID, unlisted.ID} {
			if _, err := e.svc.RatePaste(ctx, v, id, 1); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.svc.RatePaste(ctx, v, hated.ID, -1); err != nil {
			t.Fatal(err)
		}
	}
	// fresh: 2 likes + 1 star (= 4); mid: 1 comment + 1 like (= 2).
	for _, v := range voters[:2] {
		e.svc.RatePaste(ctx, v, fresh.ID, 1) //nolint:errcheck // checked by the order below
	}
	e.svc.Star(ctx, voters[2], fresh.ID, true)          //nolint:errcheck
	e.svc.AddComment(ctx, voters[0], mid.ID, "nice", 0) //nolint:errcheck
	e.svc.RatePaste(ctx, voters[1], mid.ID, 1)          //nolint:errcheck
	e.Advance(time.Hour)
	n, err := e.svc.RefreshPopular(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := func() []paste.ID {
		t.Helper()
		page, err := e.svc.ListPopular(ctx, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []paste.ID
		for _, p := range page.Items {
			out = append(out, p.ID)
		}
		return out
	}
	// old: 6 / (49+2)^1.5 ≈ 0.016; fresh: 4 / 3^1.5 ≈ 0.77; mid: 2 / 3^1.5 ≈ 0.38.
	want := []paste.ID{fresh.ID, mid.ID, old.ID}
	if diff := cmp.Diff(want, ids()); diff != "" || n != 3 {
		t.Fatalf("popular (%d rows; -want +got):\n%s", n, diff)
	}
	_ = quiet
	// Turning private, expiring and deleting take effect before the next
	// refresh.
	priv := paste.Private
	updated, err := e.svc.Update(ctx, ann, mid.ID, paste.UpdateInput{Visibility: &priv})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]paste.ID{fresh.ID, old.ID}, ids()); diff != "" {
		t.Fatalf("after mid turned private (now %s) (-want +got):\n%s", updated.ID, diff)
	}
	tenMin := "10m"
	if _, err := e.svc.Update(ctx, ann, old.ID, paste.UpdateInput{ExpiresIn: &tenMin}); err != nil {
		t.Fatal(err)
	}
	e.Advance(11 * time.Minute)
	if diff := cmp.Diff([]paste.ID{fresh.ID}, ids()); diff != "" {
		t.Fatalf("after old expired (-want +got):\n%s", diff)
	}
	if err := e.svc.Delete(ctx, ann, fresh.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got := ids(); len(got) != 0 {
		t.Fatalf("after fresh was deleted: %v", got)
	}
}

func TestPopularAndStarsCursorPagination(t *testing.T) {
	e := newCommunity(t)
	ctx := context.Background()
	ann, bob := e.user("ann"), e.user("bob")
	var made []paste.ID
	for i := 0; i < 45; i++ {
		p := e.paste(ann, paste.Public, fmt.Sprintf("p%02d", i))
		made = append(made, p.ID)
		e.Advance(time.Second)
		if _, err := e.svc.Star(ctx, bob, p.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.RefreshPopular(ctx); err != nil {
		t.Fatal(err)
	}
	collect := func(list func(cursor string) (paste.Page, error)) []paste.ID {
		t.Helper()
		var out []paste.ID
		cursor := ""
		for pages := 0; ; pages++ {
			page, err := list(cursor)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Items {
				out = append(out, p.ID)
			}
			if page.NextCursor == "" {
				if pages != 2 {
					t.Fatalf("%d pages, want 3 of 20, 20, 5", pages+1)
				}
				return out
			}
			cursor = page.NextCursor
		}
	}
	stars := collect(func(c string) (paste.Page, error) { return e.svc.Stars(ctx, bob, c, 20) })
	for i, id := range stars { // newest star first
		if id != made[len(made)-1-i] {
			t.Fatalf("stars[%d] = %s, want %s", i, id, made[len(made)-1-i])
		}
	}
	popular := collect(func(c string) (paste.Page, error) { return e.svc.ListPopular(ctx, c, 20) })
	seen := map[paste.ID]bool{}
	for _, id := range popular {
		seen[id] = true
	}
	// Each has one star; the newer the better.
	if len(seen) != 45 || popular[0] != made[44] || popular[44] != made[0] {
		t.Fatalf("popular pages: %d distinct, first %s last %s", len(seen), popular[0], popular[44])
	}
	if _, err := e.svc.ListPopular(ctx, "bogus!", 20); err == nil {
		t.Fatal("a malformed cursor was accepted")
	}

	// Comments paginate past 50 threads.
	p := e.paste(ann, paste.Public, "busy")
	for i := 0; i < 53; i++ {
		e.Advance(time.Millisecond)
		if _, err := e.svc.AddComment(ctx, bob, p.ID, fmt.Sprintf("c%02d", i), 0); err != nil {
			t.Fatal(err)
		}
	}
	page, err := e.svc.Comments(ctx, ann, p.ID, paste.OldestFirst, "")
	if err != nil || len(page.Items) != 50 || page.NextCursor == "" || page.Total != 53 {
		t.Fatalf("first comment page: %d items, next %q, total %d, %v", len(page.Items), page.NextCursor, page.Total, err)
	}
	page2, err := e.svc.Comments(ctx, ann, p.ID, paste.OldestFirst, page.NextCursor)
	if err != nil || len(page2.Items) != 3 || page2.Items[0].Body != "c50" || page2.NextCursor != "" {
		t.Fatalf("second comment page: %+v %v", page2, err)
	}
	stats, err := e.svc.UserStats(ctx, ann.UserID)
	if err != nil || stats.StarsReceived != 45 {
		t.Fatalf("ann's stats %+v %v", stats, err)
	}
}

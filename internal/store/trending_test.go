package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
)

// TestTrendingRebuildRanksByFormula: the rebuild scores the week's
// activity as views + 3·stars + 2·(likes − dislikes), newer first on a
// tie, leaves out last week's activity, pastes scoring nothing and pastes
// others may not read; a listed paste made private, expired or deleted
// leaves the page at once, before the next rebuild.
func TestTrendingRebuildRanksByFormula(t *testing.T) {
	e := newCommunity(t)
	ctx := context.Background()
	ann := e.user("ann")
	var vs []paste.Viewer
	for i := 0; i < 4; i++ {
		vs = append(vs, e.user(fmt.Sprintf("v%d", i)))
	}
	old := e.paste(ann, paste.Public, "last week's")
	for _, v := range vs {
		if _, err := e.svc.Star(ctx, v, old.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	e.Advance(8 * 24 * time.Hour) // old's 4 stars are last week's
	viewed := e.paste(ann, paste.Public, "viewed")
	starred := e.paste(ann, paste.Public, "starred")
	liked := e.paste(ann, paste.Public, "liked and viewed")
	e.Advance(time.Second)
	tied := e.paste(ann, paste.Public, "tied with starred, newer")
	hated := e.paste(ann, paste.Public, "hated")
	_ = e.paste(ann, paste.Public, "quiet")
	unlisted := e.paste(ann, paste.Unlisted, "unlisted")
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// viewed: 3 views − 2 (a dislike) = 1.
	for i := 0; i < 3; i++ {
		e.svc.RecordView(paste.Anonymous, viewed, fmt.Sprintf("10.0.0.%d\x00curl", i))
	}
	must(e.svc.RatePaste(ctx, vs[0], viewed.ID, -1))
	// starred: 3 (a star).
	must(e.svc.Star(ctx, vs[0], starred.ID, true))
	// liked: 2 likes + 1 view = 5.
	must(e.svc.RatePaste(ctx, vs[0], liked.ID, 1))
	must(e.svc.RatePaste(ctx, vs[1], liked.ID, 1))
	e.svc.RecordView(vs[2], liked, "")
	// tied: a like + a view = 3, as starred, and newer.
	must(e.svc.RatePaste(ctx, vs[1], tied.ID, 1))
	e.svc.RecordView(vs[3], tied, "")
	// hated: −4; unlisted: 6 but not public.
	must(e.svc.RatePaste(ctx, vs[0], hated.ID, -1))
	must(e.svc.RatePaste(ctx, vs[1], hated.ID, -1))
	must(e.svc.Star(ctx, vs[0], unlisted.ID, true))
	must(e.svc.Star(ctx, vs[1], unlisted.ID, true))
	if err := e.svc.FlushViews(ctx); err != nil {
		t.Fatal(err)
	}
	e.Advance(time.Minute)

	ids := func() []paste.ID {
		t.Helper()
		page, err := e.svc.ListTrending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []paste.ID
		for _, p := range page.Items {
			out = append(out, p.ID)
		}
		return out
	}
	if got := ids(); len(got) != 0 {
		t.Fatalf("trending before the first rebuild: %v, want empty", got)
	}
	n, err := e.svc.RefreshTrending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []paste.ID{liked.ID, tied.ID, starred.ID, viewed.ID}
	if diff := cmp.Diff(want, ids()); diff != "" || n != len(want) {
		t.Fatalf("trending (%d rows; -want +got):\n%s", n, diff)
	}
	rows, err := e.pool.Query(ctx, `SELECT paste_id, score FROM trending_pastes ORDER BY rank`)
	if err != nil {
		t.Fatal(err)
	}
	scores := map[paste.ID]float64{}
	for rows.Next() {
		var id string
		var score float64
		if err := rows.Scan(&id, &score); err != nil {
			t.Fatal(err)
		}
		scores[paste.ID(id)] = score
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	wantScores := map[paste.ID]float64{liked.ID: 5, tied.ID: 3, starred.ID: 3, viewed.ID: 1}
	if diff := cmp.Diff(wantScores, scores); diff != "" {
		t.Errorf("scores (-want +got):\n%s", diff)
	}

	// Made private: gone from the page at once, with the list not rebuilt.
	priv := paste.Private
	must(e.svc.Update(ctx, ann, tied.ID, paste.UpdateInput{Visibility: &priv}))
	if diff := cmp.Diff([]paste.ID{liked.ID, starred.ID, viewed.ID}, ids()); diff != "" {
		t.Fatalf("after tied turned private (-want +got):\n%s", diff)
	}
	tenMin := "10m"
	must(e.svc.Update(ctx, ann, liked.ID, paste.UpdateInput{ExpiresIn: &tenMin}))
	e.Advance(11 * time.Minute)
	if err := e.svc.Delete(ctx, ann, starred.ID, ""); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]paste.ID{viewed.ID}, ids()); diff != "" {
		t.Fatalf("after liked expired and starred was deleted (-want +got):\n%s", diff)
	}
	// The next rebuild keeps only what may be read.
	if n, err := e.svc.RefreshTrending(ctx); err != nil || n != 1 {
		t.Fatalf("rebuild after the changes: %d rows, %v; want 1", n, err)
	}
}

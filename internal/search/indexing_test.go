package search_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"pastel/internal/blob"
	"pastel/internal/clock"
	"pastel/internal/paste"
	"pastel/internal/render"
	"pastel/internal/search"
	"pastel/internal/search/searchtest"
)

// logSink counts log records by message.
type logSink struct {
	mu   sync.Mutex
	msgs []string
}

func (l *logSink) Enabled(context.Context, slog.Level) bool { return true }
func (l *logSink) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.msgs = append(l.msgs, r.Message)
	return nil
}
func (l *logSink) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logSink) WithGroup(string) slog.Handler      { return l }
func (l *logSink) count(prefix string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, m := range l.msgs {
		if strings.HasPrefix(m, prefix) {
			n++
		}
	}
	return n
}

// TestIndexingSurvivesTypesenseOutage: while Typesense is down, pastes are
// still created, the queue keeps every job, searches fall back to
// PostgreSQL (logged once), and after recovery the index converges:
// visibility changes and deletes remove hits, nothing deleted comes back.
func TestIndexingSurvivesTypesenseOutage(t *testing.T) {
	ctx := context.Background()
	w := newPGWorld(t)
	double := searchtest.NewTypesense(t, "k")
	ts := search.NewTypesense(search.TypesenseOptions{URL: double.URL, APIKey: "k"})
	if err := ts.EnsureCollection(ctx); err != nil {
		t.Fatal(err)
	}
	logs := &logSink{}
	log := slog.New(logs)
	clk := clock.NewFake(time.Now().UTC().Add(time.Minute)) // jobs are due
	worker := search.NewWorker(w.st, ts, search.WorkerOptions{Now: clk.Now})
	fallback := &search.Fallback{Primary: ts, Secondary: w.st.Search(0), Logger: log, RetryEvery: time.Nanosecond}
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := paste.NewService(w.st.Pastes(), blobs, render.NewSyntaxes(), paste.Options{MaxBytes: 1 << 20, AllowAnonymous: true, Search: fallback})
	aliceID := w.addUser(t, "alice")
	alice := paste.Viewer{UserID: aliceID, Username: "alice"}

	double.SetDown(true)
	var created []paste.ID
	for _, body := range []string{"outage alpha", "outage beta", "outage gamma"} {
		c, err := svc.Create(ctx, alice, paste.CreateInput{Title: "t", Content: []byte(body), Syntax: "text"})
		if err != nil {
			t.Fatalf("create while Typesense is down: %v", err)
		}
		created = append(created, c.Paste.ID)
	}
	for i := 0; i < 3; i++ {
		if _, err := worker.RunOnce(ctx); err == nil {
			t.Fatal("delivery to a down Typesense succeeded")
		}
		clk.Advance(time.Hour) // past any backoff
	}
	if n, _ := w.st.CountSearchJobs(ctx); n < 3 {
		t.Fatalf("queue holds %d jobs, want at least 3", n)
	}
	for i := 0; i < 3; i++ {
		page, err := svc.Search(ctx, paste.Anonymous, paste.SearchInput{Q: "outage"})
		if err != nil || len(page.Items) != 3 {
			t.Fatalf("fallback search: %d items, %v", len(page.Items), err)
		}
	}
	if n := logs.count("search engine down"); n != 1 {
		t.Errorf("down logged %d times, want once", n)
	}

	double.SetDown(false)
	if err := worker.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := w.st.CountSearchJobs(ctx); n != 0 {
		t.Fatalf("%d jobs left after recovery", n)
	}
	if got := double.DocIDs("pastes"); len(got) != 3 {
		t.Fatalf("index holds %v after recovery", got)
	}
	page, err := svc.Search(ctx, paste.Anonymous, paste.SearchInput{Q: "outage"})
	if err != nil || len(page.Items) != 3 || fallback.Down() {
		t.Fatalf("after recovery: %d items, %v, down %v", len(page.Items), err, fallback.Down())
	}
	// (The indexer's own failures are logged by cmd/web's runner, once per
	// run of failures: internal/runner's tests.)
	if logs.count("search engine back") != 1 {
		t.Errorf("recovery not logged once: %v", logs.msgs)
	}

	// A visibility change: the public paste becomes private (and gets a new
	// ID); strangers stop finding it, its owner still does.
	priv := paste.Private
	updated, err := svc.Update(ctx, alice, created[0], paste.UpdateInput{Visibility: &priv})
	if err != nil {
		t.Fatal(err)
	}
	// A delete.
	if err := svc.Delete(ctx, alice, created[1], ""); err != nil {
		t.Fatal(err)
	}
	if err := worker.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	req := paste.SearchRequest{Query: paste.ParseQuery("outage"), Now: time.Now(), Limit: 10}
	res, err := ts.Search(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	hits := res.Hits
	if len(hits) != 1 || hits[0].ID != created[2] {
		t.Fatalf("anonymous Typesense hits %v, want only %s", hits, created[2])
	}
	req.ViewerID = aliceID
	res, _ = ts.Search(ctx, req)
	hits = res.Hits
	got := map[paste.ID]bool{}
	for _, h := range hits {
		got[h.ID] = true
	}
	if !got[updated.ID] || got[created[0]] || got[created[1]] {
		t.Fatalf("alice's Typesense hits %v", got)
	}
	// Re-delivering everything again is harmless and brings nothing back.
	if _, err := w.pool.Exec(ctx, `INSERT INTO search_queue (paste_id, op) VALUES ($1, 'upsert'), ($2, 'upsert')`, created[1], created[0]); err != nil {
		t.Fatal(err)
	}
	if err := worker.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range double.DocIDs("pastes") {
		if id == string(created[1]) || id == string(created[0]) {
			t.Fatalf("deleted or renamed paste %s came back", id)
		}
	}
}

// TestReindexRebuildsFromPostgres: a wiped index is rebuilt from
// paste_search, without burn-after-reading pastes.
func TestReindexRebuildsFromPostgres(t *testing.T) {
	ctx := context.Background()
	w := newPGWorld(t)
	double := searchtest.NewTypesense(t, "k")
	ts := search.NewTypesense(search.TypesenseOptions{URL: double.URL, APIKey: "k"})
	now := time.Now().UTC().Truncate(time.Microsecond)
	for i, burn := range []bool{false, false, true} {
		p := paste.Paste{ID: paste.NewID(paste.Public), Title: "r", Syntax: "text", Visibility: paste.Public, Size: 3,
			CreatedAt: now.Add(time.Duration(i) * time.Second), UpdatedAt: now, BurnAfterReading: burn, Revision: 1,
			BlobKey: "k/" + string(rune('a'+i))}
		if err := w.st.Pastes().InsertPaste(ctx, p, "reindexword"); err != nil {
			t.Fatal(err)
		}
	}
	n, err := search.Reindex(ctx, w.st, ts, time.Now)
	if err != nil || n != 2 {
		t.Fatalf("reindexed %d, %v; want 2", n, err)
	}
	if got := double.DocIDs("pastes"); len(got) != 2 {
		t.Fatalf("index holds %v", got)
	}
}

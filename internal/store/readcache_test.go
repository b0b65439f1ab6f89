package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/store"
)

// replica is one app process's view of the database: its own pool, Store
// and read cache, listening.
type replica struct {
	st    *store.Store
	cache *store.ReadCache
	pool  *pgxpool.Pool
}

func newReplica(t *testing.T, url string) replica {
	t.Helper()
	pool, err := store.Open(context.Background(), store.Options{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	st := store.New(pool)
	rc := store.NewReadCache(store.ReadCacheOptions{MaxPastes: 100, MaxSnapshotBytes: 1 << 20})
	st.UseCache(rc)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); rc.Listen(ctx, url) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "listener connected", rc.Live)
	return replica{st: st, cache: rc, pool: pool}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestReadCacheFollowsOtherReplicas: a paste one replica keeps in memory is
// forgotten when another replica (or anybody, with plain SQL) changes or
// deletes it, through PostgreSQL's notifications.
func TestReadCacheFollowsOtherReplicas(t *testing.T) {
	url := pgtest.NewURL(t)
	a, b := newReplica(t, url), newReplica(t, url)
	ctx := context.Background()
	p := mkPaste("Cache001", paste.Public, t0)
	if err := a.st.Pastes().InsertPaste(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	read := func() (paste.Paste, error) { return a.st.Pastes().PasteByID(ctx, p.ID) }
	if _, err := read(); err != nil {
		t.Fatal(err)
	}
	before := a.cache.Stats().Hits
	if _, err := read(); err != nil {
		t.Fatal(err)
	}
	if a.cache.Stats().Hits != before+1 {
		t.Fatalf("second read was not served from memory: %+v", a.cache.Stats())
	}

	// A change by plain SQL, which no Store saw.
	if _, err := b.pool.Exec(ctx, `UPDATE pastes SET title = 'renamed' WHERE id = $1`, p.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the rename to reach replica a", func() bool {
		got, err := read()
		return err == nil && got.Title == "renamed"
	})

	// A vote through replica b changes the tally replica a shows.
	uid := insertUser(t, b.pool, "voter")
	com := store.NewCommunity(b.st, store.CommunityOptions{})
	if _, err := com.RatePaste(ctx, p.ID, uid, 1, t0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the vote to reach replica a", func() bool {
		got, err := read()
		return err == nil && got.Likes == 1
	})

	// Deleted on b: gone on a.
	if _, err := b.st.Pastes().DeletePaste(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the delete to reach replica a", func() bool {
		_, err := read()
		return errors.Is(err, paste.ErrNotFound)
	})

	// A disabled owner hides their pastes everywhere at once.
	q := mkPaste("Cache002", paste.Public, t0)
	q.OwnerID = uid
	if err := a.st.Pastes().InsertPaste(ctx, q, ""); err != nil {
		t.Fatal(err)
	}
	if got, err := a.st.Pastes().PasteByID(ctx, q.ID); err != nil || got.OwnerDisabled {
		t.Fatalf("owner's paste before: %+v %v", got, err)
	}
	if _, err := b.pool.Exec(ctx, `UPDATE users SET disabled_at = now() WHERE id = $1`, uid); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the disabled owner to reach replica a", func() bool {
		got, err := a.st.Pastes().PasteByID(ctx, q.ID)
		return err == nil && got.OwnerDisabled
	})
}

// TestReadCacheOwnChangesAreImmediate: what this process changes is never
// read back stale, not even before the notification arrives.
func TestReadCacheOwnChangesAreImmediate(t *testing.T) {
	a := newReplica(t, pgtest.NewURL(t))
	ctx := context.Background()
	com := store.NewCommunity(a.st, store.CommunityOptions{})
	uid := insertUser(t, a.pool, "author")
	for i := range 50 {
		p := mkPaste(fmt.Sprintf("Own%05d", i), paste.Public, t0)
		if err := a.st.Pastes().InsertPaste(ctx, p, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := a.st.Pastes().PasteByID(ctx, p.ID); err != nil { // now in memory
			t.Fatal(err)
		}
		if n, err := com.CountComments(ctx, p.ID); err != nil || n != 0 {
			t.Fatalf("comments %d %v", n, err)
		}
		if _, err := com.InsertComment(ctx, paste.Comment{PasteID: p.ID, AuthorID: uid, Body: "hi", CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if n, err := com.CountComments(ctx, p.ID); err != nil || n != 1 {
			t.Fatalf("comments after adding one: %d %v", n, err)
		}
		if _, err := com.RatePaste(ctx, p.ID, uid, -1, t0); err != nil {
			t.Fatal(err)
		}
		if r, err := com.PasteRating(ctx, p.ID, 0); err != nil || r.Dislikes != 1 {
			t.Fatalf("rating after a vote: %+v %v", r, err)
		}
		if _, err := a.st.Pastes().DeletePaste(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.st.Pastes().PasteByID(ctx, p.ID); !errors.Is(err, paste.ErrNotFound) {
			t.Fatalf("read right after delete: %v", err)
		}
	}
}

// TestReadCacheStandsAsideWithoutListener: when the listening connection is
// lost, nothing is served from memory (a change could go unheard) until it
// is back, and what was kept before is forgotten.
func TestReadCacheStandsAsideWithoutListener(t *testing.T) {
	url := pgtest.NewURL(t)
	a := newReplica(t, url)
	ctx := context.Background()
	p := mkPaste("Cache003", paste.Public, t0)
	if err := a.st.Pastes().InsertPaste(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.st.Pastes().PasteByID(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if a.cache.Stats().Entries == 0 {
		t.Fatal("nothing kept")
	}
	// Kill the listener's backend: a lost connection.
	if _, err := a.pool.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND query ILIKE 'LISTEN%'`); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the cache to stand aside", func() bool { return !a.cache.Live() })
	if a.cache.Stats().Entries != 0 {
		t.Fatalf("entries kept while not listening: %+v", a.cache.Stats())
	}
	waitFor(t, "the listener to reconnect", a.cache.Live)
	if _, err := a.st.Pastes().PasteByID(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
}

// TestReadCacheManyReadersOneWriter hammers one paste with readers while it
// is renamed over and over: once a rename has returned, no reader that
// starts afterwards sees an older title.
func TestReadCacheManyReadersOneWriter(t *testing.T) {
	a := newReplica(t, pgtest.NewURL(t))
	ctx := context.Background()
	p := mkPaste("Cache004", paste.Public, t0)
	if err := a.st.Pastes().InsertPaste(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	var (
		mu      sync.Mutex
		settled = p.Revision
		stop    = make(chan struct{})
		wg      sync.WaitGroup
		stale   = make(chan string, 1)
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				mu.Lock()
				want := settled
				mu.Unlock()
				got, err := a.st.Pastes().PasteByID(ctx, p.ID)
				if err != nil {
					select {
					case stale <- err.Error():
					default:
					}
					return
				}
				if got.Revision < want {
					select {
					case stale <- fmt.Sprintf("read revision %d after %d was committed", got.Revision, want):
					default:
					}
					return
				}
			}
		}()
	}
	cur := p
	for i := range 100 {
		next := cur
		next.Revision++
		next.Title = fmt.Sprintf("title %d", i)
		updated, err := a.st.Pastes().UpdatePaste(ctx, cur, next, nil)
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		settled = updated.Revision
		mu.Unlock()
		cur = next
	}
	close(stop)
	wg.Wait()
	select {
	case msg := <-stale:
		t.Fatal(msg)
	default:
	}
}

func insertUser(t *testing.T, pool *pgxpool.Pool, name string) int64 {
	t.Helper()
	var id int64
	err := pool.QueryRow(context.Background(),
		`INSERT INTO users (username, password_hash, created_at) VALUES ($1, 'x', now()) RETURNING id`, name).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestReadCacheSnapshotBudget keeps snapshots within their byte budget,
// dropping others' first.
func TestReadCacheSnapshotBudget(t *testing.T) {
	a := newReplica(t, pgtest.NewURL(t)) // 1 MiB of snapshots
	for i := range 10 {
		id := paste.ID(fmt.Sprintf("Snap%04d", i))
		a.cache.KeepSnapshot(a.cache.Begin(), id, i, 300<<10)
		if got := a.cache.Stats().SnapshotBytes; got > 1<<20 {
			t.Fatalf("after %d snapshots: %d bytes kept, budget 1 MiB", i+1, got)
		}
		if a.cache.Snapshot(id) != i {
			t.Fatalf("the newest snapshot %d was not kept", i)
		}
	}
	if got := a.cache.Stats().SnapshotBytes; got != 3*(300<<10) {
		t.Fatalf("%d bytes kept, want three snapshots' worth", got)
	}
	a.cache.Forget("Snap0009")
	if got := a.cache.Stats().SnapshotBytes; got != 2*(300<<10) {
		t.Fatalf("after forgetting one: %d bytes", got)
	}
	// A snapshot kept after a change began is not kept.
	epoch := a.cache.Begin()
	a.cache.Forget("Other001")
	a.cache.KeepSnapshot(epoch, "Snap0100", "stale", 10)
	if a.cache.Snapshot("Snap0100") != nil {
		t.Fatal("a snapshot begun before a change was kept")
	}
}

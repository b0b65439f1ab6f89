package readcache_test

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
	"pastel/internal/readcache"
	"pastel/internal/store"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func mkPaste(id string, vis paste.Visibility, created time.Time) paste.Paste {
	return paste.Paste{
		ID: paste.ID(id), Title: "t " + id, Syntax: "text", Visibility: vis, Size: 1,
		CreatedAt: created, UpdatedAt: created, Revision: 1, BlobKey: "pastes/" + id,
	}
}

// replica is one app process's view of the database: its own pool, Store
// and read cache, listening, and the repositories read through it.
type replica struct {
	st     *store.Store
	cache  *readcache.Cache
	pool   *pgxpool.Pool
	pastes paste.Repository
}

// community is a replica's community repository, read through its cache.
func (r replica) community() paste.CommunityRepository {
	return r.cache.Community(store.NewCommunity(r.st, store.CommunityOptions{}))
}

func newReplica(t *testing.T, url string) replica {
	t.Helper()
	pool, err := store.Open(context.Background(), store.Options{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	st := store.New(pool)
	rc := readcache.New(readcache.Options{MaxPastes: 100, MaxSnapshotBytes: 1 << 20,
		Lists: readcache.ListOptions{MaxEntries: 100, MaxBytes: 1 << 20}})
	st.TellChanges(rc)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); rc.Listen(ctx, url) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "listener connected", rc.Live)
	return replica{st: st, cache: rc, pool: pool, pastes: rc.Pastes(st.Pastes())}
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
	if err := a.pastes.InsertPaste(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	read := func() (paste.Paste, error) { return a.pastes.PasteByID(ctx, p.ID) }
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
	com := b.community()
	if _, err := com.RatePaste(ctx, p.ID, uid, 1, t0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the vote to reach replica a", func() bool {
		got, err := read()
		return err == nil && got.Likes == 1
	})

	// Deleted on b: gone on a.
	if _, err := b.pastes.DeletePaste(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the delete to reach replica a", func() bool {
		_, err := read()
		return errors.Is(err, paste.ErrNotFound)
	})

	// A disabled owner hides their pastes everywhere at once.
	q := mkPaste("Cache002", paste.Public, t0)
	q.OwnerID = uid
	if err := a.pastes.InsertPaste(ctx, q, ""); err != nil {
		t.Fatal(err)
	}
	if got, err := a.pastes.PasteByID(ctx, q.ID); err != nil || got.OwnerDisabled {
		t.Fatalf("owner's paste before: %+v %v", got, err)
	}
	if _, err := b.pool.Exec(ctx, `UPDATE users SET disabled_at = now() WHERE id = $1`, uid); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the disabled owner to reach replica a", func() bool {
		got, err := a.pastes.PasteByID(ctx, q.ID)
		return err == nil && got.OwnerDisabled
	})
}

// TestReadCacheOwnChangesAreImmediate: what this process changes is never
// read back stale, not even before the notification arrives.
func TestReadCacheOwnChangesAreImmediate(t *testing.T) {
	a := newReplica(t, pgtest.NewURL(t))
	ctx := context.Background()
	com := a.community()
	uid := insertUser(t, a.pool, "author")
	for i := range 50 {
		p := mkPaste(fmt.Sprintf("Own%05d", i), paste.Public, t0)
		if err := a.pastes.InsertPaste(ctx, p, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := a.pastes.PasteByID(ctx, p.ID); err != nil { // now in memory
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
		if _, err := a.pastes.DeletePaste(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.pastes.PasteByID(ctx, p.ID); !errors.Is(err, paste.ErrNotFound) {
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
	if err := a.pastes.InsertPaste(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.pastes.PasteByID(ctx, p.ID); err != nil {
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
	if _, err := a.pastes.PasteByID(ctx, p.ID); err != nil {
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
	if err := a.pastes.InsertPaste(ctx, p, ""); err != nil {
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
				got, err := a.pastes.PasteByID(ctx, p.ID)
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
		updated, err := a.pastes.UpdatePaste(ctx, cur, next, nil)
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
	snap := func(i int) *readcache.Snapshot {
		return &readcache.Snapshot{Revision: int32(i), Parts: [][]byte{make([]byte, 300<<10)}}
	}
	for i := range 10 {
		id := paste.ID(fmt.Sprintf("Snap%04d", i))
		s := snap(i)
		a.cache.KeepSnapshot(a.cache.Begin(), id, s)
		if got := a.cache.Stats().SnapshotBytes; got > 1<<20 {
			t.Fatalf("after %d snapshots: %d bytes kept, budget 1 MiB", i+1, got)
		}
		if a.cache.Snapshot(id, int32(i)) != s {
			t.Fatalf("the newest snapshot %d was not kept", i)
		}
		if a.cache.Snapshot(id, int32(i)+1) != nil {
			t.Fatalf("snapshot %d returned for another revision", i)
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
	a.cache.KeepSnapshot(epoch, "Snap0100", snap(1))
	if a.cache.Snapshot("Snap0100", 1) != nil {
		t.Fatal("a snapshot begun before a change was kept")
	}
}

package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/store"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func newRepo(t *testing.T) (store.Pastes, *store.Store) {
	t.Helper()
	st := store.New(pgtest.NewPool(t))
	return st.Pastes(), st
}

func mkPaste(id string, vis paste.Visibility, created time.Time) paste.Paste {
	return paste.Paste{
		ID: paste.ID(id), Title: "t " + id, Syntax: "go", Visibility: vis, Size: 3,
		CreatedAt: created, UpdatedAt: created, Revision: 1, BlobKey: "pastes/xx/" + id,
	}
}

func TestInsertAndGetRoundTrip(t *testing.T) {
	repo, _ := newRepo(t)
	ctx := context.Background()
	p := mkPaste("Abc12345", paste.Public, t0)
	p.ExpiresAt = t0.Add(time.Hour)
	p.BurnAfterReading = true
	p.DeleteTokenHash = paste.HashSecret("tok")
	p.SourceURL = "https://example.org/x"
	if err := repo.InsertPaste(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	got, err := repo.PasteByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	// A paste written without files is one file, named after its syntax.
	p.Files = []paste.File{{Name: "paste.go", Syntax: "go", Size: p.Size, BlobKey: p.BlobKey}}
	// A burn paste without a views cap has one view left (issue 16).
	p.ViewsLeft = 1
	if diff := cmp.Diff(p, got); diff != "" {
		t.Fatalf("round trip (-want +got):\n%s", diff)
	}
	if _, err := repo.PasteByID(ctx, "Nope1234"); !errors.Is(err, paste.ErrNotFound) {
		t.Fatalf("missing paste: %v, want ErrNotFound", err)
	}
	dup := mkPaste("Abc12345", paste.Public, t0)
	dup.BlobKey = "pastes/xx/other"
	if err := repo.InsertPaste(ctx, dup, ""); !errors.Is(err, paste.ErrConflict) {
		t.Fatalf("duplicate id: %v, want ErrConflict", err)
	}
}

func TestListPublicOnlyUnexpiredKeyset(t *testing.T) {
	repo, _ := newRepo(t)
	ctx := context.Background()
	var want []paste.ID
	for i := 0; i < 25; i++ {
		p := mkPaste(fmt.Sprintf("Pub%05d", i), paste.Public, t0.Add(time.Duration(i)*time.Second))
		if i%5 == 0 {
			p.ExpiresAt = t0.Add(time.Hour) // still live at t0+1m
		}
		if err := repo.InsertPaste(ctx, p, ""); err != nil {
			t.Fatal(err)
		}
		want = append([]paste.ID{p.ID}, want...)
	}
	// Same created_at as another: keyset order must still be total.
	tie := mkPaste("Pub00024", paste.Public, t0)
	tie.ID = "Pub0000z"
	tie.BlobKey = "pastes/xx/tie"
	for _, p := range []paste.Paste{
		tie,
		mkPaste("Unl0000000000000000000", paste.Unlisted, t0.Add(time.Minute)),
		mkPaste("Prv0000000000000000000", paste.Private, t0.Add(time.Minute)),
		func() paste.Paste {
			p := mkPaste("Exp00000", paste.Public, t0.Add(time.Minute))
			p.ExpiresAt = t0.Add(30 * time.Second)
			return p
		}(),
	} {
		if err := repo.InsertPaste(ctx, p, ""); err != nil {
			t.Fatal(err)
		}
	}
	want = append(want[:len(want)-1], "Pub0000z", want[len(want)-1])

	var got []paste.ID
	var before *paste.Cursor
	for page := 0; page < 10; page++ {
		items, err := repo.ListPastes(ctx, paste.ListQuery{Now: t0.Add(time.Minute), Before: before, Limit: 7})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range items {
			got = append(got, p.ID)
		}
		if len(items) < 7 {
			break
		}
		last := items[len(items)-1]
		before = &paste.Cursor{CreatedAt: last.CreatedAt, ID: last.ID}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("public list (-want +got):\n%s", diff)
	}
}

func TestBurnPasteExactlyOneReader(t *testing.T) {
	repo, _ := newRepo(t)
	ctx := context.Background()
	p := mkPaste("Burn1234", paste.Public, t0)
	p.BurnAfterReading = true
	if err := repo.InsertPaste(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	// A failing read rolls the claim back: the paste stays.
	errRead := errors.New("blob down")
	if err := repo.BurnPaste(ctx, p.ID, func(paste.Paste) error { return errRead }); !errors.Is(err, errRead) {
		t.Fatalf("burn with failing read: %v", err)
	}
	if _, err := repo.PasteByID(ctx, p.ID); err != nil {
		t.Fatalf("paste gone after a rolled-back burn: %v", err)
	}

	var winners atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := repo.BurnPaste(ctx, p.ID, func(got paste.Paste) error {
				winners.Add(1)
				time.Sleep(5 * time.Millisecond) // hold the row while others queue on it
				return nil
			})
			if err != nil && !errors.Is(err, paste.ErrNotFound) {
				t.Errorf("burn: %v", err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if n := winners.Load(); n != 1 {
		t.Fatalf("%d readers got the burn paste, want exactly 1", n)
	}
	if _, err := repo.PasteByID(ctx, p.ID); !errors.Is(err, paste.ErrNotFound) {
		t.Fatalf("burned paste still there: %v", err)
	}
}

func TestDeleteExpiredConcurrentSweepers(t *testing.T) {
	repo, _ := newRepo(t)
	ctx := context.Background()
	const n = 300
	for i := 0; i < n; i++ {
		p := mkPaste(fmt.Sprintf("Exp%05d", i), paste.Public, t0)
		p.ExpiresAt = t0.Add(time.Duration(i) * time.Millisecond)
		if err := repo.InsertPaste(ctx, p, ""); err != nil {
			t.Fatal(err)
		}
	}
	live := mkPaste("Live0000", paste.Public, t0)
	live.ExpiresAt = t0.Add(time.Hour)
	if err := repo.InsertPaste(ctx, live, ""); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				keys, err := repo.DeleteExpired(ctx, t0.Add(time.Minute), 25)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, k := range keys {
					seen[k]++
				}
				mu.Unlock()
				if len(keys) == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(seen) != n {
		t.Fatalf("swept %d pastes, want %d", len(seen), n)
	}
	for k, c := range seen {
		if c != 1 {
			t.Fatalf("%s swept %d times", k, c)
		}
	}
	if _, err := repo.PasteByID(ctx, live.ID); err != nil {
		t.Fatalf("live paste swept: %v", err)
	}
}

func TestUnreferencedBlobKeys(t *testing.T) {
	repo, _ := newRepo(t)
	ctx := context.Background()
	p := mkPaste("Keys1234", paste.Public, t0)
	if err := repo.InsertPaste(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	got, err := repo.UnreferencedBlobKeys(ctx, []string{p.BlobKey, "pastes/zz/orphan"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"pastes/zz/orphan"}, got); diff != "" {
		t.Fatal(diff)
	}
}

func TestDatabaseDownIsUnavailable(t *testing.T) {
	ctx := context.Background()
	pool, err := store.Open(ctx, store.Options{URL: "postgres://postgres@127.0.0.1:1/none?sslmode=disable", ConnectTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st := store.New(pool)
	if _, err := st.Pastes().PasteByID(ctx, "Abc12345"); !errors.Is(err, paste.ErrUnavailable) {
		t.Fatalf("read with database down: %v, want ErrUnavailable", err)
	}
	if err := st.Ping(ctx); !errors.Is(err, paste.ErrUnavailable) {
		t.Fatalf("ping: %v", err)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	pool := pgtest.NewPool(t)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := store.Migrate(context.Background(), pool); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/store"
)

// TestConcurrentInsertsEachGetTheirOwnAnswer sends many creates at once, so
// they are committed in shared batches, with a few whose IDs are taken: those
// alone fail with ErrConflict, every other paste is stored with its search
// document, and each is readable afterwards.
func TestConcurrentInsertsEachGetTheirOwnAnswer(t *testing.T) {
	pool := pgtest.NewPool(t)
	repo := store.New(pool).Pastes()
	ctx := context.Background()
	taken := map[int]bool{7: true, 50: true, 51: true, 199: true}
	for i := range taken {
		if err := repo.InsertPaste(ctx, mkPaste(fmt.Sprintf("Batch%03d", i), paste.Public, t0), ""); err != nil {
			t.Fatal(err)
		}
	}
	const n = 200
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := mkPaste(fmt.Sprintf("Batch%03d", i), paste.Unlisted, t0)
			p.BlobKey = fmt.Sprintf("pastes/yy/new%03d", i)
			errs[i] = repo.InsertPaste(ctx, p, fmt.Sprintf("word%03d body", i))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		switch {
		case taken[i] && !errors.Is(err, paste.ErrConflict):
			t.Errorf("create %d over a taken ID: %v, want ErrConflict", i, err)
		case !taken[i] && err != nil:
			t.Errorf("create %d: %v", i, err)
		}
	}
	for i := range n {
		p, err := repo.PasteByID(ctx, paste.ID(fmt.Sprintf("Batch%03d", i)))
		if err != nil {
			t.Fatalf("paste %d: %v", i, err)
		}
		if wantNew := !taken[i]; wantNew != (p.Visibility == paste.Unlisted) {
			t.Errorf("paste %d has visibility %s", i, p.Visibility)
		}
	}
	var docs int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM paste_search WHERE body LIKE 'word%'`).Scan(&docs); err != nil {
		t.Fatal(err)
	}
	if docs != n-len(taken) {
		t.Fatalf("search documents %d, want %d", docs, n-len(taken))
	}
}

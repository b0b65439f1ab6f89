package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/store"
)

// TestDeleteDuringPopularRebuild: a paste deleted while the popular list is
// being rebuilt (the rebuild has cleared the old list and is about to list
// that paste again) is deleted, and the rebuild commits; neither waits for
// the other in a cycle that PostgreSQL breaks by failing one of them with
// "deadlock detected", as it did while popular_pastes had a foreign key.
func TestDeleteDuringPopularRebuild(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	repo := store.New(pool).Pastes()
	p := mkPaste("Popular1", paste.Public, t0)
	if err := repo.InsertPaste(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO popular_pastes (rank, paste_id, score, refreshed_at) VALUES (1, $1, 1, now())`, p.ID); err != nil {
		t.Fatal(err)
	}

	rebuild, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer rebuild.Rollback(ctx) //nolint:errcheck // committed below
	if _, err := rebuild.Exec(ctx, `DELETE FROM popular_pastes`); err != nil {
		t.Fatal(err)
	}
	deleted := make(chan error, 1)
	go func() {
		_, err := repo.DeletePaste(ctx, p.ID)
		deleted <- err
	}()
	time.Sleep(300 * time.Millisecond) // the delete holds the paste's row by now
	insertCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := rebuild.Exec(insertCtx, `INSERT INTO popular_pastes (rank, paste_id, score, refreshed_at) VALUES (1, $1, 1, now())`, p.ID); err != nil {
		t.Fatalf("rebuild insert while the paste is being deleted: %v", err)
	}
	if err := rebuild.Commit(ctx); err != nil {
		t.Fatalf("rebuild commit: %v", err)
	}
	if err := <-deleted; err != nil {
		t.Fatalf("delete during the rebuild: %v", err)
	}
	if _, err := repo.PasteByID(ctx, p.ID); !errors.Is(err, paste.ErrNotFound) {
		t.Fatalf("paste after delete: %v", err)
	}
}

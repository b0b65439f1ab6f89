package search_test

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/search"
	"pastel/internal/search/searchtest"
	"pastel/internal/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// pgWorld is a fresh database with pastes written the way the service
// writes them: InsertPaste puts the paste, its search document and (by
// trigger) its queue row in one transaction.
type pgWorld struct {
	pool *pgxpool.Pool
	st   *store.Store
}

func newPGWorld(t *testing.T) *pgWorld {
	pool := pgtest.NewPool(t)
	return &pgWorld{pool: pool, st: store.New(pool)}
}

func (w *pgWorld) addUser(t *testing.T, name string) int64 {
	t.Helper()
	var id int64
	err := w.pool.QueryRow(context.Background(),
		`INSERT INTO users (username, password_hash) VALUES ($1, 'x') RETURNING id`, name).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (w *pgWorld) put(t *testing.T, docs ...paste.SearchDoc) {
	t.Helper()
	for _, d := range docs {
		p := paste.Paste{
			ID: d.ID, OwnerID: d.OwnerID, Title: d.Title, Syntax: d.Syntax, Visibility: d.Visibility,
			Size: int64(len(d.Body)), CreatedAt: d.CreatedAt, UpdatedAt: d.CreatedAt, ExpiresAt: d.ExpiresAt,
			BurnAfterReading: d.Burn, Revision: 1, BlobKey: "k/" + string(d.ID), Tags: d.Tags,
		}
		if err := w.st.Pastes().InsertPaste(context.Background(), p, paste.SearchText([]byte(d.Body))); err != nil {
			t.Fatal(err)
		}
	}
}

func (w *pgWorld) remove(t *testing.T, id paste.ID) {
	t.Helper()
	if _, err := w.st.Pastes().DeletePaste(context.Background(), id); err != nil {
		t.Fatal(err)
	}
}

// TestContractPostgres runs the contract against the PostgreSQL engine.
func TestContractPostgres(t *testing.T) {
	searchtest.RunContract(t, func(t *testing.T) searchtest.Harness {
		w := newPGWorld(t)
		return searchtest.Harness{Engine: w.st.Search(0), AddUser: w.addUser, Put: w.put, Remove: w.remove, Stems: true}
	})
}

// TestContractPostgresWalk runs the contract with a candidate bound of 2,
// so that nearly every query takes the newest-first walk instead of the
// bounded GIN set: both plans must give the same answers.
func TestContractPostgresWalk(t *testing.T) {
	searchtest.RunContract(t, func(t *testing.T) searchtest.Harness {
		w := newPGWorld(t)
		return searchtest.Harness{Engine: w.st.Search(2), AddUser: w.addUser, Put: w.put, Remove: w.remove, Stems: true}
	})
}

// typesenseHarness indexes through the production path: PostgreSQL
// transaction, search_queue, Worker, Typesense.
func typesenseHarness(t *testing.T, url, key string) searchtest.Harness {
	w := newPGWorld(t)
	ts := search.NewTypesense(search.TypesenseOptions{URL: url, APIKey: key, Collection: "pastes_" + string(paste.NewID(paste.Public))})
	if err := ts.Recreate(context.Background()); err != nil {
		t.Fatal(err)
	}
	worker := search.NewWorker(w.st, ts, search.WorkerOptions{})
	drain := func(t *testing.T) {
		t.Helper()
		if err := worker.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	return searchtest.Harness{
		Engine:  ts,
		AddUser: w.addUser,
		Put: func(t *testing.T, docs ...paste.SearchDoc) {
			w.put(t, docs...)
			drain(t)
		},
		Remove: func(t *testing.T, id paste.ID) {
			w.remove(t, id)
			drain(t)
		},
	}
}

// TestContractTypesenseDouble runs the contract against Typesense as
// played by an HTTP double that checks every request's shape.
func TestContractTypesenseDouble(t *testing.T) {
	searchtest.RunContract(t, func(t *testing.T) searchtest.Harness {
		d := searchtest.NewTypesense(t, "test-key")
		return typesenseHarness(t, d.URL, "test-key")
	})
}

// TestContractTypesenseReal runs the contract against a real Typesense v26.
// It is the one test allowed to skip: it needs TYPESENSE_URL (and
// TYPESENSE_API_KEY), e.g. from `docker compose up typesense`.
func TestContractTypesenseReal(t *testing.T) {
	url := os.Getenv("TYPESENSE_URL")
	if url == "" {
		t.Skip("TYPESENSE_URL is not set: no real Typesense to test against")
	}
	searchtest.RunContract(t, func(t *testing.T) searchtest.Harness {
		return typesenseHarness(t, url, os.Getenv("TYPESENSE_API_KEY"))
	})
}

package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/store"
)

// TestPreviewStoredAndListed: a paste's first lines are kept with it when it
// is written, come back in lists without reading a body, and follow an
// edit of the text (and only of the text).
func TestPreviewStoredAndListed(t *testing.T) {
	repo, _ := newRepo(t)
	ctx := context.Background()
	p := mkPaste("Prev0001", paste.Public, t0)
	if err := repo.InsertPaste(ctx, p, "package main\r\n\nfunc main() {}\n// fourth line\n"); err != nil {
		t.Fatal(err)
	}
	want := "package main\n\nfunc main() {}"
	got, err := repo.PasteByID(ctx, p.ID)
	if err != nil || got.Preview != want {
		t.Fatalf("stored preview %q (%v), want %q", got.Preview, err, want)
	}
	items, err := repo.ListPastes(ctx, paste.ListQuery{Now: t0.Add(time.Minute), Limit: 10})
	if err != nil || len(items) != 1 || items[0].Preview != want {
		t.Fatalf("listed %+v (%v), want one paste with preview %q", items, err, want)
	}

	edited := got
	edited.Title, edited.UpdatedAt = "renamed", t0.Add(time.Second)
	got, err = repo.UpdatePaste(ctx, got, edited, nil)
	if err != nil || got.Preview != want {
		t.Fatalf("title edit: preview %q (%v), want it kept", got.Preview, err)
	}
	text := "new first line"
	edited = got
	edited.UpdatedAt = t0.Add(2 * time.Second)
	got, err = repo.UpdatePaste(ctx, got, edited, &text)
	if err != nil || got.Preview != text {
		t.Fatalf("text edit: preview %q (%v), want %q", got.Preview, err, text)
	}
}

// TestPreviewMigrationMatchesGo: migration 0013 fills the preview of older
// pastes in SQL; for the same text it must give what PreviewOf gives.
func TestPreviewMigrationMatchesGo(t *testing.T) {
	pool := pgtest.NewPool(t)
	_ = store.New(pool)
	for _, text := range []string{
		"",
		"one line",
		"a\nb\nc\nd\ne",
		"windows\r\nline\r\nends\r\nhere\r\n",
		"trailing blanks   \n\n\n",
		"\n\nstarts blank\nx",
		strings.Repeat("x", 1000) + "\nsecond",
		"tabs\there\n\tindented\n",
	} {
		var sql string
		err := pool.QueryRow(context.Background(), `SELECT left(rtrim(array_to_string(
			(string_to_array(replace(left($1::text, 2048), E'\r', ''), E'\n'))[1:3], E'\n'), E' \t\n'), 300)`, text).Scan(&sql)
		if err != nil {
			t.Fatal(err)
		}
		if goText := paste.PreviewOf(text); sql != goText {
			t.Errorf("text %.40q: migration gives %q, PreviewOf %q", text, sql, goText)
		}
	}
}

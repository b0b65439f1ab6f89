package readcache_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"pastel/internal/paste"
	"pastel/internal/pgtest"
)

// TestListsFollowEveryReplica: the first page of public pastes, kept in
// memory by two replicas over one database, shows a paste either creates
// and drops one made private, deleted, hidden with its disabled owner or
// expired: on the replica that made the change at once, on the other as
// soon as PostgreSQL's notification arrives (migrations 0008 and 0026),
// including changes made by plain SQL that no Store saw.
func TestListsFollowEveryReplica(t *testing.T) {
	url := pgtest.NewURL(t)
	a, b := newReplica(t, url), newReplica(t, url)
	ctx := context.Background()
	now := t0.Add(time.Hour)
	list := func(r replica, at time.Time) []paste.ID {
		t.Helper()
		ps, err := r.pastes.ListPastes(ctx, paste.ListQuery{Now: at, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]paste.ID, len(ps))
		for i, p := range ps {
			ids[i] = p.ID
		}
		return ids
	}
	shows := func(r replica, id paste.ID) bool { return slices.Contains(list(r, now), id) }

	old := mkPaste("Lists001", paste.Public, t0)
	if err := a.pastes.InsertPaste(ctx, old, ""); err != nil {
		t.Fatal(err)
	}
	if !shows(a, old.ID) || !shows(b, old.ID) {
		t.Fatal("the first paste is not listed")
	}
	before := b.cache.Lists().Stats()
	if !shows(b, old.ID) {
		t.Fatal("the first paste left the list")
	}
	if after := b.cache.Lists().Stats(); after.Hits != before.Hits+1 {
		t.Fatalf("the second read was not served from memory: %+v then %+v", before, after)
	}

	// Created on a: on a's next read, and on b's once told.
	p := mkPaste("Lists002", paste.Public, t0.Add(time.Minute))
	if err := a.pastes.InsertPaste(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	if !shows(a, p.ID) {
		t.Fatal("a new paste is not on its own replica's next list")
	}
	waitFor(t, "the new paste on replica b's list", func() bool { return shows(b, p.ID) })

	// Made private on b: gone from b at once, from a once told.
	priv := p
	priv.Visibility, priv.Revision = paste.Private, p.Revision+1
	if _, err := b.pastes.UpdatePaste(ctx, p, priv, nil); err != nil {
		t.Fatal(err)
	}
	if shows(b, p.ID) {
		t.Fatal("a paste made private is still on its replica's list")
	}
	waitFor(t, "the private paste gone from replica a's list", func() bool { return !shows(a, p.ID) })

	// Deleted by plain SQL: gone from both.
	if _, err := a.pool.Exec(ctx, `DELETE FROM pastes WHERE id = $1`, old.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the deleted paste gone from both lists", func() bool { return !shows(a, old.ID) && !shows(b, old.ID) })

	// Inserted by plain SQL: on both.
	if _, err := a.pool.Exec(ctx, `INSERT INTO pastes (id, title, syntax, visibility, size, blob_key, created_at, updated_at)
		VALUES ('Lists003', 'sql', 'text', 'public', 1, 'pastes/Lists003', $1, $1)`, t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a paste inserted by SQL on both lists", func() bool { return shows(a, "Lists003") && shows(b, "Lists003") })

	// Hidden with its owner, who is disabled.
	uid := insertUser(t, a.pool, "lister")
	owned := mkPaste("Lists004", paste.Public, t0.Add(3*time.Minute))
	owned.OwnerID = uid
	if err := a.pastes.InsertPaste(ctx, owned, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the owned paste on b's list", func() bool { return shows(b, owned.ID) })
	if _, err := a.pool.Exec(ctx, `UPDATE users SET disabled_at = now() WHERE id = $1`, uid); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the disabled owner's paste gone from both lists", func() bool { return !shows(a, owned.ID) && !shows(b, owned.ID) })

	// Expiring: listed before its time, never after, though nothing
	// announces an expiry.
	exp := mkPaste("Lists005", paste.Public, t0.Add(4*time.Minute))
	exp.ExpiresAt = now.Add(time.Minute)
	if err := b.pastes.InsertPaste(ctx, exp, ""); err != nil {
		t.Fatal(err)
	}
	if !shows(b, exp.ID) {
		t.Fatal("the expiring paste is not listed before its time")
	}
	if slices.Contains(list(b, now.Add(2*time.Minute)), exp.ID) {
		t.Fatal("an expired paste is still listed")
	}
}

// TestListsKeepNothingStale: a fill that began before a change is not
// kept (it may have read what the change replaced); an entry ends at the
// expiry it was given; entries and bytes stay within their bounds.
func TestListsKeepNothingStale(t *testing.T) {
	r := newReplica(t, pgtest.NewURL(t))
	l := r.cache.Lists()
	epoch := l.Begin()
	r.cache.Forget("Lists009")
	l.Keep(epoch, "k", []int{1}, 8, time.Time{})
	if _, ok := l.Get("k", t0); ok {
		t.Fatal("a fill begun before a change was kept")
	}
	l.Keep(l.Begin(), "k", []int{2}, 8, t0.Add(time.Minute))
	if v, ok := l.Get("k", t0); !ok || v.([]int)[0] != 2 {
		t.Fatalf("kept value = %v, %v", v, ok)
	}
	if _, ok := l.Get("k", t0.Add(time.Minute)); ok {
		t.Fatal("an entry was answered at its expiry")
	}
	l.Keep(l.Begin(), "big", []int{3}, 2<<20, time.Time{})
	if _, ok := l.Get("big", t0); ok {
		t.Fatal("an entry over the byte bound was kept")
	}
	for i := range 150 {
		l.Keep(l.Begin(), "n"+strconv.Itoa(i), i, 1<<10, time.Time{})
	}
	if st := l.Stats(); st.Entries > 100 || st.Bytes > 1<<20 {
		t.Fatalf("over the bounds: %+v", st)
	}
}

package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"pastel/internal/account"
	"pastel/internal/admin"
	"pastel/internal/blob"
	"pastel/internal/clock"
	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/render"
	"pastel/internal/store"
)

// claimLog records which worker claimed which deletion job.
type claimLog struct {
	mu     sync.Mutex
	claims map[int64][]string // user ID → workers that claimed its job
}

func (l *claimLog) add(worker string, userID int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.claims[userID] = append(l.claims[userID], worker)
}

// countedClaims is a worker's repository: claims go into the log.
type countedClaims struct {
	admin.Repository
	worker string
	log    *claimLog
}

func (c countedClaims) ClaimDeletion(ctx context.Context, now, leaseUntil time.Time) (int64, bool, error) {
	id, ok, err := c.Repository.ClaimDeletion(ctx, now, leaseUntil)
	if ok {
		c.log.add(c.worker, id)
	}
	return id, ok, err
}

// slowBlobs makes each body delete take a while, so the two workers'
// jobs overlap in time.
type slowBlobs struct{ paste.Blobs }

func (s slowBlobs) Delete(ctx context.Context, key string) error {
	time.Sleep(15 * time.Millisecond)
	return s.Blobs.Delete(ctx, key)
}

// TestDeletionJobsRunOnceAcrossWorkers: two deletion workers, each with
// its own pool as on two replicas, work one queue of account deletions at
// the same time: every job is claimed by exactly one of them, both get
// work, and every account and its pastes are gone at the end.
func TestDeletionJobsRunOnceAcrossWorkers(t *testing.T) {
	ctx := context.Background()
	u := pgtest.NewURL(t)
	local, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	blobs := slowBlobs{local}
	seed := store.New(pgtest.NewPoolFor(t, u))
	pastes := paste.NewService(seed.Pastes(), blobs, render.NewSyntaxes(), paste.Options{MaxBytes: 1 << 20})
	const users = 12
	var ids []int64
	for i := range users {
		acc, err := seed.Accounts().InsertUser(ctx, account.User{Username: fmt.Sprintf("gone%02d", i), PasswordHash: "x", CreatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		owner := paste.Viewer{UserID: acc.ID, Username: acc.Username}
		for j := range 2 {
			if _, err := pastes.Create(ctx, owner, paste.CreateInput{Title: fmt.Sprint(j), Content: []byte("bye"), Syntax: "text"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := seed.Admin().MarkDeleted(ctx, acc.ID, "self", time.Now()); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, acc.ID)
	}

	log := &claimLog{claims: map[int64][]string{}}
	var workers []*admin.Service
	for _, name := range []string{"a", "b"} {
		st := store.New(pgtest.NewPoolFor(t, u))
		repo := countedClaims{Repository: st.Admin(), worker: name, log: log}
		svc := paste.NewService(st.Pastes(), blobs, render.NewSyntaxes(), paste.Options{MaxBytes: 1 << 20})
		workers = append(workers, admin.NewService(repo, account.NewService(st.Accounts(), account.Options{}), svc, blobs, admin.NewLog(repo, nil), admin.Options{}))
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	done := make([]int, len(workers))
	for i, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for {
				n, err := w.RunDeletions(ctx)
				if err != nil {
					t.Errorf("worker %d: %v", i, err)
					return
				}
				if n == 0 {
					return
				}
				done[i] += n
			}
		}()
	}
	close(start)
	wg.Wait()

	per := map[string]int{}
	for _, id := range ids {
		got := log.claims[id]
		if len(got) != 1 {
			t.Errorf("user %d's job was claimed by %v, want exactly one worker", id, got)
			continue
		}
		per[got[0]]++
	}
	if per["a"] == 0 || per["b"] == 0 {
		t.Errorf("claims per worker %v: both workers should have taken jobs", per)
	}
	if done[0]+done[1] != users {
		t.Errorf("workers finished %d jobs, want %d", done[0]+done[1], users)
	}
	var jobs, left, owned int
	pool := pgtest.NewPoolFor(t, u)
	pool.QueryRow(ctx, `SELECT count(*) FROM account_deletions`).Scan(&jobs)
	pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE id = ANY($1)`, ids).Scan(&left)
	pool.QueryRow(ctx, `SELECT count(*) FROM pastes WHERE owner_id = ANY($1)`, ids).Scan(&owned)
	if jobs != 0 || left != 0 || owned != 0 {
		t.Fatalf("after both workers: %d jobs, %d accounts, %d pastes left", jobs, left, owned)
	}
}

// TestDeletionClaimIsALease: a claimed job is nobody else's until its lease
// ends (its worker died); then another worker takes it.
func TestDeletionClaimIsALease(t *testing.T) {
	ctx := context.Background()
	st := store.New(pgtest.NewPool(t))
	acc, err := st.Accounts().InsertUser(ctx, account.User{Username: "leased", PasswordHash: "x", CreatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.Now().UTC().Truncate(time.Microsecond))
	if err := st.Admin().MarkDeleted(ctx, acc.ID, "self", clk.Now()); err != nil {
		t.Fatal(err)
	}
	repo := st.Admin()
	now := clk.Now()
	id, ok, err := repo.ClaimDeletion(ctx, now, now.Add(5*time.Minute))
	if err != nil || !ok || id != acc.ID {
		t.Fatalf("first claim = %d, %v, %v", id, ok, err)
	}
	if _, ok, err := repo.ClaimDeletion(ctx, clk.Advance(time.Minute), clk.Now().Add(5*time.Minute)); err != nil || ok {
		t.Fatalf("claimed again within the lease (%v, %v)", ok, err)
	}
	later := clk.Advance(5 * time.Minute)
	if id, ok, err := repo.ClaimDeletion(ctx, later, later.Add(5*time.Minute)); err != nil || !ok || id != acc.ID {
		t.Fatalf("claim after the lease ended = %d, %v, %v", id, ok, err)
	}
	// Given back: due at once.
	if err := repo.RescheduleDeletion(ctx, acc.ID, later); err != nil {
		t.Fatal(err)
	}
	if id, ok, err := repo.ClaimDeletion(ctx, later, later.Add(5*time.Minute)); err != nil || !ok || id != acc.ID {
		t.Fatalf("claim after it was given back = %d, %v, %v", id, ok, err)
	}
}

// TestDeletionClaimsUnderContention: eight workers on their own pools
// claim from one queue of 60 jobs as fast as they can; each job goes to
// exactly one of them (without SKIP LOCKED, a worker that waited on a row
// another had claimed would take the same job again).
func TestDeletionClaimsUnderContention(t *testing.T) {
	ctx := context.Background()
	u := pgtest.NewURL(t)
	seed := store.New(pgtest.NewPoolFor(t, u))
	const jobs = 60
	now := time.Now().UTC().Truncate(time.Microsecond)
	for i := range jobs {
		acc, err := seed.Accounts().InsertUser(ctx, account.User{Username: fmt.Sprintf("q%02d", i), PasswordHash: "x", CreatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		if err := seed.Admin().MarkDeleted(ctx, acc.ID, "self", now); err != nil {
			t.Fatal(err)
		}
	}
	log := &claimLog{claims: map[int64][]string{}}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 8 {
		repo := store.New(pgtest.NewPoolFor(t, u)).Admin()
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for {
				id, ok, err := repo.ClaimDeletion(ctx, now, now.Add(time.Hour))
				if err != nil {
					t.Error(err)
					return
				}
				if !ok {
					return
				}
				log.add(fmt.Sprint(w), id)
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(log.claims) != jobs {
		t.Errorf("%d jobs claimed, want %d", len(log.claims), jobs)
	}
	for id, by := range log.claims {
		if len(by) != 1 {
			t.Errorf("job of user %d claimed by workers %v", id, by)
		}
	}
}

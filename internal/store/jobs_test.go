package store_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pastel/internal/pgtest"
	"pastel/internal/store"
)

// once is what cmd/web's runner does with a Once task's round: claim the
// period, run, give the period back on failure.
func once(ctx context.Context, st *store.Store, name string, period time.Duration, job func(context.Context) (int, error)) (int, error) {
	release, won, err := st.Periods().Claim(ctx, name, period)
	if err != nil || !won {
		return 0, err
	}
	n, err := job(ctx)
	if err != nil {
		return n, errors.Join(err, release(ctx))
	}
	return n, nil
}

func TestOncePerPeriodAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	u := pgtest.NewURL(t)
	// Four replicas, each with its own pool, fire their timers together for
	// several periods: the job runs once per period.
	const period = 400 * time.Millisecond
	var ran atomic.Int64
	job := func(context.Context) (int, error) { ran.Add(1); return 1, nil }
	var stores []*store.Store
	for range 4 {
		stores = append(stores, store.New(pgtest.NewPoolFor(t, u)))
	}
	for round := range 3 {
		var wg sync.WaitGroup
		var won atomic.Int64
		for _, st := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := once(ctx, st, "test_sweep", period, job)
				if err != nil {
					t.Error(err)
				}
				won.Add(int64(n))
			}()
		}
		wg.Wait()
		if won.Load() != 1 {
			t.Fatalf("round %d: %d replicas ran the job, want 1", round, won.Load())
		}
		// Within the period nobody runs it again.
		if n, err := once(ctx, stores[round%4], "test_sweep", period, job); err != nil || n != 0 {
			t.Fatalf("round %d: ran again within the period (%d, %v)", round, n, err)
		}
		time.Sleep(period)
	}
	if ran.Load() != 3 {
		t.Fatalf("job ran %d times in 3 periods", ran.Load())
	}
	runs, err := stores[0].JobRuns(ctx)
	if err != nil || runs["test_sweep"] != 3 {
		t.Fatalf("job_runs: %v, %v", runs, err)
	}
}

func TestOncePerPeriodFailureGivesThePeriodBack(t *testing.T) {
	ctx := context.Background()
	u := pgtest.NewURL(t)
	a, b := store.New(pgtest.NewPoolFor(t, u)), store.New(pgtest.NewPoolFor(t, u))
	boom := errors.New("boom")
	if _, err := once(ctx, a, "flaky", time.Hour, func(context.Context) (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("failed run: %v", err)
	}
	// The other replica retries at once instead of an hour later.
	n, err := once(ctx, b, "flaky", time.Hour, func(context.Context) (int, error) { return 7, nil })
	if err != nil || n != 7 {
		t.Fatalf("retry after a failure: %d, %v", n, err)
	}
	if n, _ := once(ctx, a, "flaky", time.Hour, func(context.Context) (int, error) { return 7, nil }); n != 0 {
		t.Fatal("ran twice in one period after the retry succeeded")
	}
}

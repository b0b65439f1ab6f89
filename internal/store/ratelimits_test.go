package store_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pastel/internal/clock"
	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/ratelimit"
	"pastel/internal/store"
)

func TestRateLimiterSlidingWindow(t *testing.T) {
	ctx := context.Background()
	st := store.New(pgtest.NewPool(t))
	t0 := time.Unix(1_700_000_000, 0).Truncate(time.Minute)
	clk := clock.NewFake(t0)
	l := st.RateLimiter("test", ratelimit.PerMinute(3), clk.Now)
	allow := func(want bool) ratelimit.Decision {
		t.Helper()
		d, err := l.Allow(ctx, "k", 1)
		if err != nil {
			t.Fatal(err)
		}
		if d.Allowed != want || d.Limit != 3 {
			t.Fatalf("at %v: %+v, want allowed=%v", clk.Now().Sub(t0), d, want)
		}
		return d
	}
	for i := range 3 {
		if d := allow(true); d.Remaining != 2-i {
			t.Fatalf("request %d remaining %d", i, d.Remaining)
		}
	}
	// The window is full: the next one is allowed once the previous
	// window's share has shrunk by one, 20 s into the next window.
	if d := allow(false); d.RetryAfter != 80*time.Second || d.Remaining != 0 {
		t.Fatalf("refusal %+v, want RetryAfter 80s", d)
	}
	// Refusals are not counted.
	clk.Set(t0.Add(59 * time.Second))
	allow(false)
	// Rollover: 20 s into the next window the previous one weighs 2/3.
	clk.Set(t0.Add(80 * time.Second))
	allow(true)
	if d := allow(false); d.RetryAfter != 20*time.Second {
		t.Fatalf("second refusal %+v, want RetryAfter 20s", d)
	}
	clk.Set(t0.Add(100 * time.Second))
	allow(true)
	allow(false)
	// Two windows later nothing is left of the old counts.
	clk.Set(t0.Add(3 * time.Minute))
	for range 3 {
		allow(true)
	}
	allow(false)

	// A clock behind (another replica's) does not reset the count.
	clk.Set(t0.Add(2*time.Minute + 30*time.Second))
	allow(false)

	// Another key, and another budget's same key, count apart.
	if d, _ := l.Allow(ctx, "other", 1); !d.Allowed {
		t.Fatal("another key refused")
	}
	if d, _ := st.RateLimiter("test2", ratelimit.PerMinute(3), clk.Now).Allow(ctx, "k", 1); !d.Allowed {
		t.Fatal("another budget's key refused")
	}
}

// Replicas are Stores over their own pools on one database: they share a
// budget, and concurrent requests never overspend it.
func TestRateLimiterSharedByReplicas(t *testing.T) {
	ctx := context.Background()
	u := pgtest.NewURL(t)
	clk := clock.NewFake(time.Now().Truncate(time.Minute))
	replicas := []*store.RateLimiter{
		store.New(pgtest.NewPoolFor(t, u)).RateLimiter("writes", ratelimit.PerMinute(10), clk.Now),
		store.New(pgtest.NewPoolFor(t, u)).RateLimiter("writes", ratelimit.PerMinute(10), clk.Now),
	}
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := replicas[i%2].Allow(ctx, "addr:192.0.2.1", 1)
			if err != nil {
				t.Error(err)
			}
			if d.Allowed {
				allowed.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := allowed.Load(); n != 10 {
		t.Fatalf("%d of 40 allowed across two replicas, want the one budget of 10", n)
	}
}

func TestRateLimitSweepAndFailClosed(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	st := store.New(pool)
	t0 := time.Unix(1_700_000_000, 0).Truncate(time.Hour)
	clk := clock.NewFake(t0)
	minute := st.RateLimiter("m", ratelimit.PerMinute(1), clk.Now)
	hour := st.RateLimiter("h", ratelimit.PerHour(1), clk.Now)
	for _, l := range []*store.RateLimiter{minute, hour} {
		if _, err := l.Allow(ctx, "k", 1); err != nil {
			t.Fatal(err)
		}
	}
	// After two minutes the minute's count is worth nothing; the hour's is.
	n, err := st.SweepRateLimits(ctx, t0.Add(2*time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("sweep: %d %v, want 1 row", n, err)
	}
	clk.Set(t0.Add(2 * time.Minute))
	if d, _ := hour.Allow(ctx, "k", 1); d.Allowed {
		t.Fatal("the sweep dropped a live count")
	}

	pool.Close()
	if _, err := minute.Allow(ctx, "k", 1); !errors.Is(err, paste.ErrUnavailable) {
		t.Fatalf("database gone: %v, want ErrUnavailable", err)
	}
}

// BenchmarkRateLimiterAllow measures one write's cost in the limiter: one
// upsert round trip, on one hot key (a single address's burst) and on
// distinct keys.
func BenchmarkRateLimiterAllow(b *testing.B) {
	st := store.New(pgtest.NewPool(b))
	l := st.RateLimiter("bench", ratelimit.PerMinute(1<<30), nil)
	ctx := context.Background()
	b.Run("one key", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := l.Allow(ctx, "addr:192.0.2.1", 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("many keys", func(b *testing.B) {
		var n atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := l.Allow(ctx, "addr:"+strconv.FormatInt(n.Add(1), 10), 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"pastel/internal/account"
	"pastel/internal/api"
	"pastel/internal/auth"
	"pastel/internal/clock"
	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/store"
)

// twoReplicas returns two account services, each over its own pool on one
// database (as two replicas are), counting sign-in failures in PostgreSQL
// with a 5-per-account, 20-per-address budget in a 15-minute window, on clk.
func twoReplicas(t *testing.T, clk *clock.Fake) (*account.Service, *account.Service, *store.Store) {
	t.Helper()
	u := pgtest.NewURL(t)
	var svcs [2]*account.Service
	var stores [2]*store.Store
	for i := range svcs {
		st := store.New(pgtest.NewPoolFor(t, u))
		stores[i] = st
		svcs[i] = account.NewService(st.Accounts(), account.Options{
			PasswordParams:  auth.PasswordParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
			Now:             clk.Now,
			AccountFailures: 5, AddressFailures: 20, Window: 15 * time.Minute,
			AccountLimiter: st.SignInLimiter("signin:account", 5, 15*time.Minute),
			AddressLimiter: st.SignInLimiter("signin:addr", 20, 15*time.Minute),
		})
	}
	if _, err := svcs[0].Register(context.Background(), "Alice", "alice@example.test", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	return svcs[0], svcs[1], stores[1]
}

func TestSignInLimitSharedByReplicas(t *testing.T) {
	ctx := context.Background()
	t0 := time.Unix(1_700_000_000, 0).Truncate(15 * time.Minute)
	clk := clock.NewFake(t0)
	a, b, _ := twoReplicas(t, clk)
	// Five wrong passwords, spread over both replicas and over several
	// addresses (so the per-address budget is not what stops them), use the
	// account's budget: the sixth attempt is refused on either replica,
	// even with the right password.
	for i, svc := range []*account.Service{a, b, a, b, a} {
		_, err := svc.Authenticate(ctx, "alice", "wrong password", "198.51.100."+string(rune('1'+i)))
		if !errors.Is(err, account.ErrBadCredentials) {
			t.Fatalf("failure %d: %v, want bad credentials", i, err)
		}
	}
	for name, svc := range map[string]*account.Service{"a": a, "b": b} {
		var rl *account.RateLimitError
		if _, err := svc.Authenticate(ctx, "ALICE", "correct horse battery", "203.0.113.9"); !errors.As(err, &rl) {
			t.Fatalf("replica %s: %v, want the shared limit", name, err)
		} else if rl.RetryAfter <= 0 || rl.RetryAfter > 30*time.Minute {
			t.Fatalf("replica %s: retry after %v", name, rl.RetryAfter)
		}
	}
	// The window slides on: two windows later nothing is counted, the
	// right password signs in, and that forgets the account's failures.
	clk.Set(t0.Add(30 * time.Minute))
	if _, err := b.Authenticate(ctx, "alice", "wrong password", "198.51.100.1"); !errors.Is(err, account.ErrBadCredentials) {
		t.Fatalf("after the window: %v", err)
	}
	if _, err := a.Authenticate(ctx, "alice", "correct horse battery", "198.51.100.1"); err != nil {
		t.Fatalf("sign in after the window: %v", err)
	}
	for i := range 4 {
		if _, err := b.Authenticate(ctx, "alice", "wrong", "198.51.100.2"); !errors.Is(err, account.ErrBadCredentials) {
			t.Fatalf("failure %d after reset: %v (the reset should have forgotten the earlier failure)", i, err)
		}
	}
}

func TestSignInAddressLimitSharedByReplicas(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewFake(time.Unix(1_700_000_000, 0).Truncate(15 * time.Minute))
	a, b, _ := twoReplicas(t, clk)
	// Twenty failures from one address against many names, half on each
	// replica, spend the address's budget on both.
	for i := range 20 {
		svc := a
		if i%2 == 1 {
			svc = b
		}
		name := "nobody" + string(rune('a'+i))
		if _, err := svc.Authenticate(ctx, name, "guess", "192.0.2.7"); !errors.Is(err, account.ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	var rl *account.RateLimitError
	for _, svc := range []*account.Service{a, b} {
		if _, err := svc.Authenticate(ctx, "alice", "correct horse battery", "192.0.2.7"); !errors.As(err, &rl) {
			t.Fatalf("21st attempt from the address: %v, want limited", err)
		}
	}
	// Another address is not affected.
	if _, err := b.Authenticate(ctx, "alice", "correct horse battery", "192.0.2.8"); err != nil {
		t.Fatal(err)
	}
}

func TestSignInLimiterKeepsNoKeyInClear(t *testing.T) {
	ctx := context.Background()
	u := pgtest.NewURL(t)
	pool := pgtest.NewPoolFor(t, u)
	l := store.New(pool).SignInLimiter("signin:addr", 3, time.Minute)
	if err := l.Fail(ctx, "192.0.2.55", time.Now()); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM rate_limits WHERE position('192.0.2.55'::bytea IN key_hash) > 0 OR length(key_hash) <> 32`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	var total int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM rate_limits`).Scan(&total); err != nil {
		t.Fatal(err)
	}
	if n != 0 || total != 1 {
		t.Fatalf("%d rows with the key in clear or not a SHA-256, of %d", n, total)
	}
}

func TestSignInLimiterFailsClosed(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewFake(time.Now())
	u := pgtest.NewURL(t)
	pool := pgtest.NewPoolFor(t, u)
	st := store.New(pool)
	svc := account.NewService(st.Accounts(), account.Options{
		PasswordParams: auth.PasswordParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		Now:            clk.Now,
		AccountLimiter: st.SignInLimiter("signin:account", 5, 15*time.Minute),
		AddressLimiter: st.SignInLimiter("signin:addr", 20, 15*time.Minute),
	})
	if _, err := svc.Register(ctx, "bob", "bob@example.test", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	pool.Close() // the database is gone
	_, err := svc.Authenticate(ctx, "bob", "correct horse battery", "192.0.2.1")
	if !errors.Is(err, paste.ErrUnavailable) {
		t.Fatalf("sign-in with the database down: %v, want unavailable", err)
	}
	if status, _ := api.Status(err); status != 503 {
		t.Fatalf("status %d, want 503", status)
	}
}

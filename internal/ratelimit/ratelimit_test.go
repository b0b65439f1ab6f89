package ratelimit

import (
	"context"
	"testing"
	"time"

	"pastel/internal/clock"
)

func TestBucketsRefillSmoothly(t *testing.T) {
	clk := clock.NewFake(time.Unix(1_700_000_000, 0))
	b := NewBuckets(PerMinute(3), clk.Now)
	ctx := context.Background()
	for i := range 3 {
		d, _ := b.Allow(ctx, "k", 1)
		if !d.Allowed || d.Remaining != 2-i || d.Limit != 3 {
			t.Fatalf("request %d: %+v", i, d)
		}
	}
	d, _ := b.Allow(ctx, "k", 1)
	if d.Allowed || d.RetryAfter != 20*time.Second || d.Reset != time.Minute {
		t.Fatalf("past the budget: %+v, want a refusal for 20s (one token at 3/min)", d)
	}
	if d, _ := b.Allow(ctx, "other", 1); !d.Allowed {
		t.Fatal("another key shares the budget")
	}
	// Looking (cost 0) spends nothing.
	clk.Advance(20 * time.Second)
	for range 3 {
		if d, _ := b.Allow(ctx, "k", 0); !d.Allowed || d.Remaining != 1 {
			t.Fatalf("look after 20s: %+v", d)
		}
	}
	if d, _ := b.Allow(ctx, "k", 1); !d.Allowed {
		t.Fatal("refilled token refused")
	}
	if d, _ := b.Allow(ctx, "k", 1); d.Allowed {
		t.Fatal("second token after 20s allowed")
	}
}

func TestBudgetsKeys(t *testing.T) {
	clk := clock.NewFake(time.Unix(1_700_000_000, 0))
	b := InMemory(Rates{UserWrites: PerMinute(2), AddressWrites: PerMinute(3), Registrations: PerHour(2)}, clk.Now)
	ctx := context.Background()
	spend := func(f func() (Decision, error)) bool {
		d, err := f()
		if err != nil {
			t.Fatal(err)
		}
		return d.Allowed
	}
	user := func() (Decision, error) { return b.Write(ctx, 7, "10.0.0.1") }
	anon := func() (Decision, error) { return b.Write(ctx, 0, "10.0.0.1") }
	reg := func() (Decision, error) { return b.Register(ctx, "10.0.0.1") }
	// A user's writes are the user's, not its address's.
	//lint:ignore SA4000 each call spends from the budget: the repetition is the test
	if !spend(user) || !spend(user) || spend(user) {
		t.Fatal("user budget of 2")
	}
	// Registrations spend their own budget and the address's writes.
	//lint:ignore SA4000 each call spends from the budget: the repetition is the test
	if !spend(reg) || !spend(reg) || spend(reg) {
		t.Fatal("registration budget of 2")
	}
	if !spend(anon) || spend(anon) {
		t.Fatal("the address has spent 2 of its 3 writes on registrations: 1 left")
	}
}

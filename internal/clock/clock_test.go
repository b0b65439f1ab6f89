package clock_test

import (
	"sync"
	"testing"
	"time"

	"pastel/internal/clock"
)

func TestZeroClockIsRealTime(t *testing.T) {
	var c clock.Clock
	before := time.Now()
	got := c.Now()
	if got.Before(before) || got.After(time.Now()) {
		t.Fatalf("zero Clock gave %v, not the real time", got)
	}
}

func TestFakeMovesOnlyWhenTold(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f := clock.NewFake(t0)
	var c clock.Clock = f.Now
	if got := c.Now(); !got.Equal(t0) {
		t.Fatalf("Now = %v, want %v", got, t0)
	}
	if got := f.Advance(90 * time.Second); !got.Equal(t0.Add(90 * time.Second)) {
		t.Fatalf("Advance returned %v", got)
	}
	if got := c.Now(); !got.Equal(t0.Add(90 * time.Second)) {
		t.Fatalf("after Advance, Now = %v", got)
	}
	f.Set(t0)
	if got := c.Now(); !got.Equal(t0) {
		t.Fatalf("after Set, Now = %v", got)
	}
}

func TestFakeConcurrentUse(t *testing.T) {
	f := clock.NewFake(time.Unix(0, 0))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				f.Advance(time.Second)
				_ = f.Now()
			}
		}()
	}
	wg.Wait()
	if got := f.Now(); !got.Equal(time.Unix(800, 0)) {
		t.Fatalf("after 800 advances of 1 s, Now = %v", got)
	}
}

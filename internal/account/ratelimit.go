package account

import (
	"context"
	"strings"
	"sync"
	"time"
)

// Limiter counts sign-in failures per key (a client address, or an account
// name in lower case) in a sliding window. The Service asks Blocked before
// it checks a password, calls Fail for each failure and Reset when an
// account signs in. MemoryLimiter keeps the counts in one process; a
// store shared by every replica can implement the same interface.
type Limiter interface {
	// Blocked reports whether key has used up its failures at now, and how
	// long until the oldest counted failure leaves the window.
	Blocked(ctx context.Context, key string, now time.Time) (bool, time.Duration, error)
	// Fail counts one failure for key at now.
	Fail(ctx context.Context, key string, now time.Time) error
	// Reset forgets key's failures.
	Reset(ctx context.Context, key string) error
}

// MemoryLimiter is the in-process Limiter. With several replicas each
// enforces its own share.
type MemoryLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	hits   map[string][]time.Time
}

var _ Limiter = (*MemoryLimiter)(nil)

// NewMemoryLimiter returns a Limiter allowing max failures per key within
// window.
func NewMemoryLimiter(max int, window time.Duration) *MemoryLimiter {
	return &MemoryLimiter{max: max, window: window, hits: map[string][]time.Time{}}
}

// Blocked implements Limiter.
func (l *MemoryLimiter) Blocked(_ context.Context, key string, now time.Time) (bool, time.Duration, error) {
	key = strings.Clone(key) // prune may store it back: see Fail
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.prune(key, now)
	if len(recent) < l.max {
		return false, 0, nil
	}
	return true, recent[0].Add(l.window).Sub(now), nil
}

// Fail implements Limiter.
func (l *MemoryLimiter) Fail(_ context.Context, key string, now time.Time) error {
	// The map keeps the key beyond this call, so it must own its bytes and
	// not point into a request buffer the server reuses. Assigning to an
	// existing string key stores the new key value too, so every store
	// (here and in prune) uses a copy.
	key = strings.Clone(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hits[key] = append(l.prune(key, now), now)
	if len(l.hits) > 100_000 {
		// Bound memory under a spray of distinct keys: drop the stale ones.
		for k := range l.hits {
			if len(l.prune(k, now)) == 0 {
				delete(l.hits, k)
			}
		}
	}
	return nil
}

// Reset implements Limiter.
func (l *MemoryLimiter) Reset(_ context.Context, key string) error {
	l.mu.Lock()
	delete(l.hits, key)
	l.mu.Unlock()
	return nil
}

func (l *MemoryLimiter) prune(key string, now time.Time) []time.Time {
	h := l.hits[key]
	i := 0
	for i < len(h) && !h[i].After(now.Add(-l.window)) {
		i++
	}
	h = h[i:]
	if len(h) == 0 {
		delete(l.hits, key)
		return nil
	}
	l.hits[key] = h
	return h
}

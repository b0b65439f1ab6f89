package store

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"time"

	"pastel/internal/clock"
	"pastel/internal/ratelimit"
	"pastel/internal/store/dbgen"
)

// RateLimiter is a ratelimit.Limiter counted in PostgreSQL, so every
// replica spends from the same budget: a sliding window per key (the current
// window's hits plus the previous window's, weighted by how much of it is
// still within one window of now), updated by one atomic upsert per request.
type RateLimiter struct {
	q    *dbgen.Queries
	name string
	rate ratelimit.Rate
	now  func() time.Time
}

var _ ratelimit.Limiter = (*RateLimiter)(nil)

// RateLimiter returns the limiter of the budget name (its keys are counted
// apart from other budgets' keys) with rate r; now is the clock (nil:
// time.Now). Replicas share a budget when they use the same name and rate.
func (s *Store) RateLimiter(name string, r ratelimit.Rate, now clock.Clock) *RateLimiter {
	if now == nil {
		now = time.Now
	}
	return &RateLimiter{q: s.q, name: name, rate: r, now: now}
}

// Budgets returns the abuse budgets of rates r counted in PostgreSQL.
func (s *Store) Budgets(r ratelimit.Rates, now clock.Clock) *ratelimit.Budgets {
	return ratelimit.NewBudgets(r, func(name string, r ratelimit.Rate) ratelimit.Limiter {
		return s.RateLimiter(name, r, now)
	})
}

// Allow implements ratelimit.Limiter. When the database does not answer it
// returns an error (ErrUnavailable for a lost connection): the caller refuses
// the request.
func (l *RateLimiter) Allow(ctx context.Context, key string, cost int) (ratelimit.Decision, error) {
	return l.allowAt(ctx, key, cost, l.now())
}

// keyHash is the row's key: a SHA-256 of the budget's name and key, so no
// client address or account name is kept in clear.
func (l *RateLimiter) keyHash(key string) []byte {
	h := sha256.Sum256([]byte(l.name + "\x00" + key))
	return h[:]
}

// allowAt is Allow at the time now.
func (l *RateLimiter) allowAt(ctx context.Context, key string, cost int, now time.Time) (ratelimit.Decision, error) {
	w := l.rate.Per
	start := now.Truncate(w)
	row, err := l.q.SpendRateLimit(ctx, dbgen.SpendRateLimitParams{
		KeyHash:         l.keyHash(key),
		WindowStart:     start,
		PrevWindowStart: start.Add(-w),
		PrevWeight:      1 - float64(now.Sub(start))/float64(w),
		Need:            int32(max(cost, 1)),
		Cost:            int32(cost),
		MaxHits:         int32(l.rate.Limit),
		ExpiresAt:       start.Add(2 * w),
	})
	if err != nil {
		return ratelimit.Decision{}, fmt.Errorf("rate limit %s: %w", l.name, translate(err))
	}
	return l.decide(now, row.WindowStart, int(row.Hits), int(row.PrevHits), row.Allowed, max(cost, 1)), nil
}

// decide turns a row as it is after a request into the Decision: what is
// left now, and when the estimate falls far enough for need more.
func (l *RateLimiter) decide(now, start time.Time, hits, prev int, allowed bool, need int) ratelimit.Decision {
	w := l.rate.Per
	limit := float64(l.rate.Limit)
	elapsed := min(max(now.Sub(start), 0), w)
	left := w - elapsed // of the current window
	est := float64(prev)*(1-float64(elapsed)/float64(w)) + float64(hits)
	d := ratelimit.Decision{Allowed: allowed, Limit: l.rate.Limit, Remaining: max(int(math.Floor(limit-est)), 0)}
	switch {
	case hits > 0:
		d.Reset = left + w
	case prev > 0:
		d.Reset = left
	}
	if allowed {
		return d
	}
	// The previous window's share shrinks linearly to nothing at the end of
	// this one; then this window's hits become the previous window's.
	switch free := limit - float64(hits) - float64(need); {
	case free >= 0 && prev > 0:
		d.RetryAfter = time.Duration(float64(w)*(1-free/float64(prev))) - elapsed
	case float64(need) <= limit && hits > 0:
		d.RetryAfter = left + time.Duration(float64(w)*(1-(limit-float64(need))/float64(hits)))
	default: // more than the whole budget: never within two windows
		d.RetryAfter = left + w
	}
	d.RetryAfter = max(d.RetryAfter, time.Second)
	return d
}

// SweepRateLimits deletes the counts that have expired by now (they count
// nothing any more), and returns how many.
func (s *Store) SweepRateLimits(ctx context.Context, now time.Time) (int, error) {
	n, err := s.q.DeleteStaleRateLimits(ctx, now)
	if err != nil {
		return 0, fmt.Errorf("sweep rate limits: %w", translate(err))
	}
	return int(n), nil
}

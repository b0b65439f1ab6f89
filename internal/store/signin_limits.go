package store

import (
	"context"
	"fmt"
	"time"

	"pastel/internal/account"
	"pastel/internal/ratelimit"
)

// SignInLimiter is an account.Limiter counted in PostgreSQL, so that every
// replica spends from one budget of sign-in failures per key: N replicas do
// not give an attacker N times the guesses. It is a RateLimiter (the write
// budgets' sliding window in rate_limits, keyed by a SHA-256 of the budget
// name and the key, swept with them) used at the time the Service passes.
// Each call is one statement. When the database does not answer, Blocked
// and Fail return its error (paste.ErrUnavailable for a lost connection), so
// the sign-in is refused: it fails closed.
type SignInLimiter struct {
	rl *RateLimiter
}

var _ account.Limiter = (*SignInLimiter)(nil)

// SignInLimiter returns the limiter of the budget name allowing max
// failures per key within window. Replicas share the budget when they use
// the same name, max and window.
func (s *Store) SignInLimiter(name string, max int, window time.Duration) *SignInLimiter {
	return &SignInLimiter{rl: s.RateLimiter(name, ratelimit.Rate{Limit: max, Per: window}, nil)}
}

// Blocked implements account.Limiter: it spends nothing, and asks whether
// one more failure would still be within the budget.
func (l *SignInLimiter) Blocked(ctx context.Context, key string, now time.Time) (bool, time.Duration, error) {
	d, err := l.rl.allowAt(ctx, key, 0, now)
	if err != nil {
		return false, 0, err
	}
	return !d.Allowed, d.RetryAfter, nil
}

// Fail implements account.Limiter.
func (l *SignInLimiter) Fail(ctx context.Context, key string, now time.Time) error {
	_, err := l.rl.allowAt(ctx, key, 1, now)
	return err
}

// Reset implements account.Limiter.
func (l *SignInLimiter) Reset(ctx context.Context, key string) error {
	if err := l.rl.q.DeleteRateLimit(ctx, l.rl.keyHash(key)); err != nil {
		return fmt.Errorf("sign-in limit %s: %w", l.rl.name, translate(err))
	}
	return nil
}

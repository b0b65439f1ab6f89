// Package ratelimit provides request budgets: the Limiter interface, an
// in-memory token bucket for limits each process may keep to itself (the
// API's read budgets), and Budgets, the abuse budgets every surface spends
// from with one key per caller, so a form POST and an API call of the same
// kind come out of the same budget. The PostgreSQL limiter that makes
// Budgets hold across replicas lives in internal/store.
package ratelimit

import (
	"context"
	"math"
	"strconv"
	"sync"
	"time"

	"pastel/internal/clock"
)

// Rate is a budget's size: Limit requests per Per.
type Rate struct {
	Limit int
	Per   time.Duration
}

// PerMinute is n requests a minute.
func PerMinute(n int) Rate { return Rate{Limit: n, Per: time.Minute} }

// PerHour is n requests an hour.
func PerHour(n int) Rate { return Rate{Limit: n, Per: time.Hour} }

// Decision is a limiter's answer for one request.
type Decision struct {
	Allowed    bool
	Limit      int           // the budget's size (RateLimit-Limit)
	Remaining  int           // what is left after this request (RateLimit-Remaining)
	Reset      time.Duration // until the whole budget is back (RateLimit-Reset)
	RetryAfter time.Duration // until a request is allowed again; 0 when allowed
}

// Limiter decides whether key may spend cost more requests now, and spends
// them when it may. A cost of 0 spends nothing: Allowed then says whether a
// request of cost 1 would pass. A limiter that cannot decide (its database is
// down) returns an error, and callers refuse the request: it fails closed.
type Limiter interface {
	Allow(ctx context.Context, key string, cost int) (Decision, error)
}

// Buckets is an in-memory Limiter: a token bucket per key holding up to
// Limit tokens, refilled smoothly at Limit per Per. Each process keeps its
// own, so it suits limits that may be per replica.
type Buckets struct {
	mu        sync.Mutex
	limit     int
	perSec    float64
	now       func() time.Time
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

var _ Limiter = (*Buckets)(nil)

// NewBuckets returns token buckets of rate r; now is the clock (nil:
// time.Now).
func NewBuckets(r Rate, now clock.Clock) *Buckets {
	if now == nil {
		now = time.Now
	}
	return &Buckets{limit: r.Limit, perSec: float64(r.Limit) / r.Per.Seconds(), now: now, buckets: map[string]*bucket{}}
}

// Allow implements Limiter; it never fails.
func (s *Buckets) Allow(_ context.Context, key string, cost int) (Decision, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweep(now)
	b, ok := s.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(s.limit), at: now}
		s.buckets[key] = b
	}
	if d := now.Sub(b.at).Seconds(); d > 0 {
		b.tokens = math.Min(float64(s.limit), b.tokens+d*s.perSec)
	}
	b.at = now
	need := float64(max(cost, 1))
	d := Decision{Allowed: b.tokens >= need, Limit: s.limit}
	if d.Allowed {
		b.tokens -= float64(cost)
	} else {
		d.RetryAfter = s.until(need - b.tokens)
	}
	d.Remaining = max(int(b.tokens), 0)
	d.Reset = s.until(float64(s.limit) - b.tokens)
	return d, nil
}

func (s *Buckets) until(tokens float64) time.Duration {
	if tokens <= 0 {
		return 0
	}
	return time.Duration(tokens / s.perSec * float64(time.Second))
}

// sweep drops buckets that have refilled completely (they equal a new one),
// at most once a minute, so memory follows the callers of the last minute.
func (s *Buckets) sweep(now time.Time) {
	if now.Sub(s.lastSweep) < time.Minute {
		return
	}
	s.lastSweep = now
	for k, b := range s.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*s.perSec >= float64(s.limit) {
			delete(s.buckets, k)
		}
	}
}

// Rates size Budgets.
type Rates struct {
	UserWrites    Rate // writes per signed-in user
	AddressWrites Rate // writes per client address of callers not signed in
	Registrations Rate // registrations per client address
}

// DefaultRates are the budgets when nothing is configured: 120 writes a
// minute per user, 60 per anonymous address, 5 registrations an hour per
// address.
var DefaultRates = Rates{UserWrites: PerMinute(120), AddressWrites: PerMinute(60), Registrations: PerHour(5)}

// WithDefaults fills the rates left zero from DefaultRates.
func (r Rates) WithDefaults() Rates {
	def := func(v *Rate, d Rate) {
		if v.Limit <= 0 || v.Per <= 0 {
			*v = d
		}
	}
	def(&r.UserWrites, DefaultRates.UserWrites)
	def(&r.AddressWrites, DefaultRates.AddressWrites)
	def(&r.Registrations, DefaultRates.Registrations)
	return r
}

// Budgets are the abuse budgets: every surface (HTML forms, the JSON API)
// spends from them with the same keys, so a caller has one budget whatever
// it uses. A caller is its user when signed in, else its client address.
//
// Writes are creates and edits of pastes, comments and replies, votes,
// stars, reports and share links, and registrations.
type Budgets struct {
	userWrites, addressWrites, registrations Limiter
}

// NewBudgets returns budgets of rates r (zero rates take the defaults), one
// limiter per budget from newLimiter, which gets the budget's name (stable:
// a shared store keys its counts by it).
func NewBudgets(r Rates, newLimiter func(name string, r Rate) Limiter) *Budgets {
	r = r.WithDefaults()
	return &Budgets{
		userWrites:    newLimiter("writes:user", r.UserWrites),
		addressWrites: newLimiter("writes:addr", r.AddressWrites),
		registrations: newLimiter("registrations:addr", r.Registrations),
	}
}

// InMemory returns budgets kept in this process only (one replica, tests).
func InMemory(r Rates, now clock.Clock) *Budgets {
	return NewBudgets(r, func(_ string, r Rate) Limiter { return NewBuckets(r, now) })
}

// Write spends one write of the caller: userID's budget when it is set,
// else the client address's.
func (b *Budgets) Write(ctx context.Context, userID int64, addr string) (Decision, error) {
	if userID != 0 {
		return b.userWrites.Allow(ctx, strconv.FormatInt(userID, 10), 1)
	}
	return b.addressWrites.Allow(ctx, addr, 1)
}

// Register spends one registration of the client address, and one write:
// a registration is refused when either budget is spent.
func (b *Budgets) Register(ctx context.Context, addr string) (Decision, error) {
	d, err := b.registrations.Allow(ctx, addr, 1)
	if err != nil || !d.Allowed {
		return d, err
	}
	w, err := b.addressWrites.Allow(ctx, addr, 1)
	if err != nil || !w.Allowed || w.Remaining < d.Remaining {
		return w, err
	}
	return d, nil
}

// Guesses spends password guesses from a Limiter, one per attempt (the
// shape paste.GuessLimiter asks for).
type Guesses struct{ Limiter Limiter }

// AllowGuess spends one guess of key.
func (g Guesses) AllowGuess(ctx context.Context, key string) (bool, time.Duration, error) {
	d, err := g.Limiter.Allow(ctx, key, 1)
	return d.Allowed, d.RetryAfter, err
}

// Rates of paste password guesses: per paste, whoever guesses, and per
// client address, whatever paste it guesses at.
var (
	PasswordGuessesPerPaste   = PerMinute(30)
	PasswordGuessesPerAddress = PerMinute(10)
)

package api

import (
	"errors"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/account"
	"pastel/internal/paste"
)

// RateLimits are the API's request budgets, per minute, refilled smoothly
// (token buckets). Each process keeps its own buckets in memory: with N
// replicas behind a balancer a caller may get up to N times the budget.
// Zero fields take the defaults.
type RateLimits struct {
	User        int // requests per signed-in user (per bearer identity); default 600
	Anonymous   int // requests per client address without a token; default 120
	UserCreates int // POST requests per signed-in user; default 120
	AnonCreates int // POST requests per client address; default 60
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

func (l RateLimits) withDefaults() RateLimits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.User, 600)
	def(&l.Anonymous, 120)
	def(&l.UserCreates, 120)
	def(&l.AnonCreates, 60)
	if l.Now == nil {
		l.Now = time.Now
	}
	return l
}

// limiters holds one bucket set per budget.
type limiters struct {
	user, anon, userCreates, anonCreates, badAuth *bucketSet
}

func newLimiters(l RateLimits) *limiters {
	l = l.withDefaults()
	return &limiters{
		user:        newBucketSet(l.User, l.Now),
		anon:        newBucketSet(l.Anonymous, l.Now),
		userCreates: newBucketSet(l.UserCreates, l.Now),
		anonCreates: newBucketSet(l.AnonCreates, l.Now),
		// Invalid bearer tokens cost the address anonymous budget, so token
		// guessing is limited like any anonymous traffic.
		badAuth: newBucketSet(l.Anonymous, l.Now),
	}
}

// bucketSet is a token bucket per key: perMinute tokens of capacity,
// refilled at perMinute per minute.
type bucketSet struct {
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

// quota is the state of a bucket after a request, for the RateLimit-* headers.
type quota struct {
	limit      int
	remaining  int
	reset      time.Duration // until the bucket is full again
	retryAfter time.Duration // until one request is allowed; 0 when allowed now
}

func newBucketSet(perMinute int, now func() time.Time) *bucketSet {
	return &bucketSet{limit: perMinute, perSec: float64(perMinute) / 60, now: now, buckets: map[string]*bucket{}}
}

// take spends one token of key's bucket when spend is set (otherwise only
// looks) and reports the quota.
func (s *bucketSet) take(key string, spend bool) (quota, bool) {
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
	allowed := b.tokens >= 1
	if allowed && spend {
		b.tokens--
	}
	q := quota{limit: s.limit, remaining: int(b.tokens), reset: s.until(float64(s.limit) - b.tokens)}
	if !allowed {
		q.retryAfter = s.until(1 - b.tokens)
	}
	return q, allowed
}

func (s *bucketSet) until(tokens float64) time.Duration {
	if tokens <= 0 {
		return 0
	}
	return time.Duration(tokens / s.perSec * float64(time.Second))
}

// sweep drops buckets that have refilled completely (they equal a new one),
// at most once a minute, so memory follows the callers of the last minute.
func (s *bucketSet) sweep(now time.Time) {
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

func ceilSeconds(d time.Duration) int {
	return int(math.Ceil(d.Seconds()))
}

// setQuota writes the RateLimit-* headers (draft-ietf-httpapi-ratelimit-headers).
func setQuota(c *fiber.Ctx, q quota) {
	c.Set("RateLimit-Limit", strconv.Itoa(q.limit))
	c.Set("RateLimit-Remaining", strconv.Itoa(q.remaining))
	c.Set("RateLimit-Reset", strconv.Itoa(ceilSeconds(q.reset)))
}

// charge spends one request from each bucket set for key, sets the headers of
// the tightest one, and returns a rate-limit error when any is empty.
func charge(c *fiber.Ctx, key string, sets ...*bucketSet) error {
	var shown quota
	var wait time.Duration
	for i, s := range sets {
		q, ok := s.take(key, true)
		switch {
		case !ok && q.retryAfter > wait:
			wait, shown = q.retryAfter, q
		case wait == 0 && (i == 0 || q.remaining < shown.remaining):
			shown = q
		}
	}
	setQuota(c, shown)
	if wait > 0 {
		// retryAfter in auth.go rounds down and adds one second.
		return &account.RateLimitError{RetryAfter: wait}
	}
	return nil
}

func isCreate(c *fiber.Ctx) bool { return c.Method() == fiber.MethodPost }

// limitAddress runs before authentication. Requests without a token spend
// their client address's anonymous budget. Requests with a token are charged
// to the user after authentication (limitCaller); only an invalid token costs
// the address, and an address that spent its budget on invalid tokens is
// refused before its next token is even checked.
func (h *handler) limitAddress(c *fiber.Ctx) error {
	addr := "addr:" + paste.ClientAddr(c.UserContext())
	if c.Get(fiber.HeaderAuthorization) == "" {
		sets := []*bucketSet{h.limits.anon}
		if isCreate(c) {
			sets = append(sets, h.limits.anonCreates)
		}
		if err := charge(c, addr, sets...); err != nil {
			return err
		}
		return c.Next()
	}
	if q, ok := h.limits.badAuth.take(addr, false); !ok {
		setQuota(c, q)
		return &account.RateLimitError{RetryAfter: q.retryAfter}
	}
	err := c.Next()
	if errors.Is(err, account.ErrInvalidToken) {
		q, _ := h.limits.badAuth.take(addr, true)
		setQuota(c, q)
	}
	return err
}

// limitCaller runs after authentication and charges signed-in callers'
// requests to their user, wherever they come from.
func (h *handler) limitCaller(c *fiber.Ctx) error {
	v := paste.ViewerFrom(c.UserContext())
	if !v.SignedIn() {
		return c.Next()
	}
	key := "user:" + strconv.FormatInt(v.UserID, 10)
	sets := []*bucketSet{h.limits.user}
	if isCreate(c) {
		sets = append(sets, h.limits.userCreates)
	}
	if err := charge(c, key, sets...); err != nil {
		return err
	}
	return c.Next()
}

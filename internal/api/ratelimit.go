package api

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/account"
	"pastel/internal/clock"
	"pastel/internal/paste"
	"pastel/internal/ratelimit"
)

// RateLimits are the API's budgets. Requests of every kind spend a
// per-minute budget kept in each process's memory (token buckets): with N
// replicas a caller may read up to N times as much. Writes (creates and edits
// of pastes and comments, ratings, stars, reports, share links) and
// registrations also spend Budgets, which the HTML forms spend from too and
// which, built over PostgreSQL, every replica shares. Zero fields take the
// defaults.
type RateLimits struct {
	User      int // requests per signed-in user (per bearer identity); default 600
	Anonymous int // requests per client address without a token; default 120
	// UserCreates and AnonCreates size the in-memory Budgets built when
	// Budgets is nil: writes per minute per user and per address (default
	// 120 and 60).
	UserCreates int
	AnonCreates int
	// Budgets are the write and registration budgets shared with the HTML
	// forms; nil: in memory, from UserCreates and AnonCreates.
	Budgets *ratelimit.Budgets
	// Now is the clock (nil: time.Now).
	Now clock.Clock
}

func (l RateLimits) withDefaults() RateLimits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.User, 600)
	def(&l.Anonymous, 120)
	if l.Now == nil {
		l.Now = time.Now
	}
	if l.Budgets == nil {
		l.Budgets = l.MemoryBudgets()
	}
	return l
}

// MemoryBudgets returns Budgets kept in this process, sized by UserCreates
// and AnonCreates (the defaults where zero).
func (l RateLimits) MemoryBudgets() *ratelimit.Budgets {
	return ratelimit.InMemory(ratelimit.Rates{
		UserWrites:    ratelimit.PerMinute(l.UserCreates),
		AddressWrites: ratelimit.PerMinute(l.AnonCreates),
	}, l.Now)
}

// limiters holds the in-memory request budgets and the shared ones.
type limiters struct {
	user, anon, badAuth *ratelimit.Buckets
	budgets             *ratelimit.Budgets
}

func newLimiters(l RateLimits) *limiters {
	l = l.withDefaults()
	return &limiters{
		user: ratelimit.NewBuckets(ratelimit.PerMinute(l.User), l.Now),
		anon: ratelimit.NewBuckets(ratelimit.PerMinute(l.Anonymous), l.Now),
		// Invalid bearer tokens cost the address anonymous budget, so token
		// guessing is limited like any anonymous traffic.
		badAuth: ratelimit.NewBuckets(ratelimit.PerMinute(l.Anonymous), l.Now),
		budgets: l.Budgets,
	}
}

func ceilSeconds(d time.Duration) int {
	return int(math.Ceil(d.Seconds()))
}

// SetQuota writes the RateLimit-* headers (draft-ietf-httpapi-ratelimit-headers)
// of d.
func SetQuota(c *fiber.Ctx, d ratelimit.Decision) {
	c.Set("RateLimit-Limit", strconv.Itoa(d.Limit))
	c.Set("RateLimit-Remaining", strconv.Itoa(d.Remaining))
	c.Set("RateLimit-Reset", strconv.Itoa(ceilSeconds(d.Reset)))
}

// spend takes one request from each limiter for its key, in order, stopping
// at the first refusal; it sets the headers of the tightest budget (the
// refusing one, else the one with the least left) and returns a rate-limit
// error on refusal. Cheap in-memory limiters go first, so a caller over its
// request budget costs the database nothing.
func spend(c *fiber.Ctx, steps ...func(context.Context) (ratelimit.Decision, error)) error {
	var shown ratelimit.Decision
	for i, step := range steps {
		d, err := step(c.UserContext())
		if err != nil {
			return err // the limiter cannot count: refuse (503)
		}
		if i == 0 || !d.Allowed || d.Remaining < shown.Remaining {
			shown = d
		}
		if !d.Allowed {
			SetQuota(c, shown)
			// retryAfter in auth.go rounds down and adds one second.
			return &account.RateLimitError{RetryAfter: d.RetryAfter}
		}
	}
	SetQuota(c, shown)
	return nil
}

func bucket(b *ratelimit.Buckets, key string) func(context.Context) (ratelimit.Decision, error) {
	return func(ctx context.Context) (ratelimit.Decision, error) { return b.Allow(ctx, key, 1) }
}

// apiPath is the request's path below /api/v1.
func apiPath(c *fiber.Ctx) string {
	p := c.Path()
	if i := strings.Index(p, "/api/v1"); i >= 0 {
		return p[i+len("/api/v1"):]
	}
	return p
}

func isRegistration(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodPost && strings.TrimSuffix(apiPath(c), "/") == "/auth/register"
}

// isWrite says whether a request spends the caller's shared write budget:
// every POST, PUT and PATCH (pastes, edits, forks, comments, ratings, stars,
// reports, share links) but sign-in and token requests, which have their own
// limits, and moderation.
func isWrite(c *fiber.Ctx) bool {
	switch c.Method() {
	case fiber.MethodPost, fiber.MethodPut, fiber.MethodPatch:
	default:
		return false
	}
	p := apiPath(c)
	return !strings.HasPrefix(p, "/auth/") && !strings.HasPrefix(p, "/admin/")
}

// limitAddress runs before authentication. Requests without a token spend
// their client address's anonymous budget (and writes its write budget).
// Registrations spend the address's registration budget whatever they carry.
// Requests with a token are charged to the user after authentication
// (limitCaller); only an invalid token costs the address, and an address
// that spent its budget on invalid tokens is refused before its next token is
// even checked.
func (h *handler) limitAddress(c *fiber.Ctx) error {
	addr := paste.ClientAddr(c.UserContext())
	if c.Get(fiber.HeaderAuthorization) == "" {
		steps := []func(context.Context) (ratelimit.Decision, error){bucket(h.limits.anon, addr)}
		switch {
		case isRegistration(c):
			steps = append(steps, func(ctx context.Context) (ratelimit.Decision, error) {
				return h.limits.budgets.Register(ctx, addr)
			})
		case isWrite(c):
			steps = append(steps, func(ctx context.Context) (ratelimit.Decision, error) {
				return h.limits.budgets.Write(ctx, 0, addr)
			})
		}
		if err := spend(c, steps...); err != nil {
			return err
		}
		return c.Next()
	}
	if d, _ := h.limits.badAuth.Allow(c.UserContext(), addr, 0); !d.Allowed {
		SetQuota(c, d)
		return &account.RateLimitError{RetryAfter: d.RetryAfter}
	}
	if isRegistration(c) {
		// A token does not make a registration anyone's: the address pays.
		if err := spend(c, func(ctx context.Context) (ratelimit.Decision, error) {
			return h.limits.budgets.Register(ctx, addr)
		}); err != nil {
			return err
		}
	}
	err := c.Next()
	if errors.Is(err, account.ErrInvalidToken) {
		d, _ := h.limits.badAuth.Allow(c.UserContext(), addr, 1)
		SetQuota(c, d)
	}
	return err
}

// limitCaller runs after authentication and charges signed-in callers'
// requests (and writes) to their user, wherever they come from.
func (h *handler) limitCaller(c *fiber.Ctx) error {
	v := paste.ViewerFrom(c.UserContext())
	if !v.SignedIn() {
		return c.Next()
	}
	steps := []func(context.Context) (ratelimit.Decision, error){bucket(h.limits.user, "user:"+strconv.FormatInt(v.UserID, 10))}
	if isWrite(c) {
		steps = append(steps, func(ctx context.Context) (ratelimit.Decision, error) {
			return h.limits.budgets.Write(ctx, v.UserID, "")
		})
	}
	if err := spend(c, steps...); err != nil {
		return err
	}
	return c.Next()
}

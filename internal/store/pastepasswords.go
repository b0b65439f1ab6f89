package store

import (
	"pastel/internal/clock"
	"pastel/internal/paste"
	"pastel/internal/ratelimit"
)

// PasswordGuesses returns the budgets of password guesses at pastes, per
// paste and per client address, counted in PostgreSQL so that every
// replica spends from the same ones; now is the clock (nil: time.Now).
func (s *Store) PasswordGuesses(perPaste, perAddress ratelimit.Rate, now clock.Clock) (paste.GuessLimiter, paste.GuessLimiter) {
	return ratelimit.Guesses{Limiter: s.RateLimiter("paste-password:paste", perPaste, now)},
		ratelimit.Guesses{Limiter: s.RateLimiter("paste-password:addr", perAddress, now)}
}

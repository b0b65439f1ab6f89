package paste

import (
	"context"
	"strings"
	"time"
)

// Discovery: explore by language, trending this week, a user's languages.

const (
	// TrendingWindow is how far back trending counts activity.
	TrendingWindow = 7 * 24 * time.Hour
	// ViewRetention is how long per-day views are kept: the trending
	// window and the day being counted.
	ViewRetention = TrendingWindow + ViewWindow
	// TrendingSize is how many pastes the trending page shows (one page).
	TrendingSize = 30
	// TrendingKept is how many pastes a trending rebuild keeps: enough
	// that pastes turning private or expiring before the next rebuild
	// leave the page full.
	TrendingKept = 300
	// languageSample is how many of the latest public pastes the explore
	// page's language list is counted over.
	languageSample = 1000
	// maxLanguages bounds a language list.
	maxLanguages = 12
)

// LanguageCount is a syntax and how many pastes use it.
type LanguageCount struct {
	Syntax string
	Pastes int64
}

// DiscoveryQuery selects public pastes for the explore page.
type DiscoveryQuery struct {
	Syntax string
	Tag    string // ListByTag's
	Now    time.Time
	Before *Cursor
	Limit  int
}

// ListByLanguage returns recent public pastes in one syntax, newest first.
// An unknown syntax is a validation error naming language.
func (s *Service) ListByLanguage(ctx context.Context, language, cursor string, limit int) (Page, error) {
	repo, err := s.community()
	if err != nil {
		return Page{}, err
	}
	syntax, ok := s.syntaxes.Canonical(strings.TrimSpace(language))
	if !ok || CheckText(language, MaxSyntaxLen) != "" {
		return Page{}, FieldError("language", "is not a known syntax")
	}
	before, err := DecodeCursor(cursor)
	if err != nil {
		return Page{}, err
	}
	limit = ClampLimit(limit)
	items, err := repo.ListByLanguage(ctx, DiscoveryQuery{Syntax: syntax, Now: s.opts.Now(), Before: before, Limit: limit + 1})
	if err != nil {
		return Page{}, err
	}
	var page Page
	page.Items, page.NextCursor = NextPage(items, limit, func(last Paste) string {
		return Cursor{CreatedAt: last.CreatedAt, ID: last.ID}.Encode()
	})
	return page, nil
}

// Languages returns the syntaxes of the latest public pastes, most used
// first: the explore page's language list.
func (s *Service) Languages(ctx context.Context) ([]LanguageCount, error) {
	repo, err := s.community()
	if err != nil {
		return nil, err
	}
	return repo.RecentLanguages(ctx, s.opts.Now(), languageSample, maxLanguages)
}

// UserLanguages returns the syntaxes of a user's publicly readable
// pastes, most used first.
func (s *Service) UserLanguages(ctx context.Context, userID int64) ([]LanguageCount, error) {
	repo, err := s.community()
	if err != nil {
		return nil, err
	}
	return repo.UserLanguages(ctx, userID, s.opts.Now(), maxLanguages)
}

// RefreshTrending rebuilds the trending list now (a scheduled task, once
// a minute across replicas) and returns its length.
func (s *Service) RefreshTrending(ctx context.Context) (int, error) {
	repo, err := s.community()
	if err != nil {
		return 0, err
	}
	now := s.opts.Now()
	return repo.RefreshTrending(ctx, now, now.Add(-TrendingWindow), TrendingKept)
}

// ListTrending returns the pastes with the most activity in the last
// TrendingWindow: score = views + 3 × stars + 2 × (likes − dislikes),
// where a view is one visitor on one day and stars and votes count when
// they were given in the window. The ranking is the last RefreshTrending's
// (at most a minute old); a paste that stopped being publicly readable
// since is left out at once. One page of TrendingSize; empty until the
// first rebuild or when nothing happened this week.
func (s *Service) ListTrending(ctx context.Context) (Page, error) {
	repo, err := s.community()
	if err != nil {
		return Page{}, err
	}
	items, err := repo.ListTrending(ctx, s.opts.Now(), TrendingSize)
	return Page{Items: items}, err
}

// Now returns the time of the service's clock, the one that decides
// expiry: whoever keeps what a list returned compares it with this (see
// ValidUntil).
func (s *Service) Now() time.Time { return s.opts.Now() }

// ValidUntil returns the earliest expiry among ps, zero when none of them
// expires: a list showing ps is true until then (in the service's clock,
// Service.Now), unless something changes.
func ValidUntil(ps []Paste) time.Time {
	var until time.Time
	for _, p := range ps {
		if !p.ExpiresAt.IsZero() && (until.IsZero() || p.ExpiresAt.Before(until)) {
			until = p.ExpiresAt
		}
	}
	return until
}

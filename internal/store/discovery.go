package store

import (
	"context"
	"time"

	"pastel/internal/paste"
	"pastel/internal/store/dbgen"
)

// ListByLanguage implements paste.CommunityRepository.
func (s *Community) ListByLanguage(ctx context.Context, q paste.DiscoveryQuery) ([]paste.Paste, error) {
	beforeAt, beforeID := farFuture, ""
	if q.Before != nil {
		beforeAt, beforeID = q.Before.CreatedAt, string(q.Before.ID)
	}
	rows, err := s.q.ListPublicPastesBySyntax(ctx, dbgen.ListPublicPastesBySyntaxParams{
		Syntax: q.Syntax, Now: q.Now, BeforeCreatedAt: beforeAt, BeforeID: beforeID, MaxRows: int32(q.Limit),
	})
	if err != nil {
		return nil, translate(err)
	}
	out := make([]paste.Paste, len(rows))
	for i, r := range rows {
		out[i] = toPaste(r.Paste, r.OwnerName)
	}
	return out, nil
}

// RecentLanguages implements paste.CommunityRepository.
func (s *Community) RecentLanguages(ctx context.Context, now time.Time, sample, max int) ([]paste.LanguageCount, error) {
	rows, err := s.q.RecentLanguages(ctx, dbgen.RecentLanguagesParams{Now: now, Sample: int32(sample), MaxRows: int32(max)})
	if err != nil {
		return nil, translate(err)
	}
	out := make([]paste.LanguageCount, len(rows))
	for i, r := range rows {
		out[i] = paste.LanguageCount{Syntax: r.Syntax, Pastes: r.Pastes}
	}
	return out, nil
}

// UserLanguages implements paste.CommunityRepository.
func (s *Community) UserLanguages(ctx context.Context, userID int64, now time.Time, max int) ([]paste.LanguageCount, error) {
	rows, err := s.q.UserLanguages(ctx, dbgen.UserLanguagesParams{OwnerID: userID, Now: now, MaxRows: int32(max)})
	if err != nil {
		return nil, translate(err)
	}
	out := make([]paste.LanguageCount, len(rows))
	for i, r := range rows {
		out[i] = paste.LanguageCount{Syntax: r.Syntax, Pastes: r.Pastes}
	}
	return out, nil
}

// ListTrending implements paste.CommunityRepository.
func (s *Community) ListTrending(ctx context.Context, now, since time.Time, limit int) ([]paste.Paste, error) {
	// Ten candidates a place: the best-scored pastes that have since
	// turned private, expired or gone leave room enough.
	rows, err := s.q.ListTrendingPastes(ctx, dbgen.ListTrendingPastesParams{Now: now, Since: since, Candidates: int32(10 * limit), MaxRows: int32(limit)})
	if err != nil {
		return nil, translate(err)
	}
	out := make([]paste.Paste, len(rows))
	for i, r := range rows {
		out[i] = toPaste(r.Paste, r.OwnerName)
	}
	return out, nil
}

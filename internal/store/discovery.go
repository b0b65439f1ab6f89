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

// RefreshTrending implements paste.CommunityRepository. It rebuilds the
// trending_pastes table in one transaction (readers keep seeing the old
// list until it commits) with the size best-scored pastes publicly
// readable at now, by activity since since:
//
//	score = views + 3·stars + 2·(likes − dislikes)
//
// (views: distinct visitors a day; stars and votes given since since).
// Pastes scoring nothing are not listed; ties go to the newer paste.
func (s *Community) RefreshTrending(ctx context.Context, now, since time.Time, size int) (int, error) {
	var n int64
	err := s.inTx(ctx, func(q *dbgen.Queries) error {
		if err := q.LockTrending(ctx); err != nil {
			return translate(err)
		}
		if err := q.ClearTrending(ctx); err != nil {
			return translate(err)
		}
		// Ten candidates a place, scored before any paste row is read:
		// the best-scored pastes that have turned private, expired or
		// gone leave room enough.
		var err error
		n, err = q.FillTrending(ctx, dbgen.FillTrendingParams{Now: now, Since: since, Candidates: int32(10 * size), MaxRows: int32(size)})
		return translate(err)
	})
	return int(n), err
}

// ListTrending implements paste.CommunityRepository.
func (s *Community) ListTrending(ctx context.Context, now time.Time, limit int) ([]paste.Paste, error) {
	rows, err := s.q.ListTrendingPastes(ctx, dbgen.ListTrendingPastesParams{Now: now, MaxRows: int32(limit)})
	if err != nil {
		return nil, translate(err)
	}
	out := make([]paste.Paste, len(rows))
	for i, r := range rows {
		out[i] = toPaste(r.Paste, r.OwnerName)
	}
	return out, nil
}

package store

import (
	"context"
	"time"

	"pastel/internal/paste"
	"pastel/internal/store/dbgen"
)

// ListByTag implements paste.CommunityRepository.
func (s *Community) ListByTag(ctx context.Context, q paste.DiscoveryQuery) ([]paste.Paste, error) {
	beforeAt, beforeID := farFuture, ""
	if q.Before != nil {
		beforeAt, beforeID = q.Before.CreatedAt, string(q.Before.ID)
	}
	rows, err := s.q.ListPublicPastesByTag(ctx, dbgen.ListPublicPastesByTagParams{
		Tag: q.Tag, Now: q.Now, BeforeCreatedAt: beforeAt, BeforeID: beforeID, MaxRows: int32(q.Limit),
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

// UserTags implements paste.CommunityRepository.
func (s *Community) UserTags(ctx context.Context, userID int64, now time.Time, max int) ([]paste.TagCount, error) {
	rows, err := s.q.UserTags(ctx, dbgen.UserTagsParams{OwnerID: userID, Now: now, MaxRows: int32(max)})
	if err != nil {
		return nil, translate(err)
	}
	out := make([]paste.TagCount, len(rows))
	for i, r := range rows {
		out[i] = paste.TagCount{Tag: r.Tag, Pastes: r.Pastes}
	}
	return out, nil
}

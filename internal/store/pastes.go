package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"pastel/internal/paste"
	"pastel/internal/store/dbgen"
)

// Pastes is the PostgreSQL paste.Repository.
type Pastes struct{ *Store }

var _ paste.Repository = Pastes{}

// Pastes returns the paste repository.
func (s *Store) Pastes() Pastes { return Pastes{s} }

// farFuture stands for "no cursor" in keyset queries.
var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

func toPaste(r dbgen.Paste, ownerName string) paste.Paste {
	p := paste.Paste{
		ID:               paste.ID(r.ID),
		OwnerName:        ownerName,
		Title:            r.Title,
		Syntax:           r.Syntax,
		Visibility:       paste.Visibility(r.Visibility),
		Size:             r.Size,
		CreatedAt:        r.CreatedAt.UTC(),
		UpdatedAt:        r.UpdatedAt.UTC(),
		BurnAfterReading: r.BurnAfterReading,
		Revision:         r.Revision,
		BlobKey:          r.BlobKey,
		SourceURL:        r.SourceUrl,
		DeleteTokenHash:  r.DeleteTokenHash,
		Likes:            r.Likes,
		Dislikes:         r.Dislikes,
		Stars:            r.Stars,
		Views:            r.Views,
		Preview:          r.Preview,
	}
	if r.OwnerID != nil {
		p.OwnerID = *r.OwnerID
	}
	if r.ExpiresAt != nil {
		p.ExpiresAt = r.ExpiresAt.UTC()
	}
	return p
}

func optInt64(v int64) *int64 {
	if v == 0 {
		return nil
	}
	return &v
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// InsertPaste implements paste.Repository: the paste and its search
// document are written in one transaction (the search_queue row comes from
// a trigger in that same transaction), shared with the creates that arrive
// at the same time (see insertBatcher).
func (s Pastes) InsertPaste(ctx context.Context, p paste.Paste, text string) error {
	if err := ctx.Err(); err != nil {
		return translate(err) // gone before it was queued: nothing written
	}
	p.Preview = paste.PreviewOf(text)
	return s.inserts.insert(ctx, p, text)
}

// insertPasteParams maps a new paste onto its row. CopyPastes takes the
// same fields (insertMany converts), so the two cannot drift apart.
func insertPasteParams(p paste.Paste) dbgen.InsertPasteParams {
	return dbgen.InsertPasteParams{
		ID:               string(p.ID),
		OwnerID:          optInt64(p.OwnerID),
		Title:            p.Title,
		Syntax:           p.Syntax,
		Visibility:       string(p.Visibility),
		Size:             p.Size,
		BlobKey:          p.BlobKey,
		SourceUrl:        p.SourceURL,
		BurnAfterReading: p.BurnAfterReading,
		DeleteTokenHash:  p.DeleteTokenHash,
		Revision:         p.Revision,
		CreatedAt:        p.CreatedAt,
		UpdatedAt:        p.UpdatedAt,
		ExpiresAt:        optTime(p.ExpiresAt),
		Preview:          p.Preview,
	}
}

// insertOne writes one paste and its search document in a transaction.
func (s *Store) insertOne(ctx context.Context, p paste.Paste, text, terms string) error {
	return s.inTx(ctx, func(q *dbgen.Queries) error {
		err := q.InsertPaste(ctx, insertPasteParams(p))
		if err != nil {
			return translate(err)
		}
		return translate(q.UpsertSearchDoc(ctx, searchDocParams(p, text, terms)))
	})
}

// PasteByID implements paste.Repository.
func (s Pastes) PasteByID(ctx context.Context, id paste.ID) (paste.Paste, error) {
	r, err := s.q.PasteByID(ctx, string(id))
	if err != nil {
		return paste.Paste{}, translate(err)
	}
	p := toPaste(r.Paste, r.OwnerName)
	p.OwnerDisabled = r.OwnerDisabled
	return p, nil
}

// BurnPaste implements paste.Repository: the row is deleted in a transaction
// that commits only once read has succeeded.
func (s Pastes) BurnPaste(ctx context.Context, id paste.ID, read func(paste.Paste) error) error {
	defer s.changed(id)
	return s.inTx(ctx, func(q *dbgen.Queries) error {
		r, err := q.DeleteBurnPaste(ctx, string(id))
		if err != nil {
			return translate(err)
		}
		return read(toPaste(r, ""))
	})
}

// DeletePaste implements paste.Repository.
func (s Pastes) DeletePaste(ctx context.Context, id paste.ID) (paste.Paste, error) {
	defer s.changed(id)
	r, err := s.q.DeletePaste(ctx, string(id))
	if err != nil {
		return paste.Paste{}, translate(err)
	}
	return toPaste(r, ""), nil
}

// ListPastes implements paste.Repository.
func (s Pastes) ListPastes(ctx context.Context, q paste.ListQuery) ([]paste.Paste, error) {
	beforeAt, beforeID := farFuture, ""
	if q.Before != nil {
		beforeAt, beforeID = q.Before.CreatedAt, string(q.Before.ID)
	}
	if q.OwnerID != 0 {
		rows, err := s.q.ListOwnerPastes(ctx, dbgen.ListOwnerPastesParams{
			OwnerID: q.OwnerID, IncludeAll: q.IncludeAll, Now: q.Now,
			BeforeCreatedAt: beforeAt, BeforeID: beforeID, MaxRows: int32(q.Limit),
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
	rows, err := s.q.ListPublicPastes(ctx, dbgen.ListPublicPastesParams{
		Now: q.Now, BeforeCreatedAt: beforeAt, BeforeID: beforeID, MaxRows: int32(q.Limit),
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

// DeleteExpired implements paste.Repository.
func (s Pastes) DeleteExpired(ctx context.Context, now time.Time, limit int) ([]string, error) {
	keys, err := s.q.DeleteExpiredPastes(ctx, dbgen.DeleteExpiredPastesParams{Now: now, MaxRows: int32(limit)})
	if len(keys) > 0 {
		// Copies of expired pastes are already unreadable (their expiry is
		// part of the copy); this frees them now rather than at the
		// notification.
		s.changed("")
	}
	return keys, translate(err)
}

// UnreferencedBlobKeys implements paste.Repository.
func (s Pastes) UnreferencedBlobKeys(ctx context.Context, keys []string) ([]string, error) {
	used, err := s.q.ReferencedBlobKeys(ctx, keys)
	if err != nil {
		return nil, translate(err)
	}
	seen := make(map[string]bool, len(used))
	for _, k := range used {
		seen[k] = true
	}
	var out []string
	for _, k := range keys {
		if !seen[k] {
			out = append(out, k)
		}
	}
	return out, nil
}

// UpdatePaste implements paste.Repository: the row and its search document
// change in one transaction.
func (s Pastes) UpdatePaste(ctx context.Context, old, p paste.Paste, text *string) (paste.Paste, error) {
	var r dbgen.Paste
	var preview *string
	if text != nil {
		v := paste.PreviewOf(*text)
		preview = &v
	}
	defer s.changed(old.ID)
	err := s.inTx(ctx, func(q *dbgen.Queries) error {
		var err error
		r, err = q.UpdatePaste(ctx, dbgen.UpdatePasteParams{
			NewID: string(p.ID), Title: p.Title, Syntax: p.Syntax, Visibility: string(p.Visibility),
			Size: p.Size, BlobKey: p.BlobKey, BurnAfterReading: p.BurnAfterReading,
			UpdatedAt: p.UpdatedAt, ExpiresAt: optTime(p.ExpiresAt), Preview: preview,
			ID: string(old.ID), Revision: old.Revision,
		})
		if err != nil {
			return translate(err)
		}
		var terms *string
		if text != nil {
			// An edit is not batched: its terms cost only the editor.
			t := indexTerms(*text)
			terms = &t
		}
		return translate(q.SyncSearchDoc(ctx, dbgen.SyncSearchDocParams{PasteID: r.ID, Body: text, Terms: terms}))
	})
	if err != nil {
		if errors.Is(err, paste.ErrNotFound) {
			// No row at that revision: gone, or changed by someone else.
			if _, gerr := s.PasteByID(ctx, old.ID); gerr == nil {
				return paste.Paste{}, fmt.Errorf("%w: the paste changed meanwhile", paste.ErrConflict)
			}
		}
		return paste.Paste{}, err
	}
	return toPaste(r, ""), nil
}

func toShareLink(r dbgen.ShareLink) paste.ShareLink {
	l := paste.ShareLink{ID: r.ID, PasteID: paste.ID(r.PasteID), CreatedAt: r.CreatedAt.UTC()}
	if r.LastUsedAt != nil {
		t := r.LastUsedAt.UTC()
		l.LastUsedAt = &t
	}
	return l
}

// InsertShareLink implements paste.Repository.
func (s Pastes) InsertShareLink(ctx context.Context, id paste.ID, hash []byte, now time.Time) (paste.ShareLink, error) {
	r, err := s.q.InsertShareLink(ctx, dbgen.InsertShareLinkParams{PasteID: string(id), TokenHash: hash, CreatedAt: now})
	if err != nil {
		return paste.ShareLink{}, translate(err)
	}
	return toShareLink(r), nil
}

// ShareLinks implements paste.Repository.
func (s Pastes) ShareLinks(ctx context.Context, id paste.ID) ([]paste.ShareLink, error) {
	rows, err := s.q.ListShareLinks(ctx, string(id))
	if err != nil {
		return nil, translate(err)
	}
	out := make([]paste.ShareLink, len(rows))
	for i, r := range rows {
		out[i] = toShareLink(r)
	}
	return out, nil
}

// DeleteShareLink implements paste.Repository.
func (s Pastes) DeleteShareLink(ctx context.Context, id paste.ID, linkID int64) (bool, error) {
	n, err := s.q.DeleteShareLink(ctx, dbgen.DeleteShareLinkParams{PasteID: string(id), ID: linkID})
	return n > 0, translate(err)
}

// DeleteShareLinkByHash implements paste.Repository.
func (s Pastes) DeleteShareLinkByHash(ctx context.Context, id paste.ID, hash []byte) (bool, error) {
	n, err := s.q.DeleteShareLinkByHash(ctx, dbgen.DeleteShareLinkByHashParams{PasteID: string(id), TokenHash: hash})
	return n > 0, translate(err)
}

// UseShareLink implements paste.Repository.
func (s Pastes) UseShareLink(ctx context.Context, hash []byte, now time.Time) (paste.ID, error) {
	id, err := s.q.UseShareLink(ctx, dbgen.UseShareLinkParams{TokenHash: hash, Now: now})
	if err != nil {
		return "", translate(err)
	}
	return paste.ID(id), nil
}

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
		Encrypted:        r.Encrypted,
		Forks:            r.Forks,
	}
	if len(r.Tags) > 0 {
		p.Tags = r.Tags
	}
	if r.ForkedFrom != nil {
		p.ForkedFrom = paste.ID(*r.ForkedFrom)
	}
	if r.OwnerID != nil {
		p.OwnerID = *r.OwnerID
	}
	if r.ExpiresAt != nil {
		p.ExpiresAt = r.ExpiresAt.UTC()
	}
	lockFields(&p, r.PasswordHash, r.MaxViews, r.ViewsLeft)
	return p
}

// lockFields fills p's password and views cap from their columns.
func lockFields(p *paste.Paste, hash *string, maxViews, left *int32) {
	if hash != nil {
		p.PasswordHash = *hash
	}
	if maxViews != nil {
		p.MaxViews = *maxViews
	}
	switch {
	case left != nil:
		p.ViewsLeft = *left
	case p.BurnAfterReading:
		p.ViewsLeft = 1
	}
}

// setLocks writes p's password and views cap, when it has either, in the
// transaction of its insert.
func setLocks(ctx context.Context, q *dbgen.Queries, p paste.Paste) error {
	if p.PasswordHash == "" && p.MaxViews == 0 {
		return nil
	}
	arg := dbgen.SetPasteLocksParams{ID: string(p.ID)}
	if p.PasswordHash != "" {
		arg.PasswordHash = &p.PasswordHash
	}
	if p.MaxViews > 0 {
		arg.MaxViews = &p.MaxViews
	}
	return translate(q.SetPasteLocks(ctx, arg))
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
	if p.ForkedFrom != "" {
		// The original's fork count changed (a trigger): forget its copy.
		defer s.changed(p.ForkedFrom)
	}
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
		Encrypted:        p.Encrypted,
		Tags:             tagsOrEmpty(p.Tags),
		ForkedFrom:       optID(p.ForkedFrom),
	}
}

// tagsOrEmpty keeps a paste without tags at '{}' (the column is NOT NULL).
func tagsOrEmpty(tags []string) []string {
	if tags == nil {
		return []string{}
	}
	return tags
}

func optID(id paste.ID) *string {
	if id == "" {
		return nil
	}
	s := string(id)
	return &s
}

// insertOne writes one paste and its search document in a transaction.
func (s *Store) insertOne(ctx context.Context, p paste.Paste, text, terms string) error {
	return s.inTx(ctx, func(q *dbgen.Queries) error {
		err := q.InsertPaste(ctx, insertPasteParams(p))
		if err != nil {
			return translate(err)
		}
		if err := writeRevision(ctx, q, p); err != nil {
			return err
		}
		if err := setLocks(ctx, q, p); err != nil {
			return err
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
	// The files go with the row (and so into the read cache's copy).
	if p.Files, err = filesAt(ctx, s.q, p.ID, p.Revision); err != nil {
		return paste.Paste{}, err
	}
	return p, nil
}

// BurnPaste implements paste.Repository: one view is taken and, when it
// was the last, the row is deleted, in a transaction that commits only
// once read has succeeded.
func (s Pastes) BurnPaste(ctx context.Context, id paste.ID, read func(paste.Paste) error) error {
	defer s.changed(id)
	return s.inTx(ctx, func(q *dbgen.Queries) error {
		r, err := q.ConsumePasteView(ctx, string(id))
		if err != nil {
			return translate(err)
		}
		p := toPaste(r, "")
		// The row is locked: its files and body keys cannot change now.
		if p.Files, err = filesAt(ctx, q, p.ID, p.Revision); err != nil {
			return err
		}
		if r.ViewsLeft != nil && *r.ViewsLeft == 0 {
			if p.BodyKeys, err = q.PasteBodyKeys(ctx, string(id)); err != nil {
				return translate(err)
			}
			if _, err := q.DeleteBurnPaste(ctx, string(id)); err != nil {
				return translate(err)
			}
		}
		return read(p)
	})
}

// DeletePaste implements paste.Repository.
func (s Pastes) DeletePaste(ctx context.Context, id paste.ID) (paste.Paste, error) {
	defer s.changed(id)
	var p paste.Paste
	err := s.inTx(ctx, func(q *dbgen.Queries) error {
		keys, err := bodyKeysLocked(ctx, q, id)
		if err != nil {
			return err
		}
		r, err := q.DeletePaste(ctx, string(id))
		if err != nil {
			return translate(err)
		}
		p = toPaste(r, "")
		p.BodyKeys = keys
		return nil
	})
	return p, err
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
	keys, err := s.q.DeleteExpiredPastesWithBodies(ctx, dbgen.DeleteExpiredPastesWithBodiesParams{Now: now, MaxRows: int32(limit)})
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
	// Older revisions' bodies are referenced by their files alone.
	byFiles, err := s.referencedByFiles(ctx, keys)
	if err != nil {
		return nil, err
	}
	used = append(used, byFiles...)
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
			Tags: tagsOrEmpty(p.Tags), ID: string(old.ID), Revision: old.Revision,
		})
		if err != nil {
			return translate(err)
		}
		if err := writeNextRevision(ctx, q, r, old, p); err != nil {
			return err
		}
		if p.PasswordHash != old.PasswordHash {
			var hash *string
			if p.PasswordHash != "" {
				hash = &p.PasswordHash
			}
			if err := q.SetPastePassword(ctx, dbgen.SetPastePasswordParams{ID: r.ID, PasswordHash: hash}); err != nil {
				return translate(err)
			}
			r.PasswordHash = hash
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
	l := paste.ShareLink{ID: r.ID, PasteID: paste.ID(r.PasteID), CreatedAt: r.CreatedAt.UTC(), Uses: r.Uses, TokenHint: r.TokenHint}
	if r.ExpiresAt != nil {
		l.ExpiresAt = r.ExpiresAt.UTC()
	}
	if r.MaxUses != nil {
		l.MaxUses = *r.MaxUses
	}
	if r.LastUsedAt != nil {
		t := r.LastUsedAt.UTC()
		l.LastUsedAt = &t
	}
	return l
}

// InsertShareLink implements paste.Repository.
func (s Pastes) InsertShareLink(ctx context.Context, l paste.ShareLink, hash []byte) (paste.ShareLink, error) {
	arg := dbgen.InsertShareLinkParams{PasteID: string(l.PasteID), TokenHash: hash, CreatedAt: l.CreatedAt, ExpiresAt: optTime(l.ExpiresAt), TokenHint: l.TokenHint}
	if l.MaxUses > 0 {
		arg.MaxUses = &l.MaxUses
	}
	r, err := s.q.InsertShareLink(ctx, arg)
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
func (s Pastes) UseShareLink(ctx context.Context, hash []byte, now time.Time, cost int) (paste.ID, error) {
	id, err := s.q.UseShareLink(ctx, dbgen.UseShareLinkParams{TokenHash: hash, Now: now, Cost: int32(cost)})
	if err != nil {
		return "", translate(err)
	}
	return paste.ID(id), nil
}

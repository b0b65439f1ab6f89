package admin

import (
	"context"
	"strings"

	"pastel/internal/paste"
)

// PasteFilter is what an admin filters the list of every paste by; empty
// fields match everything.
type PasteFilter struct {
	Q          string // part of the title, or a paste's exact ID
	Owner      string // username
	Visibility string // public, unlisted or private
}

// Pastes lists every paste, whatever its visibility or owner, newest
// first: private pastes too (their metadata; reading one still takes
// its owner or a share link). Admins only; ErrNotFound to anyone else.
func (s *Service) Pastes(ctx context.Context, v paste.Viewer, f PasteFilter, cursor string, limit int) (paste.Page, error) {
	if err := requireAdmin(v); err != nil {
		return paste.Page{}, err
	}
	var verr paste.ValidationError
	if msg := paste.CheckText(f.Q, 255); msg != "" {
		verr.Add("q", msg)
	}
	if msg := paste.CheckText(f.Owner, 64); msg != "" {
		verr.Add("owner", msg)
	}
	if f.Visibility != "" && !paste.Visibility(f.Visibility).Valid() {
		verr.Add("visibility", "must be public, unlisted or private")
	}
	before, err := paste.DecodeCursor(cursor)
	if err != nil {
		return paste.Page{}, err
	}
	if err := verr.Err(); err != nil {
		return paste.Page{}, err
	}
	limit = paste.ClampLimit(limit)
	q := strings.TrimSpace(f.Q)
	query := PasteQuery{
		Pattern: likePattern(q), Owner: strings.TrimSpace(f.Owner), Visibility: paste.Visibility(f.Visibility),
		Before: before, Limit: limit + 1,
	}
	if paste.ValidID(q) {
		query.PasteID = q
	}
	items, err := s.repo.ListPastes(ctx, query)
	if err != nil {
		return paste.Page{}, err
	}
	var page paste.Page
	page.Items, page.NextCursor = paste.NextPage(items, limit, func(last paste.Paste) string {
		return paste.Cursor{CreatedAt: last.CreatedAt, ID: last.ID}.Encode()
	})
	return page, nil
}

// SetPasteVisibility changes the visibility of any paste (moderation) and
// records it in the admin log; see paste.Service.Update, which does the
// same for an admin's PATCH of a paste they do not own. It returns the
// paste as changed: a public paste made unlisted or private gets a new,
// long ID.
func (s *Service) SetPasteVisibility(ctx context.Context, v paste.Viewer, id paste.ID, vis paste.Visibility) (paste.Paste, error) {
	if err := requireAdmin(v); err != nil {
		return paste.Paste{}, err
	}
	return s.pastes.Update(ctx, v, id, paste.UpdateInput{Visibility: &vis})
}

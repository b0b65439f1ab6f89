package paste

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"pastel/internal/crashpoint"
)

// UpdateInput lists the fields to change; nil leaves a field as it is.
type UpdateInput struct {
	Title            *string
	Content          []byte // nil: keep the body
	Syntax           *string
	Visibility       *Visibility
	ExpiresIn        *string // counted from now; "never" clears the expiry
	ExpiresAt        *string // RFC 3339; instead of ExpiresIn
	BurnAfterReading *bool
	Tags             *[]string // replaces every tag; an empty list clears them
	// Files, when not nil, replace every file (Content then does not
	// apply); Content alone replaces the first file's body.
	Files []FileInput
	// Password, when not nil, sets the paste's password ("" removes it;
	// see editPassword).
	Password *string
}

// Update changes a paste its owner may edit. A new body is written under a
// new key before the row changes and the old body is removed after, so a
// reader never sees a row without its body. A public paste that becomes
// unlisted gets a new, long ID, since its short one could be guessed; the
// returned paste carries the ID to use from now on. An admin may change
// only the visibility of a paste that is not theirs; it is logged.
func (s *Service) Update(ctx context.Context, v Viewer, id ID, in UpdateInput) (Paste, error) {
	// An admin may change the visibility of anyone's paste (logged).
	if p, handled, err := s.moderateVisibility(ctx, v, id, in); handled {
		return p, err
	}
	old, err := s.Get(ctx, v, id)
	if err != nil {
		return Paste{}, err
	}
	if !v.Owns(old) {
		return Paste{}, ErrForbidden
	}
	p := old
	var verr ValidationError
	checkEncryptedUpdate(old, &in, &verr)
	if in.Title != nil {
		if msg := CheckText(*in.Title, MaxTitleRunes); msg != "" {
			verr.Add("title", msg)
		}
		p.Title = strings.TrimSpace(*in.Title)
	}
	if in.Content != nil {
		if s.tooLarge(in.Content) {
			return Paste{}, ErrTooLarge
		}
		if len(in.Content) == 0 {
			verr.Add("content", "must not be empty")
		}
	}
	if in.Syntax != nil {
		content := in.Content
		if content == nil && (*in.Syntax == "" || strings.EqualFold(*in.Syntax, "auto")) {
			if content, err = s.readBody(ctx, old.BlobKey); err != nil {
				return Paste{}, err
			}
		}
		syntax, msg := s.resolveSyntax(CreateInput{Syntax: *in.Syntax, Title: p.Title, Content: content})
		if msg != "" {
			verr.Add("syntax", msg)
		}
		p.Syntax = syntax
	}
	if in.Visibility != nil {
		if !in.Visibility.Valid() {
			verr.Add("visibility", "must be public, unlisted or private")
		}
		p.Visibility = *in.Visibility
	}
	now := s.opts.Now().UTC().Truncate(time.Microsecond)
	if in.ExpiresIn != nil || in.ExpiresAt != nil {
		var r ExpiryRequest
		if in.ExpiresIn != nil {
			// An explicit empty expires_in is "never", as it is on create.
			if r.In = *in.ExpiresIn; r.In == "" {
				r.In = "never"
			}
		}
		if in.ExpiresAt != nil {
			if r.At = *in.ExpiresAt; r.At == "" {
				verr.Add("expires_at", msgExpiresAt)
			}
		}
		at, field, msg := s.expiry(now, r)
		if msg != "" {
			verr.Add(field, msg)
		}
		p.ExpiresAt = at
	}
	if in.BurnAfterReading != nil {
		p.BurnAfterReading = *in.BurnAfterReading
	}
	if in.Tags != nil {
		p.Tags = checkTags(*in.Tags, &verr)
	}
	s.checkEditPassword(in, &verr)
	if err := verr.Err(); err != nil {
		return Paste{}, err
	}
	if err := s.editPassword(in, &p); err != nil {
		return Paste{}, err
	}
	if old.Visibility == Public && p.Visibility != Public && len(p.ID) < SecretIDLen {
		p.ID = NewID(p.Visibility)
	}
	p.UpdatedAt = now
	// New bodies go under new keys; the old ones stay, named by the
	// revisions before (removed with the paste).
	written, content, err := s.editFiles(ctx, old, &p, in)
	if err != nil {
		return Paste{}, err
	}
	var text *string
	if content != nil {
		t := searchTextOf(p, content)
		if p.Encrypted {
			t = ""
		}
		text = &t
	}
	if text == nil && p.PasswordHash != "" && old.PasswordHash == "" {
		// A password added: the preview and the searchable text go.
		t := ""
		text = &t
	}
	if len(written) > 0 {
		// A new body: its row must commit before the orphan sweep may
		// take the body for an orphan (see Options.OrphanGrace).
		cctx, cancel := s.commitBy(ctx)
		defer cancel()
		if err := cctx.Err(); err != nil {
			s.dropWritten(written)
			return Paste{}, fmt.Errorf("%w: the new body waited too long: %w", ErrUnavailable, err)
		}
	}
	updated, err := s.repo.UpdatePaste(ctx, old, p, text)
	if err != nil {
		s.dropWritten(written)
		return Paste{}, err
	}
	if len(written) > 0 {
		crashpoint.Here(crashpoint.UpdateAfterCommit)
	}
	updated.OwnerName = old.OwnerName
	updated.Files = p.Files
	return updated, nil
}

// ownedPaste returns a paste the viewer owns.
func (s *Service) ownedPaste(ctx context.Context, v Viewer, id ID) (Paste, error) {
	p, err := s.Get(ctx, v, id)
	if err != nil {
		return Paste{}, err
	}
	if !v.Owns(p) {
		return Paste{}, ErrForbidden
	}
	return p, nil
}

// ShareLinkInput is what a new share link may be given: a lifetime
// (expires_in, as for a paste, within MAX_EXPIRY) and a cap on its reads
// (max_views).
type ShareLinkInput struct {
	ExpiresIn string // "" or "never": as long as the paste
	MaxViews  int    // 0: no cap
}

// CreateShareLink makes a new share link for a paste the viewer owns and
// returns its token, the only time the token exists outside the hash.
func (s *Service) CreateShareLink(ctx context.Context, v Viewer, id ID, in ShareLinkInput) (string, ShareLink, error) {
	p, err := s.ownedPaste(ctx, v, id)
	if err != nil {
		return "", ShareLink{}, err
	}
	now := s.opts.Now().UTC().Truncate(time.Microsecond)
	l := ShareLink{PasteID: p.ID, CreatedAt: now}
	var verr ValidationError
	if in.ExpiresIn != "" {
		// A link never outlives its paste, so MAX_EXPIRY needs no check.
		at, _, msg := ExpiryRequest{In: in.ExpiresIn}.Resolve(now)
		if msg != "" {
			verr.Add("expires_in", msg)
		}
		l.ExpiresAt = at
	}
	if in.MaxViews < 0 || in.MaxViews > MaxViewsCap {
		verr.Add("max_views", fmt.Sprintf("must be between 1 and %d", MaxViewsCap))
	}
	if err := verr.Err(); err != nil {
		return "", ShareLink{}, err
	}
	l.MaxUses = int32(in.MaxViews)
	token, hash := NewSecret()
	l.TokenHint = token[len(token)-4:]
	link, err := s.repo.InsertShareLink(ctx, l, hash)
	return token, link, err
}

// ShareLinks lists the share links of a paste the viewer owns.
func (s *Service) ShareLinks(ctx context.Context, v Viewer, id ID) ([]ShareLink, error) {
	p, err := s.ownedPaste(ctx, v, id)
	if err != nil {
		return nil, err
	}
	return s.repo.ShareLinks(ctx, p.ID)
}

// RevokeShareLink deletes a share link by its ID; it stops working at once.
func (s *Service) RevokeShareLink(ctx context.Context, v Viewer, id ID, linkID int64) error {
	p, err := s.ownedPaste(ctx, v, id)
	if err != nil {
		return err
	}
	found, err := s.repo.DeleteShareLink(ctx, p.ID, linkID)
	if err == nil && !found {
		return ErrNotFound
	}
	return err
}

// RevokeShareToken deletes a share link by its token, or by its ID when
// ref is a number (DELETE /pastes/{id}/share-links/{id or token}).
func (s *Service) RevokeShareToken(ctx context.Context, v Viewer, id ID, ref string) error {
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil && n > 0 && len(ref) < SecretIDLen {
		return s.RevokeShareLink(ctx, v, id, n)
	}
	p, err := s.ownedPaste(ctx, v, id)
	if err != nil {
		return err
	}
	found, err := s.repo.DeleteShareLinkByHash(ctx, p.ID, HashSecret(ref))
	if err == nil && !found {
		return ErrNotFound
	}
	return err
}

// Shared resolves a share-link token: it returns the viewer extended with
// the right to read that one paste, and the paste's ID. Unknown and revoked
// tokens are ErrNotFound; what the paste then shows is decided by the usual
// rule (an expired or burned paste is still gone). A use that counts (a
// read, not a HEAD) takes one of the link's views; a link past its expiry
// or its views is ErrNotFound.
func (s *Service) Shared(ctx context.Context, v Viewer, token string, count bool) (Viewer, ID, error) {
	if !ValidID(token) || len(token) != SecretIDLen {
		return v, "", ErrNotFound
	}
	cost := 0
	if count {
		cost = 1
	}
	id, err := s.repo.UseShareLink(ctx, HashSecret(token), s.opts.Now().UTC(), cost)
	if errors.Is(err, ErrNotFound) {
		return v, "", ErrNotFound
	}
	if err != nil {
		return v, "", err
	}
	v.Shared = id
	return v, id, nil
}

package paste

import (
	"context"
	"crypto/sha256"
	"strconv"
	"time"
)

// AuditLog records what admins do to content that is not theirs. The admin
// package implements it over the admin action log.
type AuditLog interface {
	RecordAdminAction(ctx context.Context, admin Viewer, action, target, details string) error
}

// audit records an admin's action when an audit log is configured.
func (s *Service) audit(ctx context.Context, v Viewer, action, target, details string) error {
	if s.opts.Audit == nil {
		return nil
	}
	return s.opts.Audit.RecordAdminAction(ctx, v, action, target, details)
}

// Remove deletes a paste whatever its state (moderation: the caller has
// checked the admin and records the action). ErrNotFound when it is gone.
func (s *Service) Remove(ctx context.Context, id ID) (Paste, error) {
	removed, err := s.repo.DeletePaste(ctx, id)
	if err != nil {
		return Paste{}, err
	}
	s.removeBlob(removed.BlobKey)
	return removed, nil
}

// RemoveComment deletes a comment whatever the state of its paste
// (moderation); a comment with replies stays as a placeholder.
func (s *Service) RemoveComment(ctx context.Context, id int64) (Comment, error) {
	repo, err := s.community()
	if err != nil {
		return Comment{}, err
	}
	c, err := repo.CommentByID(ctx, id)
	if err != nil {
		return Comment{}, err
	}
	return c, repo.DeleteComment(ctx, id, s.now())
}

// visitorHash is how a visitor is kept in the view counter: a SHA-256 of
// who (an account or an anonymous key) and the day.
func visitorHash(who string, window time.Time) [32]byte {
	return sha256.Sum256([]byte(who + "\x00" + window.Format(time.DateOnly)))
}

// UserVisitorHashes returns the view-counter hashes a signed-in user may
// have left that are still stored at now (views are pruned after
// ViewRetention), so that deleting the account can remove them too.
func UserVisitorHashes(userID int64, now time.Time) [][]byte {
	who := "u:" + strconv.FormatInt(userID, 10)
	window := now.UTC().Truncate(ViewWindow)
	windows := int(ViewRetention / ViewWindow)
	out := make([][]byte, 0, windows+3)
	for i := -1; i <= windows+1; i++ {
		h := visitorHash(who, window.Add(-time.Duration(i)*ViewWindow))
		out = append(out, h[:])
	}
	return out
}

// onlyVisibility reports whether an update changes the visibility and
// nothing else.
func (in UpdateInput) onlyVisibility() bool {
	return in.Visibility != nil && in.Title == nil && in.Content == nil && in.Syntax == nil &&
		in.ExpiresIn == nil && in.ExpiresAt == nil && in.BurnAfterReading == nil
}

// moderateVisibility is Update for an admin changing only the visibility
// of a paste that is not theirs, private ones included: it applies the
// change and records it in the admin log. handled is false when the
// update is not that (an owner's edit, or not an admin), for the
// ordinary rule to decide.
func (s *Service) moderateVisibility(ctx context.Context, v Viewer, id ID, in UpdateInput) (p Paste, handled bool, err error) {
	if !v.SignedIn() || !v.IsAdmin || !in.onlyVisibility() {
		return Paste{}, false, nil
	}
	if !ValidID(string(id)) {
		return Paste{}, true, ErrNotFound
	}
	old, err := s.repo.PasteByID(ctx, id)
	if err != nil {
		return Paste{}, true, err
	}
	if v.Owns(old) {
		return Paste{}, false, nil
	}
	if old.Expired(s.opts.Now()) {
		return Paste{}, true, ErrNotFound
	}
	vis := *in.Visibility
	switch {
	case !vis.Valid():
		return Paste{}, true, FieldError("visibility", "must be public, unlisted or private")
	case vis == Private && old.IsAnonymous():
		return Paste{}, true, FieldError("visibility", "an anonymous paste cannot be private: nobody could read it")
	case vis == Public && old.Encrypted:
		return Paste{}, true, FieldError("visibility", "must be unlisted or private when encrypted is true")
	case vis == old.Visibility:
		return old, true, nil
	}
	p = old
	p.Visibility = vis
	if old.Visibility == Public && len(p.ID) < SecretIDLen {
		// The short ID of a public paste could be guessed.
		p.ID = NewID(vis)
	}
	p.UpdatedAt = s.now()
	updated, err := s.repo.UpdatePaste(ctx, old, p, nil)
	if err != nil {
		return Paste{}, true, err
	}
	updated.OwnerName = old.OwnerName
	details := string(old.Visibility) + " → " + string(vis)
	if updated.ID != old.ID {
		details += " (was " + string(old.ID) + ")"
	}
	return updated, true, s.audit(ctx, v, "paste.visibility", string(updated.ID), details)
}

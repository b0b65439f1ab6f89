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
// have left that are still stored at now (views are pruned after two
// windows), so that deleting the account can remove them too.
func UserVisitorHashes(userID int64, now time.Time) [][]byte {
	who := "u:" + strconv.FormatInt(userID, 10)
	window := now.UTC().Truncate(ViewWindow)
	out := make([][]byte, 0, 4)
	for i := -1; i < 3; i++ {
		h := visitorHash(who, window.Add(-time.Duration(i)*ViewWindow))
		out = append(out, h[:])
	}
	return out
}

package admin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"pastel/internal/paste"
)

// Kick asks the deletion worker to look for due jobs now.
func (s *Service) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// RunDeletions carries every due account deletion as far as it goes and
// returns how many it finished. A job that fails is retried later with a
// growing delay; its error is logged here, not returned, so one stuck
// account does not hold up the others.
func (s *Service) RunDeletions(ctx context.Context) (int, error) {
	due, err := s.repo.DueDeletions(ctx, s.now(), 20)
	if err != nil {
		return 0, err
	}
	done := 0
	for _, id := range due {
		err := s.deleteAccount(ctx, id)
		if err == nil {
			done++
			continue
		}
		if ctx.Err() != nil {
			return done, ctx.Err()
		}
		s.opts.Logger.Warn("account deletion deferred", "user_id", id, "err", err)
		if rerr := s.repo.RetryDeletion(ctx, id, s.now().Add(time.Minute), err.Error()); rerr != nil {
			return done, rerr
		}
	}
	return done, nil
}

// deleteAccount is the job: bodies first, then their rows, batch by batch
// (a crash between the two leaves rows whose bodies are gone, which the
// next run deletes again without harm), then everything else and the
// account in one transaction.
func (s *Service) deleteAccount(ctx context.Context, userID int64) error {
	for {
		ids, keys, err := s.repo.OwnedPastes(ctx, userID, 200)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			break
		}
		for _, k := range keys {
			if err := s.blobs.Delete(ctx, k); err != nil && !errors.Is(err, paste.ErrNotFound) {
				return fmt.Errorf("delete body: %w", err)
			}
		}
		if err := s.repo.DeleteOwnedPastes(ctx, userID, ids); err != nil {
			return err
		}
	}
	now := s.now()
	finished, err := s.repo.FinishDeletion(ctx, userID, paste.UserVisitorHashes(userID, now), now)
	if err != nil {
		return err
	}
	if !finished {
		return errors.New("held by another process")
	}
	return nil
}

// Run works the deletion queue until ctx ends: at start (jobs left by a
// crash or a stop), when kicked, and every Poll.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(s.opts.Poll)
	defer t.Stop()
	for {
		n, err := s.RunDeletions(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.opts.Logger.Warn("account deletions failed; retrying", "err", err)
		case n > 0:
			s.opts.Logger.Info("accounts deleted", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-s.kick:
		case <-t.C:
		}
	}
}

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

// Kicks receives when a deletion was queued: the runner's wake-up for the
// deletion task (see cmd/web).
func (s *Service) Kicks() <-chan struct{} { return s.kick }

// maxDeletionsPerRound bounds one round, so a long queue does not hold a
// worker past its next poll; the rest are taken in the next rounds.
const maxDeletionsPerRound = 20

// RunDeletions claims due account deletions one at a time and carries each
// as far as it goes, returning how many it finished. Each claim is a lease
// (Options.Lease, renewed after every batch of pastes) taken with SKIP
// LOCKED, so workers on several replicas each take different jobs and none
// runs one twice. A job that fails is retried a minute later, and one
// stuck account does not hold up the others: the round goes on, and returns
// the deferred jobs' errors joined at its end. A job interrupted by ctx is
// given back, due at once.
func (s *Service) RunDeletions(ctx context.Context) (int, error) {
	done := 0
	var deferred []error
	for range maxDeletionsPerRound {
		now := s.now()
		id, ok, err := s.repo.ClaimDeletion(ctx, now, now.Add(s.opts.Lease))
		if err != nil {
			return done, errors.Join(append(deferred, err)...)
		}
		if !ok {
			break
		}
		err = s.deleteAccount(ctx, id)
		if err == nil {
			done++
			continue
		}
		if ctx.Err() != nil {
			if rerr := s.repo.RescheduleDeletion(context.WithoutCancel(ctx), id, s.now()); rerr != nil {
				return done, errors.Join(ctx.Err(), rerr)
			}
			return done, ctx.Err()
		}
		deferred = append(deferred, fmt.Errorf("account deletion of user %d deferred: %w", id, err))
		if rerr := s.repo.RetryDeletion(ctx, id, s.now().Add(time.Minute), err.Error()); rerr != nil {
			return done, errors.Join(append(deferred, rerr)...)
		}
	}
	return done, errors.Join(deferred...)
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
		// Still working: keep the lease, so no other worker takes the job.
		if err := s.repo.RescheduleDeletion(ctx, userID, s.now().Add(s.opts.Lease)); err != nil {
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

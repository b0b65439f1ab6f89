package store

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"pastel/internal/clock"
	"pastel/internal/paste"
	"pastel/internal/store/dbgen"
)

// IdempotencyKeys keeps the API's Idempotency-Key records in PostgreSQL, so a
// retry that lands on another replica, or after a restart, still finds the
// first response. It stores what api.NewIdempotency gives it: MACs and a
// sealed response, never the client's key or the response in clear.
type IdempotencyKeys struct {
	s         *Store
	now       func() time.Time
	lastPurge atomic.Int64 // unix seconds of the last sweep of expired keys
}

// claimLock is how long a claimed key may stay without a response before a
// retry may take it over (the first request's process died).
const claimLock = 2 * time.Minute

// purgeEvery spaces out the opportunistic sweeps of expired keys.
const purgeEvery = 10 * time.Minute

// IdempotencyKeys returns the idempotency-key repository; now is the clock
// (nil: time.Now).
func (s *Store) IdempotencyKeys(now clock.Clock) *IdempotencyKeys {
	if now == nil {
		now = time.Now
	}
	return &IdempotencyKeys{s: s, now: now}
}

// Claim implements api.IdempotencyRecords: it reserves (scope, id) for a
// request with fingerprint for ttl, or returns the holder's fingerprint and
// sealed response (nil while the first request still runs).
func (k *IdempotencyKeys) Claim(ctx context.Context, scope string, id, fingerprint []byte, ttl time.Duration) (claimed bool, heldFingerprint, sealed []byte, err error) {
	now := k.now().UTC()
	k.purge(ctx, now)
	n, err := k.s.q.ClaimIdempotencyKey(ctx, dbgen.ClaimIdempotencyKeyParams{
		Scope: scope, KeyID: id, Fingerprint: fingerprint,
		LockedUntil: now.Add(claimLock), Now: now, ExpiresAt: now.Add(ttl),
	})
	if err != nil {
		return false, nil, nil, translate(err)
	}
	if n == 1 {
		return true, nil, nil, nil
	}
	row, err := k.s.q.IdempotencyKey(ctx, dbgen.IdempotencyKeyParams{Scope: scope, KeyID: id})
	if err := translate(err); err != nil {
		if errors.Is(err, paste.ErrNotFound) {
			// Released between the two statements: the holder failed. Report
			// it as still running; the client's next retry claims it.
			return false, fingerprint, nil, nil
		}
		return false, nil, nil, err
	}
	return false, row.Fingerprint, row.SealedResponse, nil
}

// Complete implements api.IdempotencyRecords: it stores the sealed
// response of the request that claimed (scope, id).
func (k *IdempotencyKeys) Complete(ctx context.Context, scope string, id, sealed []byte) error {
	return translate(k.s.q.CompleteIdempotencyKey(ctx, dbgen.CompleteIdempotencyKeyParams{Scope: scope, KeyID: id, SealedResponse: sealed}))
}

// Release implements api.IdempotencyRecords: it forgets a claim whose
// request did not succeed, so that a retry runs it again.
func (k *IdempotencyKeys) Release(ctx context.Context, scope string, id []byte) error {
	return translate(k.s.q.ReleaseIdempotencyKey(ctx, dbgen.ReleaseIdempotencyKeyParams{Scope: scope, KeyID: id}))
}

// purge deletes expired keys at most once per purgeEvery per process; a
// failure is left for the next sweep, the claim itself still works.
func (k *IdempotencyKeys) purge(ctx context.Context, now time.Time) {
	last := k.lastPurge.Load()
	if now.Unix()-last < int64(purgeEvery/time.Second) || !k.lastPurge.CompareAndSwap(last, now.Unix()) {
		return
	}
	_, _ = k.s.q.DeleteExpiredIdempotencyKeys(ctx, now) //nolint:errcheck // best effort, see above
}

package store

import (
	"context"
	"time"

	"pastel/internal/account"
	"pastel/internal/store/dbgen"
)

// SessionRows is the repository of browser sessions (account.SessionRows);
// the gorilla/sessions store over it is internal/web's.
type SessionRows struct {
	q *dbgen.Queries
}

var _ account.SessionRows = (*SessionRows)(nil)

// SessionRows returns the session repository.
func (s *Store) SessionRows() *SessionRows { return &SessionRows{q: s.q} }

// SessionByHash returns the session stored under hash.
func (r *SessionRows) SessionByHash(ctx context.Context, hash []byte) (account.SessionRecord, error) {
	row, err := r.q.SessionByHash(ctx, hash)
	if err != nil {
		return account.SessionRecord{}, translate(err)
	}
	rec := account.SessionRecord{
		Hash: row.IDHash, Data: row.Data, UserAgent: row.UserAgent, IP: row.Ip,
		CreatedAt: row.CreatedAt, LastSeenAt: row.LastSeenAt, ExpiresAt: row.ExpiresAt,
	}
	if row.UserID != nil {
		rec.UserID = *row.UserID
	}
	return rec, nil
}

// InsertSession stores a new session; its user agent and address are cut
// to what the table holds.
func (r *SessionRows) InsertSession(ctx context.Context, s account.SessionRecord) error {
	return translate(r.q.InsertSession(ctx, dbgen.InsertSessionParams{
		IDHash: s.Hash, UserID: userRef(s.UserID), Data: s.Data,
		UserAgent: truncate(s.UserAgent, 256), Ip: truncate(s.IP, 64),
		CreatedAt: s.CreatedAt, ExpiresAt: s.ExpiresAt,
	}))
}

// UpdateSession replaces a session's values and owner, seen at now.
func (r *SessionRows) UpdateSession(ctx context.Context, hash, data []byte, userID int64, now time.Time) error {
	return translate(r.q.UpdateSession(ctx, dbgen.UpdateSessionParams{
		IDHash: hash, Data: data, UserID: userRef(userID), LastSeenAt: now,
	}))
}

// TouchSession marks a session seen at now.
func (r *SessionRows) TouchSession(ctx context.Context, hash []byte, now time.Time) error {
	return translate(r.q.TouchSession(ctx, dbgen.TouchSessionParams{IDHash: hash, LastSeenAt: now}))
}

// DeleteSession removes a session; a missing one is not an error.
func (r *SessionRows) DeleteSession(ctx context.Context, hash []byte) error {
	return translate(r.q.DeleteSession(ctx, hash))
}

// DeleteStaleSessions removes timed-out sessions.
func (r *SessionRows) DeleteStaleSessions(ctx context.Context, now, idleAfter time.Time) (int, error) {
	n, err := r.q.DeleteStaleSessions(ctx, dbgen.DeleteStaleSessionsParams{Now: now, IdleAfter: idleAfter})
	return int(n), translate(err)
}

func userRef(id int64) *int64 {
	if id <= 0 {
		return nil
	}
	return &id
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

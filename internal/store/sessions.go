package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/gob"
	"errors"
	"net/http"
	"time"

	"github.com/gorilla/sessions"

	"pastel/internal/account"
	"pastel/internal/paste"
	"pastel/internal/store/dbgen"
)

// SessionOptions configure the session store.
type SessionOptions struct {
	Secure   bool          // cookie only over https
	Idle     time.Duration // unused this long: gone (default 7 days)
	Absolute time.Duration // gone this long after sign-in whatever happens (default 30 days)
	Now      func() time.Time
}

// SessionStore is a gorilla/sessions Store that keeps sessions in
// PostgreSQL. The cookie carries only a random 256-bit ID; the table keys
// rows by its SHA-256, so a database leak does not leak live cookies. Idle
// and absolute timeouts are enforced here, on the server.
type SessionStore struct {
	q    *dbgen.Queries
	opts SessionOptions
}

var _ sessions.Store = (*SessionStore)(nil)

// Sessions returns the session store.
func (s *Store) Sessions(o SessionOptions) *SessionStore {
	if o.Idle == 0 {
		o.Idle = 7 * 24 * time.Hour
	}
	if o.Absolute == 0 {
		o.Absolute = 30 * 24 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &SessionStore{q: s.q, opts: o}
}

// SessionHash is how a session ID is stored and compared.
func SessionHash(id string) []byte { return account.SessionHash(id) }

// Options returns the cookie options for a session of this store.
func (st *SessionStore) Options() *sessions.Options {
	return &sessions.Options{
		Path: "/", HttpOnly: true, Secure: st.opts.Secure, SameSite: http.SameSiteLaxMode,
		MaxAge: int(st.opts.Absolute / time.Second),
	}
}

// Get returns the named session of r, cached per request by gorilla's
// registry.
func (st *SessionStore) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(st, name)
}

// New loads the session named by r's cookie, or returns a new empty one when
// there is none, it is unknown, or it has timed out.
func (st *SessionStore) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := sessions.NewSession(st, name)
	sess.Options = st.Options()
	sess.IsNew = true
	c, err := r.Cookie(name)
	if err != nil || c.Value == "" || len(c.Value) > 128 {
		return sess, nil
	}
	ctx := r.Context()
	hash := SessionHash(c.Value)
	row, err := st.q.SessionByHash(ctx, hash)
	if err != nil {
		if err = translate(err); errors.Is(err, paste.ErrNotFound) {
			return sess, nil
		}
		return sess, err
	}
	now := st.opts.Now()
	if !now.Before(row.ExpiresAt) || !now.Before(row.LastSeenAt.Add(st.opts.Idle)) {
		if err := st.q.DeleteSession(ctx, hash); err != nil {
			return sess, translate(err)
		}
		return sess, nil
	}
	if err := gob.NewDecoder(bytes.NewReader(row.Data)).Decode(&sess.Values); err != nil {
		return sess, nil // unreadable data: start afresh rather than fail the page
	}
	sess.ID = c.Value
	sess.IsNew = false
	// Refresh last-seen at most once a minute: reads stay reads.
	if now.Sub(row.LastSeenAt) > time.Minute {
		if err := st.q.TouchSession(ctx, dbgen.TouchSessionParams{IDHash: hash, LastSeenAt: now}); err != nil {
			return sess, translate(err)
		}
	}
	return sess, nil
}

// Save writes the session and its cookie. A negative MaxAge deletes the row
// and the cookie; an empty ID makes a new random one (renewal at sign-in is
// "delete the old, save a new one").
func (st *SessionStore) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	ctx := r.Context()
	if sess.Options != nil && sess.Options.MaxAge < 0 {
		if sess.ID != "" {
			if err := st.q.DeleteSession(ctx, SessionHash(sess.ID)); err != nil {
				return translate(err)
			}
		}
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", sess.Options))
		return nil
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(sess.Values); err != nil {
		return err
	}
	userID := sessionUser(sess)
	now := st.opts.Now()
	if sess.ID == "" {
		var raw [32]byte
		if _, err := rand.Read(raw[:]); err != nil {
			return err
		}
		sess.ID = base64.RawURLEncoding.EncodeToString(raw[:])
		err := st.q.InsertSession(ctx, dbgen.InsertSessionParams{
			IDHash: SessionHash(sess.ID), UserID: userID, Data: buf.Bytes(),
			UserAgent: truncate(r.UserAgent(), 256), Ip: clientIP(r), CreatedAt: now,
			ExpiresAt: now.Add(st.opts.Absolute),
		})
		if err != nil {
			return translate(err)
		}
	} else if err := st.q.UpdateSession(ctx, dbgen.UpdateSessionParams{
		IDHash: SessionHash(sess.ID), Data: buf.Bytes(), UserID: userID, LastSeenAt: now,
	}); err != nil {
		return translate(err)
	}
	http.SetCookie(w, sessions.NewCookie(sess.Name(), sess.ID, sess.Options))
	return nil
}

func sessionUser(sess *sessions.Session) *int64 {
	if id, ok := sess.Values[account.SessionUserKey].(int64); ok && id > 0 {
		return &id
	}
	return nil
}

// clientIP is the request's client address; the web layer sets RemoteAddr
// from its trusted-proxy rules.
func clientIP(r *http.Request) string { return truncate(r.RemoteAddr, 64) }

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// DeleteStaleSessions removes timed-out sessions; run it periodically.
func (st *SessionStore) DeleteStaleSessions(ctx context.Context) (int, error) {
	now := st.opts.Now()
	n, err := st.q.DeleteStaleSessions(ctx, dbgen.DeleteStaleSessionsParams{Now: now, IdleAfter: now.Add(-st.opts.Idle)})
	return int(n), translate(err)
}

package web

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
)

// SessionOptions configure a Sessions store.
type SessionOptions struct {
	Secure   bool          // cookie only over https
	Idle     time.Duration // unused this long: gone (default 7 days)
	Absolute time.Duration // gone this long after sign-in whatever happens (default 30 days)
	Now      func() time.Time
}

// Sessions is the gorilla/sessions Store the app keeps browser sessions
// in, over a repository of session rows (PostgreSQL's, in production). The
// cookie carries only a random 256-bit ID; rows are keyed by its SHA-256
// (account.SessionHash), so a database leak does not leak live cookies.
// Idle and absolute timeouts are enforced here, on the server.
type Sessions struct {
	rows account.SessionRows
	opts SessionOptions
}

var _ SessionStore = (*Sessions)(nil)

// NewSessions returns a session store over rows.
func NewSessions(rows account.SessionRows, o SessionOptions) *Sessions {
	if o.Idle == 0 {
		o.Idle = 7 * 24 * time.Hour
	}
	if o.Absolute == 0 {
		o.Absolute = 30 * 24 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Sessions{rows: rows, opts: o}
}

// Options returns the cookie options for a session of this store.
func (st *Sessions) Options() *sessions.Options {
	return &sessions.Options{
		Path: "/", HttpOnly: true, Secure: st.opts.Secure, SameSite: http.SameSiteLaxMode,
		MaxAge: int(st.opts.Absolute / time.Second),
	}
}

// Get returns the named session of r, cached per request by gorilla's
// registry.
func (st *Sessions) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(st, name)
}

// New loads the session named by r's cookie, or returns a new empty one when
// there is none, it is unknown, or it has timed out.
func (st *Sessions) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := sessions.NewSession(st, name)
	sess.Options = st.Options()
	sess.IsNew = true
	c, err := r.Cookie(name)
	if err != nil || c.Value == "" || len(c.Value) > 128 {
		return sess, nil
	}
	ctx := r.Context()
	hash := account.SessionHash(c.Value)
	row, err := st.rows.SessionByHash(ctx, hash)
	if err != nil {
		if errors.Is(err, paste.ErrNotFound) {
			return sess, nil
		}
		return sess, err
	}
	now := st.opts.Now()
	if !now.Before(row.ExpiresAt) || !now.Before(row.LastSeenAt.Add(st.opts.Idle)) {
		return sess, st.rows.DeleteSession(ctx, hash)
	}
	if err := gob.NewDecoder(bytes.NewReader(row.Data)).Decode(&sess.Values); err != nil {
		return sess, nil // unreadable data: start afresh rather than fail the page
	}
	sess.ID = c.Value
	sess.IsNew = false
	// Refresh last-seen at most once a minute: reads stay reads.
	if now.Sub(row.LastSeenAt) > time.Minute {
		if err := st.rows.TouchSession(ctx, hash, now); err != nil {
			return sess, err
		}
	}
	return sess, nil
}

// Save writes the session and its cookie. A negative MaxAge deletes the row
// and the cookie; an empty ID makes a new random one (renewal at sign-in is
// "delete the old, save a new one").
func (st *Sessions) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	ctx := r.Context()
	if sess.Options != nil && sess.Options.MaxAge < 0 {
		if sess.ID != "" {
			if err := st.rows.DeleteSession(ctx, account.SessionHash(sess.ID)); err != nil {
				return err
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
		// r.RemoteAddr is the client address as the app's trusted-proxy
		// rules resolved it (httpRequest).
		err := st.rows.InsertSession(ctx, account.SessionRecord{
			Hash: account.SessionHash(sess.ID), UserID: userID, Data: buf.Bytes(),
			UserAgent: r.UserAgent(), IP: r.RemoteAddr, CreatedAt: now, ExpiresAt: now.Add(st.opts.Absolute),
		})
		if err != nil {
			return err
		}
	} else if err := st.rows.UpdateSession(ctx, account.SessionHash(sess.ID), buf.Bytes(), userID, now); err != nil {
		return err
	}
	http.SetCookie(w, sessions.NewCookie(sess.Name(), sess.ID, sess.Options))
	return nil
}

func sessionUser(sess *sessions.Session) int64 {
	if id, ok := sess.Values[account.SessionUserKey].(int64); ok && id > 0 {
		return id
	}
	return 0
}

// DeleteStaleSessions removes timed-out sessions; run it periodically.
func (st *Sessions) DeleteStaleSessions(ctx context.Context) (int, error) {
	now := st.opts.Now()
	return st.rows.DeleteStaleSessions(ctx, now, now.Add(-st.opts.Idle))
}

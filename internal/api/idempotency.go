package api

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
)

// IdempotencyStore keeps the first response to each Idempotency-Key, as the
// idempotency middleware sees it: the client's key and the response in
// clear. NewIdempotency builds one over IdempotencyRecords that hold
// neither; a nil store in Deps falls back to one in memory.
type IdempotencyStore interface {
	// Claim reserves (scope, key) for a request with fingerprint, for ttl.
	// When the key is already held it returns claimed false, whether the
	// holder's fingerprint equals this one, and its stored response, nil
	// while that first request still runs.
	Claim(ctx context.Context, scope, key string, fingerprint []byte, ttl time.Duration) (claimed, sameRequest bool, response []byte, err error)
	// Complete stores the response of the request that claimed the key.
	Complete(ctx context.Context, scope, key string, response []byte) error
	// Release forgets a claim whose request did not succeed.
	Release(ctx context.Context, scope, key string) error
}

// IdempotencyRecords is where an IdempotencyStore made by NewIdempotency
// keeps its records: opaque bytes only. id is a MAC of the caller and the
// client's key, fingerprint a MAC of the request, and sealed the response
// encrypted under a key derived from the client's key; none can be turned
// back into the key, the request or the response without the client's key
// and the server's secret. scope is "user:<id>" or "addr:<MAC of the
// address>". The PostgreSQL implementation is store.IdempotencyKeys.
type IdempotencyRecords interface {
	// Claim reserves (scope, id) for ttl, or returns the holder's
	// fingerprint and sealed response (nil while it runs).
	Claim(ctx context.Context, scope string, id, fingerprint []byte, ttl time.Duration) (claimed bool, heldFingerprint, sealed []byte, err error)
	// Complete stores the sealed response of the claim's request.
	Complete(ctx context.Context, scope string, id, sealed []byte) error
	// Release forgets a claim whose request did not succeed.
	Release(ctx context.Context, scope string, id []byte) error
}

// MinIdempotencySecret is the shortest secret NewIdempotency accepts.
const MinIdempotencySecret = 32

// NewIdempotency returns an IdempotencyStore keeping its records in r,
// under keys derived from secret (at least MinIdempotencySecret bytes,
// which it does not use for anything else, so a signing key may serve).
// It panics on a shorter secret: that is a wiring mistake.
func NewIdempotency(r IdempotencyRecords, secret []byte) IdempotencyStore {
	if len(secret) < MinIdempotencySecret {
		panic("api: idempotency secret shorter than " + strconv.Itoa(MinIdempotencySecret) + " bytes")
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("pastel idempotency v1"))
	return &sealedIdempotency{records: r, secret: m.Sum(nil)}
}

// sealedIdempotency derives, per (scope, key), a record ID, a fingerprint
// key and an AES-256-GCM key from its secret, so a stored row alone (or a
// database dump) reveals neither the client's key nor the response, and
// one client's record cannot be read or found without its key.
type sealedIdempotency struct {
	records IdempotencyRecords
	secret  []byte
}

// derive returns HMAC(secret, label 0 scope 0 key).
func (s *sealedIdempotency) derive(label, scope, key string) []byte {
	m := hmac.New(sha256.New, s.secret)
	for _, part := range []string{label, scope, key} {
		m.Write([]byte(part))
		m.Write([]byte{0})
	}
	return m.Sum(nil)
}

// storedScope keeps user scopes as they are (an account's records are
// deleted with it) and replaces a client address by a MAC of it.
func (s *sealedIdempotency) storedScope(scope string) string {
	if addr, ok := strings.CutPrefix(scope, "addr:"); ok {
		return "addr:" + hex.EncodeToString(s.derive("addr", "", addr)[:16])
	}
	return scope
}

func (s *sealedIdempotency) keys(scope, key string) (stored string, id []byte, fpKey []byte, aead cipher.AEAD) {
	block, _ := aes.NewCipher(s.derive("enc", scope, key)) // a 32-byte key always makes a cipher
	aead, _ = cipher.NewGCM(block)                         // and GCM over AES always builds
	return s.storedScope(scope), s.derive("id", scope, key), s.derive("fp", scope, key), aead
}

func (s *sealedIdempotency) Claim(ctx context.Context, scope, key string, fingerprint []byte, ttl time.Duration) (bool, bool, []byte, error) {
	stored, id, fpKey, aead := s.keys(scope, key)
	m := hmac.New(sha256.New, fpKey)
	m.Write(fingerprint)
	fp := m.Sum(nil)
	claimed, held, sealed, err := s.records.Claim(ctx, stored, id, fp, ttl)
	if err != nil || claimed {
		return claimed, false, nil, err
	}
	same := hmac.Equal(held, fp)
	if !same || sealed == nil {
		return false, same, nil, nil
	}
	ns := aead.NonceSize()
	if len(sealed) < ns {
		return false, false, nil, errors.New("idempotency record: sealed response too short")
	}
	plain, err := aead.Open(nil, sealed[:ns], sealed[ns:], id)
	if err != nil {
		return false, false, nil, fmt.Errorf("idempotency record: %w", err)
	}
	return false, true, plain, nil
}

func (s *sealedIdempotency) Complete(ctx context.Context, scope, key string, response []byte) error {
	stored, id, _, aead := s.keys(scope, key)
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(response)+aead.Overhead())
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails on supported platforms
	return s.records.Complete(ctx, stored, id, aead.Seal(nonce, nonce, response, id))
}

func (s *sealedIdempotency) Release(ctx context.Context, scope, key string) error {
	stored, id, _, _ := s.keys(scope, key)
	return s.records.Release(ctx, stored, id)
}

// IdempotencyTTL is how long a key and its response are kept.
const IdempotencyTTL = 24 * time.Hour

const headerIdempotencyKey = "Idempotency-Key"

// replayedHeaders are the response headers a replay repeats.
var replayedHeaders = []string{fiber.HeaderContentType, fiber.HeaderLocation, fiber.HeaderETag, fiber.HeaderCacheControl, HeaderDeleteToken}

// storedResponse is what a replay sends again.
type storedResponse struct {
	Status int               `json:"status"`
	Header map[string]string `json:"header"`
	Body   []byte            `json:"body"`
}

// fieldError is an API error naming a request field (here a header).
type fieldError struct {
	status  int
	code    string
	message string
	field   string
}

func (e *fieldError) Error() string { return e.message }

var (
	errKeyReused = &fieldError{fiber.StatusUnprocessableEntity, "idempotency_key_reused", "this Idempotency-Key was used with a different request", headerIdempotencyKey}
	errKeyBad    = &fieldError{fiber.StatusBadRequest, "bad_request", "Idempotency-Key must be 1 to 255 visible ASCII characters", headerIdempotencyKey}
	errKeyShort  = &fieldError{fiber.StatusBadRequest, "bad_request", "Idempotency-Key must be at least " + strconv.Itoa(minAnonymousKey) + " characters when not signed in (use a random value, such as a UUID)", headerIdempotencyKey}
	errKeyBusy   = &requestError{fiber.StatusConflict, "idempotency_key_in_use", "a request with this Idempotency-Key is still running; retry shortly"}
)

// minAnonymousKey is the shortest Idempotency-Key an anonymous caller may
// send. Anonymous keys are scoped by client address, which clients behind
// one NAT share: a random key this long does not collide with another
// client's, and a chosen one cannot be guessed (and would also have to
// match the request, see fingerprint).
const minAnonymousKey = 16

// idempotency makes POST requests that carry an Idempotency-Key safe to
// retry. Keys belong to the caller (the user, or the client address for
// anonymous callers, whose keys must be at least 16 characters) and live
// 24 hours. The first request claims the key and runs; a 2xx response is
// stored and every retry with the same request (method, path, query,
// content type and encoding, body) gets it back with Idempotent-Replayed:
// true, creating nothing. The same key with a different request is 422
// idempotency_key_reused. While the first request runs, others with its
// key get 409 idempotency_key_in_use and Retry-After: 1; they do not wait.
// A response that is not 2xx is not kept (it created nothing): the key is
// released and a retry runs again. /auth routes and share-link creation
// are left out (the key is ignored): their answers carry credentials, and
// a share link's token may be revoked after the first answer, so it is
// never handed out again. What is kept is sealed (see NewIdempotency).
func (h *handler) idempotency(c *fiber.Ctx) error {
	key := c.Get(headerIdempotencyKey)
	if c.Method() != fiber.MethodPost || key == "" || !replayable(c.Path()) {
		return c.Next()
	}
	if !validKey(key) {
		return errKeyBad
	}
	if len(key) < minAnonymousKey && !paste.ViewerFrom(c.UserContext()).SignedIn() {
		return errKeyShort
	}
	key = strings.Clone(key)
	scope := callerScope(c)
	fp := fingerprint(c)
	ctx := c.UserContext()
	claimed, same, stored, err := h.idem.Claim(ctx, scope, key, fp, IdempotencyTTL)
	if err != nil {
		return err
	}
	if !claimed {
		switch {
		case !same:
			return errKeyReused
		case stored == nil:
			c.Set(fiber.HeaderRetryAfter, "1")
			return errKeyBusy
		}
		return replay(c, stored)
	}
	// The claim must be settled even if the request's context is done.
	settle := context.WithoutCancel(ctx)
	if err := c.Next(); err != nil {
		_ = h.idem.Release(settle, scope, key) //nolint:errcheck // an unreleased claim lapses after its lock
		return err
	}
	status := c.Response().StatusCode()
	if status < 200 || status > 299 {
		_ = h.idem.Release(settle, scope, key) //nolint:errcheck // as above
		return nil
	}
	rec := storedResponse{Status: status, Header: map[string]string{}, Body: bytes.Clone(c.Response().Body())}
	for _, name := range replayedHeaders {
		if v := c.GetRespHeader(name); v != "" {
			rec.Header[name] = v
		}
	}
	raw, _ := json.Marshal(rec) // a struct of strings and bytes always marshals
	// The work is done and answered; if storing fails the claim lapses after
	// its lock and a later retry runs again, which is the best left to do.
	_ = h.idem.Complete(settle, scope, key, raw) //nolint:errcheck // see above
	return nil
}

// replayable reports whether POSTs to path are kept for Idempotency-Key
// retries: not /auth (tokens) and not share-link creation (a token that
// may be revoked).
func replayable(path string) bool {
	if strings.HasPrefix(path, "/api/v1/auth/") {
		return false
	}
	p := strings.TrimSuffix(path, "/")
	return !(strings.HasPrefix(p, "/api/v1/pastes/") && strings.HasSuffix(p, "/share-links"))
}

func replay(c *fiber.Ctx, raw []byte) error {
	var rec storedResponse
	if err := json.Unmarshal(raw, &rec); err != nil {
		return err
	}
	for k, v := range rec.Header {
		c.Set(k, v)
	}
	c.Set("Idempotent-Replayed", "true")
	return c.Status(rec.Status).Send(rec.Body)
}

func validKey(k string) bool {
	if len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// callerScope names whose key it is: the signed-in user, else the client
// address.
func callerScope(c *fiber.Ctx) string {
	if v := paste.ViewerFrom(c.UserContext()); v.SignedIn() {
		return "user:" + strconv.FormatInt(v.UserID, 10)
	}
	return "addr:" + paste.ClientAddr(c.UserContext())
}

// fingerprint hashes what makes two requests the same request.
func fingerprint(c *fiber.Ctx) []byte {
	h := sha256.New()
	for _, part := range []string{
		c.Method(), c.Path(), string(c.Request().URI().QueryString()),
		c.Get(fiber.HeaderContentType), c.Get(fiber.HeaderContentEncoding),
	} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write(c.Request().Body())
	return h.Sum(nil)
}

// memoryRecords are IdempotencyRecords kept in this process, for a single
// replica (and tests without a database).
type memoryRecords struct {
	mu   sync.Mutex
	now  func() time.Time
	keys map[string]memoryKey
}

type memoryKey struct {
	fingerprint, sealed []byte
	expires             time.Time
}

// NewMemoryIdempotency returns an IdempotencyStore kept in this process,
// sealed under a secret made for it.
func NewMemoryIdempotency() IdempotencyStore {
	secret := make([]byte, MinIdempotencySecret)
	_, _ = rand.Read(secret) // never fails on supported platforms
	return NewIdempotency(&memoryRecords{now: time.Now, keys: map[string]memoryKey{}}, secret)
}

func (m *memoryRecords) Claim(_ context.Context, scope string, id, fp []byte, ttl time.Duration) (bool, []byte, []byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for k, v := range m.keys {
		if now.After(v.expires) {
			delete(m.keys, k)
		}
	}
	k := scope + "\x00" + string(id)
	if v, ok := m.keys[k]; ok {
		return false, v.fingerprint, v.sealed, nil
	}
	m.keys[k] = memoryKey{fingerprint: bytes.Clone(fp), expires: now.Add(ttl)}
	return true, nil, nil, nil
}

func (m *memoryRecords) Complete(_ context.Context, scope string, id, sealed []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := scope + "\x00" + string(id)
	if v, ok := m.keys[k]; ok && v.sealed == nil {
		v.sealed = bytes.Clone(sealed)
		m.keys[k] = v
	}
	return nil
}

func (m *memoryRecords) Release(_ context.Context, scope string, id []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := scope + "\x00" + string(id)
	if v, ok := m.keys[k]; ok && v.sealed == nil {
		delete(m.keys, k)
	}
	return nil
}

package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
)

// IdempotencyStore keeps the first response to each Idempotency-Key. The
// PostgreSQL implementation (store.IdempotencyKeys) is shared by every
// replica; a nil store in Deps falls back to one in memory.
type IdempotencyStore interface {
	// Claim reserves (scope, key) for a request with fingerprint, for ttl.
	// When the key is already held it returns claimed false with the
	// holder's fingerprint and its stored response, nil while that first
	// request still runs.
	Claim(ctx context.Context, scope, key string, fingerprint []byte, ttl time.Duration) (claimed bool, heldFingerprint, response []byte, err error)
	// Complete stores the response of the request that claimed the key.
	Complete(ctx context.Context, scope, key string, response []byte) error
	// Release forgets a claim whose request did not succeed.
	Release(ctx context.Context, scope, key string) error
}

// IdempotencyTTL is how long a key and its response are kept.
const IdempotencyTTL = 24 * time.Hour

const headerIdempotencyKey = "Idempotency-Key"

// replayedHeaders are the response headers a replay repeats.
var replayedHeaders = []string{fiber.HeaderContentType, fiber.HeaderLocation, fiber.HeaderETag, fiber.HeaderCacheControl}

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
	errKeyBusy   = &requestError{fiber.StatusConflict, "idempotency_key_in_use", "a request with this Idempotency-Key is still running; retry shortly"}
)

// idempotency makes POST requests that carry an Idempotency-Key safe to
// retry. Keys belong to the caller (the user, or the client address for
// anonymous callers) and live 24 hours. The first request claims the key and
// runs; a 2xx response is stored and every retry with the same request
// (method, path, query, content type and encoding, body) gets it back with
// Idempotent-Replayed: true, creating nothing. The same key with a different
// request is 422 idempotency_key_reused. While the first request runs,
// others with its key get 409 idempotency_key_in_use and Retry-After: 1;
// they do not wait. A response that is not 2xx is not kept (it created
// nothing): the key is released and a retry runs again. /auth routes are
// left out, since their answers carry credentials.
func (h *handler) idempotency(c *fiber.Ctx) error {
	key := c.Get(headerIdempotencyKey)
	if c.Method() != fiber.MethodPost || key == "" || strings.HasPrefix(c.Path(), "/api/v1/auth/") {
		return c.Next()
	}
	if !validKey(key) {
		return errKeyBad
	}
	key = strings.Clone(key)
	scope := callerScope(c)
	fp := fingerprint(c)
	ctx := c.UserContext()
	claimed, held, stored, err := h.idem.Claim(ctx, scope, key, fp, IdempotencyTTL)
	if err != nil {
		return err
	}
	if !claimed {
		switch {
		case !bytes.Equal(held, fp):
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

// memoryIdempotency is the in-process IdempotencyStore for a single replica
// (and tests without a database).
type memoryIdempotency struct {
	mu   sync.Mutex
	now  func() time.Time
	keys map[string]memoryKey
}

type memoryKey struct {
	fingerprint, response []byte
	expires               time.Time
}

// NewMemoryIdempotency returns an IdempotencyStore kept in this process.
func NewMemoryIdempotency() IdempotencyStore {
	return &memoryIdempotency{now: time.Now, keys: map[string]memoryKey{}}
}

func (m *memoryIdempotency) Claim(_ context.Context, scope, key string, fp []byte, ttl time.Duration) (bool, []byte, []byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for k, v := range m.keys {
		if now.After(v.expires) {
			delete(m.keys, k)
		}
	}
	id := scope + "\x00" + key
	if v, ok := m.keys[id]; ok {
		return false, v.fingerprint, v.response, nil
	}
	m.keys[id] = memoryKey{fingerprint: fp, expires: now.Add(ttl)}
	return true, nil, nil, nil
}

func (m *memoryIdempotency) Complete(_ context.Context, scope, key string, response []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	id := scope + "\x00" + key
	if v, ok := m.keys[id]; ok {
		v.response = response
		m.keys[id] = v
	}
	return nil
}

func (m *memoryIdempotency) Release(_ context.Context, scope, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.keys, scope+"\x00"+key)
	return nil
}

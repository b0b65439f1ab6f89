package metrics

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"pastel/internal/paste"
)

// Blobs wraps a blob store so each operation is timed
// (pastel_blob_operation_duration_seconds) and its failures counted. Put it
// under any cache, so what it measures is the store itself.
func (m *Metrics) Blobs(b paste.Blobs) paste.Blobs {
	if m == nil {
		return b
	}
	t := &timedBlobs{Blobs: b}
	for i, op := range []string{"put", "open", "delete", "walk", "ping"} {
		t.dur[i] = m.blobDur.WithLabelValues(op)
		t.errs[i] = m.blobErrors.WithLabelValues(op)
	}
	return t
}

const (
	opPut = iota
	opOpen
	opDelete
	opWalk
	opPing
	nOps
)

type timedBlobs struct {
	paste.Blobs
	dur  [nOps]prometheus.Observer
	errs [nOps]prometheus.Counter
}

func (t *timedBlobs) observe(op int, start time.Time, err error) {
	t.dur[op].Observe(time.Since(start).Seconds())
	if err != nil && !errors.Is(err, paste.ErrNotFound) && !errors.Is(err, context.Canceled) {
		t.errs[op].Inc()
	}
}

func (t *timedBlobs) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	start := time.Now()
	err := t.Blobs.Put(ctx, key, r, size)
	t.observe(opPut, start, err)
	return err
}

// Open is timed to when the store answers, not to the body's last byte:
// the body goes out exactly as the store returned it (an *os.File still
// reaches sendfile).
func (t *timedBlobs) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	start := time.Now()
	rc, err := t.Blobs.Open(ctx, key)
	t.observe(opOpen, start, err)
	return rc, err
}

func (t *timedBlobs) Delete(ctx context.Context, key string) error {
	start := time.Now()
	err := t.Blobs.Delete(ctx, key)
	t.observe(opDelete, start, err)
	return err
}

func (t *timedBlobs) Walk(ctx context.Context, fn func(key string, modified time.Time) error) error {
	start := time.Now()
	err := t.Blobs.Walk(ctx, fn)
	t.observe(opWalk, start, err)
	return err
}

func (t *timedBlobs) Ping(ctx context.Context) error {
	start := time.Now()
	err := t.Blobs.Ping(ctx)
	t.observe(opPing, start, err)
	return err
}

// RemoveStaleWrites passes through to the store when it has such writes.
func (t *timedBlobs) RemoveStaleWrites(ctx context.Context, before time.Time) (int, error) {
	if r, ok := t.Blobs.(paste.StaleWriteRemover); ok {
		return r.RemoveStaleWrites(ctx, before)
	}
	return 0, nil
}

// Pastes wraps the paste repository so each paste stored counts in
// pastel_pastes_created_total, by visibility.
func (m *Metrics) Pastes(r paste.Repository) paste.Repository {
	if m == nil {
		return r
	}
	for _, v := range []paste.Visibility{paste.Public, paste.Unlisted, paste.Private} {
		m.created.WithLabelValues(string(v))
	}
	return &countedPastes{Repository: r, m: m}
}

type countedPastes struct {
	paste.Repository
	m *Metrics
}

// PastesByID passes through to the repository: in one round trip when it
// reads many at once (a search's hits).
func (c *countedPastes) PastesByID(ctx context.Context, ids []paste.ID) (map[paste.ID]paste.Paste, error) {
	return paste.ReadPastes(ctx, c.Repository, ids)
}

func (c *countedPastes) InsertPaste(ctx context.Context, p paste.Paste, text string) error {
	err := c.Repository.InsertPaste(ctx, p, text)
	if err == nil {
		c.m.created.WithLabelValues(string(p.Visibility)).Inc()
	}
	return err
}

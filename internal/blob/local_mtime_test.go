package blob_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"pastel/internal/blob"
)

// slowReader hands out its text, then pauses before its end, as a slow
// client does (or a slow fsync after the last write).
type slowReader struct {
	r     io.Reader
	pause time.Duration
}

func (s *slowReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err == io.EOF {
		time.Sleep(s.pause)
	}
	return n, err
}

// TestLocalPutStampsWhenInPlace: a body's modification time is when it
// appeared under its key, not when its write began, so the orphan sweep's
// grace period covers the time between Put and the row's commit however
// slow the write was.
func TestLocalPutStampsWhenInPlace(t *testing.T) {
	l, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	body := "slow body"
	if err := l.Put(context.Background(), "pastes/ab/slow", &slowReader{r: strings.NewReader(body), pause: 300 * time.Millisecond}, int64(len(body))); err != nil {
		t.Fatal(err)
	}
	var modified time.Time
	if err := l.Walk(context.Background(), func(key string, m time.Time) error {
		if key == "pastes/ab/slow" {
			modified = m
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if modified.Before(start.Add(250 * time.Millisecond)) {
		t.Fatalf("modified %v, %v after the write began: stamped before the body was in place", modified, modified.Sub(start))
	}
}

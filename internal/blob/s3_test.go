package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"pastel/internal/blob"
	"pastel/internal/blob/blobtest"
	"pastel/internal/paste"
)

func s3Options(srv *blobtest.Server, bucket string) blob.S3Options {
	return blob.S3Options{
		Endpoint:  srv.Endpoint,
		AccessKey: srv.AccessKey,
		SecretKey: srv.SecretKey,
		Bucket:    bucket,
		Region:    srv.Region,
	}
}

func newS3(t *testing.T, opts blob.S3Options) *blob.S3 {
	t.Helper()
	s, err := blob.NewS3(t.Context(), opts)
	if err != nil {
		t.Fatalf("NewS3: %v", err)
	}
	return s
}

func TestS3Contract(t *testing.T) {
	srv := blobtest.StartVersityGW(t)
	blobtest.RunContract(t, func(t *testing.T) paste.Blobs {
		// A fresh bucket per subtest keeps Walk's view empty.
		return newS3(t, s3Options(srv, srv.NewBucketName()))
	})
}

func TestS3CreatesBucketOnce(t *testing.T) {
	srv := blobtest.StartVersityGW(t)
	opts := s3Options(srv, srv.Bucket)
	first := newS3(t, opts)
	key := blobtest.NewKey()
	if err := first.Put(t.Context(), key, bytes.NewReader([]byte("kept")), 4); err != nil {
		t.Fatal(err)
	}
	// A second start over an existing bucket (a restart, another replica)
	// must neither fail nor lose what is there.
	second := newS3(t, opts)
	rc, err := second.Open(t.Context(), key)
	if err != nil {
		t.Fatalf("Open through the second client: %v", err)
	}
	defer rc.Close()
	if got, _ := io.ReadAll(rc); string(got) != "kept" {
		t.Errorf("body = %q, want %q", got, "kept")
	}
}

func TestS3WrongCredentials(t *testing.T) {
	srv := blobtest.StartVersityGW(t)
	opts := s3Options(srv, srv.Bucket)
	opts.SecretKey = "not-the-secret"
	if _, err := blob.NewS3(t.Context(), opts); err == nil {
		t.Fatal("NewS3 with a wrong secret: no error")
	}
}

// TestS3Outage stops the server and checks every call fails fast with an
// error wrapping paste.ErrUnavailable, then that the same store works
// again once the server is back.
func TestS3Outage(t *testing.T) {
	srv := blobtest.StartVersityGW(t)
	s := newS3(t, s3Options(srv, srv.Bucket))
	stored := blobtest.NewKey()
	body := []byte("survives the outage")
	if err := s.Put(t.Context(), stored, bytes.NewReader(body), int64(len(body))); err != nil {
		t.Fatal(err)
	}

	srv.Stop()
	const limit = 5 * time.Second
	calls := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"Put", func(ctx context.Context) error {
			return s.Put(ctx, blobtest.NewKey(), bytes.NewReader(body), int64(len(body)))
		}},
		{"Open", func(ctx context.Context) error {
			rc, err := s.Open(ctx, stored)
			if err == nil {
				rc.Close()
			}
			return err
		}},
		{"Delete", func(ctx context.Context) error { return s.Delete(ctx, stored) }},
		{"Walk", func(ctx context.Context) error {
			return s.Walk(ctx, func(string, time.Time) error { return nil })
		}},
		{"Ping", func(ctx context.Context) error { return s.Ping(ctx) }},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			// A generous context so the store's own timeouts are measured.
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			start := time.Now()
			err := c.call(ctx)
			took := time.Since(start)
			t.Logf("%s with S3 down: %v after %v", c.name, err, took.Round(time.Millisecond))
			if !errors.Is(err, paste.ErrUnavailable) {
				t.Errorf("%s with S3 down = %v, want an error wrapping paste.ErrUnavailable", c.name, err)
			}
			if errors.Is(err, paste.ErrNotFound) {
				t.Errorf("%s with S3 down = %v, must not look like a missing key", c.name, err)
			}
			if took > limit {
				t.Errorf("%s with S3 down took %v, want under %v", c.name, took, limit)
			}
		})
	}
	if _, err := blob.NewS3(t.Context(), s3Options(srv, srv.NewBucketName())); !errors.Is(err, paste.ErrUnavailable) {
		t.Errorf("NewS3 with S3 down = %v, want ErrUnavailable", err)
	}

	srv.Start()
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping after restart: %v", err)
	}
	rc, err := s.Open(t.Context(), stored)
	if err != nil {
		t.Fatalf("Open after restart: %v", err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, body) {
		t.Errorf("body after restart = %q, %v; want %q", got, err, body)
	}
	key := blobtest.NewKey()
	if err := s.Put(t.Context(), key, bytes.NewReader(body), int64(len(body))); err != nil {
		t.Errorf("Put after restart: %v", err)
	}
}

// TestS3OutageMidRead checks a body being streamed when the server goes
// away ends in an error wrapping paste.ErrUnavailable, not in a silently
// short body.
func TestS3OutageMidRead(t *testing.T) {
	srv := blobtest.StartVersityGW(t)
	s := newS3(t, s3Options(srv, srv.Bucket))
	key := blobtest.NewKey()
	body := bytes.Repeat([]byte("0123456789abcdef"), 4<<20) // 64 MiB
	if err := s.Put(t.Context(), key, bytes.NewReader(body), int64(len(body))); err != nil {
		t.Fatal(err)
	}
	rc, err := s.Open(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, err := io.ReadFull(rc, make([]byte, 1024)); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	n, err := io.Copy(io.Discard, rc)
	if err == nil {
		t.Fatalf("read %d of %d bytes and no error", n+1024, len(body))
	}
	if !errors.Is(err, paste.ErrUnavailable) {
		t.Errorf("read error = %v, want ErrUnavailable", err)
	}
}

// TestS3HungServer freezes the server (connections accepted, nothing
// answered) and checks calls give up with paste.ErrUnavailable instead of
// hanging, then recover once it runs again.
func TestS3HungServer(t *testing.T) {
	srv := blobtest.StartVersityGW(t)
	s := newS3(t, s3Options(srv, srv.Bucket))
	key := blobtest.NewKey()
	if err := s.Put(t.Context(), key, bytes.NewReader([]byte("x")), 1); err != nil {
		t.Fatal(err)
	}
	srv.Pause()

	start := time.Now()
	err := s.Ping(t.Context())
	took := time.Since(start)
	t.Logf("Ping with S3 hung: %v after %v", err, took.Round(time.Millisecond))
	if !errors.Is(err, paste.ErrUnavailable) || took > 5*time.Second {
		t.Errorf("Ping with S3 hung = %v after %v, want ErrUnavailable within 5s", err, took)
	}

	start = time.Now()
	rc, err := s.Open(t.Context(), key)
	took = time.Since(start)
	if err == nil {
		rc.Close()
	}
	t.Logf("Open with S3 hung: %v after %v", err, took.Round(time.Millisecond))
	if !errors.Is(err, paste.ErrUnavailable) || took > 15*time.Second {
		t.Errorf("Open with S3 hung = %v after %v, want ErrUnavailable within 15s", err, took)
	}

	srv.Resume()
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping after resume: %v", err)
	}
}

// TestS3CreateBucketRace starts several stores on one missing bucket at
// once, as replicas starting together do: all must come up.
func TestS3CreateBucketRace(t *testing.T) {
	srv := blobtest.StartVersityGW(t)
	opts := s3Options(srv, srv.NewBucketName())
	const n = 6
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := blob.NewS3(t.Context(), opts)
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("NewS3 racing on a new bucket: %v", err)
		}
	}
}

func TestS3CancelledIsNotUnavailable(t *testing.T) {
	srv := blobtest.StartVersityGW(t)
	s := newS3(t, s3Options(srv, srv.Bucket))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.Open(ctx, blobtest.NewKey())
	if !errors.Is(err, context.Canceled) || errors.Is(err, paste.ErrUnavailable) {
		t.Errorf("Open with a cancelled context = %v, want context.Canceled and not ErrUnavailable", err)
	}
}

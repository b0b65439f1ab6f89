package store_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"pastel/internal/blob"
	"pastel/internal/paste"
	"pastel/internal/render"
)

// failingInsert is the repository with its commit failing, as when the
// database goes away between the body write and the insert.
type failingInsert struct{ paste.Repository }

func (failingInsert) InsertPaste(context.Context, paste.Paste, string) error {
	return paste.ErrUnavailable
}

func keys(t *testing.T, b paste.Blobs) []string {
	t.Helper()
	var out []string
	if err := b.Walk(context.Background(), func(k string, _ time.Time) error {
		out = append(out, k)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFailedCommitRemovesBody(t *testing.T) {
	repo, _ := newRepo(t)
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := paste.NewService(failingInsert{repo}, blobs, render.NewSyntaxes(), paste.Options{MaxBytes: 1 << 20, AllowAnonymous: true})
	_, err = svc.Create(context.Background(), paste.Anonymous, paste.CreateInput{Content: []byte("lost")})
	if !errors.Is(err, paste.ErrUnavailable) {
		t.Fatalf("create with failing commit: %v", err)
	}
	if k := keys(t, blobs); len(k) != 0 {
		t.Fatalf("bodies left behind: %v", k)
	}
}

// TestCrashBetweenBodyAndCommit: a process that dies after writing the body
// and before committing leaves an unreferenced body and no row. Nothing is
// visible, and the orphan sweep removes the body once it is older than the
// grace period, without touching live bodies or fresh uploads.
func TestCrashBetweenBodyAndCommit(t *testing.T) {
	repo, _ := newRepo(t)
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	svc := paste.NewService(repo, blobs, render.NewSyntaxes(), paste.Options{
		MaxBytes: 1 << 20, AllowAnonymous: true, Now: func() time.Time { return now },
	})
	ctx := context.Background()
	live, err := svc.Create(ctx, paste.Anonymous, paste.CreateInput{Content: []byte("live")})
	if err != nil {
		t.Fatal(err)
	}
	orphan := "pastes/ab/ab000000000000000000000000000000"
	if err := blobs.Put(ctx, orphan, strings.NewReader("crashed"), 7); err != nil {
		t.Fatal(err)
	}
	// Within the grace period the orphan may still be an upload in flight.
	if n, err := svc.SweepOrphans(ctx, time.Hour); err != nil || n != 0 {
		t.Fatalf("sweep inside grace removed %d (%v)", n, err)
	}
	now = now.Add(2 * time.Hour)
	if n, err := svc.SweepOrphans(ctx, time.Hour); err != nil || n != 1 {
		t.Fatalf("sweep removed %d, want 1 (%v)", n, err)
	}
	if k := keys(t, blobs); len(k) != 1 || k[0] != live.Paste.BlobKey {
		t.Fatalf("after sweep: %v, want only the live body", k)
	}
	_, body, err := svc.Open(ctx, paste.Anonymous, live.Paste.ID)
	if err != nil || !bytes.Equal(body, []byte("live")) {
		t.Fatalf("live paste after sweep: %q %v", body, err)
	}
}

func TestMissingBodyIsUnavailableNotNotFound(t *testing.T) {
	repo, _ := newRepo(t)
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := paste.NewService(repo, blobs, render.NewSyntaxes(), paste.Options{MaxBytes: 1 << 20, AllowAnonymous: true})
	ctx := context.Background()
	c, err := svc.Create(ctx, paste.Anonymous, paste.CreateInput{Content: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	if err := blobs.Delete(ctx, c.Paste.BlobKey); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Open(ctx, paste.Anonymous, c.Paste.ID); !errors.Is(err, paste.ErrUnavailable) {
		t.Fatalf("row without body: %v, want ErrUnavailable (503, never 404)", err)
	}
}

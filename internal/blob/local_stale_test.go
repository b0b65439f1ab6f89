package blob_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLocalRemoveStaleWrites: the temporary file of a write interrupted by
// a crash is removed once it is older than the cutoff; a fresh one (a write
// in progress) and real bodies stay.
func TestLocalRemoveStaleWrites(t *testing.T) {
	ctx := context.Background()
	l := newLocal(t)
	if err := l.Put(ctx, "pastes/ab/body", strings.NewReader("kept"), 4); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(l.Dir(), "pastes", "ab")
	stale, fresh := filepath.Join(dir, ".tmp-123"), filepath.Join(dir, ".tmp-456")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("half a bo"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	n, err := l.RemoveStaleWrites(ctx, time.Now().Add(-time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("RemoveStaleWrites = %d, %v; want 1", n, err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temporary file still there: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("write in progress removed: %v", err)
	}
	rc, err := l.Open(ctx, "pastes/ab/body")
	if err != nil {
		t.Fatalf("body removed: %v", err)
	}
	rc.Close()
}

package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"pastel/internal/blob"
	"pastel/internal/blob/blobtest"
	"pastel/internal/paste"
)

func newLocal(t *testing.T) *blob.Local {
	t.Helper()
	l, err := blob.NewLocal(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatalf("NewLocal: %v", err)
	}
	return l
}

func TestLocalContract(t *testing.T) {
	blobtest.RunContract(t, func(t *testing.T) paste.Blobs { return newLocal(t) })
}

func TestValidKey(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		{"pastes/ab/0123456789abcdef0123456789abcdef", true},
		{"a", true},
		{"a_b-c.d/e", true},
		{"", false},
		{"/abs", false},
		{"..", false},
		{".", false},
		{"a/../b", false},
		{"a/./b", false},
		{"../a", false},
		{"a/..", false},
		{`a\b`, false},
		{`..\..\etc`, false},
		{"a//b", false},
		{"a/", false},
		{"A", false},
		{"a b", false},
		{"a:b", false},
		{"a/.tmp-123", false},
		{"é", false},
		{"a\x00", false},
		{"a\nb", false},
		{strings.Repeat("a", 513), false},
	}
	for _, tt := range tests {
		if got := blob.ValidKey(tt.key); got != tt.want {
			t.Errorf("ValidKey(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}

// TestLocalInvalidKeyStaysInside checks that no bad key touches the file
// system outside (or inside) the store and that the error says why.
func TestLocalInvalidKeyStaysInside(t *testing.T) {
	root := t.TempDir()
	l, err := blob.NewLocal(filepath.Join(root, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(root, "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"../victim", "pastes/../../victim", victim, `..\victim`} {
		err := l.Put(t.Context(), key, strings.NewReader("evil"), 4)
		if !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Put(%q) = %v, want ErrInvalidKey", key, err)
		}
		if _, err := l.Open(t.Context(), key); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Open(%q) = %v, want ErrInvalidKey", key, err)
		}
		if err := l.Delete(t.Context(), key); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Delete(%q) = %v, want ErrInvalidKey", key, err)
		}
	}
	if got, _ := os.ReadFile(victim); string(got) != "keep" {
		t.Errorf("file outside the store changed to %q", got)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 2 {
		t.Errorf("store root has %d entries, want blobs and victim only", len(entries))
	}
}

// TestLocalLeftoverTempFiles plays the state a crash leaves (a temporary
// file next to real bodies) and checks it is invisible under every key.
func TestLocalLeftoverTempFiles(t *testing.T) {
	l := newLocal(t)
	key := blobtest.NewKey()
	if err := l.Put(t.Context(), key, strings.NewReader("complete"), 8); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(filepath.Join(l.Dir(), filepath.FromSlash(key)))
	if err := os.WriteFile(filepath.Join(dir, ".tmp-crashed"), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(l.Dir(), ".trash", "x"), 0o750); err != nil {
		t.Fatal(err)
	}
	var keys []string
	if err := l.Walk(t.Context(), func(k string, _ time.Time) error {
		keys = append(keys, k)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{key}, keys); diff != "" {
		t.Errorf("Walk with leftover temp files (-want +got):\n%s", diff)
	}
}

// TestLocalFailedPutLeavesNoTempFile checks a Put that fails cleans up.
func TestLocalFailedPutLeavesNoTempFile(t *testing.T) {
	l := newLocal(t)
	key := blobtest.NewKey()
	r := io.MultiReader(strings.NewReader("half a body"), failingReader{})
	if err := l.Put(t.Context(), key, r, 100); err == nil {
		t.Fatal("Put with a failing reader: no error")
	}
	if files := allFiles(t, l.Dir()); len(files) != 0 {
		t.Errorf("files left after a failed Put: %q", files)
	}
}

// TestLocalCrashDuringPut kills a process in the middle of a Put (the
// reader exits the process after half the body) and checks that the key
// still holds the previous body, complete, and that Walk sees no
// half-written body.
func TestLocalCrashDuringPut(t *testing.T) {
	if dir := os.Getenv("PASTEL_BLOB_CRASH_DIR"); dir != "" {
		crashingPut(dir, os.Getenv("PASTEL_BLOB_CRASH_KEY"))
		return
	}
	l := newLocal(t)
	key := blobtest.NewKey()
	old := bytes.Repeat([]byte("old body\n"), 1000)
	if err := l.Put(t.Context(), key, bytes.NewReader(old), int64(len(old))); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLocalCrashDuringPut$")
	cmd.Env = append(os.Environ(), "PASTEL_BLOB_CRASH_DIR="+l.Dir(), "PASTEL_BLOB_CRASH_KEY="+key)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("crashing child: %v, want exit status 3\n%s", err, out)
	}

	rc, err := l.Open(t.Context(), key)
	if err != nil {
		t.Fatalf("Open after crash: %v", err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, old) {
		t.Errorf("after crash the key holds %d bytes, want the old %d", len(got), len(old))
	}
	var temps int
	for _, f := range allFiles(t, l.Dir()) {
		if strings.HasPrefix(filepath.Base(f), ".tmp-") {
			temps++
		}
	}
	if temps != 1 {
		t.Errorf("found %d temporary files after the crash, want the 1 the child left", temps)
	}
	var keys []string
	if err := l.Walk(t.Context(), func(k string, _ time.Time) error {
		keys = append(keys, k)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{key}, keys); diff != "" {
		t.Errorf("Walk after crash (-want +got):\n%s", diff)
	}
}

// crashingPut runs in the child process of TestLocalCrashDuringPut.
func crashingPut(dir, key string) {
	l, err := blob.NewLocal(dir)
	if err != nil {
		os.Exit(1)
	}
	r := io.MultiReader(bytes.NewReader(bytes.Repeat([]byte("new"), 10000)), crashReader{})
	_ = l.Put(context.Background(), key, r, 60000)
	os.Exit(2) // Put returned: the crash did not happen
}

func TestLocalPing(t *testing.T) {
	l := newLocal(t)
	if err := l.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if err := os.RemoveAll(l.Dir()); err != nil {
		t.Fatal(err)
	}
	if err := l.Ping(t.Context()); !errors.Is(err, paste.ErrUnavailable) {
		t.Errorf("Ping of a removed dir = %v, want ErrUnavailable", err)
	}
}

func TestLocalSizeMismatch(t *testing.T) {
	l := newLocal(t)
	key := blobtest.NewKey()
	if err := l.Put(t.Context(), key, strings.NewReader("longer than said"), 4); err == nil {
		t.Error("Put of a reader longer than size: no error")
	}
	if _, err := l.Open(t.Context(), key); !errors.Is(err, paste.ErrNotFound) {
		t.Errorf("Open after a rejected Put = %v, want ErrNotFound", err)
	}
}

func allFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

// crashReader ends the process the way a crash would: no deferred
// cleanup runs.
type crashReader struct{}

func (crashReader) Read([]byte) (int, error) {
	os.Exit(3)
	return 0, nil
}

package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"pastel/internal/paste"
)

// tempPrefix starts the names of bodies being written. ValidKey rejects
// segments starting with a dot, so a temporary file never has a real key.
const tempPrefix = ".tmp-"

// Local stores blobs as files under a directory, one file per key (the
// key's slashes become subdirectories). Writes are atomic: a body is written
// to a temporary file in the destination directory, synced and renamed over
// the key, so a crash never leaves a partial body under a real key. Local is
// safe for concurrent use.
type Local struct {
	dir string
}

var (
	_ paste.Blobs             = (*Local)(nil)
	_ paste.StaleWriteRemover = (*Local)(nil)
)

// NewLocal returns a Local storing bodies under dir, creating dir if needed.
func NewLocal(dir string) (*Local, error) {
	if dir == "" {
		return nil, errors.New("local blobs: empty directory")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("local blobs %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("local blobs %s: %w", dir, err)
	}
	return &Local{dir: abs}, nil
}

// Dir returns the absolute directory the blobs live in.
func (l *Local) Dir() string { return l.dir }

func (l *Local) path(key string) string {
	return filepath.Join(l.dir, filepath.FromSlash(key))
}

// Put stores size bytes read from r under key, replacing any previous
// body; a negative size means r is read to its end. If r yields more or
// fewer than size bytes, or fails, or ctx ends
// before the body is in place, nothing changes under key.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64) (err error) {
	if err := checkKey("local put", key); err != nil {
		return err
	}
	dst := l.path(key)
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("local put %s: %w", key, err)
	}
	f, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return fmt.Errorf("local put %s: %w", key, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()

	src := io.Reader(&ctxReader{ctx: ctx, r: r})
	if size >= 0 {
		// Read one byte past size so a reader longer than announced is caught.
		src = io.LimitReader(src, size+1)
	}
	n, err := io.Copy(f, src)
	if err != nil {
		return fmt.Errorf("local put %s: %w", key, err)
	}
	if size >= 0 && n != size {
		return fmt.Errorf("local put %s: body has %d bytes, want %d", key, n, size)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("local put %s: %w", key, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("local put %s: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("local put %s: %w", key, err)
	}
	// The orphan sweep's grace period counts from a body's modification
	// time, and a body may become referenced only after it is in place
	// under its key. Stamp it now, not when the write began: a slow write
	// or fsync must not age it past the grace before its row can commit.
	now := time.Now()
	if err := os.Chtimes(tmp, now, now); err != nil {
		return fmt.Errorf("local put %s: %w", key, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("local put %s: %w", key, err)
	}
	// The rename is durable only once the directory entry is synced. The
	// body is already in place, so a failure here is not reported.
	syncDir(dir)
	return nil
}

// Open returns the body stored under key, or an error wrapping
// paste.ErrNotFound when there is none.
func (l *Local) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := checkKey("local open", key); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("local open %s: %w", key, err)
	}
	f, err := os.Open(l.path(key))
	if err != nil {
		if isNotExist(err) {
			return nil, fmt.Errorf("local open %s: %w", key, paste.ErrNotFound)
		}
		return nil, fmt.Errorf("local open %s: %w", key, err)
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("local open %s: %w", key, err)
	}
	if !st.Mode().IsRegular() {
		// A key naming a directory ("pastes/ab") holds no body.
		_ = f.Close()
		return nil, fmt.Errorf("local open %s: %w", key, paste.ErrNotFound)
	}
	return &File{File: f, size: st.Size()}, nil
}

// File is a body Local opens: an open file of known size. It reads
// without the context it was opened with (paste.DetachedBody), and the web
// edge hands the file itself to the server (SendFile), which sends it with
// sendfile.
type File struct {
	*os.File
	size int64
}

// Size returns the body's size in bytes.
func (f *File) Size() int64 { return f.size }

// SendFile returns the open file, for a server that can send it with
// sendfile; whoever sends it closes it.
func (f *File) SendFile() *os.File { return f.File }

// Detached marks the body as independent of its opening context.
func (*File) Detached() {}

// Delete removes the body stored under key. Deleting a missing key returns
// nil. Empty directories are left in place: removing them could race with
// a concurrent Put into the same directory.
func (l *Local) Delete(ctx context.Context, key string) error {
	if err := checkKey("local delete", key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("local delete %s: %w", key, err)
	}
	p := l.path(key)
	if st, err := os.Lstat(p); err == nil && st.IsDir() {
		return nil
	}
	if err := os.Remove(p); err != nil && !isNotExist(err) {
		return fmt.Errorf("local delete %s: %w", key, err)
	}
	return nil
}

// Walk calls fn for every stored key with its modification time, in
// lexical order. Temporary files of writes in progress (or left by a
// crash) and files whose names are not valid keys are skipped. Walk stops
// at the first error fn returns and returns it.
func (l *Local) Walk(ctx context.Context, fn func(key string, modified time.Time) error) error {
	err := filepath.WalkDir(l.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if isNotExist(err) && p != l.dir {
				return nil // removed while walking
			}
			return fmt.Errorf("local walk: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("local walk: %w", err)
		}
		if p == l.dir {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(l.dir, p)
		if err != nil {
			return fmt.Errorf("local walk: %w", err)
		}
		key := filepath.ToSlash(rel)
		if !ValidKey(key) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			if isNotExist(err) {
				return nil
			}
			return fmt.Errorf("local walk: %w", err)
		}
		return fn(key, info.ModTime())
	})
	return err
}

// RemoveStaleWrites deletes the temporary files of writes that were
// interrupted (the process was killed mid-write) and last changed before
// before; a write in progress keeps its file fresh. It returns how many it
// removed.
func (l *Local) RemoveStaleWrites(ctx context.Context, before time.Time) (int, error) {
	removed := 0
	err := filepath.WalkDir(l.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if isNotExist(err) && p != l.dir {
				return nil
			}
			return fmt.Errorf("local stale writes: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("local stale writes: %w", err)
		}
		if d.IsDir() || !strings.HasPrefix(d.Name(), tempPrefix) {
			return nil
		}
		info, err := d.Info()
		if err != nil || !info.ModTime().Before(before) {
			return nil // gone meanwhile, or still being written
		}
		if err := os.Remove(p); err == nil {
			removed++
		} else if !isNotExist(err) {
			return fmt.Errorf("local stale writes: %w", err)
		}
		return nil
	})
	return removed, err
}

// Ping checks the directory exists and a file can be created in it; an
// error wraps paste.ErrUnavailable.
func (l *Local) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("local ping: %w: %w", paste.ErrUnavailable, err)
	}
	f, err := os.CreateTemp(l.dir, tempPrefix+"ping-*")
	if err != nil {
		return fmt.Errorf("local ping: %w: %w", paste.ErrUnavailable, err)
	}
	name := f.Name()
	_, werr := f.Write([]byte("ok"))
	cerr := f.Close()
	rerr := os.Remove(name)
	if err := errors.Join(werr, cerr, rerr); err != nil {
		return fmt.Errorf("local ping: %w: %w", paste.ErrUnavailable, err)
	}
	return nil
}

// isNotExist also treats ENOTDIR as missing: it comes back when a key runs
// through a path component that is a file.
func isNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// ctxReader stops a copy once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

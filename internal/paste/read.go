package paste

import (
	"context"
	"io"
)

// ReadOptions say how much of a paste a raw or API read wants.
type ReadOptions struct {
	// Want is called with the paste once the read rule has allowed it and
	// before its body is read; false answers with the metadata alone (a
	// HEAD, or a revalidation whose ETag matched). A burn-after-reading
	// paste is consumed only when its body is wanted. nil: always.
	Want func(Paste) bool
	// StreamOver is the size above which the body comes as a stream
	// (Reading.Stream) rather than in memory; <= 0: always in memory.
	// A burn-after-reading body is always read whole: it is gone once read.
	StreamOver int64
	// File names the file whose body is read ("": the first file); a
	// name the paste has no file of is ErrNotFound.
	File string
	// AllFiles reads every file's body into Reading.Bodies (Body is the
	// first's); no stream. A burn-after-reading paste is consumed with
	// all of its files.
	AllFiles bool
}

// Reading is what Read returns: the paste and, when wanted, its body,
// either in memory (Body, which may be shared with a cache: do not modify
// it) or as a stream the caller closes (Stream).
type Reading struct {
	Paste  Paste
	Body   []byte
	Stream io.ReadCloser
	// File is the file whose body Body or Stream hold.
	File File
	// Bodies are every file's body, first file first (ReadOptions.AllFiles).
	Bodies [][]byte
	// Skipped is true when Want declined the body.
	Skipped bool
	// Consumed is true when this read consumed a burn-after-reading
	// paste: it is gone for everyone else.
	Consumed bool
}

// Read is the one read of a paste's metadata and body for the raw view,
// downloads and the API: the read rule applied once, then the body, a
// burn-after-reading paste consumed by exactly one caller.
func (s *Service) Read(ctx context.Context, v Viewer, id ID, o ReadOptions) (Reading, error) {
	p, err := s.Get(ctx, v, id)
	if err != nil {
		return Reading{}, err
	}
	files := FilesOf(p)
	at := 0
	if o.File != "" {
		if at = fileIndex(files, o.File); at < 0 {
			return Reading{}, ErrNotFound
		}
	}
	if o.Want != nil && !o.Want(p) {
		return Reading{Paste: p, File: files[at], Skipped: true}, nil
	}
	if p.BurnAfterReading || o.AllFiles {
		p, bodies, err := s.openAll(ctx, v, p)
		if err != nil {
			return Reading{}, err
		}
		files = FilesOf(p)
		if at >= len(bodies) {
			return Reading{}, ErrNotFound // the claimed paste changed meanwhile
		}
		r := Reading{Paste: p, File: files[at], Body: bodies[at], Consumed: p.BurnAfterReading}
		if o.AllFiles {
			r.Bodies = bodies
		}
		return r, nil
	}
	f := files[at]
	if o.StreamOver > 0 && f.Size > o.StreamOver {
		rc, err := s.FileReader(ctx, p, f)
		if err != nil {
			return Reading{}, err
		}
		return Reading{Paste: p, File: f, Stream: rc}, nil
	}
	body, err := s.readBody(ctx, f.BlobKey)
	if err != nil {
		return Reading{}, err
	}
	return Reading{Paste: p, File: f, Body: body}, nil
}

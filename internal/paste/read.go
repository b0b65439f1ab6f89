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
}

// Reading is what Read returns: the paste and, when wanted, its body,
// either in memory (Body, which may be shared with a cache: do not modify
// it) or as a stream the caller closes (Stream).
type Reading struct {
	Paste  Paste
	Body   []byte
	Stream io.ReadCloser
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
	if o.Want != nil && !o.Want(p) {
		return Reading{Paste: p, Skipped: true}, nil
	}
	if p.BurnAfterReading {
		p, body, err := s.open(ctx, v, p)
		if err != nil {
			return Reading{}, err
		}
		return Reading{Paste: p, Body: body, Consumed: p.BurnAfterReading}, nil
	}
	if o.StreamOver > 0 && p.Size > o.StreamOver {
		rc, err := s.BodyReader(ctx, p)
		if err != nil {
			return Reading{}, err
		}
		return Reading{Paste: p, Stream: rc}, nil
	}
	body, err := s.readBody(ctx, p.BlobKey)
	if err != nil {
		return Reading{}, err
	}
	return Reading{Paste: p, Body: body}, nil
}

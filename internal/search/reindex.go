package search

import (
	"context"
	"errors"
	"fmt"
	"io"

	"pastel/internal/clock"
	"pastel/internal/paste"
)

// DocSource lists search documents in ID order (store.Store).
type DocSource interface {
	SearchDocs(ctx context.Context, after paste.ID, max int) ([]paste.SearchDoc, error)
}

// Rebuildable is the collection an index can be rebuilt into.
type Rebuildable interface {
	Index
	Recreate(ctx context.Context) error
}

// Reindex recreates the index and fills it with every indexable document.
// Changes made meanwhile are queued and delivered by the worker as usual.
func Reindex(ctx context.Context, src DocSource, idx Rebuildable, now clock.Clock) (int, error) {
	if err := idx.Recreate(ctx); err != nil {
		return 0, err
	}
	n := 0
	var after paste.ID
	for {
		docs, err := src.SearchDocs(ctx, after, 500)
		if err != nil {
			return n, err
		}
		if len(docs) == 0 {
			return n, nil
		}
		after = docs[len(docs)-1].ID
		keep := docs[:0]
		for _, d := range docs {
			if d.Indexable() {
				keep = append(keep, d)
			}
		}
		if err := idx.Upsert(ctx, keep); err != nil {
			return n, fmt.Errorf("reindex: %w", err)
		}
		n += len(keep)
	}
}

// BodySink is where rebuilt bodies go (store.Store).
type BodySink interface {
	PasteIDsAfter(ctx context.Context, after paste.ID, max int) ([]paste.ID, error)
	SetSearchBody(ctx context.Context, id paste.ID, text string) error
}

// RebuildBodies re-reads every paste body from the blob store into the
// PostgreSQL index (after the search migration, or to repair it).
func RebuildBodies(ctx context.Context, sink BodySink, repo paste.Repository, blobs paste.Blobs) (int, error) {
	n := 0
	var after paste.ID
	for {
		ids, err := sink.PasteIDsAfter(ctx, after, 500)
		if err != nil {
			return n, err
		}
		if len(ids) == 0 {
			return n, nil
		}
		after = ids[len(ids)-1]
		for _, id := range ids {
			p, err := repo.PasteByID(ctx, id)
			if errors.Is(err, paste.ErrNotFound) {
				continue
			}
			if err != nil {
				return n, err
			}
			if p.Encrypted {
				// Ciphertext: nothing to search, nothing to keep.
				if err := sink.SetSearchBody(ctx, id, ""); err != nil {
					return n, err
				}
				n++
				continue
			}
			rc, err := blobs.Open(ctx, p.BlobKey)
			if errors.Is(err, paste.ErrNotFound) {
				continue
			}
			if err != nil {
				return n, err
			}
			body, err := io.ReadAll(io.LimitReader(rc, paste.MaxSearchTextKB<<10))
			rc.Close()
			if err != nil {
				return n, err
			}
			if err := sink.SetSearchBody(ctx, id, paste.SearchText(body)); err != nil {
				return n, err
			}
			n++
		}
	}
}

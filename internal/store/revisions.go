package store

import (
	"context"

	"pastel/internal/paste"
	"pastel/internal/store/dbgen"
)

// Revisions is the PostgreSQL paste.RevisionRepository: a paste's
// revisions and their files, written by the paste repository's creates and
// edits.
type Revisions struct{ *Store }

var _ paste.RevisionRepository = Revisions{}

// Revisions returns the revision repository.
func (s *Store) Revisions() Revisions { return Revisions{s} }

// PasteRevisions implements paste.RevisionRepository.
func (r Revisions) PasteRevisions(ctx context.Context, id paste.ID) ([]paste.Revision, error) {
	rows, err := r.q.ListPasteRevisions(ctx, string(id))
	if err != nil {
		return nil, translate(err)
	}
	files, err := r.q.ListPasteFiles(ctx, string(id))
	if err != nil {
		return nil, translate(err)
	}
	byNumber := map[int32][]paste.File{}
	for _, f := range files {
		byNumber[f.Revision] = append(byNumber[f.Revision], toFile(f))
	}
	out := make([]paste.Revision, len(rows))
	for i, row := range rows {
		out[i] = toRevision(row.Revision, row.Title, row.AuthorID, row.AuthorName, row.CreatedAt)
		out[i].Files = byNumber[row.Revision]
	}
	return out, nil
}

// PasteRevision implements paste.RevisionRepository.
func (r Revisions) PasteRevision(ctx context.Context, id paste.ID, n int32) (paste.Revision, error) {
	row, err := r.q.PasteRevisionByNumber(ctx, dbgen.PasteRevisionByNumberParams{PasteID: string(id), Revision: n})
	if err != nil {
		return paste.Revision{}, translate(err)
	}
	rev := toRevision(row.Revision, row.Title, row.AuthorID, row.AuthorName, row.CreatedAt)
	if rev.Files, err = filesAt(ctx, r.q, id, n); err != nil {
		return paste.Revision{}, err
	}
	return rev, nil
}

package store

import (
	"context"
	"time"

	"pastel/internal/paste"
	"pastel/internal/store/dbgen"
)

// Files and revisions of pastes (migration 0020). Every write of a pastes
// row writes its revision's rows in the same transaction: a create writes
// revision 1, an edit the next one.

// revisionParams maps p, at its revision, onto its revision row.
func revisionParams(p paste.Paste) dbgen.InsertPasteRevisionParams {
	return dbgen.InsertPasteRevisionParams{
		PasteID:   string(p.ID),
		Revision:  p.Revision,
		Title:     p.Title,
		AuthorID:  optInt64(p.OwnerID),
		CreatedAt: p.UpdatedAt,
	}
}

// fileParams maps p's files (the one its row describes when it has none)
// onto their rows.
func fileParams(p paste.Paste) []dbgen.InsertPasteFileParams {
	files := paste.FilesOf(p)
	out := make([]dbgen.InsertPasteFileParams, len(files))
	for i, f := range files {
		out[i] = dbgen.InsertPasteFileParams{
			PasteID: string(p.ID), Revision: p.Revision, Position: int16(i),
			Name: f.Name, Syntax: f.Syntax, BlobKey: f.BlobKey, Size: f.Size, ContentType: f.ContentType,
		}
	}
	return out
}

// writeRevision writes p's revision and files rows.
func writeRevision(ctx context.Context, q *dbgen.Queries, p paste.Paste) error {
	if err := q.InsertPasteRevision(ctx, revisionParams(p)); err != nil {
		return translate(err)
	}
	for _, f := range fileParams(p) {
		if err := q.InsertPasteFile(ctx, f); err != nil {
			return translate(err)
		}
	}
	return nil
}

// copyRevisions writes the revision and files rows of many new pastes (the
// insert batcher's COPY).
func copyRevisions(ctx context.Context, q *dbgen.Queries, batch []*insertReq) error {
	revs := make([]dbgen.CopyPasteRevisionsParams, 0, len(batch))
	var files []dbgen.CopyPasteFilesParams
	for _, r := range batch {
		revs = append(revs, dbgen.CopyPasteRevisionsParams(revisionParams(r.p)))
		for _, f := range fileParams(r.p) {
			files = append(files, dbgen.CopyPasteFilesParams(f))
		}
	}
	if _, err := q.CopyPasteRevisions(ctx, revs); err != nil {
		return translate(err)
	}
	_, err := q.CopyPasteFiles(ctx, files)
	return translate(err)
}

// writeNextRevision writes the rows of the revision an update just made:
// p's files when it has them, else the files of the revision before,
// unchanged (an edit of the title or of settings only).
func writeNextRevision(ctx context.Context, q *dbgen.Queries, updated dbgen.Paste, old, p paste.Paste) error {
	next := p
	next.ID, next.Revision, next.UpdatedAt = paste.ID(updated.ID), updated.Revision, updated.UpdatedAt.UTC()
	next.OwnerID = old.OwnerID
	if len(p.Files) == 0 {
		if p.BlobKey == old.BlobKey {
			prev, err := filesAt(ctx, q, next.ID, old.Revision)
			if err != nil {
				return err
			}
			next.Files = prev
		}
		// else: a new body without files given: the one file the row
		// describes (fileParams).
	}
	return writeRevision(ctx, q, next)
}

func toFile(r dbgen.PasteFile) paste.File {
	return paste.File{Name: r.Name, Syntax: r.Syntax, ContentType: r.ContentType, Size: r.Size, BlobKey: r.BlobKey}
}

// filesAt returns one revision's files, first file first; none when the
// revision has no rows (a paste written before them by other means).
func filesAt(ctx context.Context, q *dbgen.Queries, id paste.ID, revision int32) ([]paste.File, error) {
	rows, err := q.PasteFilesAt(ctx, dbgen.PasteFilesAtParams{PasteID: string(id), Revision: revision})
	if err != nil {
		return nil, translate(err)
	}
	out := make([]paste.File, len(rows))
	for i, r := range rows {
		out[i] = toFile(r)
	}
	return out, nil
}

// bodyKeysLocked locks a paste's row and returns every body key its
// revisions name, so no edit adds one before the row goes.
func bodyKeysLocked(ctx context.Context, q *dbgen.Queries, id paste.ID) ([]string, error) {
	if _, err := q.LockPasteRow(ctx, string(id)); err != nil {
		return nil, translate(err)
	}
	keys, err := q.PasteBodyKeys(ctx, string(id))
	return keys, translate(err)
}

// PasteFiles returns the files of a paste's revision, first file first.
func (s Pastes) PasteFiles(ctx context.Context, id paste.ID, revision int32) ([]paste.File, error) {
	return filesAt(ctx, s.q, id, revision)
}

func toRevision(n int32, title string, author *int64, authorName string, at time.Time) paste.Revision {
	r := paste.Revision{Number: n, Title: title, AuthorName: authorName, CreatedAt: at.UTC()}
	if author != nil {
		r.AuthorID = *author
	}
	return r
}

// referencedByFiles returns those of keys that a paste_files row names.
func (s Pastes) referencedByFiles(ctx context.Context, keys []string) ([]string, error) {
	used, err := s.q.ReferencedFileBlobKeys(ctx, keys)
	return used, translate(err)
}

// ownedBodyKeys returns every body key the files of the pastes ids name.
func (s Admin) ownedBodyKeys(ctx context.Context, ids []string) ([]string, error) {
	rows, err := s.q.BodyKeysOfPastes(ctx, ids)
	if err != nil {
		return nil, translate(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.BlobKey
	}
	return out, nil
}

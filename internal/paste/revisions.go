package paste

import (
	"context"
	"fmt"
)

// RevisionRepository reads a paste's revisions (written by the
// Repository's creates and edits). Revisions never change once written.
type RevisionRepository interface {
	// PasteRevisions returns a paste's revisions with their files, newest
	// first.
	PasteRevisions(ctx context.Context, id ID) ([]Revision, error)
	// PasteRevision returns one revision with its files; ErrNotFound when
	// the paste has no such revision.
	PasteRevision(ctx context.Context, id ID, n int32) (Revision, error)
}

// history returns paste id when v may read it and its history: the read
// rule of Get (visibility, share links, expiry, password, a disabled
// owner), the same for every revision. A burn-after-reading paste (and a
// paste with a views cap) has no history to show: any revision read
// without consuming the paste would be a way around the burn, and the
// newest is the paste itself; it is ErrNotFound like anything else v may
// not read.
func (s *Service) history(ctx context.Context, v Viewer, id ID) (Paste, error) {
	if s.opts.Revisions == nil {
		return Paste{}, fmt.Errorf("revisions: no revision repository configured")
	}
	p, err := s.Get(ctx, v, id)
	if err != nil {
		return Paste{}, err
	}
	if p.BurnAfterReading || p.Encrypted {
		// An encrypted paste's revisions are ciphertexts the server can
		// neither show nor compare.
		return Paste{}, ErrNotFound
	}
	return p, nil
}

// History returns paste id when v may read its history (see history),
// ErrNotFound otherwise: surfaces check it before they judge the rest of
// a request, so that a paste v may not read is 404 whatever was asked.
func (s *Service) History(ctx context.Context, v Viewer, id ID) (Paste, error) {
	return s.history(ctx, v, id)
}

// Revisions returns paste id and its revisions, newest first, for a viewer
// who may read it.
func (s *Service) Revisions(ctx context.Context, v Viewer, id ID) (Paste, []Revision, error) {
	p, err := s.history(ctx, v, id)
	if err != nil {
		return Paste{}, nil, err
	}
	revs, err := s.opts.Revisions.PasteRevisions(ctx, p.ID)
	if err != nil {
		return Paste{}, nil, err
	}
	for i := range revs {
		if len(revs[i].Files) == 0 && revs[i].Number == p.Revision {
			revs[i].Files = FilesOf(p)
		}
	}
	return p, revs, nil
}

// RevisionAt returns paste id as it was at revision n, for a viewer who
// may read the paste: its title, files, syntax and size then (the first
// file's body key in BlobKey, Revision n), everything else (visibility,
// owner, counts) as the paste is now. A revision the paste does not have
// is ErrNotFound.
func (s *Service) RevisionAt(ctx context.Context, v Viewer, id ID, n int32) (Paste, Revision, error) {
	p, err := s.history(ctx, v, id)
	if err != nil {
		return Paste{}, Revision{}, err
	}
	if n < 1 || n > p.Revision {
		return Paste{}, Revision{}, ErrNotFound
	}
	rev, err := s.opts.Revisions.PasteRevision(ctx, p.ID, n)
	if err != nil {
		return Paste{}, Revision{}, err
	}
	if len(rev.Files) == 0 {
		if n != p.Revision {
			return Paste{}, Revision{}, ErrNotFound
		}
		rev.Files = FilesOf(p)
	}
	return asOf(p, rev), rev, nil
}

// asOf returns p as it was at rev.
func asOf(p Paste, rev Revision) Paste {
	p.Revision, p.Title, p.Files = rev.Number, rev.Title, rev.Files
	p.UpdatedAt = rev.CreatedAt
	p.Size = 0
	for _, f := range rev.Files {
		p.Size += f.Size
	}
	if len(rev.Files) > 0 {
		p.Syntax, p.BlobKey = rev.Files[0].Syntax, rev.Files[0].BlobKey
	}
	return p
}

// FileBody returns the body of f, a file of a revision RevisionAt has just
// returned. The bytes may be shared with a cache: do not modify them.
func (s *Service) FileBody(ctx context.Context, p Paste, f File) ([]byte, error) {
	if p.BurnAfterReading || p.Encrypted {
		return nil, ErrNotFound
	}
	return s.readBody(ctx, f.BlobKey)
}

// RenderFile renders f, a file of paste p at p's revision (from
// RevisionAt), for its page.
func (s *Service) RenderFile(ctx context.Context, p Paste, f File, mode RenderMode) (Rendered, error) {
	q := p
	q.Syntax, q.BlobKey, q.Size = f.Syntax, f.BlobKey, f.Size
	if f.Binary() {
		return Rendered{Binary: true}, nil
	}
	return s.Render(ctx, q, mode)
}

// Comparison is a diff and what it compares.
type Comparison struct {
	From, To Paste // the pastes as of the revisions compared
	Diff     Diff
}

// Diff compares revisions from and to of paste id for a viewer who may
// read it. A revision the paste does not have is a ValidationError naming
// "from" or "to".
func (s *Service) Diff(ctx context.Context, v Viewer, id ID, from, to int32, mode DiffMode) (Comparison, error) {
	p, err := s.history(ctx, v, id)
	if err != nil {
		return Comparison{}, err
	}
	var verr ValidationError
	if from < 1 || from > p.Revision {
		verr.Add("from", fmt.Sprintf("must be a revision of this paste, 1 to %d", p.Revision))
	}
	if to < 1 || to > p.Revision {
		verr.Add("to", fmt.Sprintf("must be a revision of this paste, 1 to %d", p.Revision))
	}
	if err := verr.Err(); err != nil {
		return Comparison{}, err
	}
	a, err := s.revisionOf(ctx, p, from)
	if err != nil {
		return Comparison{}, err
	}
	b, err := s.revisionOf(ctx, p, to)
	if err != nil {
		return Comparison{}, err
	}
	d, err := s.diff(ctx, a, b, mode)
	if err != nil {
		return Comparison{}, err
	}
	return Comparison{From: a, To: b, Diff: d}, nil
}

// revisionOf is p at revision n (p already allowed by history).
func (s *Service) revisionOf(ctx context.Context, p Paste, n int32) (Paste, error) {
	rev, err := s.opts.Revisions.PasteRevision(ctx, p.ID, n)
	if err != nil {
		return Paste{}, err
	}
	if len(rev.Files) == 0 && n == p.Revision {
		rev.Files = FilesOf(p)
	}
	return asOf(p, rev), nil
}

// DiffPastes compares the newest revisions of pastes a and b, both of
// which the viewer must be able to read (ErrNotFound otherwise, whichever
// it is).
func (s *Service) DiffPastes(ctx context.Context, v Viewer, a, b ID, mode DiffMode) (Comparison, error) {
	pa, err := s.history(ctx, v, a)
	if err != nil {
		return Comparison{}, err
	}
	pb, err := s.history(ctx, v, b)
	if err != nil {
		return Comparison{}, err
	}
	if pa, err = s.revisionOf(ctx, pa, pa.Revision); err != nil {
		return Comparison{}, err
	}
	if pb, err = s.revisionOf(ctx, pb, pb.Revision); err != nil {
		return Comparison{}, err
	}
	d, err := s.diff(ctx, pa, pb, mode)
	if err != nil {
		return Comparison{}, err
	}
	return Comparison{From: pa, To: pb, Diff: d}, nil
}

func (s *Service) diff(ctx context.Context, a, b Paste, mode DiffMode) (Diff, error) {
	if s.opts.Differ == nil {
		return Diff{}, fmt.Errorf("diff: no differ configured")
	}
	return s.opts.Differ.Diff(ctx, diffSources(a.Files), diffSources(b.Files), mode, s.readBody)
}

func diffSources(files []File) []DiffSource {
	out := make([]DiffSource, len(files))
	for i, f := range files {
		out[i] = DiffSource{Name: f.Name, Syntax: f.Syntax, BlobKey: f.BlobKey, Size: f.Size, Binary: f.Binary()}
	}
	return out
}

package paste

import "context"

// Forks (issue 15): a fork is a new paste of the viewer's holding a copy
// of a paste they may read (its title, tags and every file of its newest
// revision, with their names and syntaxes), recorded as forked from it;
// the original counts its existing forks.
//
//   - The fork keeps the original's visibility: a public paste forks into
//     a public one, an unlisted into an unlisted one, and a private paste
//     (readable through a share link) into a private paste of the forker.
//     Anonymous visitors cannot keep private pastes, so they cannot fork
//     one (a validation error naming visibility says so).
//   - Pastes that a read consumes (burn after reading, a views cap) are
//     not found, as for any read that would not consume them; a password
//     paste needs its password as a read does, and cannot be forked even
//     then, nor can an encrypted one (the server cannot read it): both
//     answer a validation error naming the reason.
//   - Expiry and read limits are not copied: the fork is the forker's new
//     paste, with the default expiry.

// Fork copies a paste the viewer may read into a new paste of theirs.
func (s *Service) Fork(ctx context.Context, v Viewer, id ID) (Created, error) {
	orig, err := s.Get(ctx, v, id)
	if err != nil {
		return Created{}, err
	}
	if orig.BurnAfterReading || orig.MaxViews > 0 {
		return Created{}, ErrNotFound
	}
	switch {
	case orig.PasswordHash != "":
		return Created{}, FieldError("password", "a password-protected paste cannot be forked")
	case orig.Encrypted:
		return Created{}, FieldError("encrypted", "an encrypted paste cannot be forked: the server cannot read it")
	case orig.Visibility == Private && !v.SignedIn():
		return Created{}, FieldError("visibility", "sign in to fork a private paste: it becomes a private paste of yours")
	}
	// Every file of the newest revision, by name and syntax; the bodies
	// go under the fork's own keys.
	files := FilesOf(orig)
	bodies, err := s.readFiles(ctx, files)
	if err != nil {
		return Created{}, err
	}
	in := CreateInput{
		Title:      orig.Title,
		Visibility: orig.Visibility,
		Tags:       orig.Tags,
		forkOf:     orig.ID,
	}
	for i, f := range files {
		in.Files = append(in.Files, FileInput{Name: f.Name, Content: bodies[i], Syntax: f.Syntax})
	}
	return s.Create(ctx, v, in)
}

// ForkOrigin returns the paste p was forked from when v may see it named:
// it still exists and v may read it, and it is public, or v owns it, or it
// is unlisted and v owns the fork. An unlisted paste's ID is its secret: a
// public fork does not pass it on to everyone. A private paste is named
// to its owner alone: one read through a share link never learns its ID
// (the link would outlive its revocation).
func (s *Service) ForkOrigin(ctx context.Context, v Viewer, p Paste) (Paste, bool) {
	if p.ForkedFrom == "" {
		return Paste{}, false
	}
	orig, err := s.repo.PasteByID(ctx, p.ForkedFrom)
	if err != nil || !s.canRead(v, orig) || v.Locked(orig) {
		return Paste{}, false
	}
	switch {
	case orig.Visibility == Public, v.Owns(orig):
	case orig.Visibility == Unlisted && v.Owns(p):
	default:
		return Paste{}, false
	}
	return orig, true
}

// CanFork reports whether v may fork p, as far as p and v tell (the
// Fork button): p is not consumed by reads, has no password, is not
// encrypted, and v may keep the fork.
func (s *Service) CanFork(v Viewer, p Paste) bool {
	if p.BurnAfterReading || p.MaxViews > 0 || p.PasswordHash != "" || p.Encrypted {
		return false
	}
	if !v.SignedIn() {
		return s.opts.AllowAnonymous && p.Visibility != Private
	}
	return true
}

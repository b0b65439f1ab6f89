package paste

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"pastel/internal/clock"
	"pastel/internal/crashpoint"
)

// Options configures a Service.
type Options struct {
	MaxBytes       int64 // largest accepted body
	AllowAnonymous bool  // anonymous visitors may create public and unlisted pastes
	Now            clock.Clock
	Logger         *slog.Logger
	Community      CommunityRepository // comments, stars, votes, views (issue: community)
	Search         SearchEngine        // full-text search (issue: search)
	Audit          AuditLog            // records admins' deletions of other people's content
	Renderer       Renderer            // renders bodies for their pages (Page, Render)
	Revisions      RevisionRepository  // a paste's revisions (revisions.go)
	Differ         Differ              // compares revisions and pastes (Diff, DiffPastes)
	// OrphanGrace is the age after which a body no row points at is swept
	// (SweepOrphans). A create or edit whose new body has waited half of
	// it without its row being committed gives up (unavailable) instead
	// of committing a row whose body the sweep may be removing. 0: no limit.
	OrphanGrace time.Duration
	// Passwords hashes paste passwords and limits guesses at them.
	Passwords Passwords
	// Secrets finds credential-like text in new bodies (SecretWarnings);
	// nil finds none.
	Secrets SecretScanner
	// DefaultExpiry is the expires_in of a create that asks for none
	// ("": never); MaxExpiry the longest lifetime a create or edit may
	// ask for (0: no limit; then "never" is refused too).
	DefaultExpiry string
	MaxExpiry     time.Duration
}

// Service is the paste domain's entry point. Every surface goes through it,
// so the rule of who may read what lives here and nowhere else.
type Service struct {
	repo     Repository
	blobs    Blobs
	syntaxes Syntaxes
	opts     Options
}

// NewService returns a Service over the given adapters.
func NewService(repo Repository, blobs Blobs, syntaxes Syntaxes, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{repo: repo, blobs: blobs, syntaxes: syntaxes, opts: opts}
}

// MaxBytes returns the largest body the service accepts.
func (s *Service) MaxBytes() int64 { return s.opts.MaxBytes }

// CreateInput is what a surface hands over to create a paste.
type CreateInput struct {
	Title            string
	Content          []byte
	Syntax           string // "", "auto": detect
	Visibility       Visibility
	ExpiresIn        string // a preset, seconds or a duration (ParseLifetime)
	ExpiresAt        string // RFC 3339; instead of ExpiresIn
	BurnAfterReading bool
	Filename         string // hint for syntax detection, and the file's name when safe
	SourceURL        string
	// Files, when set, are the paste's files instead of Content (and
	// Syntax and Filename, which then do not apply).
	Files    []FileInput
	Password string // "": none; reads then need it (unlock.go)
	MaxViews int    // 0: no cap; gone after that many reads
	// Encrypted: Content is a ciphertext envelope made in the browser
	// (encrypted.go), stored as it is and never read by the server.
	Encrypted bool
	// Tags are free-form labels (CheckTags: lower-cased, at most MaxTags).
	Tags []string
	// forkOf is the paste a fork copies (Fork); "" for a new paste.
	forkOf ID
}

// Created is a new paste plus, for anonymous pastes, the one-time token that
// allows deleting it.
type Created struct {
	Paste       Paste
	DeleteToken string
}

// Create validates in, stores the body, then commits the metadata. If the
// commit fails the body is removed again; if that fails too, the orphan sweep
// removes it later.
func (s *Service) Create(ctx context.Context, v Viewer, in CreateInput) (Created, error) {
	p, err := s.prepare(v, in)
	if err != nil {
		return Created{}, err
	}
	if err := s.lock(in, &p); err != nil {
		return Created{}, err
	}
	var token string
	if !v.SignedIn() {
		token, p.DeleteTokenHash = NewSecret()
	}
	files, bodies, err := s.createFiles(p, in)
	if err != nil {
		return Created{}, err
	}
	written, err := s.putBodies(ctx, files, bodies, map[string]string{})
	if err != nil {
		return Created{}, err
	}
	applyFiles(&p, files)
	crashpoint.Here(crashpoint.CreateAfterBodyWrite)
	ictx, cancel := s.commitBy(ctx)
	defer cancel()
	text := searchTextOf(p, filesText(files, bodies))
	if p.Encrypted {
		text = "" // nothing the server could read: no search text, no preview
	}
	for attempt := 0; ; attempt++ {
		err = s.repo.InsertPaste(ictx, p, text)
		if errors.Is(err, ErrConflict) && attempt < 5 {
			p.ID = NewID(p.Visibility) // an ID collision: draw again
			continue
		}
		break
	}
	if err != nil {
		s.dropWritten(written)
		return Created{}, fmt.Errorf("insert paste: %w", err)
	}
	crashpoint.Here(crashpoint.CreateAfterCommit)
	return Created{Paste: p, DeleteToken: token}, nil
}

// commitBy bounds, from now (a new body just written), when the row that
// points at it must start committing: half the orphan grace.
func (s *Service) commitBy(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.opts.OrphanGrace <= 0 {
		return ctx, func() {}
	}
	return context.WithDeadline(ctx, time.Now().Add(s.opts.OrphanGrace/2))
}

func (s *Service) prepare(v Viewer, in CreateInput) (Paste, error) {
	if !v.SignedIn() && !s.opts.AllowAnonymous {
		return Paste{}, ErrUnauthorized
	}
	if s.tooLarge(in.Content) && len(in.Files) == 0 {
		return Paste{}, ErrTooLarge
	}
	var verr ValidationError
	if len(in.Content) == 0 && len(in.Files) == 0 {
		verr.Add("content", "must not be empty")
	}
	checkEncrypted(&in, &verr)
	if msg := CheckText(in.Title, MaxTitleRunes); msg != "" {
		verr.Add("title", msg)
	}
	if msg := CheckText(in.Filename, 255); msg != "" {
		verr.Add("filename", msg)
	}
	if msg := CheckSourceURL(in.SourceURL); msg != "" {
		verr.Add("source_url", msg)
	}
	vis := in.Visibility
	if vis == "" {
		vis = Public
	}
	switch {
	case !vis.Valid():
		verr.Add("visibility", "must be public, unlisted or private")
	case vis == Private && !v.SignedIn():
		verr.Add("visibility", "private pastes need an account")
	}
	now := s.opts.Now().UTC().Truncate(time.Microsecond)
	expiresAt, field, msg := s.expiry(now, ExpiryRequest{In: in.ExpiresIn, At: in.ExpiresAt})
	if msg != "" {
		verr.Add(field, msg)
	}
	syntax, msg := s.resolveSyntax(in)
	if msg != "" {
		verr.Add("syntax", msg)
	}
	var locks Paste
	s.prepareLocks(in, &locks, &verr)
	tags := checkTags(in.Tags, &verr)
	if err := verr.Err(); err != nil {
		return Paste{}, err
	}
	p := Paste{
		ID:               NewID(vis),
		OwnerID:          v.UserID,
		OwnerName:        v.Username,
		Title:            strings.TrimSpace(in.Title),
		Syntax:           syntax,
		Visibility:       vis,
		Size:             int64(len(in.Content)),
		CreatedAt:        now,
		UpdatedAt:        now,
		BurnAfterReading: in.BurnAfterReading,
		Revision:         1,
		BlobKey:          newBlobKey(),
		SourceURL:        in.SourceURL,
		ExpiresAt:        expiresAt,
		MaxViews:         locks.MaxViews,
		ViewsLeft:        locks.ViewsLeft,
	}
	p.BurnAfterReading = p.BurnAfterReading || locks.BurnAfterReading
	p.Encrypted = in.Encrypted
	p.Tags, p.ForkedFrom = tags, in.forkOf
	return p, nil
}

func (s *Service) tooLarge(content []byte) bool {
	return s.opts.MaxBytes > 0 && int64(len(content)) > s.opts.MaxBytes
}

func (s *Service) resolveSyntax(in CreateInput) (string, string) {
	name := strings.TrimSpace(in.Syntax)
	if len(name) > MaxSyntaxLen || CheckText(name, MaxSyntaxLen) != "" {
		return "", "is not a known syntax"
	}
	if name == "" || strings.EqualFold(name, "auto") || strings.EqualFold(name, "auto-detect") {
		hint := in.Filename
		if hint == "" {
			hint = in.Title // people title pastes "main.go" more often than not
		}
		return s.syntaxes.Detect(hint, in.Content), ""
	}
	canon, ok := s.syntaxes.Canonical(name)
	if !ok {
		return "", "is not a known syntax"
	}
	return canon, ""
}

// canRead is the one rule of who may see a paste: nobody sees an expired
// paste or one whose owner's account is disabled or being deleted; private
// pastes are their owner's alone.
func (s *Service) canRead(v Viewer, p Paste) bool {
	if p.Expired(s.opts.Now()) || p.OwnerDisabled {
		return false
	}
	if p.Visibility == Private {
		return v.Owns(p) || (v.Shared != "" && v.Shared == p.ID)
	}
	return true
}

// Get returns the metadata of a paste the viewer may read. It never consumes
// a burn-after-reading paste: use Open for the body.
func (s *Service) Get(ctx context.Context, v Viewer, id ID) (Paste, error) {
	if !ValidID(string(id)) {
		return Paste{}, ErrNotFound
	}
	p, err := s.repo.PasteByID(ctx, id)
	if err != nil {
		return Paste{}, err
	}
	if !s.canRead(v, p) {
		return Paste{}, ErrNotFound
	}
	if err := s.unlock(ctx, v, p); err != nil {
		return Paste{}, err
	}
	return p, nil
}

// Open returns a paste the viewer may read together with its body. A
// burn-after-reading paste is consumed: exactly one caller gets it, and only
// once its body has been read in full.
func (s *Service) Open(ctx context.Context, v Viewer, id ID) (Paste, []byte, error) {
	p, err := s.Get(ctx, v, id)
	if err != nil {
		return Paste{}, nil, err
	}
	return s.open(ctx, v, p)
}

// open is Open for a paste Get has just allowed.
func (s *Service) open(ctx context.Context, v Viewer, p Paste) (Paste, []byte, error) {
	p, bodies, err := s.openAll(ctx, v, p)
	if err != nil {
		return Paste{}, nil, err
	}
	return p, bodies[0], nil
}

// openAll is open with the bodies of every file, first file first: a
// burn-after-reading paste is consumed with all of its files at once.
func (s *Service) openAll(ctx context.Context, v Viewer, p Paste) (Paste, [][]byte, error) {
	if !p.BurnAfterReading {
		bodies, err := s.readFiles(ctx, FilesOf(p))
		if err != nil {
			return Paste{}, nil, err
		}
		return p, bodies, nil
	}
	var bodies [][]byte
	err := s.repo.BurnPaste(ctx, p.ID, func(claimed Paste) error {
		var err error
		if !s.canRead(v, claimed) {
			return ErrNotFound
		}
		claimed.OwnerName = p.OwnerName // the claim reads the row alone, without the owner's name
		p = claimed
		bodies, err = s.readFiles(ctx, FilesOf(claimed))
		return err
	})
	if err != nil {
		return Paste{}, nil, err
	}
	crashpoint.Here(crashpoint.BurnAfterCommit)
	if p.ViewsLeft <= 0 { // the last view: the row is gone
		s.removeBodies(p)
	}
	return p, bodies, nil
}

// Body returns the body of a paste already returned by Get. It must not be
// used for burn-after-reading pastes, which only Open may read. The bytes
// may be shared with a cache: callers must not modify them.
func (s *Service) Body(ctx context.Context, p Paste) ([]byte, error) {
	if p.BurnAfterReading {
		return nil, ErrNotFound
	}
	return s.readBody(ctx, p.BlobKey)
}

// BodyReader opens the body of a paste that is not burn-after-reading, for
// streaming it to a client: large pastes go out without being held in
// memory. The reader outlives the request handler (the server writes the
// stream after it returns), so it is not tied to ctx's cancellation; it
// gives up after bodyStreamTimeout instead. The caller closes it.
func (s *Service) BodyReader(ctx context.Context, p Paste) (io.ReadCloser, error) {
	if p.BurnAfterReading {
		return nil, ErrNotFound
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), bodyStreamTimeout)
	rc, err := s.blobs.Open(sctx, p.BlobKey)
	if err != nil {
		cancel()
		if errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("body %s missing: %w", p.BlobKey, ErrUnavailable)
		}
		return nil, fmt.Errorf("open body: %w", err)
	}
	if d, ok := rc.(DetachedBody); ok {
		// It reads without the context: release that now and pass the
		// body on as it is, so the edge sees what the store returned.
		cancel()
		return d, nil
	}
	return &streamReader{ReadCloser: rc, cancel: cancel}, nil
}

// bodyStreamTimeout bounds how long one body may take to reach a client.
const bodyStreamTimeout = 10 * time.Minute

// streamReader releases the stream's context when the body is closed.
type streamReader struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (r *streamReader) Close() error {
	defer r.cancel()
	return r.ReadCloser.Close()
}

// readBody reads a body in full. A body missing although its row exists is
// reported as unavailable, never as not found: the row says it should be
// there, so the store is at fault.
func (s *Service) readBody(ctx context.Context, key string) ([]byte, error) {
	rc, err := s.blobs.Open(ctx, key)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("body %s missing: %w", key, ErrUnavailable)
		}
		return nil, fmt.Errorf("open body: %w", err)
	}
	defer rc.Close()
	if m, ok := rc.(MemoryBody); ok {
		return m.Bytes(), nil // a body held in memory: no copy
	}
	body, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("read body: %w: %w", ErrUnavailable, err)
	}
	return body, nil
}

// Delete removes a paste. The owner and admins may delete it; an anonymous
// paste may be deleted by whoever holds its delete token.
func (s *Service) Delete(ctx context.Context, v Viewer, id ID, deleteToken string) error {
	p, err := s.Get(ctx, v, id)
	if err != nil {
		return err
	}
	allowed := v.Owns(p) || v.IsAdmin ||
		(p.IsAnonymous() && SecretMatches(deleteToken, p.DeleteTokenHash))
	if !allowed {
		if !v.SignedIn() && deleteToken == "" {
			return ErrUnauthorized
		}
		return ErrForbidden
	}
	removed, err := s.repo.DeletePaste(ctx, id)
	if err != nil {
		return err
	}
	if v.IsAdmin && !v.Owns(p) {
		if err := s.audit(ctx, v, "paste.delete", string(id), p.Title); err != nil {
			return err
		}
	}
	crashpoint.Here(crashpoint.DeleteAfterCommit)
	s.removeBodies(removed)
	return nil
}

// Page is one page of a list plus the cursor for the next, "" at the end.
type Page struct {
	Items      []Paste
	NextCursor string
}

// MaxPageSize is the largest page a list returns.
const MaxPageSize = 100

// ListRecent lists public pastes newest first.
func (s *Service) ListRecent(ctx context.Context, cursor string, limit int) (Page, error) {
	return s.list(ctx, ListQuery{}, cursor, limit)
}

// ListOwned lists a user's pastes: all of them when the viewer is that user,
// the public ones otherwise.
func (s *Service) ListOwned(ctx context.Context, v Viewer, ownerID int64, cursor string, limit int) (Page, error) {
	return s.list(ctx, ListQuery{OwnerID: ownerID, IncludeAll: v.UserID == ownerID}, cursor, limit)
}

func (s *Service) list(ctx context.Context, q ListQuery, cursor string, limit int) (Page, error) {
	c, err := DecodeCursor(cursor)
	if err != nil {
		return Page{}, err
	}
	limit = ClampLimit(limit)
	q.Now, q.Before, q.Limit = s.opts.Now(), c, limit+1
	items, err := s.repo.ListPastes(ctx, q)
	if err != nil {
		return Page{}, err
	}
	var page Page
	page.Items, page.NextCursor = NextPage(items, limit, func(last Paste) string {
		return Cursor{CreatedAt: last.CreatedAt, ID: last.ID}.Encode()
	})
	return page, nil
}

// SweepExpired deletes expired pastes and their bodies in batches; it
// returns how many it removed.
func (s *Service) SweepExpired(ctx context.Context) (int, error) {
	total := 0
	for {
		keys, err := s.repo.DeleteExpired(ctx, s.opts.Now(), 500)
		if err != nil {
			return total, err
		}
		if len(keys) > 0 {
			crashpoint.Here(crashpoint.ExpiryAfterRows)
		}
		for _, k := range keys {
			s.removeBlob(k)
		}
		total += len(keys)
		if len(keys) < 500 {
			return total, nil
		}
	}
}

// SweepOrphans deletes bodies no paste points at that are older than grace,
// left behind by a crash between the body write and the commit, or by a
// failed delete, and what writes interrupted by a crash left behind (see
// StaleWriteRemover).
func (s *Service) SweepOrphans(ctx context.Context, grace time.Duration) (int, error) {
	cutoff := s.opts.Now().Add(-grace)
	var batch []string
	removed := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		orphans, err := s.repo.UnreferencedBlobKeys(ctx, batch)
		if err != nil {
			return err
		}
		for _, k := range orphans {
			if err := s.blobs.Delete(ctx, k); err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
			removed++
		}
		batch = batch[:0]
		return nil
	}
	err := s.blobs.Walk(ctx, func(key string, modified time.Time) error {
		if modified.After(cutoff) {
			return nil
		}
		batch = append(batch, key)
		if len(batch) >= 500 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if sw, ok := s.blobs.(StaleWriteRemover); ok && err == nil {
		n, serr := sw.RemoveStaleWrites(ctx, cutoff)
		removed += n
		err = serr
	}
	return removed, err
}

// removeBlob deletes a body that no row points at any more. A failure is
// logged, not returned: the orphan sweep retries it.
func (s *Service) removeBlob(key string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.blobs.Delete(ctx, key); err != nil && !errors.Is(err, ErrNotFound) {
		s.opts.Logger.Warn("blob delete deferred to sweep", "blob_key", key, "err", err)
	}
}

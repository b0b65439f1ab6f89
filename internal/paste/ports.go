package paste

import (
	"context"
	"io"
	"time"
)

// Repository keeps paste metadata. Implementations translate their errors
// into the domain errors of this package (ErrNotFound, ErrConflict,
// ErrUnavailable).
type Repository interface {
	// InsertPaste stores a new paste and, in the same transaction, its
	// search document made of text (see SearchText); ErrConflict if the ID
	// is taken.
	InsertPaste(ctx context.Context, p Paste, text string) error
	// PasteByID returns the paste whatever its state; rules are the Service's.
	PasteByID(ctx context.Context, id ID) (Paste, error)
	// BurnPaste deletes a burn-after-reading paste inside one transaction and
	// calls read with it before committing. If read fails the deletion is
	// rolled back, so the paste stays for the next reader. Concurrent callers
	// serialise on the row: exactly one sees it.
	BurnPaste(ctx context.Context, id ID, read func(Paste) error) error
	// UpdatePaste replaces the row of old (matched on ID and Revision) with
	// p, whose ID may differ; ErrConflict when someone else changed it first.
	// The search document follows in the same transaction: text replaces
	// its body when not nil.
	UpdatePaste(ctx context.Context, old, p Paste, text *string) (Paste, error)
	// DeletePaste removes a paste and returns what was removed.
	DeletePaste(ctx context.Context, id ID) (Paste, error)
	// ListPastes returns pastes matching q, newest first.
	ListPastes(ctx context.Context, q ListQuery) ([]Paste, error)
	// DeleteExpired removes up to limit pastes expired at now and returns
	// their blob keys. Safe to run from several replicas at once.
	DeleteExpired(ctx context.Context, now time.Time, limit int) ([]string, error)
	// UnreferencedBlobKeys returns those of keys that no paste points at.
	UnreferencedBlobKeys(ctx context.Context, keys []string) ([]string, error)
	// Ping checks the database answers.
	Ping(ctx context.Context) error

	// InsertShareLink stores l (its paste, creation, expiry, cap and
	// hint) under the token's hash.
	InsertShareLink(ctx context.Context, l ShareLink, hash []byte) (ShareLink, error)
	ShareLinks(ctx context.Context, id ID) ([]ShareLink, error)
	DeleteShareLink(ctx context.Context, id ID, linkID int64) (bool, error)
	DeleteShareLinkByHash(ctx context.Context, id ID, hash []byte) (bool, error)
	// UseShareLink records a use of the link (cost 1 counts against its
	// cap, 0 does not) and returns its paste's ID; ErrNotFound for a link
	// unknown, expired at now or used up.
	UseShareLink(ctx context.Context, hash []byte, now time.Time, cost int) (ID, error)
}

// ListQuery selects a page of pastes. Only public, unexpired pastes are
// returned unless OwnerID is set and IncludeAll is true (an owner's own list).
type ListQuery struct {
	Now        time.Time
	OwnerID    int64
	IncludeAll bool
	Before     *Cursor
	Limit      int
}

// Blobs stores paste bodies by key. Implementations return ErrNotFound for a
// missing key and wrap ErrUnavailable when the store cannot be reached.
type Blobs interface {
	Put(ctx context.Context, key string, r io.Reader, size int64) error
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	Delete(ctx context.Context, key string) error
	// Walk calls fn for every stored key with its last modification time.
	Walk(ctx context.Context, fn func(key string, modified time.Time) error) error
	Ping(ctx context.Context) error
}

// SizedBody is implemented by bodies Blobs.Open returns whose size is known
// without reading them (a local file).
type SizedBody interface {
	io.ReadCloser
	Size() int64
}

// DetachedBody is implemented by bodies Blobs.Open returns that read
// without the context they were opened with (a local file). The Service
// hands them on unwrapped, so the edge sees what the store returned (and
// can, say, send a file with sendfile).
type DetachedBody interface {
	io.ReadCloser
	Detached()
}

// MemoryBody is implemented by bodies held in memory (a cache's copy):
// Bytes returns them without a copy; callers must not modify them.
type MemoryBody interface {
	io.ReadCloser
	Bytes() []byte
}

// StaleWriteRemover is implemented by blob stores whose interrupted writes
// leave something of their own behind that Walk does not list (Local's
// temporary files, when the process is killed mid-write). SweepOrphans
// calls it with the same cutoff as for orphaned bodies.
type StaleWriteRemover interface {
	RemoveStaleWrites(ctx context.Context, before time.Time) (int, error)
}

// Syntaxes knows the languages the highlighter supports.
type Syntaxes interface {
	// Canonical returns the canonical name for a syntax name or alias, and
	// whether it is known. "" and "auto" are handled by the Service.
	Canonical(name string) (string, bool)
	// Detect guesses the syntax from a file name and the content; "text"
	// when nothing fits.
	Detect(filename string, content []byte) string
}

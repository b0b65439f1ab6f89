package admin

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"pastel/internal/paste"
)

// User is an account as the admin list shows it.
type User struct {
	ID        int64
	Username  string
	Email     string
	IsAdmin   bool
	Disabled  bool
	CreatedAt time.Time
	Pastes    int64
}

// Sort orders of the user list.
const (
	SortJoined = "joined" // newest accounts first
	SortPastes = "pastes" // most pastes first
)

// UserQuery selects a page of users.
type UserQuery struct {
	Pattern string // an ILIKE pattern, "" for everybody
	Sort    string
	Offset  int
	Limit   int
}

// Report statuses.
const (
	StatusOpen      = "open"
	StatusDismissed = "dismissed"
	StatusRemoved   = "removed" // the item was deleted
)

// Report is a user's report of a paste or a comment, with what was reported
// as it is now (Title, Excerpt and Author are plain text, to be escaped by
// whoever shows them).
type Report struct {
	ID         int64
	PasteID    paste.ID // the reported paste, or the paste of the reported comment
	CommentID  int64    // 0: the report is about the paste
	Reason     string
	Details    string
	Status     string
	CreatedAt  time.Time
	ResolvedAt *time.Time
	Reporter   string
	Title      string
	Excerpt    string
	Author     string
}

// Kind is "paste" or "comment".
func (r Report) Kind() string {
	if r.CommentID != 0 {
		return "comment"
	}
	return "paste"
}

// Reason is one of the fixed reasons a report gives.
type Reason struct {
	Code  string
	Label string
}

// Reasons are the reasons a report may give, in the order forms list them.
var Reasons = []Reason{
	{"spam", "Spam or advertising"},
	{"abuse", "Harassment or hate"},
	{"illegal", "Illegal content"},
	{"personal_data", "Someone's personal data"},
	{"malware", "Malware or phishing"},
	{"other", "Something else"},
}

// MaxReportDetails is the longest free text a report takes, in characters.
const MaxReportDetails = 1000

func knownReason(code string) bool {
	for _, r := range Reasons {
		if r.Code == code {
			return true
		}
	}
	return false
}

// Action is one entry of the admin log.
type Action struct {
	ID        int64
	AdminID   int64
	AdminName string
	Action    string // such as user.disable, user.delete, paste.delete, report.dismiss
	Target    string
	Details   string
	CreatedAt time.Time
}

// ErrAlreadyReported is the answer to a second open report of one item by
// one user.
var ErrAlreadyReported = fmt.Errorf("you have already reported this; a moderator will look at it: %w", paste.ErrConflict)

// Repository keeps what this package needs. Implementations return
// paste.ErrNotFound, paste.ErrConflict and wrap paste.ErrUnavailable like
// the other repositories.
type Repository interface {
	// UserByName returns an account not being deleted, disabled or not.
	UserByName(ctx context.Context, username string) (User, error)
	ListUsers(ctx context.Context, q UserQuery) ([]User, error)
	// SetDisabled disables (ending sessions and refresh tokens) or enables
	// an account.
	SetDisabled(ctx context.Context, userID int64, disabled bool, now time.Time) error
	// MarkDeleted is the first, transactional step of a deletion: the
	// account is marked deleted and disabled, its sessions and tokens end,
	// and the job is queued. ErrNotFound when it is already being deleted.
	MarkDeleted(ctx context.Context, userID int64, by string, now time.Time) error
	// ClaimDeletion takes the oldest job due at now that no other worker
	// holds, and holds it until leaseUntil: concurrent workers, in this
	// process or another replica, each get a different job (ok false:
	// none is due).
	ClaimDeletion(ctx context.Context, now, leaseUntil time.Time) (userID int64, ok bool, err error)
	// RescheduleDeletion makes a claimed job due at dueAt: a later lease
	// for a job still running, or now for one given back unfinished.
	RescheduleDeletion(ctx context.Context, userID int64, dueAt time.Time) error
	// OwnedPastes returns up to max of the user's pastes and their blob keys.
	OwnedPastes(ctx context.Context, userID int64, max int) ([]paste.ID, []string, error)
	DeleteOwnedPastes(ctx context.Context, userID int64, ids []paste.ID) error
	// FinishDeletion removes everything else of the account (comments,
	// votes, stars, views, stored API answers), then the account and its job,
	// in one transaction. It returns false when another process holds the
	// job.
	FinishDeletion(ctx context.Context, userID int64, viewHashes [][]byte, now time.Time) (bool, error)
	RetryDeletion(ctx context.Context, userID int64, next time.Time, msg string) error

	// InsertReport stores an open report; ErrConflict when the reporter has
	// one open for the item already, ErrNotFound when the item is gone.
	InsertReport(ctx context.Context, reporterID int64, r Report) (int64, error)
	ListReports(ctx context.Context, status string, after *Cursor, limit int) ([]Report, error)
	ReportByID(ctx context.Context, id int64) (Report, error)
	DismissReport(ctx context.Context, id, adminID int64, now time.Time) error
	CloseCommentReports(ctx context.Context, commentID, adminID int64, now time.Time) error

	InsertAction(ctx context.Context, a Action) error
	ListActions(ctx context.Context, before *Cursor, limit int) ([]Action, error)

	// ListPastes returns every paste matching q, whatever its visibility,
	// owner or state, newest first.
	ListPastes(ctx context.Context, q PasteQuery) ([]paste.Paste, error)
}

// PasteQuery selects a page of the admins' list of every paste. Empty
// fields match everything.
type PasteQuery struct {
	Pattern    string // ILIKE pattern for the title (likePattern)
	PasteID    string // or this exact ID
	Owner      string // the owner's username
	Visibility paste.Visibility
	Before     *paste.Cursor
	Limit      int
}

// Cursor is a keyset position in a list ordered by time and ID.
type Cursor struct {
	At time.Time
	ID int64
}

// Encode returns the cursor as an opaque URL-safe string
// (paste.EncodeCursor).
func (c Cursor) Encode() string {
	return paste.EncodeCursor("", strconv.FormatInt(c.At.UnixMicro(), 10), strconv.FormatInt(c.ID, 10))
}

// DecodeCursor parses a cursor; "" is the start. A malformed cursor is a
// validation error naming the field.
func DecodeCursor(s string) (*Cursor, error) {
	f, err := paste.CursorFields(s, "", 2)
	if f == nil || err != nil {
		return nil, err
	}
	us, err1 := strconv.ParseInt(f[0], 10, 64)
	n, err2 := strconv.ParseInt(f[1], 10, 64)
	if err1 != nil || err2 != nil || n < 0 {
		return nil, paste.BadCursor()
	}
	return &Cursor{At: time.UnixMicro(us).UTC(), ID: n}, nil
}

// offsetCursor encodes a position in the user list.
func offsetCursor(n int) string { return paste.EncodeCursor("o", strconv.Itoa(n)) }

func decodeOffset(s string) (int, error) {
	f, err := paste.CursorFields(s, "o", 1)
	if f == nil || err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n < 0 || n > 1_000_000 {
		return 0, paste.BadCursor()
	}
	return n, nil
}

// likePattern turns a search into an ILIKE pattern matching it anywhere,
// with LIKE's wildcards escaped.
func likePattern(q string) string {
	q = strings.TrimSpace(q)
	if q == "" {
		return ""
	}
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(q) + "%"
}

// isNotFound reports whether err is paste.ErrNotFound.
func isNotFound(err error) bool { return errors.Is(err, paste.ErrNotFound) }

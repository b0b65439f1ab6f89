package admin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"pastel/internal/account"
	"pastel/internal/clock"
	"pastel/internal/paste"
)

// Options configures the Service.
type Options struct {
	Now    clock.Clock // nil: the real time
	Logger *slog.Logger
	// Lease is how long a claimed deletion job is held from other workers
	// without news from its worker (renewed after each batch of pastes);
	// a job whose worker died is taken again after it (default 5 min).
	Lease time.Duration
}

// Service is the admin domain's entry point.
type Service struct {
	repo     Repository
	accounts *account.Service
	pastes   *paste.Service
	blobs    paste.Blobs
	log      *Log
	opts     Options
	kick     chan struct{}
}

// NewService returns a Service. log is the admin log also given to the
// paste service (see NewLog).
func NewService(repo Repository, accounts *account.Service, pastes *paste.Service, blobs paste.Blobs, log *Log, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Lease <= 0 {
		opts.Lease = 5 * time.Minute
	}
	return &Service{repo: repo, accounts: accounts, pastes: pastes, blobs: blobs, log: log, opts: opts, kick: make(chan struct{}, 1)}
}

func (s *Service) now() time.Time { return s.opts.Now().UTC().Truncate(time.Microsecond) }

// requireAdmin answers ErrNotFound to everyone but admins.
func requireAdmin(v paste.Viewer) error {
	if !v.SignedIn() || !v.IsAdmin {
		return paste.ErrNotFound
	}
	return nil
}

// Log is the admin action log. It implements paste.AuditLog, so admins'
// deletions through the ordinary routes are recorded too.
type Log struct {
	repo Repository
	now  func() time.Time
}

// NewLog returns the log over repo; now defaults to time.Now.
func NewLog(repo Repository, now clock.Clock) *Log {
	if now == nil {
		now = time.Now
	}
	return &Log{repo: repo, now: now}
}

// RecordAdminAction implements paste.AuditLog.
func (l *Log) RecordAdminAction(ctx context.Context, admin paste.Viewer, action, target, details string) error {
	if len(details) > 300 {
		details = strings.ToValidUTF8(details[:300], "") + "…"
	}
	err := l.repo.InsertAction(ctx, Action{
		AdminID: admin.UserID, AdminName: admin.Username, Action: action, Target: target, Details: details,
		CreatedAt: l.now().UTC().Truncate(time.Microsecond),
	})
	if err != nil {
		return fmt.Errorf("admin log: %w", err)
	}
	return nil
}

// DeleteOwnAccount deletes the viewer's account after checking password.
// On return nothing of the account is visible and it cannot sign in; the
// rest of the cleanup is the deletion worker's.
func (s *Service) DeleteOwnAccount(ctx context.Context, v paste.Viewer, password string) error {
	if !v.SignedIn() {
		return paste.ErrUnauthorized
	}
	if password == "" {
		return paste.FieldError("password", "is required")
	}
	if err := s.accounts.CheckPassword(ctx, v.UserID, password); err != nil {
		return err
	}
	if err := s.repo.MarkDeleted(ctx, v.UserID, "self", s.now()); err != nil {
		return err
	}
	s.Kick()
	return nil
}

// UserPage is one page of the user list.
type UserPage struct {
	Items      []User
	NextCursor string
}

// Users lists accounts matching q (part of the username or e-mail),
// ordered by sort (SortJoined or SortPastes).
func (s *Service) Users(ctx context.Context, v paste.Viewer, q, sort, cursor string, limit int) (UserPage, error) {
	if err := requireAdmin(v); err != nil {
		return UserPage{}, err
	}
	if sort == "" {
		sort = SortJoined
	}
	var verr paste.ValidationError
	if sort != SortJoined && sort != SortPastes {
		verr.Add("sort", "must be joined or pastes")
	}
	if msg := paste.CheckText(q, 100); msg != "" {
		verr.Add("q", msg)
	}
	off, err := decodeOffset(cursor)
	if err != nil {
		return UserPage{}, err
	}
	if err := verr.Err(); err != nil {
		return UserPage{}, err
	}
	limit = paste.ClampLimit(limit)
	items, err := s.repo.ListUsers(ctx, UserQuery{Pattern: likePattern(q), Sort: sort, Offset: off, Limit: limit + 1})
	if err != nil {
		return UserPage{}, err
	}
	var page UserPage
	page.Items, page.NextCursor = paste.NextPage(items, limit, func(User) string { return offsetCursor(off + limit) })
	return page, nil
}

// target returns the account an admin acts on; an admin cannot act on
// their own account here (Settings deletes it; disabling it would lock
// them out).
func (s *Service) target(ctx context.Context, v paste.Viewer, username string) (User, error) {
	if err := requireAdmin(v); err != nil {
		return User{}, err
	}
	if username == "" || len(username) > 64 {
		return User{}, paste.ErrNotFound
	}
	u, err := s.repo.UserByName(ctx, username)
	if err != nil {
		return User{}, err
	}
	if u.ID == v.UserID {
		return User{}, paste.FieldError("username", "is your own account")
	}
	return u, nil
}

// SetDisabled disables or enables an account. A disabled account cannot
// sign in, its sessions and tokens stop working at once, and its pastes and
// comments are hidden everywhere until it is enabled.
func (s *Service) SetDisabled(ctx context.Context, v paste.Viewer, username string, disabled bool) error {
	u, err := s.target(ctx, v, username)
	if err != nil {
		return err
	}
	if err := s.repo.SetDisabled(ctx, u.ID, disabled, s.now()); err != nil {
		return err
	}
	action := "user.enable"
	if disabled {
		action = "user.disable"
	}
	return s.log.RecordAdminAction(ctx, v, action, u.Username, "")
}

// DeleteUser deletes another account with the same cleanup as
// DeleteOwnAccount.
func (s *Service) DeleteUser(ctx context.Context, v paste.Viewer, username string) error {
	u, err := s.target(ctx, v, username)
	if err != nil {
		return err
	}
	if err := s.repo.MarkDeleted(ctx, u.ID, "admin", s.now()); err != nil {
		return err
	}
	s.Kick()
	return s.log.RecordAdminAction(ctx, v, "user.delete", u.Username, strconv.FormatInt(u.Pastes, 10)+" pastes")
}

// ReportInput is a report as a surface receives it. Reason is one of
// Reasons' codes; any other non-empty text is taken as "other" with that
// text as the details (API clients may send a sentence).
type ReportInput struct {
	PasteID   paste.ID
	CommentID int64
	Reason    string
	Details   string
}

// Report files the viewer's report of a paste or a comment they can see.
// ErrAlreadyReported when they have an open report of it.
func (s *Service) Report(ctx context.Context, v paste.Viewer, in ReportInput) (int64, error) {
	if !v.SignedIn() {
		return 0, paste.ErrUnauthorized
	}
	reason := strings.TrimSpace(in.Reason)
	details := strings.TrimSpace(in.Details)
	var verr paste.ValidationError
	switch {
	case reason == "":
		verr.Add("reason", "is required: one of spam, abuse, illegal, personal_data, malware, other")
	case !knownReason(reason):
		if details == "" {
			details = reason
		} else {
			details = reason + "\n" + details
		}
		reason = "other"
	}
	if msg := paste.CheckText(details, MaxReportDetails); msg != "" {
		verr.Add("details", msg)
	}
	if err := verr.Err(); err != nil {
		return 0, err
	}
	r := Report{Reason: reason, Details: details, CreatedAt: s.now()}
	if in.CommentID != 0 {
		c, err := s.pastes.Comment(ctx, v, in.CommentID)
		if err != nil {
			return 0, err
		}
		if c.Deleted {
			return 0, paste.ErrNotFound
		}
		if c.AuthorID == v.UserID {
			return 0, paste.FieldError("reason", "You cannot report your own comment; edit or delete it instead.")
		}
		r.CommentID = c.ID
	} else {
		p, err := s.pastes.Get(ctx, v, in.PasteID)
		if err != nil {
			return 0, err
		}
		if v.Owns(p) {
			return 0, paste.FieldError("reason", "You cannot report your own paste; edit or delete it instead.")
		}
		r.PasteID = p.ID
	}
	id, err := s.repo.InsertReport(ctx, v.UserID, r)
	if errors.Is(err, paste.ErrConflict) {
		return 0, ErrAlreadyReported
	}
	return id, err
}

// ReportPage is one page of the report queue.
type ReportPage struct {
	Items      []Report
	NextCursor string
}

// Reports lists reports with status (StatusOpen by default), oldest first.
func (s *Service) Reports(ctx context.Context, v paste.Viewer, status, cursor string, limit int) (ReportPage, error) {
	if err := requireAdmin(v); err != nil {
		return ReportPage{}, err
	}
	if status == "" {
		status = StatusOpen
	}
	if status != StatusOpen && status != StatusDismissed && status != StatusRemoved {
		return ReportPage{}, paste.FieldError("status", "must be open, dismissed or removed")
	}
	after, err := DecodeCursor(cursor)
	if err != nil {
		return ReportPage{}, err
	}
	limit = paste.ClampLimit(limit)
	items, err := s.repo.ListReports(ctx, status, after, limit+1)
	if err != nil {
		return ReportPage{}, err
	}
	var page ReportPage
	page.Items, page.NextCursor = paste.NextPage(items, limit, func(last Report) string {
		return Cursor{At: last.CreatedAt, ID: last.ID}.Encode()
	})
	return page, nil
}

// Resolutions of a report.
const (
	ResolveDismiss = "dismiss"
	ResolveDelete  = "delete"
)

// Resolve closes an open report: "dismiss" keeps the item, "delete"
// deletes it (which closes every report of it). Either is logged.
func (s *Service) Resolve(ctx context.Context, v paste.Viewer, reportID int64, action string) error {
	if err := requireAdmin(v); err != nil {
		return err
	}
	if action != ResolveDismiss && action != ResolveDelete {
		return paste.FieldError("action", "must be dismiss or delete")
	}
	r, err := s.repo.ReportByID(ctx, reportID)
	if err != nil {
		return err
	}
	if r.Status != StatusOpen {
		return fmt.Errorf("report %d is %s already: %w", reportID, r.Status, paste.ErrConflict)
	}
	ref := "report #" + strconv.FormatInt(r.ID, 10)
	now := s.now()
	if action == ResolveDismiss {
		if err := s.repo.DismissReport(ctx, r.ID, v.UserID, now); err != nil {
			return err
		}
		return s.log.RecordAdminAction(ctx, v, "report.dismiss", ref, r.Kind())
	}
	if r.CommentID != 0 {
		c, err := s.pastes.RemoveComment(ctx, r.CommentID)
		if err != nil && !isNotFound(err) {
			return err
		}
		if err := s.repo.CloseCommentReports(ctx, r.CommentID, v.UserID, now); err != nil {
			return err
		}
		return s.log.RecordAdminAction(ctx, v, "comment.delete", strconv.FormatInt(r.CommentID, 10), ref+": "+c.Body)
	}
	p, err := s.pastes.Remove(ctx, r.PasteID)
	if err != nil && !isNotFound(err) {
		return err
	}
	return s.log.RecordAdminAction(ctx, v, "paste.delete", string(r.PasteID), ref+": "+p.Title)
}

// ActionPage is one page of the admin log, newest first.
type ActionPage struct {
	Items      []Action
	NextCursor string
}

// Actions lists the admin log, newest first.
func (s *Service) Actions(ctx context.Context, v paste.Viewer, cursor string, limit int) (ActionPage, error) {
	if err := requireAdmin(v); err != nil {
		return ActionPage{}, err
	}
	before, err := DecodeCursor(cursor)
	if err != nil {
		return ActionPage{}, err
	}
	limit = paste.ClampLimit(limit)
	items, err := s.repo.ListActions(ctx, before, limit+1)
	if err != nil {
		return ActionPage{}, err
	}
	var page ActionPage
	page.Items, page.NextCursor = paste.NextPage(items, limit, func(last Action) string {
		return Cursor{At: last.CreatedAt, ID: last.ID}.Encode()
	})
	return page, nil
}

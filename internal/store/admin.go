package store

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"pastel/internal/admin"
	"pastel/internal/paste"
	"pastel/internal/store/dbgen"
)

// Admin is the PostgreSQL admin.Repository.
type Admin struct{ *Store }

var _ admin.Repository = Admin{}

// Admin returns the admin repository.
func (s *Store) Admin() Admin { return Admin{s} }

// UserByName implements admin.Repository.
func (s Admin) UserByName(ctx context.Context, username string) (admin.User, error) {
	r, err := s.q.UserByNameAny(ctx, username)
	if err != nil {
		return admin.User{}, translate(err)
	}
	u := admin.User{ID: r.ID, Username: r.Username, IsAdmin: r.IsAdmin, Disabled: r.DisabledAt != nil, CreatedAt: r.CreatedAt.UTC()}
	if r.Email != nil {
		u.Email = *r.Email
	}
	return u, nil
}

// ListUsers implements admin.Repository: one fixed query per sort order.
func (s Admin) ListUsers(ctx context.Context, q admin.UserQuery) ([]admin.User, error) {
	out := []admin.User{}
	add := func(id int64, name string, email *string, isAdmin bool, disabled *time.Time, created time.Time, pastes int64) {
		u := admin.User{ID: id, Username: name, IsAdmin: isAdmin, Disabled: disabled != nil, CreatedAt: created.UTC(), Pastes: pastes}
		if email != nil {
			u.Email = *email
		}
		out = append(out, u)
	}
	if q.Sort == admin.SortPastes {
		rows, err := s.q.ListUsersByPastes(ctx, dbgen.ListUsersByPastesParams{Pattern: q.Pattern, Skip: int32(q.Offset), MaxRows: int32(q.Limit)})
		if err != nil {
			return nil, translate(err)
		}
		for _, r := range rows {
			add(r.ID, r.Username, r.Email, r.IsAdmin, r.DisabledAt, r.CreatedAt, r.Pastes)
		}
		return out, nil
	}
	rows, err := s.q.ListUsersByJoined(ctx, dbgen.ListUsersByJoinedParams{Pattern: q.Pattern, Skip: int32(q.Offset), MaxRows: int32(q.Limit)})
	if err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		add(r.ID, r.Username, r.Email, r.IsAdmin, r.DisabledAt, r.CreatedAt, r.Pastes)
	}
	return out, nil
}

// SetDisabled implements admin.Repository. Disabling ends the account's
// sessions, refresh tokens and personal API tokens in the same transaction
// (enabling brings none back); its access tokens are refused by their
// issue time.
func (s Admin) SetDisabled(ctx context.Context, userID int64, disabled bool, now time.Time) error {
	defer s.changed("") // names, states, tallies and comments of many pastes change
	return s.inTx(ctx, func(q *dbgen.Queries) error {
		if _, err := q.SetUserDisabled(ctx, dbgen.SetUserDisabledParams{ID: userID, Disabled: disabled, Now: now}); err != nil {
			return translate(err)
		}
		if !disabled {
			return nil
		}
		for _, del := range []func(context.Context, int64) error{q.DeleteUserSessions, q.DeleteUserRefreshTokens, q.DeleteUserAPITokens} {
			if err := del(ctx, userID); err != nil {
				return translate(err)
			}
		}
		return nil
	})
}

// MarkDeleted implements admin.Repository.
func (s Admin) MarkDeleted(ctx context.Context, userID int64, by string, now time.Time) error {
	defer s.changed("") // names, states, tallies and comments of many pastes change
	return s.inTx(ctx, func(q *dbgen.Queries) error {
		n, err := q.MarkUserDeleted(ctx, dbgen.MarkUserDeletedParams{ID: userID, Now: now})
		if err != nil {
			return translate(err)
		}
		if n == 0 {
			return paste.ErrNotFound
		}
		for _, del := range []func(context.Context, int64) error{q.DeleteUserSessions, q.DeleteUserRefreshTokens, q.DeleteUserAPITokens} {
			if err := del(ctx, userID); err != nil {
				return translate(err)
			}
		}
		return translate(q.InsertAccountDeletion(ctx, dbgen.InsertAccountDeletionParams{UserID: userID, RequestedBy: by, Now: now}))
	})
}

// ClaimDeletion implements admin.Repository.
func (s Admin) ClaimDeletion(ctx context.Context, now, leaseUntil time.Time) (int64, bool, error) {
	id, err := s.q.ClaimAccountDeletion(ctx, dbgen.ClaimAccountDeletionParams{Now: now, LeaseUntil: leaseUntil})
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, translate(err)
	}
	return id, true, nil
}

// RescheduleDeletion implements admin.Repository.
func (s Admin) RescheduleDeletion(ctx context.Context, userID int64, dueAt time.Time) error {
	return translate(s.q.RescheduleAccountDeletion(ctx, dbgen.RescheduleAccountDeletionParams{UserID: userID, DueAt: dueAt}))
}

// OwnedPastes implements admin.Repository.
func (s Admin) OwnedPastes(ctx context.Context, userID int64, max int) ([]paste.ID, []string, error) {
	rows, err := s.q.OwnedPasteBlobs(ctx, dbgen.OwnedPasteBlobsParams{OwnerID: userID, MaxRows: int32(max)})
	if err != nil {
		return nil, nil, translate(err)
	}
	ids, keys := make([]paste.ID, len(rows)), make([]string, len(rows))
	strs := make([]string, len(rows))
	for i, r := range rows {
		ids[i], keys[i], strs[i] = paste.ID(r.ID), r.BlobKey, r.ID
	}
	// Every revision's files too (the row's own key is among them).
	fileKeys, err := s.ownedBodyKeys(ctx, strs)
	if err != nil {
		return nil, nil, err
	}
	return ids, append(keys, fileKeys...), nil
}

// DeleteOwnedPastes implements admin.Repository. Everything hanging off the
// pastes goes with them (ON DELETE CASCADE), and the search trigger queues
// their removal from an external index.
func (s Admin) DeleteOwnedPastes(ctx context.Context, userID int64, ids []paste.ID) error {
	defer s.changed("") // names, states, tallies and comments of many pastes change
	strs := make([]string, len(ids))
	for i, id := range ids {
		strs[i] = string(id)
	}
	return translate(s.q.DeleteOwnedPastes(ctx, dbgen.DeleteOwnedPastesParams{OwnerID: userID, Ids: strs}))
}

// FinishDeletion implements admin.Repository.
func (s Admin) FinishDeletion(ctx context.Context, userID int64, viewHashes [][]byte, now time.Time) (bool, error) {
	defer s.changed("") // names, states, tallies and comments of many pastes change
	locked := false
	err := s.inTx(ctx, func(q *dbgen.Queries) error {
		var err error
		if locked, err = q.TryLockAccountDeletion(ctx, userID); err != nil || !locked {
			return translate(err)
		}
		if err := deleteCommentsOf(ctx, q, userID, now); err != nil {
			return err
		}
		steps := []func(context.Context, int64) error{
			q.UnvotePastesOf, q.DeletePasteVotesOf, q.UnvoteCommentsOf, q.DeleteCommentVotesOf,
			q.UnstarPastesOf, q.DeleteStarsOf,
			q.DeleteUserSessions, q.DeleteUserRefreshTokens, q.DeleteUserAPITokens,
		}
		for _, step := range steps {
			if err := step(ctx, userID); err != nil {
				return translate(err)
			}
		}
		if err := q.DeleteViewsBy(ctx, viewHashes); err != nil {
			return translate(err)
		}
		// The API's stored answers (Idempotency-Key) of the account.
		if err := q.DeleteIdempotencyKeysOf(ctx, "user:"+strconv.FormatInt(userID, 10)); err != nil {
			return translate(err)
		}
		// Reports the account filed go with it (ON DELETE CASCADE); those it
		// resolved as an admin keep their status and lose the name.
		if _, err := q.DeleteDeletedUser(ctx, userID); err != nil {
			return translate(err)
		}
		return translate(q.DeleteAccountDeletion(ctx, userID))
	})
	return locked, err
}

// deleteCommentsOf removes the user's comments, replies first. A comment
// others replied to stays as an anonymous "deleted" placeholder; a
// placeholder left without replies goes, as with an ordinary delete.
func deleteCommentsOf(ctx context.Context, q *dbgen.Queries, userID int64, now time.Time) error {
	ids, err := q.UserCommentIDs(ctx, userID)
	if err != nil {
		return translate(err)
	}
	for _, id := range ids {
		_, err := deleteComment(ctx, q, id, func(c dbgen.Comment) error {
			return translate(q.AnonymiseComment(ctx, dbgen.AnonymiseCommentParams{ID: c.ID, Now: now}))
		})
		// Not found: removed already, with a placeholder above it.
		if err != nil && !errors.Is(err, paste.ErrNotFound) {
			return err
		}
	}
	return nil
}

// RetryDeletion implements admin.Repository.
func (s Admin) RetryDeletion(ctx context.Context, userID int64, next time.Time, msg string) error {
	if len(msg) > 500 {
		msg = msg[:500]
	}
	return translate(s.q.RetryAccountDeletion(ctx, dbgen.RetryAccountDeletionParams{UserID: userID, NextAttemptAt: next, LastError: msg}))
}

// InsertReport implements admin.Repository.
func (s Admin) InsertReport(ctx context.Context, reporterID int64, r admin.Report) (int64, error) {
	p := dbgen.InsertReportParams{ReporterID: reporterID, Reason: r.Reason, Details: r.Details, CreatedAt: r.CreatedAt}
	if r.CommentID != 0 {
		p.CommentID = &r.CommentID
	} else {
		id := string(r.PasteID)
		p.PasteID = &id
	}
	id, err := s.q.InsertReport(ctx, p)
	if err != nil {
		return 0, translateFK(err)
	}
	return id, nil
}

// ListReports implements admin.Repository.
func (s Admin) ListReports(ctx context.Context, status string, after *admin.Cursor, limit int) ([]admin.Report, error) {
	p := dbgen.ListReportsParams{Status: status, MaxRows: int32(limit)}
	if after != nil {
		p.AfterCreatedAt, p.AfterID = after.At, after.ID
	}
	rows, err := s.q.ListReports(ctx, p)
	if err != nil {
		return nil, translate(err)
	}
	out := make([]admin.Report, len(rows))
	for i, r := range rows {
		rep := admin.Report{
			ID: r.ID, PasteID: paste.ID(r.ItemPasteID), Reason: r.Reason, Details: r.Details, Status: r.Status,
			CreatedAt: r.CreatedAt.UTC(), ResolvedAt: r.ResolvedAt, Reporter: r.ReporterName,
			Title: r.PasteTitle, Excerpt: r.Excerpt, Author: r.AuthorName,
		}
		if r.CommentID != nil {
			rep.CommentID = *r.CommentID
		}
		out[i] = rep
	}
	return out, nil
}

// ReportByID implements admin.Repository.
func (s Admin) ReportByID(ctx context.Context, id int64) (admin.Report, error) {
	r, err := s.q.ReportByID(ctx, id)
	if err != nil {
		return admin.Report{}, translate(err)
	}
	rep := admin.Report{ID: r.ID, Status: r.Status}
	if r.PasteID != nil {
		rep.PasteID = paste.ID(*r.PasteID)
	}
	if r.CommentID != nil {
		rep.CommentID = *r.CommentID
	}
	return rep, nil
}

// DismissReport implements admin.Repository.
func (s Admin) DismissReport(ctx context.Context, id, adminID int64, now time.Time) error {
	n, err := s.q.DismissReport(ctx, dbgen.DismissReportParams{ID: id, AdminID: adminID, Now: now})
	if err != nil {
		return translate(err)
	}
	if n == 0 {
		return paste.ErrConflict
	}
	return nil
}

// CloseCommentReports implements admin.Repository.
func (s Admin) CloseCommentReports(ctx context.Context, commentID, adminID int64, now time.Time) error {
	return translate(s.q.CloseCommentReports(ctx, dbgen.CloseCommentReportsParams{CommentID: commentID, AdminID: adminID, Now: now}))
}

// InsertAction implements admin.Repository.
func (s Admin) InsertAction(ctx context.Context, a admin.Action) error {
	return translate(s.q.InsertAdminAction(ctx, dbgen.InsertAdminActionParams{
		AdminID: a.AdminID, AdminName: a.AdminName, Action: a.Action, Target: a.Target, Details: a.Details, CreatedAt: a.CreatedAt,
	}))
}

// ListActions implements admin.Repository.
func (s Admin) ListActions(ctx context.Context, before *admin.Cursor, limit int) ([]admin.Action, error) {
	p := dbgen.ListAdminActionsParams{BeforeCreatedAt: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), BeforeID: 1<<63 - 1, MaxRows: int32(limit)}
	if before != nil {
		p.BeforeCreatedAt, p.BeforeID = before.At, before.ID
	}
	rows, err := s.q.ListAdminActions(ctx, p)
	if err != nil {
		return nil, translate(err)
	}
	out := make([]admin.Action, len(rows))
	for i, r := range rows {
		out[i] = admin.Action{ID: r.ID, AdminID: r.AdminID, AdminName: r.AdminName, Action: r.Action, Target: r.Target, Details: r.Details, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// ListPastes implements admin.Repository: every paste, whatever its
// visibility or state, newest first.
func (s Admin) ListPastes(ctx context.Context, q admin.PasteQuery) ([]paste.Paste, error) {
	beforeAt, beforeID := farFuture, ""
	if q.Before != nil {
		beforeAt, beforeID = q.Before.CreatedAt, string(q.Before.ID)
	}
	rows, err := s.q.ListAllPastes(ctx, dbgen.ListAllPastesParams{
		Pattern: q.Pattern, PasteID: q.PasteID, Owner: q.Owner, Visibility: string(q.Visibility),
		BeforeCreatedAt: beforeAt, BeforeID: beforeID, MaxRows: int32(q.Limit),
	})
	if err != nil {
		return nil, translate(err)
	}
	out := make([]paste.Paste, len(rows))
	for i, r := range rows {
		out[i] = toPaste(r.Paste, r.OwnerName)
		out[i].OwnerDisabled = r.OwnerDisabled
	}
	return out, nil
}

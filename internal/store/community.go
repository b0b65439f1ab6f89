package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"pastel/internal/clock"
	"pastel/internal/paste"
	"pastel/internal/store/dbgen"
)

// CommunityOptions tune a Community.
type CommunityOptions struct {
	Now         clock.Clock // when views are pruned; nil: the real time
	Logger      *slog.Logger
	MaxPending  int // queued distinct views kept at most; 100,000 by default
	PopularSize int // pastes kept in the popular list; 1,000 by default
}

// Community is the PostgreSQL paste.CommunityRepository. It also owns the
// in-memory queue of views, written in batches by FlushViews so reading a
// paste takes no row lock; cmd/web's runner flushes it every few seconds,
// sooner when Kicks says it is filling, and on shutdown.
type Community struct {
	*Store
	opts CommunityOptions

	mu        sync.Mutex
	pending   map[viewKey]struct{}
	dropped   int
	lastPrune time.Time
	kick      chan struct{}
	flushMu   sync.Mutex // one flush at a time
}

type viewKey struct {
	paste   paste.ID
	visitor [32]byte
	window  int64 // unix seconds
}

var _ paste.CommunityRepository = (*Community)(nil)

// NewCommunity returns the community repository over s.
func NewCommunity(s *Store, o CommunityOptions) *Community {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxPending <= 0 {
		o.MaxPending = 100_000
	}
	if o.PopularSize <= 0 {
		o.PopularSize = 1000
	}
	return &Community{Store: s, opts: o, pending: map[viewKey]struct{}{}, kick: make(chan struct{}, 1)}
}

func toComment(r dbgen.Comment, author string, myVote int16) paste.Comment {
	c := paste.Comment{
		ID: r.ID, PasteID: paste.ID(r.PasteID), Depth: int(r.Depth), AuthorName: author,
		Body: r.Body, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Deleted: r.DeletedAt != nil,
		Likes: r.Likes, Dislikes: r.Dislikes, MyVote: int(myVote),
	}
	if r.AuthorID != nil {
		c.AuthorID = *r.AuthorID
	}
	if r.ParentID != nil {
		c.ParentID = *r.ParentID
	}
	if r.RootID != nil {
		c.RootID = *r.RootID
	}
	if r.LineStart != nil && r.LineEnd != nil && r.LineRevision != nil {
		c.Lines = paste.LineRange{Start: int(*r.LineStart), End: int(*r.LineEnd), Revision: *r.LineRevision}
	}
	return c
}

// lineArgs are a comment's lines as nullable columns (all NULL for none).
func lineArgs(r paste.LineRange) (start, end, revision *int32) {
	if r.IsZero() {
		return nil, nil, nil
	}
	s, e, v := int32(r.Start), int32(r.End), r.Revision
	return &s, &e, &v
}

// translateFK maps a foreign-key violation (the paste or parent vanished
// meanwhile) to ErrNotFound; anything else goes through translate.
func translateFK(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" {
		return paste.ErrNotFound
	}
	return translate(err)
}

// InsertComment implements paste.CommunityRepository.
func (s *Community) InsertComment(ctx context.Context, c paste.Comment) (paste.Comment, error) {
	defer s.changed(c.PasteID)
	lineStart, lineEnd, lineRevision := lineArgs(c.Lines)
	r, err := s.q.InsertComment(ctx, dbgen.InsertCommentParams{
		PasteID: string(c.PasteID), ParentID: optInt64(c.ParentID), RootID: optInt64(c.RootID),
		Depth: int32(c.Depth), AuthorID: &c.AuthorID, Body: c.Body, CreatedAt: c.CreatedAt,
		LineStart: lineStart, LineEnd: lineEnd, LineRevision: lineRevision,
	})
	if err != nil {
		return paste.Comment{}, translateFK(err)
	}
	return toComment(r, c.AuthorName, 0), nil
}

// CommentByID implements paste.CommunityRepository.
func (s *Community) CommentByID(ctx context.Context, id int64) (paste.Comment, error) {
	r, err := s.q.CommentByID(ctx, id)
	if err != nil {
		return paste.Comment{}, translate(err)
	}
	return hideDisabled(toComment(r.Comment, r.AuthorName, 0), r.AuthorDisabled), nil
}

// hideDisabled shows the comment of a disabled (or deleted) account as a
// "deleted" placeholder: nothing of it is readable, and nobody can reply
// to, edit or vote on it, until the account is enabled again.
func hideDisabled(c paste.Comment, authorDisabled bool) paste.Comment {
	if authorDisabled {
		c.Deleted, c.Body, c.AuthorName = true, "", ""
	}
	return c
}

// UpdateComment implements paste.CommunityRepository.
func (s *Community) UpdateComment(ctx context.Context, id int64, body string, now time.Time) (paste.Comment, error) {
	r, err := s.q.UpdateCommentBody(ctx, dbgen.UpdateCommentBodyParams{ID: id, Body: body, UpdatedAt: now})
	if err != nil {
		return paste.Comment{}, translate(err)
	}
	s.changed(paste.ID(r.PasteID))
	return toComment(r, "", 0), nil
}

// DeleteComment implements paste.CommunityRepository. The comment's row is
// locked first, so a reply racing with the delete either lands before (and
// the comment becomes a placeholder) or fails its foreign key.
func (s *Community) DeleteComment(ctx context.Context, id int64, now time.Time) error {
	var pasteID paste.ID
	defer func() { s.changed(pasteID) }()
	return s.inTx(ctx, func(q *dbgen.Queries) error {
		var err error
		pasteID, err = deleteComment(ctx, q, id, func(c dbgen.Comment) error {
			if c.DeletedAt != nil {
				return nil
			}
			return translate(q.SoftDeleteComment(ctx, dbgen.SoftDeleteCommentParams{ID: c.ID, Now: &now}))
		})
		return err
	})
}

// deleteComment removes comment id inside q's transaction. A comment with
// replies stays, turned into a placeholder by keep, to hold its thread
// together; one without goes, and so does every placeholder above it that
// is left without replies. It returns the comment's paste.
func deleteComment(ctx context.Context, q *dbgen.Queries, id int64, keep func(dbgen.Comment) error) (paste.ID, error) {
	var pasteID paste.ID // of the comment asked for; what is kept of it is forgotten
	for id != 0 {
		c, err := q.LockComment(ctx, id)
		if err != nil {
			return pasteID, translate(err)
		}
		pasteID = paste.ID(c.PasteID)
		replies, err := q.CommentHasReplies(ctx, &id)
		if err != nil {
			return pasteID, translate(err)
		}
		if replies {
			return pasteID, keep(c)
		}
		if err := q.HardDeleteComment(ctx, id); err != nil {
			return pasteID, translate(err)
		}
		id = 0
		if c.ParentID != nil {
			parent, err := q.LockComment(ctx, *c.ParentID)
			if err != nil {
				return pasteID, translate(err)
			}
			if parent.DeletedAt != nil {
				id = parent.ID
			}
		}
	}
	return pasteID, nil
}

// ListComments implements paste.CommunityRepository.
func (s *Community) ListComments(ctx context.Context, q paste.CommentQuery) (paste.CommentRows, error) {
	return s.listComments(ctx, q)
}

func (s *Community) listComments(ctx context.Context, q paste.CommentQuery) (paste.CommentRows, error) {
	afterAt, afterID := time.Time{}, int64(0)
	if q.After != nil {
		afterAt, afterID = q.After.CreatedAt, q.After.ID
	}
	var rows []dbgen.ListTopCommentsRow
	var err error
	if q.Newest {
		if q.After == nil {
			afterAt, afterID = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), math.MaxInt64
		}
		var newest []dbgen.ListTopCommentsNewestRow
		newest, err = s.q.ListTopCommentsNewest(ctx, dbgen.ListTopCommentsNewestParams{
			ViewerID: q.ViewerID, PasteID: string(q.PasteID), BeforeCreatedAt: afterAt, BeforeID: afterID, MaxRows: int32(q.Limit),
		})
		for _, r := range newest {
			rows = append(rows, dbgen.ListTopCommentsRow(r))
		}
	} else {
		rows, err = s.q.ListTopComments(ctx, dbgen.ListTopCommentsParams{
			ViewerID: q.ViewerID, PasteID: string(q.PasteID), AfterCreatedAt: afterAt, AfterID: afterID, MaxRows: int32(q.Limit),
		})
	}
	if err != nil {
		return paste.CommentRows{}, translate(err)
	}
	tops := make([]paste.Comment, len(rows))
	for i, r := range rows {
		tops[i] = hideDisabled(toComment(r.Comment, r.AuthorName, r.MyVote), r.AuthorDisabled)
	}
	return s.withReplies(ctx, q.ViewerID, tops, q.Replies)
}

// ListThread implements paste.CommunityRepository.
func (s *Community) ListThread(ctx context.Context, rootID, viewerID int64, replies int) (paste.CommentRows, error) {
	roots, err := s.commentsByIDs(ctx, viewerID, []int64{rootID})
	if err != nil {
		return paste.CommentRows{}, err
	}
	return s.withReplies(ctx, viewerID, roots, replies)
}

// withReplies completes a page of threads with the first n replies of each
// in reading order. Only the shape of the threads (IDs and parents) is read
// whole; bodies are read for the replies shown.
func (s *Community) withReplies(ctx context.Context, viewerID int64, tops []paste.Comment, n int) (paste.CommentRows, error) {
	out := paste.CommentRows{Tops: tops}
	if len(tops) == 0 {
		return out, nil
	}
	roots := make([]int64, len(tops))
	for i, t := range tops {
		roots[i] = t.ID
	}
	threads, err := s.replyOrder(ctx, roots)
	if err != nil {
		return paste.CommentRows{}, err
	}
	var ids []int64
	for _, root := range roots {
		order := threads[root]
		if len(order) > n {
			order = order[:n]
			if out.More == nil {
				out.More = make(map[int64]bool)
			}
			out.More[root] = true
		}
		ids = append(ids, order...)
	}
	out.Replies, err = s.commentsByIDs(ctx, viewerID, ids)
	if err != nil {
		return paste.CommentRows{}, err
	}
	return out, nil
}

// replyOrder returns the reply IDs of each thread in reading order.
func (s *Community) replyOrder(ctx context.Context, roots []int64) (map[int64][]int64, error) {
	rows, err := s.q.ListReplySkeleton(ctx, roots)
	if err != nil {
		return nil, translate(err)
	}
	byRoot := make(map[int64][]paste.Comment, len(roots))
	for _, r := range rows {
		if r.ParentID == nil || r.RootID == nil {
			continue
		}
		byRoot[*r.RootID] = append(byRoot[*r.RootID], paste.Comment{ID: r.ID, ParentID: *r.ParentID, RootID: *r.RootID})
	}
	out := make(map[int64][]int64, len(byRoot))
	for root, replies := range byRoot {
		ordered := paste.ReplyOrder(root, replies)
		ids := make([]int64, len(ordered))
		for i, c := range ordered {
			ids[i] = c.ID
		}
		out[root] = ids
	}
	return out, nil
}

// commentsByIDs reads comments for viewerID in the order of ids; IDs gone
// meanwhile are left out.
func (s *Community) commentsByIDs(ctx context.Context, viewerID int64, ids []int64) ([]paste.Comment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.q.CommentsByIDs(ctx, dbgen.CommentsByIDsParams{ViewerID: viewerID, Ids: ids})
	if err != nil {
		return nil, translate(err)
	}
	byID := make(map[int64]paste.Comment, len(rows))
	for _, r := range rows {
		byID[r.Comment.ID] = hideDisabled(toComment(r.Comment, r.AuthorName, r.MyVote), r.AuthorDisabled)
	}
	out := make([]paste.Comment, 0, len(ids))
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// ListReplies implements paste.CommunityRepository.
func (s *Community) ListReplies(ctx context.Context, q paste.ReplyQuery) (paste.ReplyRows, error) {
	threads, err := s.replyOrder(ctx, []int64{q.RootID})
	if err != nil {
		return paste.ReplyRows{}, err
	}
	order := threads[q.RootID]
	start := 0
	switch {
	case q.At != 0:
		start = len(order) // an unknown reply: nothing
		for i, id := range order {
			if id == q.At {
				start = i
				break
			}
		}
	case q.After != nil:
		start = min(q.After.Pos, len(order))
		for i, id := range order {
			if id == q.After.After {
				start = i + 1
				break
			}
		}
	}
	end := min(start+q.Limit, len(order))
	items, err := s.commentsByIDs(ctx, q.ViewerID, order[start:end])
	if err != nil {
		return paste.ReplyRows{}, err
	}
	return paste.ReplyRows{Items: items, Start: start, More: end < len(order)}, nil
}

// CountComments implements paste.CommunityRepository.
func (s *Community) CountComments(ctx context.Context, id paste.ID) (int64, error) {
	n, err := s.q.CountComments(ctx, string(id))
	if err != nil {
		return 0, translate(err)
	}
	return n, nil
}

// voteDelta is how likes and dislikes move when a vote goes from old to new.
func voteDelta(old, new int) (likes, dislikes int64) {
	count := func(v int) (int64, int64) {
		switch v {
		case 1:
			return 1, 0
		case -1:
			return 0, 1
		}
		return 0, 0
	}
	ol, od := count(old)
	nl, nd := count(new)
	return nl - ol, nd - od
}

// RatePaste implements paste.CommunityRepository. The paste's row is locked
// first, so concurrent votes by one user apply one after the other and each
// computes its delta from the vote it really replaces.
func (s *Community) RatePaste(ctx context.Context, id paste.ID, userID int64, value int, now time.Time) (paste.Rating, error) {
	out := paste.Rating{Mine: value}
	defer s.changed(id)
	err := s.inTx(ctx, func(q *dbgen.Queries) error {
		if _, err := q.LockPaste(ctx, string(id)); err != nil {
			return translate(err)
		}
		old, err := q.PasteVoteValue(ctx, dbgen.PasteVoteValueParams{PasteID: string(id), UserID: userID})
		if err != nil && !errors.Is(translate(err), paste.ErrNotFound) {
			return translate(err)
		}
		if value == 0 {
			err = q.DeletePasteVote(ctx, dbgen.DeletePasteVoteParams{PasteID: string(id), UserID: userID})
		} else {
			err = q.UpsertPasteVote(ctx, dbgen.UpsertPasteVoteParams{PasteID: string(id), UserID: userID, Value: int16(value), CreatedAt: now})
		}
		if err != nil {
			return translateFK(err)
		}
		dl, dd := voteDelta(int(old), value)
		r, err := q.AddPasteVotes(ctx, dbgen.AddPasteVotesParams{ID: string(id), Likes: dl, Dislikes: dd})
		if err != nil {
			return translate(err)
		}
		out.Likes, out.Dislikes = r.Likes, r.Dislikes
		return nil
	})
	return out, err
}

// RateComment implements paste.CommunityRepository, like RatePaste with the
// comment's row as the lock.
func (s *Community) RateComment(ctx context.Context, commentID, userID int64, value int, now time.Time) (paste.Rating, error) {
	out := paste.Rating{Mine: value}
	var pasteID paste.ID
	defer func() { s.changed(pasteID) }()
	err := s.inTx(ctx, func(q *dbgen.Queries) error {
		c, err := q.LockComment(ctx, commentID)
		if err != nil {
			return translate(err)
		}
		pasteID = paste.ID(c.PasteID)
		if c.DeletedAt != nil {
			return paste.ErrNotFound
		}
		old, err := q.CommentVoteValue(ctx, dbgen.CommentVoteValueParams{CommentID: commentID, UserID: userID})
		if err != nil && !errors.Is(translate(err), paste.ErrNotFound) {
			return translate(err)
		}
		if value == 0 {
			err = q.DeleteCommentVote(ctx, dbgen.DeleteCommentVoteParams{CommentID: commentID, UserID: userID})
		} else {
			err = q.UpsertCommentVote(ctx, dbgen.UpsertCommentVoteParams{CommentID: commentID, UserID: userID, Value: int16(value), CreatedAt: now})
		}
		if err != nil {
			return translateFK(err)
		}
		dl, dd := voteDelta(int(old), value)
		r, err := q.AddCommentVotes(ctx, dbgen.AddCommentVotesParams{ID: commentID, Likes: dl, Dislikes: dd})
		if err != nil {
			return translate(err)
		}
		out.Likes, out.Dislikes = r.Likes, r.Dislikes
		return nil
	})
	return out, err
}

// PasteRating implements paste.CommunityRepository.
func (s *Community) PasteRating(ctx context.Context, id paste.ID, userID int64) (paste.Rating, error) {
	r, err := s.q.PasteVoteCounts(ctx, string(id))
	if err != nil {
		return paste.Rating{}, translate(err)
	}
	out := paste.Rating{Likes: r.Likes, Dislikes: r.Dislikes}
	if userID != 0 {
		v, err := s.q.PasteVoteValue(ctx, dbgen.PasteVoteValueParams{PasteID: string(id), UserID: userID})
		if err != nil && !errors.Is(translate(err), paste.ErrNotFound) {
			return paste.Rating{}, translate(err)
		}
		out.Mine = int(v)
	}
	return out, nil
}

// SetStar implements paste.CommunityRepository. Only a star row really
// inserted (or deleted) moves the counter, in the same transaction.
func (s *Community) SetStar(ctx context.Context, id paste.ID, userID int64, on bool, now time.Time) (int64, error) {
	var stars int64
	defer s.changed(id)
	err := s.inTx(ctx, func(q *dbgen.Queries) error {
		if _, err := q.LockPaste(ctx, string(id)); err != nil {
			return translate(err)
		}
		var n int64
		var err error
		delta := int64(1)
		if on {
			n, err = q.InsertStar(ctx, dbgen.InsertStarParams{UserID: userID, PasteID: string(id), CreatedAt: now})
		} else {
			n, err = q.DeleteStar(ctx, dbgen.DeleteStarParams{UserID: userID, PasteID: string(id)})
			delta = -1
		}
		if err != nil {
			return translateFK(err)
		}
		if n == 0 {
			stars, err = q.PasteStars(ctx, string(id))
			return translate(err)
		}
		stars, err = q.AddPasteStars(ctx, dbgen.AddPasteStarsParams{ID: string(id), Delta: delta})
		return translate(err)
	})
	return stars, err
}

// IsStarred implements paste.CommunityRepository.
func (s *Community) IsStarred(ctx context.Context, id paste.ID, userID int64) (bool, error) {
	ok, err := s.q.IsStarred(ctx, dbgen.IsStarredParams{UserID: userID, PasteID: string(id)})
	return ok, translate(err)
}

// ListStars implements paste.CommunityRepository.
func (s *Community) ListStars(ctx context.Context, userID int64, now time.Time, before *paste.Cursor, limit int) ([]paste.StarredPaste, error) {
	beforeAt, beforeID := farFuture, ""
	if before != nil {
		beforeAt, beforeID = before.CreatedAt, string(before.ID)
	}
	rows, err := s.q.ListStars(ctx, dbgen.ListStarsParams{
		UserID: userID, Now: now, BeforeCreatedAt: beforeAt, BeforeID: beforeID, MaxRows: int32(limit),
	})
	if err != nil {
		return nil, translate(err)
	}
	out := make([]paste.StarredPaste, len(rows))
	for i, r := range rows {
		out[i] = paste.StarredPaste{Paste: toPaste(r.Paste, r.OwnerName), StarredAt: r.StarredAt.UTC()}
	}
	return out, nil
}

// UserStats implements paste.CommunityRepository.
func (s *Community) UserStats(ctx context.Context, userID int64, now time.Time) (paste.UserStats, error) {
	r, err := s.q.UserStarStats(ctx, dbgen.UserStarStatsParams{UserID: userID, Now: now})
	if err != nil {
		return paste.UserStats{}, translate(err)
	}
	return paste.UserStats{StarsReceived: r.Received, Starred: r.Given}, nil
}

// RecordView implements paste.CommunityRepository: the view joins the
// in-memory queue (a set, so reloads between flushes cost nothing). When
// the queue is full the view is dropped rather than slowing the reader.
func (s *Community) RecordView(v paste.View) {
	k := viewKey{paste: v.PasteID, visitor: v.Visitor, window: v.Window.Unix()}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.pending[k]; ok {
		return
	}
	if len(s.pending) >= s.opts.MaxPending {
		s.dropped++
		return
	}
	s.pending[k] = struct{}{}
	if len(s.pending) >= s.opts.MaxPending/2 {
		select {
		case s.kick <- struct{}{}:
		default:
		}
	}
}

// viewBatch is how many views one statement writes.
const viewBatch = 5000

// FlushViews implements paste.CommunityRepository: queued views are written
// in batches, one statement each. A failed batch goes back in the queue.
func (s *Community) FlushViews(ctx context.Context) error {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	s.mu.Lock()
	batch := s.pending
	s.pending = make(map[viewKey]struct{}, len(batch))
	dropped := s.dropped
	s.dropped = 0
	s.mu.Unlock()
	if dropped > 0 {
		s.opts.Logger.Warn("view queue full: views not counted", "dropped", dropped)
	}
	keys := make([]viewKey, 0, len(batch))
	for k := range batch {
		keys = append(keys, k)
	}
	// Sorted by paste, so concurrent flushes (several replicas) lock the
	// counter rows in the same order.
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].paste != keys[j].paste {
			return keys[i].paste < keys[j].paste
		}
		return bytes.Compare(keys[i].visitor[:], keys[j].visitor[:]) < 0
	})
	for start := 0; start < len(keys); start += viewBatch {
		chunk := keys[start:min(start+viewBatch, len(keys))]
		p := dbgen.RecordViewsParams{
			PasteIds:      make([]string, len(chunk)),
			VisitorHashes: make([][]byte, len(chunk)),
			WindowStarts:  make([]time.Time, len(chunk)),
		}
		for i, k := range chunk {
			p.PasteIds[i] = string(k.paste)
			p.VisitorHashes[i] = k.visitor[:]
			p.WindowStarts[i] = time.Unix(k.window, 0).UTC()
		}
		if err := s.q.RecordViews(ctx, p); err != nil {
			s.requeue(keys[start:])
			return fmt.Errorf("record views: %w", translate(err))
		}
	}
	now := s.opts.Now.Now()
	if now.Sub(s.lastPrune) > time.Hour {
		// Views are kept for trending this week (paste.ViewRetention);
		// older windows can no longer dedupe or count anything.
		if _, err := s.q.PruneViews(ctx, now.Add(-paste.ViewRetention)); err != nil {
			return fmt.Errorf("prune views: %w", translate(err))
		}
		s.lastPrune = now
	}
	return nil
}

func (s *Community) requeue(keys []viewKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		if len(s.pending) >= s.opts.MaxPending {
			s.dropped++
			continue
		}
		s.pending[k] = struct{}{}
	}
}

// Pending returns how many distinct views wait for the next flush.
func (s *Community) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// RefreshPopular implements paste.CommunityRepository. It rebuilds the
// popular_pastes table in one transaction (readers keep seeing the old list
// until it commits) with the PopularSize best public, unexpired,
// non-burn pastes by
//
//	score = (likes − dislikes + 2·stars + comments + ln(1 + views)) / (age_hours + 2)^1.5
//
// where comments counts live comments and age_hours is the paste's age at
// now. Pastes whose numerator is not positive are not listed. The decay
// (the Hacker News gravity form) lets a fresh paste with a few votes
// overtake an old one with many.
func (s *Community) RefreshPopular(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, func(q *dbgen.Queries) error {
		if err := q.LockPopular(ctx); err != nil {
			return translate(err)
		}
		if err := q.ClearPopular(ctx); err != nil {
			return translate(err)
		}
		var err error
		n, err = q.FillPopular(ctx, dbgen.FillPopularParams{Now: now, MaxRows: int32(s.opts.PopularSize)})
		return translate(err)
	})
	return int(n), err
}

// ListPopular implements paste.CommunityRepository.
func (s *Community) ListPopular(ctx context.Context, now time.Time, afterRank, limit int) ([]paste.RankedPaste, error) {
	rows, err := s.q.ListPopularPastes(ctx, dbgen.ListPopularPastesParams{AfterRank: int32(afterRank), Now: now, MaxRows: int32(limit)})
	if err != nil {
		return nil, translate(err)
	}
	out := make([]paste.RankedPaste, len(rows))
	for i, r := range rows {
		out[i] = paste.RankedPaste{Paste: toPaste(r.Paste, r.OwnerName), Rank: int(r.Rank)}
	}
	return out, nil
}

// Kicks receives when the view queue is half full: the flush task's
// wake-up (see cmd/web), so views are written before the queue drops any.
func (s *Community) Kicks() <-chan struct{} { return s.kick }

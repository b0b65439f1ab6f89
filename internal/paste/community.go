package paste

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Community limits.
const (
	// MaxCommentRunes is the longest comment body accepted.
	MaxCommentRunes = 10000
	// CommentsPerPage is how many top-level comments one page of comments
	// holds, each with at most RepliesShown replies.
	CommentsPerPage = 50
	// RepliesShown is how many replies of each thread a page of comments
	// holds, in reading order; the rest come in pages of RepliesPerPage.
	// Together they bound a page whatever the size of a thread.
	RepliesShown = 5
	// RepliesPerPage is how many replies one further page of a thread holds.
	RepliesPerPage = 20
	// MaxCommentDepth is the deepest indentation shown: deeper replies are
	// shown at this depth, in order, under their thread.
	MaxCommentDepth = 3
	// ViewWindow is the window in which one visitor counts once per paste.
	ViewWindow = 24 * time.Hour
)

// Comment is a comment on a paste, or a reply to one.
type Comment struct {
	ID         int64
	PasteID    ID
	ParentID   int64 // 0: a top-level comment
	RootID     int64 // the thread's top-level comment; 0 for that comment itself
	Depth      int   // 0 for top-level comments, parent's + 1 for replies
	AuthorID   int64
	AuthorName string
	Body       string // "" once deleted
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Deleted    bool // a placeholder kept because the comment has replies
	Likes      int64
	Dislikes   int64
	MyVote     int // the viewer's vote: 1, -1 or 0
	// Lines is the range of the paste's lines a top-level comment is
	// about (zero: the paste as a whole), as they were in its revision
	// Lines.Revision.
	Lines LineRange
}

// ThreadID returns the ID of the comment's thread (its top-level comment).
func (c Comment) ThreadID() int64 {
	if c.RootID != 0 {
		return c.RootID
	}
	return c.ID
}

// Edited reports whether the body changed after it was posted.
func (c Comment) Edited() bool { return c.UpdatedAt.After(c.CreatedAt) }

// DisplayDepth is the indentation level to show: Depth, capped at
// MaxCommentDepth.
func (c Comment) DisplayDepth() int { return min(c.Depth, MaxCommentDepth) }

// CommentPage is a page of threads in reading order: each top-level comment
// followed by its first RepliesShown replies, depth first, oldest first at
// every level.
type CommentPage struct {
	Items      []Comment
	NextCursor string // "" when there are no more threads
	Total      int64  // live (not deleted) comments on the paste
	// MoreReplies maps a thread (its top-level comment's ID) whose replies
	// do not all fit to the cursor of its next replies (Replies).
	MoreReplies map[int64]string
}

// ReplyPage is a page of one thread's replies in reading order.
type ReplyPage struct {
	Items      []Comment
	NextCursor string // "" at the end of the thread
}

// Rating is the vote tally of a paste or comment and the viewer's vote.
type Rating struct {
	Likes    int64
	Dislikes int64
	Mine     int // 1, -1 or 0
}

// Social is what the paste page shows about a paste's community state.
type Social struct {
	Rating   Rating
	Starred  bool
	Comments int64
}

// UserStats are the community figures shown on a user's page.
type UserStats struct {
	StarsReceived int64 // stars on the user's public, unexpired pastes
	Starred       int64 // pastes the user has starred
}

// View is one visit to record: a visitor (already hashed) seen on a paste in
// the window starting at Window.
type View struct {
	PasteID ID
	Visitor [32]byte
	Window  time.Time
}

// CommentOrder is the order of a paste's threads (its top-level
// comments); replies inside a thread always read oldest first, as a
// conversation.
type CommentOrder string

// The comment orders; OldestFirst is the default.
const (
	OldestFirst CommentOrder = "oldest"
	NewestFirst CommentOrder = "newest"
)

// ParseCommentOrder reads an order=… value; "" is OldestFirst.
func ParseCommentOrder(s string) (CommentOrder, error) {
	switch CommentOrder(s) {
	case "", OldestFirst:
		return OldestFirst, nil
	case NewestFirst:
		return NewestFirst, nil
	}
	return "", FieldError("order", "must be newest or oldest")
}

// CommentQuery selects a page of threads on a paste.
type CommentQuery struct {
	PasteID  ID
	ViewerID int64 // for MyVote; 0: anonymous
	Newest   bool  // top-level comments newest first, After counting down
	After    *CommentCursor
	Limit    int // top-level comments
	Replies  int // replies of each thread, in reading order
}

// CommentRows are the rows of a page of threads: the top-level comments,
// oldest first, the first replies of each thread in reading order, and the
// threads that have more replies than those.
type CommentRows struct {
	Tops    []Comment
	Replies []Comment
	More    map[int64]bool
}

// ReplyQuery selects a page of one thread's replies in reading order.
type ReplyQuery struct {
	RootID   int64
	ViewerID int64
	After    *ReplyCursor // nil: from the first reply
	At       int64        // not 0: from this reply (inclusive) instead
	Limit    int
}

// ReplyRows are a page of a thread's replies: Start is the index of the
// first in the thread's reading order; More says whether others follow.
type ReplyRows struct {
	Items []Comment
	Start int
	More  bool
}

// StarredPaste is a paste in someone's stars, with when it was starred.
type StarredPaste struct {
	Paste     Paste
	StarredAt time.Time
}

// RankedPaste is a paste in the popular list with its rank (1 is first).
type RankedPaste struct {
	Paste Paste
	Rank  int
}

// CommunityRepository keeps comments, stars, votes and view counts.
// Implementations update counters in the same transaction as the rows they
// count, so counters always agree with a recount.
type CommunityRepository interface {
	// InsertComment stores a new comment and returns it with its ID;
	// ErrNotFound when the paste or the parent is gone.
	InsertComment(ctx context.Context, c Comment) (Comment, error)
	// CommentByID returns a comment whatever its state.
	CommentByID(ctx context.Context, id int64) (Comment, error)
	// UpdateComment replaces the body of a live comment.
	UpdateComment(ctx context.Context, id int64, body string, now time.Time) (Comment, error)
	// DeleteComment removes a comment; one with replies becomes a
	// placeholder. Placeholders left without replies are removed too.
	DeleteComment(ctx context.Context, id int64, now time.Time) error
	// ListComments returns a page of top-level comments, oldest first
	// (newest first when q.Newest), and
	// the first q.Replies replies of each thread in reading order
	// (ReplyOrder).
	ListComments(ctx context.Context, q CommentQuery) (CommentRows, error)
	// ListThread is ListComments for the one thread rootID: Tops holds its
	// top-level comment, or nothing when it is gone.
	ListThread(ctx context.Context, rootID, viewerID int64, replies int) (CommentRows, error)
	// ListReplies returns up to q.Limit replies of a thread in reading
	// order after q.After (or from q.At). When the reply q.After is gone
	// since, the page starts at index q.After.Pos.
	ListReplies(ctx context.Context, q ReplyQuery) (ReplyRows, error)
	// CountComments counts a paste's live comments.
	CountComments(ctx context.Context, id ID) (int64, error)

	// RatePaste sets a user's vote on a paste (0 removes it) and returns the
	// new tally.
	RatePaste(ctx context.Context, id ID, userID int64, value int, now time.Time) (Rating, error)
	// RateComment sets a user's vote on a comment (0 removes it).
	RateComment(ctx context.Context, commentID, userID int64, value int, now time.Time) (Rating, error)
	// PasteRating returns a paste's tally and the user's vote.
	PasteRating(ctx context.Context, id ID, userID int64) (Rating, error)

	// SetStar stars (on) or unstars a paste for a user and returns the
	// paste's star count.
	SetStar(ctx context.Context, id ID, userID int64, on bool, now time.Time) (int64, error)
	// IsStarred reports whether the user starred the paste.
	IsStarred(ctx context.Context, id ID, userID int64) (bool, error)
	// ListStars returns the pastes a user starred that the user may still
	// read at now, newest star first, before the cursor.
	ListStars(ctx context.Context, userID int64, now time.Time, before *Cursor, limit int) ([]StarredPaste, error)
	// UserStats returns a user's star figures.
	UserStats(ctx context.Context, userID int64, now time.Time) (UserStats, error)

	// RecordView queues a view; it never blocks on the database. Views
	// already counted in their window are not counted again.
	RecordView(v View)
	// FlushViews writes the queued views now.
	FlushViews(ctx context.Context) error

	// ListByLanguage returns public pastes readable at q.Now in q.Syntax,
	// newest first, before q.Before.
	ListByLanguage(ctx context.Context, q DiscoveryQuery) ([]Paste, error)
	// RecentLanguages counts the syntaxes of the latest sample public
	// pastes readable at now, most used first, at most max.
	RecentLanguages(ctx context.Context, now time.Time, sample, max int) ([]LanguageCount, error)
	// UserLanguages counts the syntaxes of a user's publicly readable
	// pastes, most used first, at most max.
	UserLanguages(ctx context.Context, userID int64, now time.Time, max int) ([]LanguageCount, error)
	// ListByTag returns public pastes readable at q.Now carrying q.Tag,
	// newest first, before q.Before.
	ListByTag(ctx context.Context, q DiscoveryQuery) ([]Paste, error)
	// UserTags counts the tags of a user's publicly readable pastes, most
	// used first, at most max.
	UserTags(ctx context.Context, userID int64, now time.Time, max int) ([]TagCount, error)
	// RefreshTrending rebuilds the trending list: the size pastes readable
	// at now with the highest activity score since since
	// (Service.ListTrending); it returns the list's length.
	RefreshTrending(ctx context.Context, now, since time.Time, size int) (int, error)
	// ListTrending returns up to limit pastes of the last trending list,
	// best first, that are still publicly readable at now.
	ListTrending(ctx context.Context, now time.Time, limit int) ([]Paste, error)

	// RefreshPopular rebuilds the popular list as of now and returns its
	// length.
	RefreshPopular(ctx context.Context, now time.Time) (int, error)
	// ListPopular returns popular pastes ranked after afterRank that are
	// public and unexpired at now.
	ListPopular(ctx context.Context, now time.Time, afterRank, limit int) ([]RankedPaste, error)
}

// CommentCursor is a position in a paste's top-level comments, oldest
// first or, when Newest, newest first.
type CommentCursor struct {
	CreatedAt time.Time
	ID        int64
	Newest    bool
}

// Encode returns the opaque text form of c (EncodeCursor, kind "c" or,
// newest first, "n").
func (c CommentCursor) Encode() string {
	kind := "c"
	if c.Newest {
		kind = "n"
	}
	return EncodeCursor(kind, strconv.FormatInt(c.CreatedAt.UnixMicro(), 10), strconv.FormatInt(c.ID, 10))
}

// DecodeCommentCursor parses a comment cursor; "" is no cursor.
func DecodeCommentCursor(s string) (*CommentCursor, error) {
	for _, kind := range []string{"c", "n"} {
		f, err := CursorFields(s, kind, 2)
		if err != nil {
			continue
		}
		if f == nil {
			return nil, nil
		}
		micros, err1 := strconv.ParseInt(f[0], 10, 64)
		n, err2 := strconv.ParseInt(f[1], 10, 64)
		if err1 != nil || err2 != nil || n <= 0 {
			return nil, BadCursor()
		}
		return &CommentCursor{CreatedAt: time.UnixMicro(micros).UTC(), ID: n, Newest: kind == "n"}, nil
	}
	return nil, BadCursor()
}

// ReplyCursor is a position in a thread's replies in reading order: after
// the reply After, which was at index Pos (the fallback when After is gone
// since).
type ReplyCursor struct {
	After int64
	Pos   int
}

// Encode returns the opaque text form of c (EncodeCursor, kind "t").
func (c ReplyCursor) Encode() string {
	return EncodeCursor("t", strconv.FormatInt(c.After, 10), strconv.Itoa(c.Pos))
}

// DecodeReplyCursor parses a reply cursor; "" is no cursor.
func DecodeReplyCursor(s string) (*ReplyCursor, error) {
	f, err := CursorFields(s, "t", 2)
	if f == nil || err != nil {
		return nil, err
	}
	n, err1 := strconv.ParseInt(f[0], 10, 64)
	i, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || n <= 0 || i < 0 {
		return nil, BadCursor()
	}
	return &ReplyCursor{After: n, Pos: i}, nil
}

// encodeRank and decodeRank are the popular list's cursor (EncodeCursor,
// kind "r"): the last rank seen.
func encodeRank(rank int) string {
	return EncodeCursor("r", strconv.Itoa(rank))
}

func decodeRank(s string) (int, error) {
	f, err := CursorFields(s, "r", 1)
	if f == nil || err != nil {
		return 0, err
	}
	if n, err := strconv.Atoi(f[0]); err == nil && n > 0 {
		return n, nil
	}
	return 0, BadCursor()
}

// CheckCommentBody normalises a comment body (CRLF to LF, surrounding
// whitespace trimmed) and reports what is wrong with it.
func CheckCommentBody(body string) (string, error) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	switch {
	case body == "":
		return "", FieldError("body", "must not be empty")
	case !utf8.ValidString(body):
		return "", FieldError("body", "must be valid UTF-8")
	case utf8.RuneCountInString(body) > MaxCommentRunes:
		return "", FieldError("body", "must be at most "+itoa(MaxCommentRunes)+" characters")
	}
	for _, r := range body {
		switch {
		case r == 0:
			return "", FieldError("body", "must not contain NUL bytes")
		case r == '\n' || r == '\t':
		case unicode.IsControl(r):
			return "", FieldError("body", "must not contain control characters")
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return "", FieldError("body", "must not contain bidirectional control characters")
		}
	}
	return body, nil
}

// checkVote refuses anything but 1, -1 and 0.
func checkVote(value int) error {
	if value < -1 || value > 1 {
		return FieldError("value", "must be 1, -1 or 0")
	}
	return nil
}

// community returns the repository, or ErrUnavailable when none is wired.
func (s *Service) community() (CommunityRepository, error) {
	if s.opts.Community == nil {
		return nil, ErrUnavailable
	}
	return s.opts.Community, nil
}

// HasCommunity reports whether comments, votes and stars are available.
func (s *Service) HasCommunity() bool { return s.opts.Community != nil }

func (s *Service) now() time.Time { return s.opts.Now().UTC().Truncate(time.Microsecond) }

// readable returns the paste and the repository for a community operation:
// every one of them first passes the one visibility rule (Get).
func (s *Service) readable(ctx context.Context, v Viewer, id ID) (Paste, CommunityRepository, error) {
	repo, err := s.community()
	if err != nil {
		return Paste{}, nil, err
	}
	p, err := s.Get(ctx, v, id)
	return p, repo, err
}

// Comments returns a page of a paste's threads the viewer may read, in
// order; a cursor from a page in the other order is refused.
func (s *Service) Comments(ctx context.Context, v Viewer, id ID, order CommentOrder, cursor string) (CommentPage, error) {
	p, repo, err := s.readable(ctx, v, id)
	if err != nil {
		return CommentPage{}, err
	}
	page, err := s.commentPage(ctx, repo, v, p, order, cursor)
	if err != nil {
		return CommentPage{}, err
	}
	if page.Total, err = repo.CountComments(ctx, p.ID); err != nil {
		return CommentPage{}, err
	}
	return page, nil
}

// CommentsOf is Comments for a paste the caller has just read for v (the
// paste page, which already holds it): the paste is not read again, and
// Total is left 0 (Social counts the comments).
func (s *Service) CommentsOf(ctx context.Context, v Viewer, p Paste, order CommentOrder, cursor string) (CommentPage, error) {
	repo, err := s.community()
	if err != nil {
		return CommentPage{}, err
	}
	if !s.canRead(v, p) {
		return CommentPage{}, ErrNotFound
	}
	return s.commentPage(ctx, repo, v, p, order, cursor)
}

func (s *Service) commentPage(ctx context.Context, repo CommunityRepository, v Viewer, p Paste, order CommentOrder, cursor string) (CommentPage, error) {
	after, err := DecodeCommentCursor(cursor)
	if err != nil {
		return CommentPage{}, err
	}
	newest := order == NewestFirst
	if after != nil && after.Newest != newest {
		return CommentPage{}, FieldError("cursor", "belongs to the other order")
	}
	rows, err := repo.ListComments(ctx, CommentQuery{
		PasteID: p.ID, ViewerID: v.UserID, Newest: newest, After: after, Limit: CommentsPerPage + 1, Replies: RepliesShown,
	})
	if err != nil {
		return CommentPage{}, err
	}
	var page CommentPage
	tops := rows.Tops
	if len(tops) > CommentsPerPage {
		tops = tops[:CommentsPerPage]
		last := tops[len(tops)-1]
		page.NextCursor = CommentCursor{CreatedAt: last.CreatedAt, ID: last.ID, Newest: newest}.Encode()
	}
	page.Items, page.MoreReplies = threadPage(tops, rows)
	return page, nil
}

// threadPage puts the rows of a page of threads in reading order and gives
// each thread with more replies the cursor after its last one shown.
func threadPage(tops []Comment, rows CommentRows) ([]Comment, map[int64]string) {
	items := make([]Comment, 0, len(tops)+len(rows.Replies))
	var more map[int64]string
	byRoot := make(map[int64][]Comment)
	for _, r := range rows.Replies {
		byRoot[r.RootID] = append(byRoot[r.RootID], r)
	}
	for _, t := range tops {
		replies := byRoot[t.ID]
		items = append(items, t)
		items = append(items, replies...)
		if rows.More[t.ID] && len(replies) > 0 {
			if more == nil {
				more = make(map[int64]string)
			}
			last := replies[len(replies)-1]
			more[t.ID] = ReplyCursor{After: last.ID, Pos: len(replies)}.Encode()
		}
	}
	return items, more
}

// ReplyOrder puts one thread's replies in reading order: depth first,
// oldest first among siblings. replies must be oldest first; a reply whose
// parent is not among them (nor the thread's top-level comment) is left
// out.
func ReplyOrder(rootID int64, replies []Comment) []Comment {
	return threadOrder([]Comment{{ID: rootID}}, replies)[1:]
}

// threadOrder puts threads in reading order: each top-level comment, then
// its replies depth first, oldest first among siblings. replies must be
// oldest first.
func threadOrder(tops, replies []Comment) []Comment {
	children := make(map[int64][]Comment)
	for _, r := range replies {
		children[r.ParentID] = append(children[r.ParentID], r)
	}
	out := make([]Comment, 0, len(tops)+len(replies))
	// An explicit stack: a long reply chain must not grow the call stack.
	for _, t := range tops {
		stack := []Comment{t}
		for len(stack) > 0 {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			out = append(out, c)
			kids := children[c.ID]
			for i := len(kids) - 1; i >= 0; i-- {
				stack = append(stack, kids[i])
			}
		}
	}
	return out
}

// Comment returns one comment on a paste the viewer may read.
func (s *Service) Comment(ctx context.Context, v Viewer, commentID int64) (Comment, error) {
	repo, err := s.community()
	if err != nil {
		return Comment{}, err
	}
	c, err := repo.CommentByID(ctx, commentID)
	if err != nil {
		return Comment{}, err
	}
	if _, err := s.Get(ctx, v, c.PasteID); err != nil {
		return Comment{}, err
	}
	return c, nil
}

// Thread returns one thread of p, a paste the caller has just read for v,
// as a page of comments holds it: its top-level comment and first
// RepliesShown replies. Items is empty when the thread is gone (or rootID
// is not a top-level comment on p).
func (s *Service) Thread(ctx context.Context, v Viewer, p Paste, rootID int64) (CommentPage, error) {
	repo, err := s.community()
	if err != nil {
		return CommentPage{}, err
	}
	if !s.canRead(v, p) {
		return CommentPage{}, ErrNotFound
	}
	rows, err := repo.ListThread(ctx, rootID, v.UserID, RepliesShown)
	if err != nil {
		return CommentPage{}, err
	}
	if len(rows.Tops) != 1 || rows.Tops[0].PasteID != p.ID || rows.Tops[0].ParentID != 0 {
		return CommentPage{}, nil
	}
	var page CommentPage
	page.Items, page.MoreReplies = threadPage(rows.Tops, rows)
	return page, nil
}

// Replies returns a page of the replies of thread rootID on a paste the
// viewer may read, in reading order: after cursor, or starting at the
// reply at when at is not 0. An unknown thread is ErrNotFound.
func (s *Service) Replies(ctx context.Context, v Viewer, id ID, rootID int64, cursor string, at int64) (ReplyPage, error) {
	p, repo, err := s.readable(ctx, v, id)
	if err != nil {
		return ReplyPage{}, err
	}
	after, err := DecodeReplyCursor(cursor)
	if err != nil {
		return ReplyPage{}, err
	}
	root, err := repo.CommentByID(ctx, rootID)
	if err != nil {
		return ReplyPage{}, err
	}
	if root.PasteID != p.ID || root.ParentID != 0 {
		return ReplyPage{}, ErrNotFound
	}
	rows, err := repo.ListReplies(ctx, ReplyQuery{RootID: rootID, ViewerID: v.UserID, After: after, At: at, Limit: RepliesPerPage})
	if err != nil {
		return ReplyPage{}, err
	}
	page := ReplyPage{Items: rows.Items}
	if rows.More && len(rows.Items) > 0 {
		last := rows.Items[len(rows.Items)-1]
		page.NextCursor = ReplyCursor{After: last.ID, Pos: rows.Start + len(rows.Items)}.Encode()
	}
	return page, nil
}

// AddComment posts a comment on a paste the viewer may read, or a reply to
// parentID (0: a top-level comment). Signed-in users only.
func (s *Service) AddComment(ctx context.Context, v Viewer, id ID, body string, parentID int64) (Comment, error) {
	return s.AddCommentOn(ctx, v, id, body, parentID, LineRange{})
}

// AddCommentOn is AddComment for a comment about lines of the paste (zero
// lines: the paste as a whole). Lines must lie within the paste's current
// revision (1 <= Start <= End <= its line count; End 0 is Start) and only
// a top-level comment takes them.
func (s *Service) AddCommentOn(ctx context.Context, v Viewer, id ID, body string, parentID int64, lines LineRange) (Comment, error) {
	if !v.SignedIn() {
		return Comment{}, ErrUnauthorized
	}
	p, repo, err := s.readable(ctx, v, id)
	if err != nil {
		return Comment{}, err
	}
	body, err = CheckCommentBody(body)
	if err != nil {
		return Comment{}, err
	}
	c := Comment{PasteID: p.ID, AuthorID: v.UserID, AuthorName: v.Username, Body: body, CreatedAt: s.now()}
	c.UpdatedAt = c.CreatedAt
	if parentID != 0 {
		parent, err := repo.CommentByID(ctx, parentID)
		if err != nil || parent.PasteID != p.ID || parent.Deleted {
			return Comment{}, FieldError("parent_id", "is not a comment on this paste")
		}
		c.ParentID, c.RootID, c.Depth = parent.ID, parent.ThreadID(), parent.Depth+1
	}
	if c.Lines, err = s.checkLines(ctx, p, parentID, lines); err != nil {
		return Comment{}, err
	}
	created, err := repo.InsertComment(ctx, c)
	if err != nil {
		if parentID != 0 && errors.Is(err, ErrNotFound) {
			return Comment{}, FieldError("parent_id", "is not a comment on this paste")
		}
		return Comment{}, err
	}
	created.AuthorName = v.Username
	return created, nil
}

// EditComment replaces the body of the viewer's own comment.
func (s *Service) EditComment(ctx context.Context, v Viewer, commentID int64, body string) (Comment, error) {
	if !v.SignedIn() {
		return Comment{}, ErrUnauthorized
	}
	c, err := s.Comment(ctx, v, commentID)
	if err != nil {
		return Comment{}, err
	}
	if c.Deleted {
		return Comment{}, ErrNotFound
	}
	if c.AuthorID != v.UserID {
		return Comment{}, ErrForbidden
	}
	body, err = CheckCommentBody(body)
	if err != nil {
		return Comment{}, err
	}
	updated, err := s.opts.Community.UpdateComment(ctx, commentID, body, s.now())
	if err != nil {
		return Comment{}, err
	}
	updated.AuthorName, updated.MyVote = c.AuthorName, c.MyVote
	return updated, nil
}

// DeleteComment removes a comment. Its author, the paste's owner and admins
// may; a comment with replies stays as a "deleted" placeholder. It returns
// the comment as it was.
func (s *Service) DeleteComment(ctx context.Context, v Viewer, commentID int64) (Comment, error) {
	if !v.SignedIn() {
		return Comment{}, ErrUnauthorized
	}
	repo, err := s.community()
	if err != nil {
		return Comment{}, err
	}
	c, err := repo.CommentByID(ctx, commentID)
	if err != nil {
		return Comment{}, err
	}
	p, err := s.Get(ctx, v, c.PasteID)
	if err != nil {
		return Comment{}, err
	}
	if c.Deleted {
		return Comment{}, ErrNotFound
	}
	if c.AuthorID != v.UserID && !v.Owns(p) && !v.IsAdmin {
		return Comment{}, ErrForbidden
	}
	if err := repo.DeleteComment(ctx, commentID, s.now()); err != nil {
		return Comment{}, err
	}
	if c.AuthorID != v.UserID && !v.Owns(p) {
		return c, s.audit(ctx, v, "comment.delete", strconv.FormatInt(commentID, 10), "on paste "+string(p.ID)+": "+c.Body)
	}
	return c, nil
}

// CanDeleteComment reports whether v may delete c on paste p.
func CanDeleteComment(v Viewer, p Paste, c Comment) bool {
	return v.SignedIn() && !c.Deleted && (c.AuthorID == v.UserID || v.Owns(p) || v.IsAdmin)
}

// RatePaste sets the viewer's vote on a paste: 1 likes, -1 dislikes, 0
// takes the vote back.
func (s *Service) RatePaste(ctx context.Context, v Viewer, id ID, value int) (Rating, error) {
	if !v.SignedIn() {
		return Rating{}, ErrUnauthorized
	}
	p, repo, err := s.readable(ctx, v, id)
	if err != nil {
		return Rating{}, err
	}
	if err := checkVote(value); err != nil {
		return Rating{}, err
	}
	if value != 0 && v.Owns(p) {
		// Clearing (0) stays allowed, for a vote cast before this rule.
		return Rating{}, FieldError("value", "You cannot vote on your own paste.")
	}
	return repo.RatePaste(ctx, p.ID, v.UserID, value, s.now())
}

// RateComment sets the viewer's vote on a comment.
func (s *Service) RateComment(ctx context.Context, v Viewer, commentID int64, value int) (Rating, error) {
	if !v.SignedIn() {
		return Rating{}, ErrUnauthorized
	}
	c, err := s.Comment(ctx, v, commentID)
	if err != nil {
		return Rating{}, err
	}
	if c.Deleted {
		return Rating{}, ErrNotFound
	}
	if err := checkVote(value); err != nil {
		return Rating{}, err
	}
	if value != 0 && c.AuthorID == v.UserID {
		return Rating{}, FieldError("value", "You cannot vote on your own comment.")
	}
	return s.opts.Community.RateComment(ctx, commentID, v.UserID, value, s.now())
}

// Star stars (on) or unstars a paste for the viewer and returns the paste's
// star count.
func (s *Service) Star(ctx context.Context, v Viewer, id ID, on bool) (int64, error) {
	if !v.SignedIn() {
		return 0, ErrUnauthorized
	}
	p, repo, err := s.readable(ctx, v, id)
	if err != nil {
		return 0, err
	}
	return repo.SetStar(ctx, p.ID, v.UserID, on, s.now())
}

// Stars lists the pastes the viewer starred, newest star first.
func (s *Service) Stars(ctx context.Context, v Viewer, cursor string, limit int) (Page, error) {
	if !v.SignedIn() {
		return Page{}, ErrUnauthorized
	}
	repo, err := s.community()
	if err != nil {
		return Page{}, err
	}
	before, err := DecodeCursor(cursor)
	if err != nil {
		return Page{}, err
	}
	limit = ClampLimit(limit)
	items, err := repo.ListStars(ctx, v.UserID, s.opts.Now(), before, limit+1)
	if err != nil {
		return Page{}, err
	}
	var page Page
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		page.NextCursor = Cursor{CreatedAt: last.StarredAt, ID: last.Paste.ID}.Encode()
	}
	page.Items = make([]Paste, len(items))
	for i, it := range items {
		page.Items[i] = it.Paste
	}
	return page, nil
}

// Social returns the tally, the viewer's vote and star, and the comment
// count of a paste already returned by Get.
func (s *Service) Social(ctx context.Context, v Viewer, p Paste) (Social, error) {
	repo, err := s.community()
	if err != nil {
		return Social{}, err
	}
	var out Social
	if out.Rating, err = repo.PasteRating(ctx, p.ID, v.UserID); err != nil {
		return Social{}, err
	}
	if v.SignedIn() {
		if out.Starred, err = repo.IsStarred(ctx, p.ID, v.UserID); err != nil {
			return Social{}, err
		}
	}
	if out.Comments, err = repo.CountComments(ctx, p.ID); err != nil {
		return Social{}, err
	}
	return out, nil
}

// UserStats returns a user's public star figures.
func (s *Service) UserStats(ctx context.Context, userID int64) (UserStats, error) {
	repo, err := s.community()
	if err != nil {
		return UserStats{}, err
	}
	return repo.UserStats(ctx, userID, s.opts.Now())
}

// RecordView counts the viewer as a viewer of p, at most once per paste in
// each ViewWindow (a UTC day). Signed-in viewers are told apart by account;
// anonymous ones by anonKey (the surface passes IP and User-Agent), hashed
// with the day, so no address is kept. It never blocks on the database.
func (s *Service) RecordView(v Viewer, p Paste, anonKey string) {
	if s.opts.Community == nil {
		return
	}
	window := s.opts.Now().UTC().Truncate(ViewWindow)
	who := "a:" + anonKey
	if v.SignedIn() {
		who = "u:" + strconv.FormatInt(v.UserID, 10)
	}
	s.opts.Community.RecordView(View{PasteID: p.ID, Visitor: visitorHash(who, window), Window: window})
}

// FlushViews writes queued views now.
func (s *Service) FlushViews(ctx context.Context) error {
	repo, err := s.community()
	if err != nil {
		return err
	}
	return repo.FlushViews(ctx)
}

// RefreshPopular rebuilds the popular list now.
func (s *Service) RefreshPopular(ctx context.Context) (int, error) {
	repo, err := s.community()
	if err != nil {
		return 0, err
	}
	return repo.RefreshPopular(ctx, s.opts.Now())
}

// ListPopular lists popular public pastes, best first, from the list the
// last refresh built; a paste that stopped being public or expired since is
// left out at once.
func (s *Service) ListPopular(ctx context.Context, cursor string, limit int) (Page, error) {
	repo, err := s.community()
	if err != nil {
		return Page{}, err
	}
	after, err := decodeRank(cursor)
	if err != nil {
		return Page{}, err
	}
	limit = ClampLimit(limit)
	items, err := repo.ListPopular(ctx, s.opts.Now(), after, limit+1)
	if err != nil {
		return Page{}, err
	}
	var page Page
	if len(items) > limit {
		items = items[:limit]
		page.NextCursor = encodeRank(items[limit-1].Rank)
	}
	page.Items = make([]Paste, len(items))
	for i, it := range items {
		page.Items[i] = it.Paste
	}
	return page, nil
}

package readcache

import (
	"context"

	"pastel/internal/paste"
)

// Pastes returns repo with its reads of a paste by ID answered from the
// cache while it is live; everything else goes to repo unchanged.
func (c *Cache) Pastes(repo paste.Repository) paste.Repository {
	return &pastes{Repository: repo, c: c}
}

type pastes struct {
	paste.Repository
	c *Cache
}

// PasteByID returns the kept row of id, or reads and keeps it. A missing
// paste is never kept: it is asked again.
func (r *pastes) PasteByID(ctx context.Context, id paste.ID) (paste.Paste, error) {
	if e := r.c.get(id); e != nil && e.paste != nil {
		return *e.paste, nil
	}
	epoch := r.c.begin()
	p, err := r.Repository.PasteByID(ctx, id)
	if err != nil {
		return paste.Paste{}, err
	}
	r.c.put(epoch, id, func(e *cacheEntry) { e.paste = &p })
	return p, nil
}

// Community returns repo with the comment count, the first page of
// comments as anonymous visitors see it and anonymous visitors' vote tally
// answered from the cache while it is live; everything else goes to repo.
func (c *Cache) Community(repo paste.CommunityRepository) paste.CommunityRepository {
	return &community{CommunityRepository: repo, c: c}
}

type community struct {
	paste.CommunityRepository
	c *Cache
}

// ListComments keeps the first page as anonymous visitors see it, which
// is what nearly every page view asks for.
func (r *community) ListComments(ctx context.Context, q paste.CommentQuery) (paste.CommentRows, error) {
	cacheable := q.After == nil && q.ViewerID == 0 && !q.Newest
	if !cacheable {
		return r.CommunityRepository.ListComments(ctx, q)
	}
	if e := r.c.get(q.PasteID); e != nil && e.firstPage != nil && e.firstPage.limit == q.Limit && e.firstPage.replies == q.Replies {
		return e.firstPage.rows, nil
	}
	epoch := r.c.begin()
	rows, err := r.CommunityRepository.ListComments(ctx, q)
	if err == nil {
		r.c.put(epoch, q.PasteID, func(e *cacheEntry) {
			e.firstPage = &commentPage{limit: q.Limit, replies: q.Replies, rows: rows}
		})
	}
	return rows, err
}

// CountComments keeps the count of a paste's live comments.
func (r *community) CountComments(ctx context.Context, id paste.ID) (int64, error) {
	if e := r.c.get(id); e != nil && e.comments != nil {
		return *e.comments, nil
	}
	epoch := r.c.begin()
	n, err := r.CommunityRepository.CountComments(ctx, id)
	if err != nil {
		return 0, err
	}
	r.c.put(epoch, id, func(e *cacheEntry) { e.comments = &n })
	return n, nil
}

// PasteRating answers an anonymous visitor's tally from the kept row,
// which carries it.
func (r *community) PasteRating(ctx context.Context, id paste.ID, userID int64) (paste.Rating, error) {
	if userID == 0 {
		if e := r.c.get(id); e != nil && e.paste != nil {
			return paste.Rating{Likes: e.paste.Likes, Dislikes: e.paste.Dislikes}, nil
		}
	}
	return r.CommunityRepository.PasteRating(ctx, id, userID)
}

package readcache

import (
	"context"
	"strconv"
	"time"

	"pastel/internal/paste"
)

// The list reads kept in Lists: the first page of every list anonymous
// visitors see (and anyone else sees alike: no list below depends on the
// viewer) and the language counts. A new kind of list is one method here
// calling keepPage with its own key.

// ListPastes keeps the first page of public pastes, everyone's or one
// user's (what anyone but that user sees); an owner's own list and deeper
// pages go to the database.
func (r *pastes) ListPastes(ctx context.Context, q paste.ListQuery) ([]paste.Paste, error) {
	if q.IncludeAll || q.Before != nil {
		return r.Repository.ListPastes(ctx, q)
	}
	key := "recent:" + strconv.FormatInt(q.OwnerID, 10) + ":" + strconv.Itoa(q.Limit)
	return keepPage(r.c.lists, key, q.Now, func() ([]paste.Paste, error) { return r.Repository.ListPastes(ctx, q) })
}

// InsertPaste forgets every list once the new paste is stored: it belongs
// at the head of some of them. Other replicas hear of it from PostgreSQL
// (migration 0026).
func (r *pastes) InsertPaste(ctx context.Context, p paste.Paste, text string) error {
	err := r.Repository.InsertPaste(ctx, p, text)
	if err == nil {
		r.c.lists.forget()
	}
	return err
}

// ListPopular keeps the first page of the popular list.
func (r *community) ListPopular(ctx context.Context, now time.Time, afterRank, limit int) ([]paste.RankedPaste, error) {
	if afterRank != 0 {
		return r.CommunityRepository.ListPopular(ctx, now, afterRank, limit)
	}
	return cachedList(r.c.lists, "popular:"+strconv.Itoa(limit), now,
		func(rows []paste.RankedPaste) int64 { return int64(64 + 300*len(rows)) },
		func(rows []paste.RankedPaste) time.Time {
			ps := make([]paste.Paste, len(rows))
			for i, row := range rows {
				ps[i] = row.Paste
			}
			return paste.ValidUntil(ps)
		},
		func() ([]paste.RankedPaste, error) {
			return r.CommunityRepository.ListPopular(ctx, now, afterRank, limit)
		})
}

// RefreshPopular forgets every list once the popular list is rebuilt, so
// this process reads the new one at once; other replicas hear of it from
// PostgreSQL (migration 0026).
func (r *community) RefreshPopular(ctx context.Context, now time.Time) (int, error) {
	n, err := r.CommunityRepository.RefreshPopular(ctx, now)
	r.c.lists.forget()
	return n, err
}

// RefreshTrending forgets every list once the trending list is rebuilt,
// as RefreshPopular does.
func (r *community) RefreshTrending(ctx context.Context, now, since time.Time, size int) (int, error) {
	n, err := r.CommunityRepository.RefreshTrending(ctx, now, since, size)
	r.c.lists.forget()
	return n, err
}

// ListTrending keeps the trending page.
func (r *community) ListTrending(ctx context.Context, now time.Time, limit int) ([]paste.Paste, error) {
	return keepPage(r.c.lists, "trending:"+strconv.Itoa(limit), now, func() ([]paste.Paste, error) {
		return r.CommunityRepository.ListTrending(ctx, now, limit)
	})
}

// ListByLanguage keeps the first page of each language.
func (r *community) ListByLanguage(ctx context.Context, q paste.DiscoveryQuery) ([]paste.Paste, error) {
	if q.Before != nil {
		return r.CommunityRepository.ListByLanguage(ctx, q)
	}
	return keepPage(r.c.lists, "language:"+q.Syntax+":"+strconv.Itoa(q.Limit), q.Now, func() ([]paste.Paste, error) {
		return r.CommunityRepository.ListByLanguage(ctx, q)
	})
}

// ListByTag keeps the first page of each tag.
func (r *community) ListByTag(ctx context.Context, q paste.DiscoveryQuery) ([]paste.Paste, error) {
	if q.Before != nil {
		return r.CommunityRepository.ListByTag(ctx, q)
	}
	return keepPage(r.c.lists, "tag:"+q.Tag+":"+strconv.Itoa(q.Limit), q.Now, func() ([]paste.Paste, error) {
		return r.CommunityRepository.ListByTag(ctx, q)
	})
}

// RecentLanguages keeps the explore page's language counts.
func (r *community) RecentLanguages(ctx context.Context, now time.Time, sample, max int) ([]paste.LanguageCount, error) {
	return keepCounts(r.c.lists, "languages:"+strconv.Itoa(sample)+":"+strconv.Itoa(max), now, func() ([]paste.LanguageCount, error) {
		return r.CommunityRepository.RecentLanguages(ctx, now, sample, max)
	})
}

// UserLanguages keeps a user's language counts.
func (r *community) UserLanguages(ctx context.Context, userID int64, now time.Time, max int) ([]paste.LanguageCount, error) {
	key := "user-languages:" + strconv.FormatInt(userID, 10) + ":" + strconv.Itoa(max)
	return keepCounts(r.c.lists, key, now, func() ([]paste.LanguageCount, error) {
		return r.CommunityRepository.UserLanguages(ctx, userID, now, max)
	})
}

// keepPage answers a page of pastes from the lists or fills it.
func keepPage(l *Lists, key string, now time.Time, fill func() ([]paste.Paste, error)) ([]paste.Paste, error) {
	return cachedList(l, key, now, pagesBytes, paste.ValidUntil, fill)
}

// keepCounts answers language counts from the lists or fills them. Counts
// over many pastes carry no expiry of their own: the lists' TTL bounds
// them.
func keepCounts(l *Lists, key string, now time.Time, fill func() ([]paste.LanguageCount, error)) ([]paste.LanguageCount, error) {
	return cachedList(l, key, now,
		func(c []paste.LanguageCount) int64 { return int64(64 + 48*len(c)) },
		func([]paste.LanguageCount) time.Time { return time.Time{} },
		fill)
}

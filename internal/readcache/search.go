package readcache

import (
	"context"
	"strconv"
	"strings"
	"time"

	"pastel/internal/paste"
)

// SearchTTL bounds how long an anonymous search's hits are kept: a paste
// the index learns of later than its commit (an external engine indexes
// from a queue) shows within it.
const SearchTTL = 10 * time.Second

// Search returns e with the hits of anonymous searches (nobody signed in:
// public pastes only) kept in the lists, keyed by the parsed query and
// every filter, snippets and all; a signed-in viewer's search, which may
// hold their private pastes, is never kept nor answered from what was.
// Like every list, kept hits are forgotten whenever any paste changes or
// one is created; and whatever they say, the Service re-reads every hit's
// paste and applies the read rule before anyone sees it.
func (c *Cache) Search(e paste.SearchEngine) paste.SearchEngine {
	return &searches{SearchEngine: e, c: c}
}

type searches struct {
	paste.SearchEngine
	c *Cache
}

// Search implements paste.SearchEngine.
func (s *searches) Search(ctx context.Context, r paste.SearchRequest) (paste.SearchHits, error) {
	if r.ViewerID != 0 {
		return s.SearchEngine.Search(ctx, r)
	}
	return cachedList(s.c.lists, searchKey(r), r.Now, hitsBytes,
		func(paste.SearchHits) time.Time { return r.Now.Add(SearchTTL) },
		func() (paste.SearchHits, error) { return s.SearchEngine.Search(ctx, r) })
}

// searchKey names an anonymous search: every field of r but the time.
func searchKey(r paste.SearchRequest) string {
	var b strings.Builder
	b.WriteString("search\x00")
	terms := func(ts []paste.Term) {
		for _, t := range ts {
			if t.Phrase {
				b.WriteByte('"')
			} else {
				b.WriteByte('w')
			}
			b.WriteString(t.Text)
			b.WriteByte(0)
		}
		b.WriteByte(1)
	}
	terms(r.Query.Terms)
	terms(r.Query.Excluded)
	for _, f := range []string{r.Owner, r.Syntax, r.Tag, string(r.Sort), strconv.FormatBool(r.Facets), strconv.Itoa(r.Limit)} {
		b.WriteString(f)
		b.WriteByte(0)
	}
	if a := r.After; a != nil {
		b.WriteString(strconv.Itoa(a.Tier) + ":" + strconv.FormatInt(a.CreatedAt.UnixMicro(), 10) + ":" + string(a.ID))
	}
	return b.String()
}

func hitsBytes(h paste.SearchHits) int64 {
	n := int64(128 + 64*len(h.Facets))
	for _, hit := range h.Hits {
		n += 96 + int64(len(hit.ID)) + snippetBytes(hit.Snippet)
	}
	return n
}

// PastesByID reads the pastes of ids (a search's hits): those the cache
// holds from memory, the others in one round trip when the repository can
// (paste.BatchReader), one by one otherwise. Missing pastes are left out.
func (r *pastes) PastesByID(ctx context.Context, ids []paste.ID) (map[paste.ID]paste.Paste, error) {
	out := make(map[paste.ID]paste.Paste, len(ids))
	var missing []paste.ID
	for _, id := range ids {
		if e := r.c.get(id); e != nil && e.paste != nil {
			out[id] = *e.paste
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	epoch := r.c.begin()
	read, err := paste.ReadPastes(ctx, r.Repository, missing)
	if err != nil {
		return nil, err
	}
	for id, p := range read {
		out[id] = p
		r.c.put(epoch, id, func(e *cacheEntry) { e.paste = &p })
	}
	return out, nil
}

func snippetBytes(s paste.Snippet) int64 {
	n := int64(24)
	for _, p := range s {
		n += 24 + int64(len(p.Text))
	}
	return n
}

package store

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pastel/internal/paste"
	"pastel/internal/store/dbgen"
)

// DefaultMaxCandidates bounds how many GIN matches a search sorts itself.
// Past it the term is common, and walking the newest pastes meets 20
// matches sooner than sorting them all (see SearchCandidates).
const DefaultMaxCandidates = 2000

// probeRows is how many of the newest pastes a search tests before it
// picks a plan, and probeWalkHits how many of them must match for the
// newest-first walk to be chosen: a term in at least 2 of 300 pastes
// (about 0.7%) fills a page of 21 within some 3,000 rows, about as fast as
// the GIN index can list a term that frequent.
const (
	probeRows     = 300
	probeWalkHits = 2
)

// SnippetWidth is about how many bytes of text a snippet shows.
const SnippetWidth = 220

// Search is the PostgreSQL paste.SearchEngine, over paste_search.
type Search struct {
	*Store
	maxCandidates int
}

var _ paste.SearchEngine = Search{}

// Search returns the PostgreSQL search engine. maxCandidates <= 0 means
// DefaultMaxCandidates.
func (s *Store) Search(maxCandidates int) Search {
	if maxCandidates <= 0 {
		maxCandidates = DefaultMaxCandidates
	}
	return Search{Store: s, maxCandidates: maxCandidates}
}

// Facet sampling: a term in at least facetDenseHits of the newest
// facetWindow readable pastes is counted among them; a rarer one among up
// to facetMaxCandidates matches from the GIN index.
const (
	facetWindow        = 1000
	facetDenseHits     = 50
	facetMaxCandidates = 2000
)

type searchRow struct {
	id        string
	createdAt time.Time
	tier      int
}

// Match parts of a relevance tier (the @part of the queries): any paste
// matching the query, only pastes whose title holds every word, only the
// others.
const (
	partAny      = 0
	partTitle    = 1
	partNotTitle = 2
)

// searchArgs are the filters every query of one search shares.
type searchArgs struct {
	r       paste.SearchRequest
	ownerID int64
}

// Search implements paste.SearchEngine. Results come in tiers (see
// paste.TierTitle): for relevance the pastes whose title holds every word,
// then the others, newest first in each; for recent every match newest
// first. Only when the words as typed match nothing at all are typos
// forgiven: each word of four letters or more is looked up in the
// dictionary of title words (search_word_variants), and the query runs
// again with the near words as alternatives.
func (e Search) Search(ctx context.Context, r paste.SearchRequest) (paste.SearchHits, error) {
	if r.Query.Empty() || r.Limit <= 0 {
		return paste.SearchHits{}, nil
	}
	a := searchArgs{r: r}
	if r.Owner != "" {
		id, err := e.q.UserIDByUsername(ctx, r.Owner)
		if errors.Is(err, pgx.ErrNoRows) {
			return paste.SearchHits{}, nil
		}
		if err != nil {
			return paste.SearchHits{}, translate(err)
		}
		a.ownerID = id
	}
	startTier := paste.TierTitle
	if r.After != nil {
		startTier = r.After.Tier
	}
	var out paste.SearchHits
	used := r.Query
	var rows []searchRow
	if startTier < paste.TierTypoTitle {
		var err error
		rows, err = e.tiers(ctx, a, r.Query, 0, true)
		if err != nil {
			return paste.SearchHits{}, err
		}
	}
	if (r.After == nil && len(rows) == 0) || startTier >= paste.TierTypoTitle {
		fuzzy, shown, ok, err := e.correct(ctx, r.Query)
		if err != nil {
			return paste.SearchHits{}, err
		}
		if ok {
			rows, err = e.tiers(ctx, a, fuzzy, paste.TierTypoTitle, false)
			if err != nil {
				return paste.SearchHits{}, err
			}
			if len(rows) > 0 {
				out.Corrected, used = shown, fuzzy
			}
		}
	}
	hits, err := e.hits(ctx, markQuery(used), rows)
	if err != nil {
		return paste.SearchHits{}, err
	}
	out.Hits = hits
	if r.Facets && len(hits) > 0 {
		out.Facets, out.FacetsApprox, err = e.facets(ctx, a, used)
		if err != nil {
			return paste.SearchHits{}, err
		}
	}
	return out, nil
}

// tiers fills up to r.Limit rows from the tiers of q, from the cursor's
// tier on. base is the tier number of q's first tier (0 for the words as
// typed, TierTypoTitle for a corrected query).
func (e Search) tiers(ctx context.Context, a searchArgs, q paste.Query, base int, substring bool) ([]searchRow, error) {
	r := a.r
	parts := []int{partAny}
	if r.Relevance() {
		parts = []int{partTitle, partNotTitle}
	}
	var out []searchRow
	for i, part := range parts {
		tier := base + i
		if r.After != nil && tier < r.After.Tier {
			continue
		}
		beforeAt, beforeID := farFuture, ""
		if r.After != nil && tier == r.After.Tier {
			beforeAt, beforeID = r.After.CreatedAt, string(r.After.ID)
		}
		rows, err := e.find(ctx, a, q, part, beforeAt, beforeID, r.Limit-len(out), substring && part != partTitle)
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			row.tier = tier
			out = append(out, row)
		}
		if len(out) >= r.Limit {
			break
		}
	}
	return out, nil
}

// find answers one tier: up to limit rows matching q (narrowed by part)
// before the given position, newest first.
func (e Search) find(ctx context.Context, a searchArgs, q paste.Query, part int, beforeAt time.Time, beforeID string, limit int, substring bool) ([]searchRow, error) {
	r := a.r
	include, exclude := q.Included(), q.ExcludedTexts()
	if a.ownerID == 0 && r.Syntax == "" {
		// Unfiltered searches look at the newest pastes first: a common
		// term is answered from them, which the GIN index cannot do
		// cheaply (it reads the term's whole posting list).
		probe, err := e.q.SearchRecentProbe(ctx, dbgen.SearchRecentProbeParams{
			Include: include, Exclude: exclude, Part: int32(part), Tag: r.Tag, ViewerID: r.ViewerID, Now: r.Now,
			BeforeCreatedAt: beforeAt, BeforeID: beforeID,
			WindowRows: probeRows, MaxRows: int32(limit),
		})
		if err != nil {
			return nil, translate(err)
		}
		switch {
		case len(probe) == limit:
			found := make([]searchRow, 0, len(probe))
			for _, row := range probe {
				found = append(found, searchRow{id: row.PasteID, createdAt: row.CreatedAt})
			}
			return found, nil
		case len(probe) >= probeWalkHits:
			return e.walk(ctx, a, include, exclude, part, beforeAt, beforeID, limit)
		}
	}
	var found []searchRow
	var candidates int32
	if part == partTitle {
		rows, err := e.q.SearchTitleCandidates(ctx, dbgen.SearchTitleCandidatesParams{
			Include: include, Exclude: exclude, Tag: r.Tag, ViewerID: r.ViewerID, Now: r.Now,
			OwnerID: a.ownerID, Syntax: r.Syntax, BeforeCreatedAt: beforeAt, BeforeID: beforeID,
			MaxCandidates: int32(e.maxCandidates + 1), MaxRows: int32(limit),
		})
		if err != nil {
			return nil, translate(err)
		}
		for _, row := range rows {
			found = append(found, searchRow{id: row.PasteID, createdAt: row.CreatedAt})
			candidates = row.Candidates
		}
	} else {
		rows, err := e.q.SearchCandidates(ctx, dbgen.SearchCandidatesParams{
			Include: include, Exclude: exclude, Part: int32(part), Tag: r.Tag, ViewerID: r.ViewerID, Now: r.Now,
			OwnerID: a.ownerID, Syntax: r.Syntax, BeforeCreatedAt: beforeAt, BeforeID: beforeID,
			MaxCandidates: int32(e.maxCandidates + 1), MaxRows: int32(limit),
		})
		if err != nil {
			return nil, translate(err)
		}
		for _, row := range rows {
			found = append(found, searchRow{id: row.PasteID, createdAt: row.CreatedAt})
			candidates = row.Candidates
		}
	}
	switch {
	case int(candidates) > e.maxCandidates:
		return e.walk(ctx, a, include, exclude, part, beforeAt, beforeID, limit)
	case len(found) == 0 && substring && substringTerm(q) != "":
		subs, err := e.q.SearchSubstring(ctx, dbgen.SearchSubstringParams{
			Pattern: "%" + escapeLike(substringTerm(q)) + "%",
			Include: include, Exclude: exclude, Tag: r.Tag,
			ViewerID: r.ViewerID, Now: r.Now, OwnerID: a.ownerID, Syntax: r.Syntax,
			BeforeCreatedAt: beforeAt, BeforeID: beforeID,
			MaxCandidates: int32(e.maxCandidates), MaxRows: int32(limit),
		})
		if err != nil {
			return nil, translate(err)
		}
		for _, row := range subs {
			found = append(found, searchRow{id: row.PasteID, createdAt: row.CreatedAt})
		}
	}
	return found, nil
}

// walk answers from the newest-first walk (SearchRecentWalk).
func (e Search) walk(ctx context.Context, a searchArgs, include, exclude []string, part int, beforeAt time.Time, beforeID string, limit int) ([]searchRow, error) {
	r := a.r
	walk, err := e.q.SearchRecentWalk(ctx, dbgen.SearchRecentWalkParams{
		Include: include, Exclude: exclude, Part: int32(part), Tag: r.Tag, ViewerID: r.ViewerID, Now: r.Now,
		OwnerID: a.ownerID, Syntax: r.Syntax, BeforeCreatedAt: beforeAt, BeforeID: beforeID,
		MaxRows: int32(limit),
	})
	if err != nil {
		return nil, translate(err)
	}
	found := make([]searchRow, 0, len(walk))
	for _, row := range walk {
		found = append(found, searchRow{id: row.PasteID, createdAt: row.CreatedAt})
	}
	return found, nil
}

// correct looks the words of q up in the dictionary of title words. fuzzy
// has every corrected word's near words as alternatives, shown the nearest
// alone; ok is false when no word has a near word.
func (e Search) correct(ctx context.Context, q paste.Query) (fuzzy, shown paste.Query, ok bool, err error) {
	near := map[string][]string{}
	for _, t := range q.Terms {
		word := strings.ToLower(t.Text)
		budget := paste.TypoBudget(word)
		if t.Phrase || budget == 0 || near[word] != nil {
			continue
		}
		cands, err := e.q.SearchWordsByVariant(ctx, paste.Deletions(word, budget))
		if err != nil {
			return paste.Query{}, paste.Query{}, false, translate(err)
		}
		if words := paste.NearWords(word, cands); len(words) > 0 {
			near[word] = words
		}
	}
	fuzzy, shown, ok = paste.Corrected(q, near)
	return fuzzy, shown, ok, nil
}

// markQuery is q with every alternative of a corrected word as a term of
// its own, for marking snippets.
func markQuery(q paste.Query) paste.Query {
	var out paste.Query
	for _, t := range q.Terms {
		for _, alt := range strings.Split(t.Text, paste.AltSeparator) {
			out.Terms = append(out.Terms, paste.Term{Text: alt, Phrase: t.Phrase})
		}
	}
	return out
}

// facets counts the matches of q per language, ignoring the language
// filter: among the newest pastes for a common term, else among up to
// facetMaxCandidates matches; approx is set when that is not all of them.
func (e Search) facets(ctx context.Context, a searchArgs, q paste.Query) ([]paste.Facet, bool, error) {
	r := a.r
	include, exclude := q.Included(), q.ExcludedTexts()
	var out []paste.Facet
	total := 0
	if a.ownerID == 0 {
		rows, err := e.q.SearchFacetsRecent(ctx, dbgen.SearchFacetsRecentParams{
			Include: include, Exclude: exclude, Tag: r.Tag, ViewerID: r.ViewerID, Now: r.Now, WindowRows: facetWindow,
		})
		if err != nil {
			return nil, false, translate(err)
		}
		for _, row := range rows {
			out = append(out, paste.Facet{Value: row.Syntax, Count: int(row.Hits)})
			total += int(row.Hits)
		}
	}
	approx := true
	if total < facetDenseHits {
		rows, err := e.q.SearchFacetsCandidates(ctx, dbgen.SearchFacetsCandidatesParams{
			Include: include, Exclude: exclude, Tag: r.Tag, ViewerID: r.ViewerID, Now: r.Now,
			OwnerID: a.ownerID, MaxCandidates: facetMaxCandidates,
		})
		if err != nil {
			return nil, false, translate(err)
		}
		out, total = out[:0], 0
		for _, row := range rows {
			out = append(out, paste.Facet{Value: row.Syntax, Count: int(row.Hits)})
			total += int(row.Hits)
		}
		approx = total >= facetMaxCandidates
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return out, approx, nil
}

// hits attaches a snippet to every row, cut from the indexed text.
func (e Search) hits(ctx context.Context, q paste.Query, rows []searchRow) ([]paste.SearchHit, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.id
	}
	texts, err := e.q.SearchTexts(ctx, ids)
	if err != nil {
		return nil, translate(err)
	}
	byID := make(map[string]dbgen.SearchTextsRow, len(texts))
	for _, t := range texts {
		byID[t.PasteID] = t
	}
	out := make([]paste.SearchHit, 0, len(rows))
	for _, r := range rows {
		t := byID[r.id]
		text := t.Body
		if text == "" {
			text = t.Title
		}
		out = append(out, paste.SearchHit{
			ID: paste.ID(r.id), CreatedAt: r.createdAt.UTC(), Tier: r.tier,
			Snippet: paste.MakeSnippet(text, q, SnippetWidth),
		})
	}
	return out, nil
}

// substringTerm is the one term of a query that may be looked up as a
// substring when no whole token matched: a single word of at least three
// characters (trigrams need three), nothing excluded.
func substringTerm(q paste.Query) string {
	if len(q.Terms) != 1 || len(q.Excluded) != 0 || q.Terms[0].Phrase || len([]rune(q.Terms[0].Text)) < 3 {
		return ""
	}
	return q.Terms[0].Text
}

// escapeLike makes s match itself in a LIKE pattern (backslash is the
// default escape character).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// SearchJob is one claimed search_queue row.
type SearchJob struct {
	ID       int64
	PasteID  paste.ID
	Attempts int32
}

// ProcessSearchJobs claims up to max due jobs (SKIP LOCKED, so replicas
// share the queue), locks each paste for the transaction, loads the latest
// state of those pastes and calls deliver with the documents to upsert and
// the IDs to delete. On success the jobs are removed; on failure they are
// rescheduled at now+backoff(attempts). Pastes another worker holds are left
// for the next round. It returns how many jobs it handled.
func (s *Store) ProcessSearchJobs(ctx context.Context, now time.Time, max int,
	backoff func(attempts int32) time.Duration,
	deliver func(ctx context.Context, upserts []paste.SearchDoc, deletes []paste.ID) error,
) (int, error) {
	handled := 0
	var deliverErr error
	err := s.inTx(ctx, func(q *dbgen.Queries) error {
		jobs, err := q.ClaimSearchJobs(ctx, dbgen.ClaimSearchJobsParams{Now: now, MaxRows: int32(max)})
		if err != nil {
			return translate(err)
		}
		var ids []string
		var jobIDs []int64
		locked := map[string]bool{}
		for _, j := range jobs {
			ok, seen := locked[j.PasteID]
			if !seen {
				if ok, err = q.TryLockSearchPaste(ctx, j.PasteID); err != nil {
					return translate(err)
				}
				locked[j.PasteID] = ok
				if ok {
					ids = append(ids, j.PasteID)
				}
			}
			if ok {
				jobIDs = append(jobIDs, j.ID)
			}
		}
		if len(jobIDs) == 0 {
			return nil
		}
		rows, err := q.SearchDocsByID(ctx, ids)
		if err != nil {
			return translate(err)
		}
		present := map[string]paste.SearchDoc{}
		for _, r := range rows {
			present[r.PasteID] = toSearchDoc(dbgen.ListSearchDocsRow(r))
		}
		var upserts []paste.SearchDoc
		var deletes []paste.ID
		for _, id := range ids {
			if d, ok := present[id]; ok && d.Indexable() {
				upserts = append(upserts, d)
			} else {
				deletes = append(deletes, paste.ID(id))
			}
		}
		handled = len(jobIDs)
		if deliverErr = deliver(ctx, upserts, deletes); deliverErr != nil {
			for _, j := range jobs {
				if locked[j.PasteID] {
					if err := q.RetrySearchJob(ctx, dbgen.RetrySearchJobParams{ID: j.ID, NextAttemptAt: now.Add(backoff(j.Attempts))}); err != nil {
						return translate(err)
					}
				}
			}
			return nil
		}
		return translate(q.DeleteSearchJobs(ctx, jobIDs))
	})
	if err != nil {
		return 0, err
	}
	return handled, deliverErr
}

// PurgeSearchJobs drops up to max queued jobs; for deployments without an
// external engine, where nobody reads the queue.
func (s *Store) PurgeSearchJobs(ctx context.Context, max int) (int, error) {
	n, err := s.q.PurgeSearchQueue(ctx, int32(max))
	return int(n), translate(err)
}

// CountSearchJobs returns how many jobs wait in the queue.
func (s *Store) CountSearchJobs(ctx context.Context) (int, error) {
	n, err := s.q.CountSearchJobs(ctx)
	return int(n), translate(err)
}

// SearchDocs returns up to max search documents with IDs after after, in ID
// order: the source of a full reindex.
func (s *Store) SearchDocs(ctx context.Context, after paste.ID, max int) ([]paste.SearchDoc, error) {
	rows, err := s.q.ListSearchDocs(ctx, dbgen.ListSearchDocsParams{After: string(after), MaxRows: int32(max)})
	if err != nil {
		return nil, translate(err)
	}
	out := make([]paste.SearchDoc, len(rows))
	for i, r := range rows {
		out[i] = toSearchDoc(r)
	}
	return out, nil
}

// PasteIDsAfter returns up to max paste IDs after after, in order.
func (s *Store) PasteIDsAfter(ctx context.Context, after paste.ID, max int) ([]paste.ID, error) {
	ids, err := s.q.ListPasteIDsAfter(ctx, dbgen.ListPasteIDsAfterParams{After: string(after), MaxRows: int32(max)})
	if err != nil {
		return nil, translate(err)
	}
	out := make([]paste.ID, len(ids))
	for i, id := range ids {
		out[i] = paste.ID(id)
	}
	return out, nil
}

// SetSearchBody replaces the indexed body of a paste, and its terms
// (reindex).
func (s *Store) SetSearchBody(ctx context.Context, id paste.ID, text string) error {
	return translate(s.q.SetSearchBody(ctx, dbgen.SetSearchBodyParams{PasteID: string(id), Body: text, Terms: indexTerms(text)}))
}

func toSearchDoc(r dbgen.ListSearchDocsRow) paste.SearchDoc {
	d := paste.SearchDoc{
		ID: paste.ID(r.PasteID), OwnerName: r.OwnerName, Visibility: paste.Visibility(r.Visibility),
		Syntax: r.Syntax, Burn: r.Burn, CreatedAt: r.CreatedAt.UTC(), Title: r.Title, Body: r.Body,
		Tags: r.Tags,
	}
	if r.OwnerID != nil {
		d.OwnerID = *r.OwnerID
	}
	if r.ExpiresAt != nil {
		d.ExpiresAt = r.ExpiresAt.UTC()
	}
	return d
}

// searchDocParams maps a new paste onto its search document; terms is
// indexTerms(text), or "" while SetSearchTerms is still to write it.
func searchDocParams(p paste.Paste, text, terms string) dbgen.UpsertSearchDocParams {
	return dbgen.UpsertSearchDocParams{
		PasteID: string(p.ID), OwnerID: optInt64(p.OwnerID), Visibility: string(p.Visibility),
		Syntax: p.Syntax, Burn: p.BurnAfterReading, CreatedAt: p.CreatedAt, ExpiresAt: optTime(p.ExpiresAt),
		Title: p.Title, Body: text, Terms: terms,
	}
}

// PastesByID implements paste.BatchReader: the pastes of ids that exist,
// read as PasteByID reads one, in one round trip.
func (s Pastes) PastesByID(ctx context.Context, ids []paste.ID) (map[paste.ID]paste.Paste, error) {
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = string(id)
	}
	rows, err := s.q.PastesByID(ctx, keys)
	if err != nil {
		return nil, translate(err)
	}
	out := make(map[paste.ID]paste.Paste, len(rows))
	for _, r := range rows {
		p := toPaste(r.Paste, r.OwnerName)
		p.OwnerDisabled = r.OwnerDisabled
		out[p.ID] = p
	}
	return out, nil
}

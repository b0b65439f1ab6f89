package store

import (
	"context"
	"errors"
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

type searchRow struct {
	id        string
	createdAt time.Time
}

// Search implements paste.SearchEngine.
func (e Search) Search(ctx context.Context, r paste.SearchRequest) ([]paste.SearchHit, error) {
	if r.Query.Empty() || r.Limit <= 0 {
		return nil, nil
	}
	var ownerID int64
	if r.Owner != "" {
		id, err := e.q.UserIDByUsername(ctx, r.Owner)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, translate(err)
		}
		ownerID = id
	}
	beforeAt, beforeID := farFuture, ""
	if r.After != nil {
		beforeAt, beforeID = r.After.CreatedAt, string(r.After.ID)
	}
	include, exclude := r.Query.Included(), r.Query.ExcludedTexts()
	if ownerID == 0 && r.Syntax == "" {
		// Unfiltered searches look at the newest pastes first: a common
		// term is answered from them, which the GIN index cannot do
		// cheaply (it reads the term's whole posting list).
		probe, err := e.q.SearchRecentProbe(ctx, dbgen.SearchRecentProbeParams{
			Include: include, Exclude: exclude, ViewerID: r.ViewerID, Now: r.Now,
			BeforeCreatedAt: beforeAt, BeforeID: beforeID,
			WindowRows: probeRows, MaxRows: int32(r.Limit),
		})
		if err != nil {
			return nil, translate(err)
		}
		switch {
		case len(probe) == r.Limit:
			found := make([]searchRow, 0, len(probe))
			for _, row := range probe {
				found = append(found, searchRow{row.PasteID, row.CreatedAt})
			}
			return e.hits(ctx, r.Query, found)
		case len(probe) >= probeWalkHits:
			return e.walk(ctx, r, include, exclude, 0, beforeAt, beforeID)
		}
	}
	rows, err := e.q.SearchCandidates(ctx, dbgen.SearchCandidatesParams{
		Include: include, Exclude: exclude, ViewerID: r.ViewerID, Now: r.Now,
		OwnerID: ownerID, Syntax: r.Syntax, BeforeCreatedAt: beforeAt, BeforeID: beforeID,
		MaxCandidates: int32(e.maxCandidates + 1), MaxRows: int32(r.Limit),
	})
	if err != nil {
		return nil, translate(err)
	}
	found := make([]searchRow, 0, len(rows))
	for _, row := range rows {
		found = append(found, searchRow{row.PasteID, row.CreatedAt})
	}
	switch {
	case len(rows) > 0 && int(rows[0].Candidates) > e.maxCandidates:
		return e.walk(ctx, r, include, exclude, ownerID, beforeAt, beforeID)
	case len(rows) == 0 && substringTerm(r.Query) != "":
		subs, err := e.q.SearchSubstring(ctx, dbgen.SearchSubstringParams{
			Pattern:  "%" + escapeLike(substringTerm(r.Query)) + "%",
			ViewerID: r.ViewerID, Now: r.Now, OwnerID: ownerID, Syntax: r.Syntax,
			BeforeCreatedAt: beforeAt, BeforeID: beforeID,
			MaxCandidates: int32(e.maxCandidates), MaxRows: int32(r.Limit),
		})
		if err != nil {
			return nil, translate(err)
		}
		for _, row := range subs {
			found = append(found, searchRow{row.PasteID, row.CreatedAt})
		}
	}
	return e.hits(ctx, r.Query, found)
}

// walk answers from the newest-first walk (SearchRecentWalk).
func (e Search) walk(ctx context.Context, r paste.SearchRequest, include, exclude []string, ownerID int64, beforeAt time.Time, beforeID string) ([]paste.SearchHit, error) {
	walk, err := e.q.SearchRecentWalk(ctx, dbgen.SearchRecentWalkParams{
		Include: include, Exclude: exclude, ViewerID: r.ViewerID, Now: r.Now,
		OwnerID: ownerID, Syntax: r.Syntax, BeforeCreatedAt: beforeAt, BeforeID: beforeID,
		MaxRows: int32(r.Limit),
	})
	if err != nil {
		return nil, translate(err)
	}
	found := make([]searchRow, 0, len(walk))
	for _, row := range walk {
		found = append(found, searchRow{row.PasteID, row.CreatedAt})
	}
	return e.hits(ctx, r.Query, found)
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
			ID: paste.ID(r.id), CreatedAt: r.createdAt.UTC(),
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

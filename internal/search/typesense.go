package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/typesense/typesense-go/v2/typesense"
	"github.com/typesense/typesense-go/v2/typesense/api"

	"pastel/internal/paste"
)

// TypesenseOptions configures the Typesense engine.
type TypesenseOptions struct {
	URL        string
	APIKey     string
	Collection string        // "" means "pastes"
	Timeout    time.Duration // per request; 0 means 3 s
	// HTTPClient replaces the client's transport (tests); nil for the
	// library's own client with its circuit breaker.
	HTTPClient *http.Client
}

// Typesense is the Typesense paste.SearchEngine and index.
type Typesense struct {
	client     *typesense.Client
	collection string
}

var _ paste.SearchEngine = (*Typesense)(nil)

// NewTypesense returns the engine; it does not contact the server.
func NewTypesense(o TypesenseOptions) *Typesense {
	if o.Collection == "" {
		o.Collection = "pastes"
	}
	if o.Timeout == 0 {
		o.Timeout = 3 * time.Second
	}
	opts := []typesense.ClientOption{
		typesense.WithServer(strings.TrimRight(o.URL, "/")),
		typesense.WithAPIKey(o.APIKey),
		typesense.WithConnectionTimeout(o.Timeout),
		typesense.WithNumRetries(0), // the queue retries writes; searches fall back
	}
	if o.HTTPClient != nil {
		c, _ := api.NewClientWithResponses(strings.TrimRight(o.URL, "/"), api.WithAPIKey(o.APIKey), api.WithHTTPClient(o.HTTPClient))
		opts = append(opts, typesense.WithAPIClient(c))
	}
	return &Typesense{client: typesense.NewClient(opts...), collection: o.Collection}
}

// tokenSeparators split code as well as prose: brackets, operators and
// quotes separate words, while "_" is kept inside identifiers (user_id).
var tokenSeparators = []string{
	"(", ")", "[", "]", "{", "}", "<", ">", ",", ";", ":", "=", "+", "*", "/", "\\",
	"|", "&", "!", "?", "'", "\"", "`", "#", "@", "$", "%", "^", "~", ".", "-",
}

func ptr[T any](v T) *T { return &v }

// schema is the collection as this version of Pastel expects it. created_at
// and expires_at are Unix microseconds; expires_at is MaxInt64 for "never".
func (t *Typesense) schema() *api.CollectionSchema {
	return &api.CollectionSchema{
		Name: t.collection,
		Fields: []api.Field{
			{Name: "title", Type: "string"},
			{Name: "body", Type: "string"},
			{Name: "owner", Type: "string", Facet: ptr(true)},
			{Name: "owner_id", Type: "int64"},
			{Name: "visibility", Type: "string", Facet: ptr(true)},
			{Name: "syntax", Type: "string", Facet: ptr(true)},
			{Name: "tags", Type: "string[]", Facet: ptr(true), Optional: ptr(true)},
			{Name: "created_at", Type: "int64", Sort: ptr(true)},
			{Name: "expires_at", Type: "int64"},
		},
		DefaultSortingField: ptr("created_at"),
		SymbolsToIndex:      &[]string{"_"},
		TokenSeparators:     &tokenSeparators,
	}
}

// EnsureCollection creates the collection, or adds the fields an older
// version of it lacks.
func (t *Typesense) EnsureCollection(ctx context.Context) error {
	have, err := t.client.Collection(t.collection).Retrieve(ctx)
	var herr *typesense.HTTPError
	if errors.As(err, &herr) && herr.Status == http.StatusNotFound {
		if _, err := t.client.Collections().Create(ctx, t.schema()); err != nil {
			return fmt.Errorf("typesense: create collection: %w", unavailable(err))
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("typesense: read collection: %w", unavailable(err))
	}
	existing := map[string]bool{}
	for _, f := range have.Fields {
		existing[f.Name] = true
	}
	var missing []api.Field
	for _, f := range t.schema().Fields {
		if !existing[f.Name] {
			f.Optional = ptr(true) // old documents lack it until reindexed
			missing = append(missing, f)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if _, err := t.client.Collection(t.collection).Update(ctx, &api.CollectionUpdateSchema{Fields: missing}); err != nil {
		return fmt.Errorf("typesense: migrate collection: %w", unavailable(err))
	}
	return nil
}

// Recreate drops the collection and creates it empty (reindex).
func (t *Typesense) Recreate(ctx context.Context) error {
	_, err := t.client.Collection(t.collection).Delete(ctx)
	var herr *typesense.HTTPError
	if err != nil && !(errors.As(err, &herr) && herr.Status == http.StatusNotFound) {
		return fmt.Errorf("typesense: drop collection: %w", unavailable(err))
	}
	return t.EnsureCollection(ctx)
}

func micros(t time.Time) int64 { return t.UnixMicro() }

type tsDoc struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Body       string   `json:"body"`
	Owner      string   `json:"owner"`
	OwnerID    int64    `json:"owner_id"`
	Visibility string   `json:"visibility"`
	Syntax     string   `json:"syntax"`
	Tags       []string `json:"tags"`
	CreatedAt  int64    `json:"created_at"`
	ExpiresAt  int64    `json:"expires_at"`
}

// Upsert indexes docs; re-sending a document is harmless.
func (t *Typesense) Upsert(ctx context.Context, docs []paste.SearchDoc) error {
	if len(docs) == 0 {
		return nil
	}
	batch := make([]any, len(docs))
	for i, d := range docs {
		exp := int64(math.MaxInt64)
		if !d.ExpiresAt.IsZero() {
			exp = micros(d.ExpiresAt)
		}
		batch[i] = tsDoc{
			ID: string(d.ID), Title: d.Title, Body: d.Body, Owner: strings.ToLower(d.OwnerName), OwnerID: d.OwnerID,
			Visibility: string(d.Visibility), Syntax: d.Syntax, Tags: tagsOrEmpty(d.Tags), CreatedAt: micros(d.CreatedAt), ExpiresAt: exp,
		}
	}
	res, err := t.client.Collection(t.collection).Documents().Import(ctx, batch,
		&api.ImportDocumentsParams{Action: ptr("upsert"), BatchSize: ptr(100)})
	if err != nil {
		return fmt.Errorf("typesense: import: %w", unavailable(err))
	}
	for _, r := range res {
		if r != nil && !r.Success {
			return fmt.Errorf("typesense: import: %s: %w", r.Error, paste.ErrUnavailable)
		}
	}
	return nil
}

// Delete removes documents; deleting what is not there is no error.
func (t *Typesense) Delete(ctx context.Context, ids []paste.ID) error {
	if len(ids) == 0 {
		return nil
	}
	quoted := make([]string, 0, len(ids))
	for _, id := range ids {
		if !paste.ValidID(string(id)) {
			continue // never a filter value that is not an ID
		}
		quoted = append(quoted, string(id))
	}
	if len(quoted) == 0 {
		return nil
	}
	_, err := t.client.Collection(t.collection).Documents().Delete(ctx,
		&api.DeleteDocumentsParams{FilterBy: ptr("id:[" + strings.Join(quoted, ",") + "]")})
	var herr *typesense.HTTPError
	if err != nil && !(errors.As(err, &herr) && herr.Status == http.StatusNotFound) {
		return fmt.Errorf("typesense: delete: %w", unavailable(err))
	}
	return nil
}

// filterValue quotes a validated value for filter_by. Backticks delimit a
// value in Typesense and cannot be escaped, so a value holding one is
// refused (OwnerPattern and SyntaxPattern never let one through).
func filterValue(v string) (string, error) {
	if strings.ContainsAny(v, "`") || v == "" {
		return "", fmt.Errorf("typesense: unsafe filter value")
	}
	return "`" + v + "`", nil
}

// FilterBy builds the filter_by clause for r: visibility, expiry, owner,
// syntax and the cursor. Only validated values and numbers reach it.
func FilterBy(r paste.SearchRequest) (string, error) {
	parts := []string{"expires_at:>" + strconv.FormatInt(micros(r.Now), 10)}
	if r.ViewerID != 0 {
		parts = append(parts, "(visibility:=public || owner_id:="+strconv.FormatInt(r.ViewerID, 10)+")")
	} else {
		parts = append(parts, "visibility:=public")
	}
	if r.Owner != "" {
		if !paste.OwnerPattern.MatchString(r.Owner) {
			return "", fmt.Errorf("typesense: bad owner filter")
		}
		v, err := filterValue(strings.ToLower(r.Owner))
		if err != nil {
			return "", err
		}
		parts = append(parts, "owner:="+v)
	}
	if r.Syntax != "" {
		if !paste.SyntaxPattern.MatchString(r.Syntax) {
			return "", fmt.Errorf("typesense: bad syntax filter")
		}
		v, err := filterValue(r.Syntax)
		if err != nil {
			return "", err
		}
		parts = append(parts, "syntax:="+v)
	}
	if r.Tag != "" {
		if !paste.TagPattern.MatchString(r.Tag) {
			return "", fmt.Errorf("typesense: bad tag filter")
		}
		v, err := filterValue(r.Tag)
		if err != nil {
			return "", err
		}
		parts = append(parts, "tags:="+v)
	}
	if r.After != nil {
		parts = append(parts, "created_at:<="+strconv.FormatInt(micros(r.After.CreatedAt), 10))
	}
	return strings.Join(parts, " && "), nil
}

// typesenseQuery renders the parsed query in Typesense's q syntax: words,
// "phrases" and -exclusions. The parser guarantees no term holds a quote.
func typesenseQuery(q paste.Query) string {
	var parts []string
	for _, t := range q.Terms {
		parts = append(parts, tsTerm(t, false))
	}
	for _, t := range q.Excluded {
		parts = append(parts, tsTerm(t, true))
	}
	return strings.Join(parts, " ")
}

func tsTerm(t paste.Term, neg bool) string {
	text := strings.ReplaceAll(t.Text, `"`, " ")
	if !neg {
		text = strings.TrimLeft(text, "-")
	}
	s := text
	if t.Phrase {
		s = `"` + text + `"`
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Search implements paste.SearchEngine with the tiers of the PostgreSQL
// engine: the words as typed (num_typos 0) first, and only when they match
// nothing Typesense's typo tolerance (num_typos 2, from 4 and 7 letters as
// paste.TypoBudget). For relevance each of the two runs has a title tier
// (query_by title alone) and a body tier (query_by title,body minus the
// hits whose title holds every word); every tier is newest first.
func (t *Typesense) Search(ctx context.Context, r paste.SearchRequest) (paste.SearchHits, error) {
	if r.Query.Empty() || r.Limit <= 0 {
		return paste.SearchHits{}, nil
	}
	// Each tier adds the cursor itself: it holds only in the cursor's tier.
	uncursored := r
	uncursored.After = nil
	filter, err := FilterBy(uncursored)
	if err != nil {
		return paste.SearchHits{}, err
	}
	startTier := paste.TierTitle
	if r.After != nil {
		startTier = r.After.Tier
	}
	var out paste.SearchHits
	var matched []string
	if startTier < paste.TierTypoTitle {
		out.Hits, _, err = t.tiers(ctx, r, filter, false)
		if err != nil {
			return paste.SearchHits{}, err
		}
	}
	typos := false
	if (r.After == nil && len(out.Hits) == 0) || startTier >= paste.TierTypoTitle {
		out.Hits, matched, err = t.tiers(ctx, r, filter, true)
		if err != nil {
			return paste.SearchHits{}, err
		}
		typos = len(out.Hits) > 0
		if typos {
			out.Corrected = correctedFrom(r.Query, matched)
		}
	}
	if r.Facets && len(out.Hits) > 0 {
		if out.Facets, err = t.facets(ctx, r, typos); err != nil {
			return paste.SearchHits{}, err
		}
	}
	return out, nil
}

// tiers fills up to r.Limit hits from the tiers of one run (typos or not),
// from the cursor's tier on. matched are the document words the hits
// matched (for a typo run: what the words were corrected to).
func (t *Typesense) tiers(ctx context.Context, r paste.SearchRequest, filter string, typos bool) ([]paste.SearchHit, []string, error) {
	base := paste.TierTitle
	if typos {
		base = paste.TierTypoTitle
	}
	parts := []string{"title,body"}
	if r.Relevance() {
		parts = []string{"title", "body"}
	}
	var out []paste.SearchHit
	var matched []string
	for i, part := range parts {
		tier := base + i
		if r.After != nil && tier < r.After.Tier {
			continue
		}
		var after *paste.SearchCursor
		if r.After != nil && r.After.Tier == tier {
			after = r.After
		}
		hits, words, err := t.run(ctx, r, filter, part, typos, tier, after, r.Limit-len(out))
		if err != nil {
			return nil, nil, err
		}
		out = append(out, hits...)
		matched = append(matched, words...)
		if len(out) >= r.Limit {
			break
		}
	}
	return out, matched, nil
}

// run is one tier: part "title" asks query_by title; "body" asks title and
// body and drops hits whose title alone matches; "title,body" is every
// match.
func (t *Typesense) run(ctx context.Context, r paste.SearchRequest, filter, part string, typos bool, tier int, after *paste.SearchCursor, limit int) ([]paste.SearchHit, []string, error) {
	if after != nil {
		filter += " && created_at:<=" + strconv.FormatInt(micros(after.CreatedAt), 10)
	}
	queryBy := part
	if part == "body" {
		queryBy = "title,body"
	}
	numTypos := "0"
	if typos {
		numTypos = "2"
	}
	var out []paste.SearchHit
	var matched []string
	perPage := min(limit+10, 250)
	// Hits at exactly the cursor's instant are filtered here (Typesense
	// cannot compare IDs), so a page may need a second fetch.
	for page := 1; page <= 5 && len(out) < limit; page++ {
		res, err := t.client.Collection(t.collection).Documents().Search(ctx, &api.SearchCollectionParams{
			Q:                       ptr(typesenseQuery(r.Query)),
			QueryBy:                 ptr(queryBy),
			FilterBy:                ptr(filter),
			SortBy:                  ptr("created_at:desc"),
			Prefix:                  ptr("false"),
			NumTypos:                ptr(numTypos),
			MinLen1typo:             ptr(paste.MinLenOneTypo),
			MinLen2typo:             ptr(paste.MinLenTwoTypos),
			TypoTokensThreshold:     ptr(1),
			DropTokensThreshold:     ptr(0),
			HighlightFields:         ptr("body,title"),
			HighlightStartTag:       ptr(string(paste.SnippetMarkStart)),
			HighlightEndTag:         ptr(string(paste.SnippetMarkEnd)),
			HighlightAffixNumTokens: ptr(12),
			ExcludeFields:           ptr("body"),
			Page:                    ptr(page),
			PerPage:                 ptr(perPage),
		})
		if err != nil {
			return nil, nil, fmt.Errorf("typesense: search: %w", unavailable(err))
		}
		if res.Hits == nil {
			break
		}
		for _, h := range *res.Hits {
			hit, ok := toHit(h)
			if !ok {
				continue
			}
			hit.Tier = tier
			if after != nil && hit.CreatedAt.Equal(after.CreatedAt) && hit.ID >= after.ID {
				continue
			}
			if part == "body" && titleHolds(h, r.Query, typos) {
				continue // a title tier hit
			}
			out = append(out, hit)
			matched = append(matched, matchedTokens(h)...)
		}
		if len(*res.Hits) < perPage {
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Before(out[j]) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, matched, nil
}

// facets counts the matches per language without the language filter
// (so that the others can be picked): one search that returns no hits.
func (t *Typesense) facets(ctx context.Context, r paste.SearchRequest, typos bool) ([]paste.Facet, error) {
	r.Syntax, r.After = "", nil
	filter, err := FilterBy(r)
	if err != nil {
		return nil, err
	}
	numTypos := "0"
	if typos {
		numTypos = "2"
	}
	res, err := t.client.Collection(t.collection).Documents().Search(ctx, &api.SearchCollectionParams{
		Q:                   ptr(typesenseQuery(r.Query)),
		QueryBy:             ptr("title,body"),
		FilterBy:            ptr(filter),
		Prefix:              ptr("false"),
		NumTypos:            ptr(numTypos),
		MinLen1typo:         ptr(paste.MinLenOneTypo),
		MinLen2typo:         ptr(paste.MinLenTwoTypos),
		TypoTokensThreshold: ptr(1),
		DropTokensThreshold: ptr(0),
		FacetBy:             ptr("syntax"),
		MaxFacetValues:      ptr(50),
		PerPage:             ptr(0),
	})
	if err != nil {
		return nil, fmt.Errorf("typesense: facets: %w", unavailable(err))
	}
	var out []paste.Facet
	if res.FacetCounts != nil {
		for _, fc := range *res.FacetCounts {
			if fc.FieldName == nil || *fc.FieldName != "syntax" || fc.Counts == nil {
				continue
			}
			for _, c := range *fc.Counts {
				if c.Value != nil && c.Count != nil && *c.Count > 0 {
					out = append(out, paste.Facet{Value: *c.Value, Count: *c.Count})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return out, nil
}

// titleHolds reports whether the hit's title alone holds every word of q
// (within the typo budget on a typo run): Typesense's title tier would
// have it.
func titleHolds(h api.SearchResultHit, q paste.Query, typos bool) bool {
	if h.Document == nil {
		return false
	}
	title, _ := (*h.Document)["title"].(string)
	toks := tokenize(title)
	for _, term := range q.Terms {
		words := tokenize(term.Text)
		if term.Phrase {
			if !containsRun(toks, words) {
				return false
			}
			continue
		}
		for _, w := range words {
			if !holdsWord(toks, w, typos) {
				return false
			}
		}
	}
	return true
}

func holdsWord(toks []string, w string, typos bool) bool {
	for _, t := range toks {
		if t == w || (typos && paste.EditDistance(t, w) <= paste.TypoBudget(w)) {
			return true
		}
	}
	return false
}

func containsRun(toks, run []string) bool {
	for i := 0; len(run) > 0 && i+len(run) <= len(toks); i++ {
		if slices.Equal(toks[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

// tokenize splits text as the collection does (tokenSeparators, spaces),
// lower-cased.
func tokenize(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return unicode.IsSpace(r) || (r != '_' && slices.Contains(tokenSeparators, string(r)))
	})
}

// matchedTokens are the document words a hit matched, lower-cased.
func matchedTokens(h api.SearchResultHit) []string {
	var out []string
	if h.Highlights == nil {
		return nil
	}
	for _, hl := range *h.Highlights {
		if hl.MatchedTokens == nil {
			continue
		}
		for _, m := range *hl.MatchedTokens {
			if s, ok := m.(string); ok {
				out = append(out, tokenize(s)...)
			}
		}
	}
	return out
}

// correctedFrom names what a typo run corrected q to: each word that is
// not among the matched words becomes the nearest matched word within its
// budget (the most often matched among equals).
func correctedFrom(q paste.Query, matched []string) paste.Query {
	seen := map[string]int{}
	for _, m := range matched {
		seen[m]++
	}
	var out paste.Query
	out.Excluded = q.Excluded
	for _, term := range q.Terms {
		w := strings.ToLower(term.Text)
		if term.Phrase || seen[w] > 0 || paste.TypoBudget(w) == 0 {
			out.Terms = append(out.Terms, term)
			continue
		}
		best, bestD, bestN := "", 99, 0
		for m, n := range seen {
			d := paste.EditDistance(w, m)
			if d > paste.TypoBudget(w) {
				continue
			}
			if d < bestD || (d == bestD && (n > bestN || (n == bestN && m < best))) {
				best, bestD, bestN = m, d, n
			}
		}
		if best == "" {
			out.Terms = append(out.Terms, term)
			continue
		}
		out.Terms = append(out.Terms, paste.Term{Text: best})
	}
	return out
}

func toHit(h api.SearchResultHit) (paste.SearchHit, bool) {
	if h.Document == nil {
		return paste.SearchHit{}, false
	}
	doc := *h.Document
	id, _ := doc["id"].(string)
	if !paste.ValidID(id) {
		return paste.SearchHit{}, false
	}
	var created int64
	switch v := doc["created_at"].(type) {
	case float64:
		created = int64(v)
	case int64:
		created = v
	}
	hit := paste.SearchHit{ID: paste.ID(id), CreatedAt: time.UnixMicro(created).UTC()}
	// Prefer the body snippet; the title is shown anyway.
	if h.Highlights != nil {
		for _, f := range []string{"body", "title"} {
			for _, hl := range *h.Highlights {
				if hl.Field != nil && *hl.Field == f && hl.Snippet != nil {
					hit.Snippet = paste.SnippetFromMarked(*hl.Snippet)
					return hit, true
				}
			}
		}
	}
	if title, ok := doc["title"].(string); ok {
		hit.Snippet = paste.Snippet{{Text: title}}
	}
	return hit, true
}

// Healthy reports whether the server answers its health check.
func (t *Typesense) Healthy(ctx context.Context) bool {
	ok, err := t.client.Health(ctx, 2*time.Second)
	return err == nil && ok
}

// unavailable marks transport failures and server errors as
// paste.ErrUnavailable, so callers know to fall back or retry.
func unavailable(err error) error {
	var herr *typesense.HTTPError
	if errors.As(err, &herr) && herr.Status < 500 {
		return fmt.Errorf("status %d: %s", herr.Status, strings.TrimSpace(string(herr.Body)))
	}
	return fmt.Errorf("%w: %w", paste.ErrUnavailable, err)
}

// tagsOrEmpty sends a paste without tags as [] (Typesense refuses null
// for a string[] field).
func tagsOrEmpty(tags []string) []string {
	if tags == nil {
		return []string{}
	}
	return tags
}

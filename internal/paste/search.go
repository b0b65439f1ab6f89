package paste

import (
	"context"
	"errors"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// SearchEngine finds pastes by words, language and author. Engines apply the
// visibility and expiry rules of SearchRequest themselves; the Service still
// re-checks every hit before anyone sees it.
type SearchEngine interface {
	// Search returns up to r.Limit hits in SearchRequest order (tier, then
	// created_at and ID descending), strictly after r.After when it is set.
	// When the words as typed match nothing, an engine may answer the hits of
	// a corrected query (typos forgiven) and name it in Corrected.
	Search(ctx context.Context, r SearchRequest) (SearchHits, error)
}

// SearchSort is the order of search results.
type SearchSort string

// The orders a search may ask for. Relevance puts pastes whose title holds
// every word above those where the body does; Recent is newest first. In
// both, matches of the words as typed come before typo matches, which are
// only looked for when the words as typed match nothing, and recent breaks
// every tie.
const (
	SortRelevance SearchSort = "relevance"
	SortRecent    SearchSort = "recent"
)

// Search tiers: a hit's rank class, the first key of the result order.
// Relevance uses all four; Recent only TierTitle (every exact match) and
// TierTypoTitle (every typo match).
const (
	TierTitle     = 0 // every word in the title (Recent: anywhere)
	TierBody      = 1 // every word in title and body together, not the title alone
	TierTypoTitle = 2 // as TierTitle, for the corrected query
	TierTypoBody  = 3 // as TierBody, for the corrected query
)

// SearchRequest is one query as the engines receive it. Owner, Syntax and
// Tag are validated (OwnerPattern, SyntaxPattern, TagPattern) before an
// engine sees them.
type SearchRequest struct {
	Query    Query
	ViewerID int64  // 0: anonymous; otherwise the viewer's own pastes of any visibility match too
	Owner    string // username filter, "" for everyone
	Syntax   string // canonical syntax filter, "" for all
	// Tag is a tag filter, "" for all: only pastes carrying it match.
	Tag    string
	Sort   SearchSort // "" is SortRelevance
	Facets bool       // count matches per language (SearchHits.Facets)
	Now    time.Time
	After  *SearchCursor
	Limit  int
}

// Relevance reports whether r orders by relevance (the default).
func (r SearchRequest) Relevance() bool { return r.Sort != SortRecent }

// SearchHit is one match: the paste's ID, its creation time and tier (for
// cursors) and a snippet of the matched text.
type SearchHit struct {
	ID        ID
	CreatedAt time.Time
	Tier      int
	Snippet   Snippet
}

// SearchHits is an engine's answer: the hits, the corrected query when they
// match it rather than the words as typed, and, when asked, how many
// matches each language has.
type SearchHits struct {
	Hits      []SearchHit
	Corrected Query // empty unless the hits are typo matches
	Facets    []Facet
	// FacetsApprox is set when Facets count a sample of the matches (a
	// common word: the newest matches, or the first few thousand).
	FacetsApprox bool
}

// Facet is a value of a filter field and how many matches have it.
type Facet struct {
	Value string
	Count int
}

// SearchCursor is a position in search results: the tier, created_at and
// ID of the last hit already seen.
type SearchCursor struct {
	Tier      int
	CreatedAt time.Time
	ID        ID
}

// Encode returns the opaque text form of c.
func (c SearchCursor) Encode() string {
	return EncodeCursor("", strconv.Itoa(c.Tier), strconv.FormatInt(c.CreatedAt.UnixMicro(), 10), string(c.ID))
}

// DecodeSearchCursor parses a search cursor; the empty string is none. A
// list cursor (no tier) reads as tier 0.
func DecodeSearchCursor(s string) (*SearchCursor, error) {
	parts, err := CursorFields(s, "", 0)
	if parts == nil || err != nil {
		return nil, err
	}
	tier := 0
	if len(parts) == 3 {
		tier, err = strconv.Atoi(parts[0])
		if err != nil || tier < TierTitle || tier > TierTypoBody {
			return nil, BadCursor()
		}
		parts = parts[1:]
	}
	if len(parts) != 2 {
		return nil, BadCursor()
	}
	micros, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || !ValidID(parts[1]) {
		return nil, BadCursor()
	}
	return &SearchCursor{Tier: tier, CreatedAt: time.UnixMicro(micros).UTC(), ID: ID(parts[1])}, nil
}

// Before reports whether hit a comes before b in search order.
func (a SearchHit) Before(b SearchHit) bool {
	if a.Tier != b.Tier {
		return a.Tier < b.Tier
	}
	if !a.CreatedAt.Equal(b.CreatedAt) {
		return a.CreatedAt.After(b.CreatedAt)
	}
	return a.ID > b.ID
}

// AfterHit reports whether h comes after the cursor c in search order.
func (c SearchCursor) AfterHit(h SearchHit) bool {
	return SearchHit{ID: c.ID, CreatedAt: c.CreatedAt, Tier: c.Tier}.Before(h)
}

// Limits of the search input. Longer queries are a validation error rather
// than silently cut, so that the user sees why nothing matches.
const (
	MaxQueryBytes   = 512
	MaxQueryTerms   = 16
	MaxSearchTextKB = 64 // body bytes indexed per paste, in KiB
)

// OwnerPattern and SyntaxPattern are the only shapes an owner or syntax
// filter may have; anything else never reaches an engine, so no filter
// value can carry an operator or a Typesense backtick.
var (
	OwnerPattern  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)
	SyntaxPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 +#._-]{0,63}$`)
	// TagPattern is the shape of a tag filter: lower case letters, digits
	// and - _ . + #, up to 32 characters.
	TagPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._+#-]{0,31}$`)
)

// Term is one included part of a query: a word (which may be an identifier
// such as fmt.Println) or an exact phrase.
type Term struct {
	Text   string
	Phrase bool
}

// Query is a parsed search query: terms that must all match and words or
// phrases that must not.
type Query struct {
	Terms    []Term
	Excluded []Term
}

// Empty reports whether q has nothing that could match.
func (q Query) Empty() bool { return len(q.Terms) == 0 }

// Included returns the texts of the included terms.
func (q Query) Included() []string {
	out := make([]string, len(q.Terms))
	for i, t := range q.Terms {
		out[i] = t.Text
	}
	return out
}

// ExcludedTexts returns the texts of the excluded terms.
func (q Query) ExcludedTexts() []string {
	out := make([]string, len(q.Excluded))
	for i, t := range q.Excluded {
		out[i] = t.Text
	}
	return out
}

// String renders q in the syntax ParseQuery reads; ParseQuery(q.String())
// gives q back.
func (q Query) String() string {
	var b strings.Builder
	write := func(t Term, neg bool) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if neg {
			b.WriteByte('-')
		}
		if t.Phrase {
			b.WriteByte('"')
			b.WriteString(t.Text)
			b.WriteByte('"')
		} else {
			b.WriteString(t.Text)
		}
	}
	for _, t := range q.Terms {
		write(t, false)
	}
	for _, t := range q.Excluded {
		write(t, true)
	}
	return b.String()
}

// ParseQuery reads the search syntax: words, "exact phrases" and -excluded
// words or -"phrases". It never fails on odd input: an unterminated quote
// runs to the end, a lone - is ignored, control characters are spaces, and
// terms past MaxQueryTerms are dropped. Words and phrases are kept as
// typed (the engines decide how to tokenise); only whitespace inside a
// phrase is collapsed.
func ParseQuery(s string) Query {
	s = strings.ToValidUTF8(s, " ")
	s = strings.Map(func(r rune) rune {
		if r == 0 || unicode.IsControl(r) || unicode.IsSpace(r) || r == '\uFFFD' {
			return ' '
		}
		return r
	}, s)
	var q Query
	add := func(text string, phrase, neg bool) {
		text = strings.Join(strings.Fields(text), " ")
		if !strings.Contains(text, " ") {
			// A word never starts with "-": that would read as an
			// exclusion when the query is written back out.
			text = strings.TrimLeft(text, "-")
		}
		if text == "" || len(q.Terms)+len(q.Excluded) >= MaxQueryTerms {
			return
		}
		t := Term{Text: text, Phrase: phrase && strings.Contains(text, " ")}
		if neg {
			q.Excluded = append(q.Excluded, t)
		} else {
			q.Terms = append(q.Terms, t)
		}
	}
	for i := 0; i < len(s); {
		if s[i] == ' ' {
			i++
			continue
		}
		neg := false
		if s[i] == '-' {
			neg = true
			i++
			if i >= len(s) || s[i] == ' ' {
				continue
			}
		}
		if s[i] == '"' {
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				add(s[i+1:], true, neg)
				break
			}
			add(s[i+1:i+1+end], true, neg)
			i += end + 2
			continue
		}
		end := strings.IndexAny(s[i:], " \"")
		if end < 0 {
			end = len(s) - i
		}
		add(s[i:i+end], false, neg)
		i += end
	}
	return q
}

// SearchText is the part of a paste body that is indexed: valid UTF-8
// without NUL, at most MaxSearchTextKB KiB, cut at a rune boundary. A body
// that is mostly not text yields "" and the paste is found by its title only.
func SearchText(content []byte) string {
	limit := MaxSearchTextKB << 10
	if len(content) > limit {
		content = content[:limit]
		for len(content) > 0 && !utf8.RuneStart(content[len(content)-1]) {
			content = content[:len(content)-1]
		}
		if len(content) > 0 {
			if r, size := utf8.DecodeLastRune(content); r == utf8.RuneError && size <= 1 {
				content = content[:len(content)-1]
			}
		}
	}
	if !utf8.Valid(content) {
		bad := 0
		for i := 0; i < len(content); {
			r, size := utf8.DecodeRune(content[i:])
			if r == utf8.RuneError && size == 1 {
				bad++
			}
			i += size
		}
		if bad*10 > len(content) {
			return ""
		}
	}
	s := strings.ToValidUTF8(string(content), "")
	return strings.Map(func(r rune) rune {
		if r == 0 || r == SnippetMarkStart || r == SnippetMarkEnd {
			return -1
		}
		return r
	}, s)
}

// SnippetPart is a run of snippet text; Mark runs matched the query.
type SnippetPart struct {
	Text string
	Mark bool
}

// Snippet is an excerpt of a paste around what matched. It is plain text in
// parts, never HTML: views escape every part and wrap Mark parts in <mark>.
type Snippet []SnippetPart

// HTML returns the snippet as escaped HTML with matches in <mark>, for JSON
// clients.
func (s Snippet) HTML() string {
	var b strings.Builder
	for _, p := range s {
		if p.Mark {
			b.WriteString("<mark>" + html.EscapeString(p.Text) + "</mark>")
		} else {
			b.WriteString(html.EscapeString(p.Text))
		}
	}
	return b.String()
}

// SnippetMarkStart and SnippetMarkEnd delimit matches in engine-produced
// highlights (private-use characters, removed from indexed text by
// SearchText, so a paste cannot forge them).
const (
	SnippetMarkStart = '\uE000'
	SnippetMarkEnd   = '\uE001'
)

// SnippetFromMarked turns text whose matches an engine delimited with
// SnippetMarkStart and SnippetMarkEnd into a Snippet. Unbalanced marks are
// dropped; nothing in the text is interpreted otherwise.
func SnippetFromMarked(text string) Snippet {
	var out Snippet
	mark := false
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, SnippetPart{Text: collapseSpace(cur.String()), Mark: mark})
			cur.Reset()
		}
	}
	for _, r := range text {
		switch r {
		case SnippetMarkStart:
			flush()
			mark = true
		case SnippetMarkEnd:
			flush()
			mark = false
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	// An engine matching prefixes marks the "a" of "apple" for the query
	// "a": a short mark inside a longer word is no match to show.
	for i, p := range out {
		if !p.Mark || utf8.RuneCountInString(p.Text) >= shortWord {
			continue
		}
		var before, after rune
		if i > 0 {
			before, _ = utf8.DecodeLastRuneInString(out[i-1].Text)
		}
		if i+1 < len(out) {
			after, _ = utf8.DecodeRuneInString(out[i+1].Text)
		}
		if isWordRune(before) || isWordRune(after) {
			out[i].Mark = false
		}
	}
	return out
}

// collapseSpace turns every run of spaces, newlines and control
// characters into one space, so a snippet reads as one line.
func collapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// MakeSnippet cuts an excerpt of about width bytes from text around the
// first match of q and marks every match in it, case-insensitively. Words
// of fewer than shortWord letters match only whole words: "a" marks the
// word "a", not every a inside other words.
func MakeSnippet(text string, q Query, width int) Snippet {
	var words []string
	for _, t := range q.Terms {
		words = append(words, strings.Fields(t.Text)...)
	}
	var re *regexp.Regexp
	if len(words) > 0 {
		// Longest first: at one position the longer word wins.
		slices.SortStableFunc(words, func(a, b string) int { return len(b) - len(a) })
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = regexp.QuoteMeta(w)
		}
		re = regexp.MustCompile(`(?i)` + strings.Join(quoted, "|"))
	}
	start := 0
	if re != nil {
		if locs := snippetMatches(re, text, 1); len(locs) > 0 {
			start = max(0, locs[0][0]-width/4)
		}
	}
	end := min(len(text), start+width)
	for start > 0 && !utf8.RuneStart(text[start]) {
		start--
	}
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	window := text[start:end]
	var out Snippet
	if start > 0 {
		out = append(out, SnippetPart{Text: "… "})
	}
	pos := 0
	if re != nil {
		for _, loc := range snippetMatches(re, window, -1) {
			if loc[0] > pos {
				out = append(out, SnippetPart{Text: collapseSpace(window[pos:loc[0]])})
			}
			out = append(out, SnippetPart{Text: window[loc[0]:loc[1]], Mark: true})
			pos = loc[1]
		}
	}
	if pos < len(window) {
		out = append(out, SnippetPart{Text: collapseSpace(window[pos:])})
	}
	if end < len(text) {
		out = append(out, SnippetPart{Text: " …"})
	}
	return out
}

// shortWord is the length in letters below which a query word is marked
// only where it is a whole word.
const shortWord = 3

// snippetMatches returns up to n (all when n < 0) matches of re in s,
// leaving out a short match that is part of a longer word.
func snippetMatches(re *regexp.Regexp, s string, n int) [][]int {
	var out [][]int
	for _, loc := range re.FindAllStringIndex(s, -1) {
		if utf8.RuneCountInString(s[loc[0]:loc[1]]) < shortWord {
			before, _ := utf8.DecodeLastRuneInString(s[:loc[0]])
			after, _ := utf8.DecodeRuneInString(s[loc[1]:])
			if isWordRune(before) || isWordRune(after) {
				continue
			}
		}
		out = append(out, loc)
		if n >= 0 && len(out) == n {
			break
		}
	}
	return out
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r))
}

// SearchInput is a search as a surface hands it over.
type SearchInput struct {
	Q      string
	Syntax string // syntax name or alias; "" for all
	Owner  string // username, "me" for the viewer; "" for everyone
	Tag    string // "" for all
	Sort   string // "relevance" (also ""), "recent"
	Facets bool   // count matches per language
	Cursor string
	Limit  int
}

// SearchResult is a paste the viewer may read plus the snippet that matched.
type SearchResult struct {
	Paste   Paste
	Snippet Snippet
}

// SearchPage is one page of results and the cursor for the next, "" at the
// end. Suggestion is the corrected query ("Did you mean …") when the words
// as typed matched nothing and the items match it instead.
type SearchPage struct {
	Items        []SearchResult
	NextCursor   string
	Query        Query
	Sort         SearchSort
	Suggestion   string
	Facets       []Facet
	FacetsApprox bool
}

// ErrSearchDisabled is returned when no search engine is configured.
var ErrSearchDisabled = fmt.Errorf("search is not configured: %w", ErrUnavailable)

// ParseSearchSort reads a sort name: "" and "relevance" are SortRelevance,
// "recent" SortRecent.
func ParseSearchSort(s string) (SearchSort, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", string(SortRelevance):
		return SortRelevance, true
	case string(SortRecent):
		return SortRecent, true
	}
	return "", false
}

// Search finds pastes the viewer may read: public pastes, and the viewer's
// own pastes of any visibility. Every hit is re-read (all of them in one
// round trip, or from the read cache) and re-checked here before it is
// returned, so a stale index, or hits kept by a cache, never show a
// deleted, expired, burned or private paste.
func (s *Service) Search(ctx context.Context, v Viewer, in SearchInput) (SearchPage, error) {
	if s.opts.Search == nil {
		return SearchPage{}, ErrSearchDisabled
	}
	v.Shared = "" // a share link opens one paste, not search results
	var verr ValidationError
	if len(in.Q) > MaxQueryBytes {
		verr.Add("q", "is too long")
	}
	q := ParseQuery(in.Q)
	if q.Empty() && len(in.Q) <= MaxQueryBytes {
		verr.Add("q", "must contain a word to look for")
	}
	req := SearchRequest{Query: q, ViewerID: v.UserID, Now: s.opts.Now(), Facets: in.Facets}
	switch owner := strings.TrimSpace(in.Owner); {
	case owner == "":
	case owner == "me":
		if !v.SignedIn() {
			return SearchPage{}, ErrUnauthorized
		}
		req.Owner = v.Username
	case OwnerPattern.MatchString(owner):
		req.Owner = owner
	default:
		verr.Add("owner", "is not a username")
	}
	if syn := strings.TrimSpace(in.Syntax); syn != "" {
		canon, ok := s.syntaxes.Canonical(syn)
		if !ok || !SyntaxPattern.MatchString(canon) {
			verr.Add("syntax", "is not a known syntax")
		}
		req.Syntax = canon
	}
	if tag := strings.ToLower(strings.TrimSpace(in.Tag)); tag != "" {
		if !TagPattern.MatchString(tag) {
			verr.Add("tag", "is not a tag")
		}
		req.Tag = tag
	}
	sort, ok := ParseSearchSort(in.Sort)
	if !ok {
		verr.Add("sort", "must be relevance or recent")
	}
	req.Sort = sort
	c, err := DecodeSearchCursor(in.Cursor)
	if err != nil {
		return SearchPage{}, err
	}
	if err := verr.Err(); err != nil {
		return SearchPage{}, err
	}
	limit := ClampLimit(in.Limit)
	req.After, req.Limit = c, limit+1
	res, err := s.opts.Search.Search(ctx, req)
	if err != nil {
		return SearchPage{}, err
	}
	hits := res.Hits
	page := SearchPage{Query: q, Sort: sort, Facets: res.Facets, FacetsApprox: res.FacetsApprox}
	if !res.Corrected.Empty() && len(hits) > 0 {
		page.Suggestion = res.Corrected.String()
	}
	hits, page.NextCursor = NextPage(hits, limit, func(last SearchHit) string {
		return SearchCursor{Tier: last.Tier, CreatedAt: last.CreatedAt, ID: last.ID}.Encode()
	})
	ids := make([]ID, 0, len(hits))
	for _, h := range hits {
		if ValidID(string(h.ID)) {
			ids = append(ids, h.ID)
		}
	}
	// Every hit is read again, all in one go, and checked as Get would.
	pastes, err := ReadPastes(ctx, s.repo, ids)
	if err != nil {
		return SearchPage{}, err
	}
	for _, h := range hits {
		p, ok := pastes[h.ID]
		if !ok {
			continue // gone since it was indexed
		}
		if !s.searchable(v, p) || (req.Owner != "" && !strings.EqualFold(p.OwnerName, req.Owner)) ||
			(req.Syntax != "" && p.Syntax != req.Syntax) {
			continue
		}
		page.Items = append(page.Items, SearchResult{Paste: p, Snippet: h.Snippet})
	}
	return page, nil
}

// BatchReader is implemented by repositories that read many pastes in
// one round trip (a search's hits).
type BatchReader interface {
	// PastesByID returns the pastes of ids that exist, whatever their
	// state (rules are the Service's), by ID.
	PastesByID(ctx context.Context, ids []ID) (map[ID]Paste, error)
}

// ReadPastes reads the pastes of ids through repo: in one call when it is
// a BatchReader, one by one otherwise. Missing pastes are left out.
func ReadPastes(ctx context.Context, repo Repository, ids []ID) (map[ID]Paste, error) {
	if b, ok := repo.(BatchReader); ok {
		return b.PastesByID(ctx, ids)
	}
	out := make(map[ID]Paste, len(ids))
	for _, id := range ids {
		p, err := repo.PasteByID(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = p
	}
	return out, nil
}

// searchable is the rule of what search may show on top of canRead: public
// pastes, and one's own pastes; never a burn-after-reading paste, whose
// snippet would be a read that does not burn it.
func (s *Service) searchable(v Viewer, p Paste) bool {
	if p.BurnAfterReading || !s.canRead(v, p) {
		return false
	}
	return p.Visibility == Public || v.Owns(p)
}

// Searchable reports whether p belongs in a search index at now at all: not
// expired and not burn-after-reading. Who may see it is decided per query.
func Searchable(p Paste, now time.Time) bool {
	return !p.BurnAfterReading && !p.Expired(now)
}

// SearchDoc is the searchable copy of a paste, as external engines index it.
type SearchDoc struct {
	ID         ID
	OwnerID    int64
	OwnerName  string
	Visibility Visibility
	Syntax     string
	Burn       bool
	CreatedAt  time.Time
	ExpiresAt  time.Time // zero: never
	Title      string
	Body       string
	Tags       []string
}

// Indexable reports whether d belongs in an external index: everything
// but burn-after-reading pastes. Expired pastes stay until the sweeper
// deletes them (which queues their removal); searches filter them out.
func (d SearchDoc) Indexable() bool { return !d.Burn }

package store_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/store"
)

// benchWords is the head of the vocabulary: common English and code words.
// A long tail of generated words ("lex123") follows, picked with a skewed
// distribution so that some words are in most pastes and most are rare.
const benchWords = `the of and to in is for that with on as are this be by from or at not have an it error return
function value string data file user server request response config test time code func package import var
const if else true false null nil int type struct error context http json list map key table select where
insert update delete create index query client log debug info warn message status result output input
start stop run build deploy version release service handler route path port host connection refused timeout
retry backoff queue worker job task event stream buffer cache memory disk network socket thread process
lock mutex channel goroutine async await promise callback class method object array string number boolean`

// querySet is one term class with the query the app runs for it, by
// relevance unless recent is set.
type querySet struct {
	class, q       string
	recent, facets bool
}

var benchClasses = []querySet{
	{class: "rare", q: "zanzibarquux"},                      // in 50 pastes
	{class: "common", q: "error"},                           // in most pastes
	{class: "identifier", q: "parseHTTPHeader"},             // in ~0.1%
	{class: "common_identifier", q: "user_id"},              // in every code paste
	{class: "phrase", q: `"connection refused"`},            // ~1% adjacent, words common apart
	{class: "no_match", q: "qqzzxxyywwnothing"},             // nowhere; the dictionary is asked
	{class: "two_words", q: "retry backoff"},                // two common words
	{class: "excluded", q: "timeout -error"},                // common word minus a common word
	{class: "common_recent", q: "error", recent: true},      // newest first
	{class: "title_common", q: "notes"},                     // in two titles of three
	{class: "stemmed_phrase", q: `"connections refused"`},   // English forms of the phrase
	{class: "typo_rare_title", q: "LRU cashe"},              // "LRU cache" titles: ~130
	{class: "typo_two_words", q: "relase notes"},            // "release notes" titles: ~270
	{class: "typo_common_title", q: "handlr"},               // "handler" in a third of titles
	{class: "typo_transposed", q: "cahce"},                  // "cache", two letters swapped
	{class: "facets_common", q: "error", facets: true},      // language counts of a common word
	{class: "facets_rare", q: "zanzibarquux", facets: true}, // language counts of a rare word
}

// BenchmarkSearchPostgres measures the PostgreSQL engine exactly as the app
// calls it (store.Search(0).Search: bounded candidates, the newest-first
// walk for common terms, snippets) over PASTEL_BENCH_PASTES pastes
// (default 1,000,000) of generated prose and code. For each term class it
// reports p50 and p99 over the timed runs, and logs EXPLAIN (ANALYZE,
// BUFFERS) of every statement the search ran. Generation takes a few
// minutes; it runs only under `make bench`.
func BenchmarkSearchPostgres(b *testing.B) {
	n := benchSize()
	ctx := context.Background()
	pool := benchPool(b, n)

	rec := &stmtRecorder{}
	cfg := pool.Config().Copy()
	cfg.ConnConfig.Tracer = rec
	traced, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer traced.Close()
	engine := store.New(traced).Search(0)
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range benchClasses {
		b.Run(c.class, func(b *testing.B) {
			req := paste.SearchRequest{Query: paste.ParseQuery(c.q), Now: now, Limit: 21, Facets: c.facets}
			if c.recent {
				req.Sort = paste.SortRecent
			}
			run := func() (int, time.Duration) {
				t0 := time.Now()
				res, err := engine.Search(ctx, req)
				if err != nil {
					b.Fatal(err)
				}
				if c.class == "no_match" && len(res.Hits) != 0 {
					b.Fatalf("no_match found %d", len(res.Hits))
				}
				if strings.HasPrefix(c.class, "typo") && (len(res.Hits) == 0 || res.Corrected.Empty()) {
					b.Fatalf("%s: %d hits, corrected %q", c.class, len(res.Hits), res.Corrected.String())
				}
				return len(res.Hits), time.Since(t0)
			}
			run() // warm
			var lat []time.Duration
			hits := 0
			b.ResetTimer()
			for i := 0; i < max(b.N, 200); i++ {
				var d time.Duration
				hits, d = run()
				lat = append(lat, d)
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			p50 := lat[len(lat)/2]
			p99 := lat[len(lat)*99/100]
			b.ReportMetric(float64(p50.Microseconds())/1000, "p50_ms")
			b.ReportMetric(float64(p99.Microseconds())/1000, "p99_ms")
			b.ReportMetric(float64(hits), "hits")
			b.Logf("%s %q: %d hits, p50 %s, p99 %s over %d runs", c.class, c.q, hits, p50, p99, len(lat))
			for _, s := range rec.take() {
				explain(b, pool, s)
			}
		})
	}
}

// benchSize is PASTEL_BENCH_PASTES, 1,000,000 by default.
func benchSize() int {
	if v, err := strconv.Atoi(os.Getenv("PASTEL_BENCH_PASTES")); err == nil && v > 0 {
		return v
	}
	return 1_000_000
}

// benchPool is a database holding the corpus: a fresh one, or with
// PASTEL_BENCH_DATABASE_URL an existing one that is migrated and filled
// once and reused by later runs (for studying plans without waiting for
// the corpus each time).
func benchPool(b *testing.B, n int) *pgxpool.Pool {
	u := os.Getenv("PASTEL_BENCH_DATABASE_URL")
	if u == "" {
		pool := pgtest.NewPool(b)
		start := time.Now()
		generateSearchCorpus(b, pool, n)
		b.Logf("generated %d pastes in %s", n, time.Since(start).Round(time.Second))
		return pool
	}
	pool := pgtest.NewPoolFor(b, u)
	ctx := context.Background()
	if err := store.Migrate(ctx, pool); err != nil {
		b.Fatal(err)
	}
	var have int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM paste_search`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have != n {
		if _, err := pool.Exec(ctx, `TRUNCATE pastes CASCADE`); err != nil {
			b.Fatal(err)
		}
		generateSearchCorpus(b, pool, n)
	}
	// A corpus made before the planted titles (issue 18) gets them.
	var planted bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM paste_search WHERE title LIKE 'LRU cache %' AND visibility = 'public')`).Scan(&planted); err != nil {
		b.Fatal(err)
	}
	if !planted {
		for _, s := range []string{
			`UPDATE pastes p SET title = ` + benchTitle + ` FROM (SELECT id, ('x' || id)::bit(32)::bigint AS g FROM pastes) gg WHERE gg.id = p.id AND (gg.g % 5000 = 3 OR gg.g % 2500 = 2 OR p.title LIKE 'LRU cache %') AND gg.g % 3 <> 0`,
			`UPDATE paste_search s SET title = p.title FROM pastes p WHERE p.id = s.paste_id AND s.title <> p.title`,
			`VACUUM ANALYZE paste_search`,
		} {
			if _, err := pool.Exec(ctx, s); err != nil {
				b.Fatalf("%s: %v", firstLine(s), err)
			}
		}
	}
	return pool
}

// benchTitle is the title of paste number g: a Go file for code pastes,
// "notes" for prose, with planted "LRU cache" and "release notes" titles
// for the typo classes.
const benchTitle = `CASE WHEN g % 3 = 0 THEN 'handler_' || g || '.go'
		        WHEN g % 5000 = 3 THEN 'LRU cache eviction ' || g
		        WHEN g % 2500 = 2 THEN 'release notes ' || g
		        ELSE 'notes ' || g END`

// generateSearchCorpus fills pastes and paste_search with n pastes: two in
// three prose, one in three code, with the planted terms of benchClasses.
func generateSearchCorpus(b *testing.B, pool *pgxpool.Pool, n int) {
	ctx := context.Background()
	words := strings.Fields(benchWords)
	steps := []string{
		`ALTER TABLE pastes DISABLE TRIGGER USER`,
		`ALTER TABLE paste_search DISABLE TRIGGER USER`,
		`DROP INDEX paste_search_tsv_idx, paste_search_title_tsv_idx, paste_search_terms_trgm_idx, paste_search_recent_idx`,
		`INSERT INTO pastes (id, title, syntax, visibility, size, blob_key, created_at, updated_at)
		 SELECT lpad(to_hex(g), 8, '0'),
		        ` + benchTitle + `,
		        CASE WHEN g % 3 = 0 THEN 'go' ELSE 'text' END,
		        CASE WHEN g % 20 = 0 THEN 'private' WHEN g % 20 = 1 THEN 'unlisted' ELSE 'public' END,
		        300, 'bench/' || g,
		        timestamptz '2025-01-01' + g * interval '10 seconds', timestamptz '2025-01-01' + g * interval '10 seconds'
		 FROM generate_series(1, $2::int) g`,
		// Bodies: 30 to 70 words drawn with a skew towards the head, code
		// pastes wrapped in a Go function; planted terms by residue. Their
		// words are short, so their terms (indexTerms) are the body with
		// spaces for the tabs and newlines, which the parser reads alike.
		`INSERT INTO paste_search (paste_id, owner_id, visibility, syntax, burn, created_at, expires_at, title, body, terms)
		 SELECT id, NULL, visibility, syntax, false, created_at, NULL, title, body, body FROM (
		 SELECT p.id, p.visibility, p.syntax, p.created_at, p.title,
		        CASE WHEN g % 3 = 0 THEN
		          'func handle' || g || '(w http.ResponseWriter, r *http.Request) error {' || E'\n\t' ||
		          'user_id := r.URL.Query().Get("user_id")' || E'\n\t' ||
		          CASE WHEN g % 997 = 0 THEN 'h := parseHTTPHeader(r)' || E'\n\t' ELSE '' END ||
		          'fmt.Println(' || quote_literal(words) || ')' || E'\n}'
		        ELSE words END ||
		        CASE WHEN g % 20000 = 7 THEN ' zanzibarquux' ELSE '' END ||
		        CASE WHEN g % 97 = 0 THEN ' the connection refused again' ELSE '' END AS body
		 FROM pastes p, LATERAL (SELECT ('x' || p.id)::bit(32)::bigint AS g) gg,
		      LATERAL (
		        SELECT string_agg(CASE WHEN x.i <= cardinality($1::text[]) THEN ($1::text[])[x.i] ELSE 'lex' || x.i END, ' ') AS words
		        FROM (
		          SELECT 1 + floor(19999 * power(random(), 5))::int AS i
		          FROM generate_series(1, 30 + (gg.g % 41)::int) k
		        ) x
		      ) body) docs`,
		`CREATE INDEX paste_search_tsv_idx ON paste_search USING gin (tsv)`,
		`CREATE INDEX paste_search_title_tsv_idx ON paste_search USING gin (search_title_tsv(title))`,
		// The dictionary of title words, as the trigger would have made it.
		`INSERT INTO search_words (word) SELECT DISTINCT w FROM paste_search s, search_title_words(s.title) w ON CONFLICT DO NOTHING`,
		`INSERT INTO search_word_variants (variant, word) SELECT d, sw.word FROM search_words sw, search_word_deletions(sw.word) d ON CONFLICT DO NOTHING`,
		`CREATE INDEX paste_search_terms_trgm_idx ON paste_search USING gin (terms gin_trgm_ops)`,
		`CREATE INDEX paste_search_recent_idx ON paste_search (created_at DESC, paste_id DESC)`,
		`ALTER TABLE pastes ENABLE TRIGGER USER`,
		`ALTER TABLE paste_search ENABLE TRIGGER USER`,
		`VACUUM ANALYZE paste_search`,
		`VACUUM ANALYZE pastes`,
	}
	for _, s := range steps {
		t0 := time.Now()
		var args []any
		if strings.Contains(s, "$1::text[]") {
			args = []any{words} // the head of the vocabulary; the tail is "lex<n>"
		}
		if strings.Contains(s, "$2::int") {
			args = []any{n}
			s = strings.ReplaceAll(s, "$2::int", "$1::int")
		}
		if _, err := pool.Exec(ctx, s, args...); err != nil {
			b.Fatalf("%s: %v", firstLine(s), err)
		}
		b.Logf("%s: %s", firstLine(s), time.Since(t0).Round(time.Millisecond))
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// stmtRecorder keeps the statements the engine sends, to EXPLAIN them.
type stmtRecorder struct {
	mu    sync.Mutex
	stmts []recorded
}

type recorded struct {
	sql  string
	args []any
}

func (r *stmtRecorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.stmts) < 8 {
		r.stmts = append(r.stmts, recorded{d.SQL, d.Args})
	}
	return ctx
}

func (r *stmtRecorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *stmtRecorder) take() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.stmts
	r.stmts = nil
	// One run's worth: the first statements recorded in the sub-benchmark.
	seen := map[string]bool{}
	var uniq []recorded
	for _, s := range out {
		if !seen[s.sql] {
			seen[s.sql] = true
			uniq = append(uniq, s)
		}
	}
	return uniq
}

func explain(b *testing.B, pool *pgxpool.Pool, s recorded) {
	rows, err := pool.Query(context.Background(), "EXPLAIN (ANALYZE, BUFFERS) "+s.sql, s.args...)
	if err != nil {
		b.Logf("explain: %v", err)
		return
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			b.Logf("explain: %v", err)
			return
		}
		plan = append(plan, line)
	}
	b.Logf("%s\n%s", firstLine(strings.TrimPrefix(s.sql, "-- name: ")), strings.Join(plan, "\n"))
	_ = fmt.Sprint
}

-- name: UpsertSearchDoc :exec
-- The search document of a new paste, written in the transaction that
-- inserts the paste. terms is the indexed form of body (store.indexTerms),
-- or '' when it is filled in after the commit (SetSearchTerms). (All search
-- queries are fixed: words a user typed only arrive as bound text[]
-- parameters, turned into a tsquery by search_tsquery.)
INSERT INTO paste_search (paste_id, owner_id, visibility, syntax, burn, created_at, expires_at, title, body, terms)
VALUES (sqlc.arg(paste_id), sqlc.narg(owner_id), sqlc.arg(visibility), sqlc.arg(syntax), sqlc.arg(burn), sqlc.arg(created_at), sqlc.narg(expires_at), sqlc.arg(title), sqlc.arg(body), sqlc.arg(terms))
ON CONFLICT (paste_id) DO UPDATE SET
    owner_id = excluded.owner_id, visibility = excluded.visibility, syntax = excluded.syntax,
    burn = excluded.burn, created_at = excluded.created_at, expires_at = excluded.expires_at,
    title = excluded.title, body = excluded.body, terms = excluded.terms;

-- name: SyncSearchDoc :exec
-- After an update: copy the metadata of the paste (under its new ID, which ON
-- UPDATE CASCADE already followed) and replace the body and its terms when
-- a body is given.
INSERT INTO paste_search (paste_id, owner_id, visibility, syntax, burn, created_at, expires_at, title, body, terms)
SELECT p.id, p.owner_id, p.visibility, p.syntax, p.burn_after_reading, p.created_at, p.expires_at, p.title,
       coalesce(sqlc.narg(body)::text, ''), coalesce(sqlc.narg(terms)::text, '')
FROM pastes p WHERE p.id = sqlc.arg(paste_id)
ON CONFLICT (paste_id) DO UPDATE SET
    owner_id = excluded.owner_id, visibility = excluded.visibility, syntax = excluded.syntax,
    burn = excluded.burn, created_at = excluded.created_at, expires_at = excluded.expires_at,
    title = excluded.title,
    body = CASE WHEN sqlc.narg(body)::text IS NULL THEN paste_search.body ELSE excluded.body END,
    terms = CASE WHEN sqlc.narg(body)::text IS NULL THEN paste_search.terms ELSE excluded.terms END;

-- name: SetSearchBody :exec
UPDATE paste_search SET body = @body, terms = @terms WHERE paste_id = @paste_id;

-- name: SetSearchTerms :exec
-- The indexed form of a long body, written after its create's batch
-- committed, so that computing its tsvector and trigrams holds up no other
-- create.
UPDATE paste_search SET terms = @terms WHERE paste_id = @paste_id;

-- name: UserIDByUsername :one
SELECT id FROM users WHERE lower(username) = lower(@username);

-- name: SearchCandidates :many
-- listed_to (migration 0015) is the read rule of every search query;
-- paste_search carries no owner state, so owner_disabled_at is NULL here
-- and a disabled owner's hits are dropped when paste.Service.Search re-reads
-- each hit.
-- A bounded candidate set straight from the GIN index (no ORDER BY inside,
-- so the planner cannot walk created_at hoping to meet a rare term), then
-- sorted. The caller asks one more candidate than it uses: candidates =
-- max_candidates means the set was cut, and it walks newest-first instead
-- (SearchRecentWalk). part narrows the matches for relevance tiers: 0 any,
-- 1 only pastes whose title holds every word, 2 only the others. It is
-- tested on the title itself, after the sort (OFFSET 0 keeps the filter
-- out of the candidate scan), so only the rows a page shows pay for it.
-- tag: only pastes carrying the tag (paste_tags, migration 0021).
WITH m AS MATERIALIZED (
    SELECT s.paste_id, s.created_at, s.title
    FROM paste_search s
    WHERE s.tsv @@ (SELECT search_tsquery(@include::text[], @exclude::text[]))
      AND listed_to(@viewer_id::bigint, s.owner_id, s.visibility, s.burn, s.expires_at, NULL, @now::timestamptz)
      AND (@owner_id::bigint = 0 OR s.owner_id = @owner_id::bigint)
      AND (@syntax::text = '' OR s.syntax = @syntax::text)
      AND (@tag::text = '' OR EXISTS (SELECT 1 FROM paste_tags pt WHERE pt.paste_id = s.paste_id AND pt.tag = @tag::text))
      AND (s.created_at, s.paste_id) < (@before_created_at::timestamptz, @before_id::text)
    LIMIT @max_candidates::int
)
SELECT o.paste_id, o.created_at, (SELECT count(*) FROM m)::int AS candidates
FROM (SELECT m.paste_id, m.created_at, m.title FROM m ORDER BY m.created_at DESC, m.paste_id DESC OFFSET 0) o
WHERE @part::int = 0 OR (@part::int = 1) = (search_title_tsv(o.title) @@ (SELECT search_tsquery(@include::text[], '{}'::text[])))
LIMIT @max_rows::int;

-- name: SearchTitleCandidates :many
-- As SearchCandidates with part 1, from the title-only index: a word
-- common in bodies but absent from titles costs nothing here. tsv is read
-- only for excluded words, which rule out a paste wherever they are.
WITH m AS MATERIALIZED (
    SELECT s.paste_id, s.created_at
    FROM paste_search s
    WHERE search_title_tsv(s.title) @@ (SELECT search_tsquery(@include::text[], '{}'::text[]))
      AND (cardinality(@exclude::text[]) = 0 OR (s.tsv @@ (SELECT search_tsquery(@include::text[], @exclude::text[]))) IS TRUE)
      AND listed_to(@viewer_id::bigint, s.owner_id, s.visibility, s.burn, s.expires_at, NULL, @now::timestamptz)
      AND (@owner_id::bigint = 0 OR s.owner_id = @owner_id::bigint)
      AND (@syntax::text = '' OR s.syntax = @syntax::text)
      AND (@tag::text = '' OR EXISTS (SELECT 1 FROM paste_tags pt WHERE pt.paste_id = s.paste_id AND pt.tag = @tag::text))
      AND (s.created_at, s.paste_id) < (@before_created_at::timestamptz, @before_id::text)
    LIMIT @max_candidates::int
)
SELECT m.paste_id, m.created_at, (SELECT count(*) FROM m)::int AS candidates
FROM m
ORDER BY m.created_at DESC, m.paste_id DESC
LIMIT @max_rows::int;

-- name: SearchRecentProbe :many
-- The newest @window_rows readable pastes, tested against the query: a
-- common term fills a page from them at once, and the number of matches
-- tells the caller whether walking on (SearchRecentWalk) or asking the GIN
-- index (SearchCandidates) is the cheaper plan for the rest.
SELECT w.paste_id, w.created_at
FROM (
    SELECT s.paste_id, s.created_at, s.tsv
    FROM paste_search s
    WHERE listed_to(@viewer_id::bigint, s.owner_id, s.visibility, s.burn, s.expires_at, NULL, @now::timestamptz)
      AND (s.created_at, s.paste_id) < (@before_created_at::timestamptz, @before_id::text)
    ORDER BY s.created_at DESC, s.paste_id DESC
    LIMIT @window_rows::int
) w
WHERE w.tsv @@ (SELECT search_tsquery(@include::text[], @exclude::text[]))
  AND (@part::int = 0 OR (@part::int = 1) = (w.tsv @@ (SELECT search_title_tsquery(@include::text[]))))
  AND (@tag::text = '' OR EXISTS (SELECT 1 FROM paste_tags pt WHERE pt.paste_id = w.paste_id AND pt.tag = @tag::text))
ORDER BY w.created_at DESC, w.paste_id DESC
LIMIT @max_rows::int;

-- name: SearchRecentWalk :many
-- For terms matching more than a few thousand pastes: walk the newest
-- pastes and test each. "IS TRUE" keeps the match out of the index
-- conditions on purpose, so the plan is always the backward index scan,
-- which meets a common term within a few hundred rows.
SELECT s.paste_id, s.created_at
FROM paste_search s
WHERE (s.tsv @@ (SELECT search_tsquery(@include::text[], @exclude::text[]))) IS TRUE
  AND (@part::int = 0 OR (@part::int = 1) = (s.tsv @@ (SELECT search_title_tsquery(@include::text[]))))
  AND listed_to(@viewer_id::bigint, s.owner_id, s.visibility, s.burn, s.expires_at, NULL, @now::timestamptz)
  AND (@owner_id::bigint = 0 OR s.owner_id = @owner_id::bigint)
  AND (@syntax::text = '' OR s.syntax = @syntax::text)
  AND (@tag::text = '' OR EXISTS (SELECT 1 FROM paste_tags pt WHERE pt.paste_id = s.paste_id AND pt.tag = @tag::text))
  AND (s.created_at, s.paste_id) < (@before_created_at::timestamptz, @before_id::text)
ORDER BY s.created_at DESC, s.paste_id DESC
LIMIT @max_rows::int;

-- name: SearchSubstring :many
-- Trigram fallback for an identifier no whole token matched (HTTPHeader in
-- parseHTTPHeader), over the indexed terms. pattern is a LIKE pattern whose wildcards the caller
-- escaped; bounded like SearchCandidates. Pastes the words match as tokens
-- are left to the token tiers, so no paste is listed twice.
WITH m AS MATERIALIZED (
    SELECT s.paste_id, s.created_at
    FROM paste_search s
    WHERE s.terms ILIKE @pattern::text
      AND (s.tsv @@ (SELECT search_tsquery(@include::text[], @exclude::text[]))) IS NOT TRUE
      AND listed_to(@viewer_id::bigint, s.owner_id, s.visibility, s.burn, s.expires_at, NULL, @now::timestamptz)
      AND (@owner_id::bigint = 0 OR s.owner_id = @owner_id::bigint)
      AND (@syntax::text = '' OR s.syntax = @syntax::text)
      AND (@tag::text = '' OR EXISTS (SELECT 1 FROM paste_tags pt WHERE pt.paste_id = s.paste_id AND pt.tag = @tag::text))
      AND (s.created_at, s.paste_id) < (@before_created_at::timestamptz, @before_id::text)
    LIMIT @max_candidates::int
)
SELECT m.paste_id, m.created_at
FROM m
ORDER BY m.created_at DESC, m.paste_id DESC
LIMIT @max_rows::int;

-- name: SearchWordsByVariant :many
-- Dictionary words sharing a deletion variant with the query word: the
-- candidates within its typo budget (the caller checks the distance).
SELECT DISTINCT v.word FROM search_word_variants v
WHERE v.variant = ANY(@variants::text[])
LIMIT 500;

-- name: SearchFacetsRecent :many
-- Matches per language among the newest @window_rows readable pastes: the
-- facets of a common term, where counting every match would read its
-- whole posting list. Without the syntax filter, so the other languages
-- can be picked.
SELECT w.syntax, count(*)::int AS hits
FROM (
    SELECT s.paste_id, s.syntax, s.tsv
    FROM paste_search s
    WHERE listed_to(@viewer_id::bigint, s.owner_id, s.visibility, s.burn, s.expires_at, NULL, @now::timestamptz)
    ORDER BY s.created_at DESC, s.paste_id DESC
    LIMIT @window_rows::int
) w
WHERE w.tsv @@ (SELECT search_tsquery(@include::text[], @exclude::text[]))
  AND (@tag::text = '' OR EXISTS (SELECT 1 FROM paste_tags pt WHERE pt.paste_id = w.paste_id AND pt.tag = @tag::text))
GROUP BY w.syntax;

-- name: SearchFacetsCandidates :many
-- Matches per language among up to @max_candidates matches from the GIN
-- index (all of them for a rarer term). Without the syntax filter.
WITH m AS MATERIALIZED (
    SELECT s.syntax
    FROM paste_search s
    WHERE s.tsv @@ (SELECT search_tsquery(@include::text[], @exclude::text[]))
      AND listed_to(@viewer_id::bigint, s.owner_id, s.visibility, s.burn, s.expires_at, NULL, @now::timestamptz)
      AND (@owner_id::bigint = 0 OR s.owner_id = @owner_id::bigint)
      AND (@tag::text = '' OR EXISTS (SELECT 1 FROM paste_tags pt WHERE pt.paste_id = s.paste_id AND pt.tag = @tag::text))
    LIMIT @max_candidates::int
)
SELECT m.syntax, count(*)::int AS hits
FROM m
GROUP BY m.syntax;

-- name: SearchTexts :many
SELECT paste_id, title, body FROM paste_search WHERE paste_id = ANY(@ids::text[]);

-- name: PastesByID :many
-- A search's hits read again in one round trip, as PasteByID reads one.
SELECT sqlc.embed(p), coalesce(u.username, '')::text AS owner_name,
       (u.disabled_at IS NOT NULL)::boolean AS owner_disabled
FROM pastes p
LEFT JOIN users u ON u.id = p.owner_id
WHERE p.id = ANY(@ids::text[]);

-- name: ClaimSearchJobs :many
-- SKIP LOCKED: several replicas share the queue without waiting on each other.
SELECT id, paste_id, attempts FROM search_queue
WHERE next_attempt_at <= @now::timestamptz
ORDER BY id
LIMIT @max_rows::int
FOR UPDATE SKIP LOCKED;

-- name: TryLockSearchPaste :one
-- Held until the end of the delivering transaction, so two workers never
-- deliver the same paste at once (a late, older state cannot overwrite a
-- newer one).
SELECT pg_try_advisory_xact_lock(hashtextextended('pastel-search:' || @paste_id::text, 0))::boolean AS locked;

-- name: SearchDocsByID :many
SELECT s.paste_id, s.owner_id, coalesce(u.username, '')::text AS owner_name, s.visibility, s.syntax,
       s.burn, s.created_at, s.expires_at, s.title, s.body,
       coalesce((SELECT array_agg(t.tag ORDER BY t.tag) FROM paste_tags t WHERE t.paste_id = s.paste_id), '{}')::text[] AS tags
FROM paste_search s
LEFT JOIN users u ON u.id = s.owner_id
WHERE s.paste_id = ANY(@ids::text[]);

-- name: ListSearchDocs :many
SELECT s.paste_id, s.owner_id, coalesce(u.username, '')::text AS owner_name, s.visibility, s.syntax,
       s.burn, s.created_at, s.expires_at, s.title, s.body,
       coalesce((SELECT array_agg(t.tag ORDER BY t.tag) FROM paste_tags t WHERE t.paste_id = s.paste_id), '{}')::text[] AS tags
FROM paste_search s
LEFT JOIN users u ON u.id = s.owner_id
WHERE s.paste_id > @after::text
ORDER BY s.paste_id
LIMIT @max_rows::int;

-- name: DeleteSearchJobs :exec
DELETE FROM search_queue WHERE id = ANY(@ids::bigint[]);

-- name: RetrySearchJob :exec
-- The caller computes the backoff from attempts (exponential, capped).
UPDATE search_queue SET attempts = attempts + 1, next_attempt_at = @next_attempt_at::timestamptz
WHERE id = @id::bigint;

-- name: PurgeSearchQueue :execrows
-- Without an external engine nobody reads the queue: drop what is there.
DELETE FROM search_queue WHERE id IN (
    SELECT q.id FROM search_queue q ORDER BY q.id LIMIT @max_rows::int FOR UPDATE SKIP LOCKED
);

-- name: CountSearchJobs :one
SELECT count(*)::int FROM search_queue;

-- name: ListPasteIDsAfter :many
SELECT id FROM pastes WHERE id > @after::text ORDER BY id LIMIT @max_rows::int;

-- name: CopySearchDocs :copyfrom
-- The search documents of a batch of new pastes, in the batch's transaction.
INSERT INTO paste_search (paste_id, owner_id, visibility, syntax, burn, created_at, expires_at, title, body, terms)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);

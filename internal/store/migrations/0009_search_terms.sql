-- Search terms (issue 12). The tsvector of a body used to be computed from
-- the body as typed, inside the create's transaction, and PostgreSQL's
-- text-search parser is quadratic on some inputs (64 KiB of "<!--" took
-- seconds, ./././… and abc_abc_… as long), so one crafted create stalled
-- every create committed with it. The full-text and trigram indexes now
-- cover terms: the body as store.indexTerms rewrites it ('<' and other
-- separators made spaces, words over 64 bytes cut into their letters and
-- digits), which the parser reads in linear time. body stays as typed, for
-- snippets and the external engine. A create writes terms of up to 4 KiB
-- in its batch; longer ones right after the batch commits.
ALTER TABLE paste_search ADD COLUMN terms text NOT NULL DEFAULT '';

-- Existing bodies: every ASCII punctuation character becomes a space, a
-- cruder cut than indexTerms (file.go is indexed as "file" and "go") but
-- one with no slow input; `web reindex` rewrites them with indexTerms.
UPDATE paste_search SET terms = regexp_replace(body, '[!-/:-@[-`{-~[:cntrl:]]+', ' ', 'g')
WHERE body <> '';

DROP INDEX paste_search_body_trgm_idx;
ALTER TABLE paste_search DROP COLUMN tsv;
ALTER TABLE paste_search ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, title), 'A') ||
    setweight(to_tsvector('simple'::regconfig, terms), 'B')
) STORED;
CREATE INDEX paste_search_tsv_idx ON paste_search USING gin (tsv);
-- Substrings of identifiers (HTTPHeader inside parseHTTPHeader).
CREATE INDEX paste_search_terms_trgm_idx ON paste_search USING gin (terms gin_trgm_ops);

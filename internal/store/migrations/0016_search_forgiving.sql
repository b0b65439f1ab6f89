-- Search that forgives (issue 18). Three additions to the search of 0004
-- and 0009:
--
-- 1. English stems beside the simple words. tsv now holds every title and
--    body word twice, as typed (lower-cased, 'simple', so identifiers such
--    as parseHTTPHeader and fmt.Println stay exact) and as an English stem
--    ('english': "caching" and "cache" are both 'cach'). search_tsquery ORs
--    the two forms of each term, so either matches.
-- 2. A title-only full-text index, for relevance: pastes whose title holds
--    every word come before those where only the body does.
-- 3. A dictionary of the corpus' title words for typos: search_words, and
--    search_word_variants with each word under itself and every form with
--    one letter deleted. A query word with its own deletions (one or two)
--    meets the words within one or two typos ("cahce" and "cache" both
--    give "cace"); the engine then checks the real edit distance. Body
--    words are left out: a paste has hundreds, and a shared dictionary
--    written by every create would make creates wait on each other.
--    Words of private pastes enter the dictionary too, but a correction is
--    only ever shown with the hits it finds for the viewer.

-- search_term_tsquery is one term (a word or a phrase, or alternatives
-- joined by U+001F) as a tsquery: for each alternative the simple and the
-- English phrase, ORed. The text is never read as query syntax.
CREATE FUNCTION search_term_tsquery(term text) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    q   tsquery;
    t   tsquery;
    alt text;
BEGIN
    FOREACH alt IN ARRAY string_to_array(term, E'\x1f') LOOP
        t := phraseto_tsquery('simple'::regconfig, alt);
        IF numnode(t) > 0 THEN
            q := CASE WHEN q IS NULL THEN t ELSE q || t END;
        END IF;
        t := phraseto_tsquery('english'::regconfig, alt);
        IF numnode(t) > 0 THEN
            q := CASE WHEN q IS NULL THEN t ELSE q || t END;
        END IF;
    END LOOP;
    RETURN q;
END
$$;

CREATE OR REPLACE FUNCTION search_tsquery(include text[], exclude text[]) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    q    tsquery;
    t    tsquery;
    term text;
BEGIN
    FOREACH term IN ARRAY coalesce(include, '{}') LOOP
        t := search_term_tsquery(term);
        IF t IS NOT NULL THEN
            q := CASE WHEN q IS NULL THEN t ELSE q && t END;
        END IF;
    END LOOP;
    IF q IS NULL THEN
        RETURN NULL;
    END IF;
    FOREACH term IN ARRAY coalesce(exclude, '{}') LOOP
        t := search_term_tsquery(term);
        IF t IS NOT NULL THEN
            q := q && !! t;
        END IF;
    END LOOP;
    RETURN q;
END
$$;

-- search_title_tsquery is the included terms labelled with weight A: it
-- matches a tsv whose title alone holds every term (relevance tiers).
CREATE FUNCTION search_title_tsquery(include text[]) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    q tsquery := search_tsquery(include, '{}'::text[]);
BEGIN
    IF q IS NULL THEN
        RETURN NULL;
    END IF;
    -- Every quoted lexeme of the query's text form gets the label :A.
    RETURN regexp_replace(q::text, $re$('(?:[^']|'')*')$re$, '\1:A', 'g')::tsquery;
END
$$;

-- search_title_tsv is the title alone as tsv holds it (without weights).
CREATE FUNCTION search_title_tsv(title text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_tsvector('simple'::regconfig, title) || to_tsvector('english'::regconfig, title)
$$;

DROP INDEX paste_search_tsv_idx;
ALTER TABLE paste_search DROP COLUMN tsv;
ALTER TABLE paste_search ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, title), 'A') ||
    setweight(to_tsvector('english'::regconfig, title), 'A') ||
    setweight(to_tsvector('simple'::regconfig, terms), 'B') ||
    setweight(to_tsvector('english'::regconfig, terms), 'B')
) STORED;
CREATE INDEX paste_search_tsv_idx ON paste_search USING gin (tsv);
CREATE INDEX paste_search_title_tsv_idx ON paste_search USING gin (search_title_tsv(title));
-- Searches are bounded (a few thousand candidates at most); parallel
-- workers only add their start-up, which on a busy server costs more than
-- the scan (hundreds of milliseconds measured at a million pastes).
ALTER TABLE paste_search SET (parallel_workers = 0);

CREATE TABLE search_words (
    word text PRIMARY KEY
);

CREATE TABLE search_word_variants (
    variant text NOT NULL,
    word    text NOT NULL REFERENCES search_words (word) ON DELETE CASCADE,
    PRIMARY KEY (variant, word)
);

-- search_title_words are the words of a title the dictionary keeps: lower
-- case, letters only, 4 to 32 of them (shorter words are never corrected).
CREATE FUNCTION search_title_words(title text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT DISTINCT w FROM regexp_split_to_table(lower(title), '[^[:alpha:]]+') w
    WHERE char_length(w) BETWEEN 4 AND 32
$$;

-- search_word_deletions is a word and each form of it with one letter
-- deleted.
CREATE FUNCTION search_word_deletions(word text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT word UNION
    SELECT left(word, i - 1) || substr(word, i + 1) FROM generate_series(1, char_length(word)) i
$$;

CREATE FUNCTION paste_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH added AS (
        INSERT INTO search_words (word)
        SELECT w FROM search_title_words(NEW.title) w
        ON CONFLICT DO NOTHING
        RETURNING word
    )
    INSERT INTO search_word_variants (variant, word)
    SELECT d, a.word FROM added a, search_word_deletions(a.word) d
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER paste_search_words_insert AFTER INSERT ON paste_search
    FOR EACH ROW WHEN (NEW.title <> '') EXECUTE FUNCTION paste_search_words();
CREATE TRIGGER paste_search_words_update AFTER UPDATE OF title ON paste_search
    FOR EACH ROW WHEN (NEW.title <> '' AND NEW.title IS DISTINCT FROM OLD.title) EXECUTE FUNCTION paste_search_words();

INSERT INTO search_words (word)
SELECT DISTINCT w FROM paste_search s, search_title_words(s.title) w
ON CONFLICT DO NOTHING;
INSERT INTO search_word_variants (variant, word)
SELECT d, sw.word FROM search_words sw, search_word_deletions(sw.word) d
ON CONFLICT DO NOTHING;

-- Search (issue 5). paste_search holds the searchable copy of every paste:
-- the metadata the filters need, denormalised so that a query touches one
-- table, and the first 64 KiB of the body. The tsvector is generated from
-- title (weight A) and body (weight B) with the 'simple' configuration, so
-- identifiers (parseHTTPHeader, fmt.Println, user_id) are kept as typed,
-- lower-cased, rather than stemmed. Rows follow their paste: ON DELETE
-- CASCADE removes them with a delete, a burn or the expiry sweep, ON UPDATE
-- CASCADE follows an ID change.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE paste_search (
    paste_id   text        PRIMARY KEY REFERENCES pastes (id) ON DELETE CASCADE ON UPDATE CASCADE,
    owner_id   bigint,
    visibility text        NOT NULL,
    syntax     text        NOT NULL,
    burn       boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    title      text        NOT NULL DEFAULT '',
    body       text        NOT NULL DEFAULT '',
    tsv        tsvector    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title), 'A') ||
        setweight(to_tsvector('simple'::regconfig, body), 'B')
    ) STORED
);

-- Word, phrase and identifier matches.
CREATE INDEX paste_search_tsv_idx ON paste_search USING gin (tsv);
-- Substrings of identifiers (HTTPHeader inside parseHTTPHeader).
CREATE INDEX paste_search_body_trgm_idx ON paste_search USING gin (body gin_trgm_ops);
-- Newest-first walks for common terms.
CREATE INDEX paste_search_recent_idx ON paste_search (created_at DESC, paste_id DESC);

-- Existing pastes get a document with their title; `web reindex` fills in
-- the bodies from the blob store.
INSERT INTO paste_search (paste_id, owner_id, visibility, syntax, burn, created_at, expires_at, title)
SELECT id, owner_id, visibility, syntax, burn_after_reading, created_at, expires_at, title FROM pastes;

-- search_queue is the durable outbox towards an external engine
-- (Typesense). A trigger writes it in the same transaction as every change
-- of a paste that search cares about, including deletes that cascade from
-- an account. The worker takes the paste's latest state at delivery time,
-- so a job only says "look at this paste again".
CREATE TABLE search_queue (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    paste_id        text        NOT NULL,
    op              text        NOT NULL CHECK (op IN ('upsert', 'delete')),
    enqueued_at     timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_queue_due_idx ON search_queue (next_attempt_at, id);
CREATE INDEX search_queue_paste_idx ON search_queue (paste_id, id);

CREATE FUNCTION pastes_enqueue_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_queue (paste_id, op) VALUES (OLD.id, 'delete');
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN
        INSERT INTO search_queue (paste_id, op) VALUES (OLD.id, 'delete');
    END IF;
    INSERT INTO search_queue (paste_id, op) VALUES (NEW.id, 'upsert');
    RETURN NEW;
END
$$;

CREATE TRIGGER pastes_enqueue_search_insert_delete AFTER INSERT OR DELETE ON pastes
    FOR EACH ROW EXECUTE FUNCTION pastes_enqueue_search();
CREATE TRIGGER pastes_enqueue_search_update
    AFTER UPDATE OF id, owner_id, title, syntax, visibility, blob_key, burn_after_reading, expires_at ON pastes
    FOR EACH ROW EXECUTE FUNCTION pastes_enqueue_search();

-- search_tsquery turns the parsed query into a tsquery without ever reading
-- query syntax: each term goes through phraseto_tsquery, which treats its
-- input as plain text, and the results are joined with AND and AND NOT.
-- Terms with no lexeme (punctuation only) are skipped.
CREATE FUNCTION search_tsquery(include text[], exclude text[]) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    q   tsquery;
    t   tsquery;
    term text;
BEGIN
    FOREACH term IN ARRAY coalesce(include, '{}') LOOP
        t := phraseto_tsquery('simple'::regconfig, term);
        IF numnode(t) > 0 THEN
            q := CASE WHEN q IS NULL THEN t ELSE q && t END;
        END IF;
    END LOOP;
    IF q IS NULL THEN
        RETURN NULL;
    END IF;
    FOREACH term IN ARRAY coalesce(exclude, '{}') LOOP
        t := phraseto_tsquery('simple'::regconfig, term);
        IF numnode(t) > 0 THEN
            q := q && !! t;
        END IF;
    END LOOP;
    RETURN q;
END
$$;

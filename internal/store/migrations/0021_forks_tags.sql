-- Forks and tags (issue 15).
--
-- Tags: pastes.tags holds a paste's tags (lower case, at most 10, checked
-- by paste.CheckTags), so every read of a paste row has them without a
-- join. paste_tags is the same list one row per tag, kept by a trigger,
-- for listing a tag's public pastes newest first (GET /explore?tag=) and
-- for the search filter. Its created_at copies the paste's, so the keyset
-- walk (tag, created_at, paste_id) is one index range; what may be shown
-- is still decided by publicly_readable on the paste row at read time.
ALTER TABLE pastes ADD COLUMN tags text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(tags) <= 10);

CREATE TABLE paste_tags (
    paste_id   text        NOT NULL REFERENCES pastes (id) ON DELETE CASCADE ON UPDATE CASCADE,
    tag        text        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (paste_id, tag)
);
CREATE INDEX paste_tags_tag_recent_idx ON paste_tags (tag, created_at DESC, paste_id DESC);

-- The trigger replaces a paste's rows when its tags (or ID) change. The
-- rows under either ID are removed first: ON UPDATE CASCADE may or may
-- not have moved them to the new ID yet.
CREATE FUNCTION paste_tags_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM paste_tags WHERE paste_id IN (OLD.id, NEW.id);
    END IF;
    INSERT INTO paste_tags (paste_id, tag, created_at)
    SELECT NEW.id, t, NEW.created_at FROM unnest(NEW.tags) AS t
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER paste_tags_insert AFTER INSERT ON pastes
    FOR EACH ROW WHEN (cardinality(NEW.tags) > 0) EXECUTE FUNCTION paste_tags_sync();
CREATE TRIGGER paste_tags_update AFTER UPDATE OF tags, id ON pastes
    FOR EACH ROW WHEN (OLD.tags IS DISTINCT FROM NEW.tags OR (OLD.id <> NEW.id AND cardinality(NEW.tags) > 0))
    EXECUTE FUNCTION paste_tags_sync();

-- Forks: forked_from names the paste a fork was made from; it follows the
-- original to a new ID (public made unlisted) and is cleared when the
-- original is deleted. forks counts the forks that still exist: a fork's
-- insert adds one to its original, its deletion takes one off.
ALTER TABLE pastes ADD COLUMN forked_from text REFERENCES pastes (id) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE pastes ADD COLUMN forks bigint NOT NULL DEFAULT 0;
CREATE INDEX pastes_forked_from_idx ON pastes (forked_from) WHERE forked_from IS NOT NULL;

CREATE FUNCTION paste_forks_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE pastes SET forks = forks + 1 WHERE id = NEW.forked_from;
    ELSE
        UPDATE pastes SET forks = greatest(forks - 1, 0) WHERE id = OLD.forked_from;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER paste_forks_insert AFTER INSERT ON pastes
    FOR EACH ROW WHEN (NEW.forked_from IS NOT NULL) EXECUTE FUNCTION paste_forks_count();
CREATE TRIGGER paste_forks_delete AFTER DELETE ON pastes
    FOR EACH ROW WHEN (OLD.forked_from IS NOT NULL) EXECUTE FUNCTION paste_forks_count();

-- An edit of the tags alone re-sends the paste to an external search
-- engine (migration 0004's outbox), whose documents carry them.
CREATE TRIGGER pastes_enqueue_search_tags AFTER UPDATE OF tags ON pastes
    FOR EACH ROW WHEN (OLD.tags IS DISTINCT FROM NEW.tags) EXECUTE FUNCTION pastes_enqueue_search();

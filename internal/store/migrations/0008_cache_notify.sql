-- Every replica keeps the pastes it reads most in memory (store.ReadCache:
-- the row, its owner's state, its comment count and first comment page).
-- These triggers tell every replica, at commit, what it must forget:
-- NOTIFY is transactional, so a rolled-back change says nothing, and
-- identical notifications in one transaction arrive once.
CREATE FUNCTION notify_paste_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pastel_cache', OLD.id);
    RETURN NULL;
END
$$;

-- Inserts need no message: the cache never remembers that an ID is free.
CREATE TRIGGER pastes_notify_cache AFTER UPDATE OR DELETE ON pastes
    FOR EACH ROW EXECUTE FUNCTION notify_paste_changed();

CREATE FUNCTION notify_comment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM pg_notify('pastel_cache', NEW.paste_id);
    ELSE
        PERFORM pg_notify('pastel_cache', OLD.paste_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER comments_notify_cache AFTER INSERT OR UPDATE OR DELETE ON comments
    FOR EACH ROW EXECUTE FUNCTION notify_comment_changed();

-- A user's name and state show on every paste and comment of theirs: a
-- change forgets everything ("*"). These changes are rare.
CREATE FUNCTION notify_users_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pastel_cache', '*');
    RETURN NULL;
END
$$;

CREATE TRIGGER users_notify_cache AFTER UPDATE OF username, disabled_at, deleted_at OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION notify_users_changed();

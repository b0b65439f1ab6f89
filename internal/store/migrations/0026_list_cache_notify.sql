-- Every replica keeps the lists anonymous visitors see (explore, the API's
-- first page, feeds, a user's pastes, search results) in memory
-- (readcache.Lists). Changes to a paste already forget them (0008: any
-- notification on pastel_cache does). What 0008 left unsaid concerns lists
-- alone: a new paste, and a rebuilt popular or trending list. One
-- notification per statement, '~lists' (no paste ID looks like it), says
-- so at commit.
CREATE FUNCTION notify_lists_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pastel_cache', '~lists');
    RETURN NULL;
END
$$;

CREATE TRIGGER pastes_notify_lists AFTER INSERT ON pastes
    FOR EACH STATEMENT EXECUTE FUNCTION notify_lists_changed();

CREATE TRIGGER popular_notify_lists AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON popular_pastes
    FOR EACH STATEMENT EXECUTE FUNCTION notify_lists_changed();

CREATE TRIGGER trending_notify_lists AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON trending_pastes
    FOR EACH STATEMENT EXECUTE FUNCTION notify_lists_changed();

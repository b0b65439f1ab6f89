-- One definition of what others may see of a paste, used by every list,
-- feed and search query instead of a copy of the rule in each. They are
-- SQL functions of one expression, IMMUTABLE and not STRICT, so the
-- planner inlines them into the calling query: the conditions reach the
-- plan as if written out (a partial index on visibility = 'public' still
-- matches, an index on expires_at still serves). Their bodies are
-- SQL-standard (RETURN …), stored parsed, so inlining them costs the
-- planner no parsing. "at" is the caller's now, passed in so the
-- application's clock, not the database's, decides expiry.

-- paste_live: not expired at "at", and its owner (if any) neither disabled
-- nor being deleted (deleting an account sets disabled_at with deleted_at).
CREATE FUNCTION paste_live(expires_at timestamptz, owner_disabled_at timestamptz, at timestamptz)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN owner_disabled_at IS NULL AND (expires_at IS NULL OR expires_at > at);

-- publicly_readable: anyone may read and list it: public, not
-- burn-after-reading (anyone could burn it first), and live.
CREATE FUNCTION publicly_readable(visibility text, burn boolean, expires_at timestamptz,
                                  owner_disabled_at timestamptz, at timestamptz)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN visibility = 'public' AND NOT burn AND paste_live(expires_at, owner_disabled_at, at);

-- listed_to: what lists and searches show viewer_id (0: nobody signed in):
-- the publicly readable pastes and, to their owner, the owner's own live
-- pastes that are not burn-after-reading.
CREATE FUNCTION listed_to(viewer_id bigint, owner_id bigint, visibility text, burn boolean,
                          expires_at timestamptz, owner_disabled_at timestamptz, at timestamptz)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN publicly_readable(visibility, burn, expires_at, owner_disabled_at, at)
    OR (viewer_id <> 0 AND owner_id = viewer_id AND NOT burn
        AND paste_live(expires_at, owner_disabled_at, at));

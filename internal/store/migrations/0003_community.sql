-- Community: comments (threaded), votes on pastes and comments, stars, view
-- de-duplication and the popular-pastes cache. Everything hanging off a
-- paste goes with it (ON DELETE CASCADE) and follows its ID when a public
-- paste becomes unlisted (ON UPDATE CASCADE).

CREATE TABLE comments (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    paste_id   text        NOT NULL REFERENCES pastes (id) ON DELETE CASCADE ON UPDATE CASCADE,
    parent_id  bigint      REFERENCES comments (id) ON DELETE CASCADE,
    root_id    bigint      REFERENCES comments (id) ON DELETE CASCADE, -- the thread's top-level comment; NULL for it
    depth      integer     NOT NULL DEFAULT 0 CHECK (depth >= 0),
    author_id  bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,                                              -- set: a placeholder kept for its replies
    likes      bigint      NOT NULL DEFAULT 0,
    dislikes   bigint      NOT NULL DEFAULT 0
);
-- A paste's top-level comments, oldest first, keyset-paginated.
CREATE INDEX comments_top_idx ON comments (paste_id, created_at, id) WHERE parent_id IS NULL;
-- The replies of a page of threads.
CREATE INDEX comments_root_idx ON comments (root_id, created_at, id) WHERE root_id IS NOT NULL;
CREATE INDEX comments_parent_idx ON comments (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX comments_author_idx ON comments (author_id);

-- One vote per user per paste; "no vote" is no row.
CREATE TABLE paste_votes (
    paste_id   text        NOT NULL REFERENCES pastes (id) ON DELETE CASCADE ON UPDATE CASCADE,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    value      smallint    NOT NULL CHECK (value IN (-1, 1)),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (paste_id, user_id)
);
CREATE INDEX paste_votes_user_id_idx ON paste_votes (user_id);

CREATE TABLE comment_votes (
    comment_id bigint      NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    value      smallint    NOT NULL CHECK (value IN (-1, 1)),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);
CREATE INDEX comment_votes_user_id_idx ON comment_votes (user_id);

CREATE TABLE stars (
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    paste_id   text        NOT NULL REFERENCES pastes (id) ON DELETE CASCADE ON UPDATE CASCADE,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, paste_id)
);
-- "My stars", newest first.
CREATE INDEX stars_user_recent_idx ON stars (user_id, created_at DESC, paste_id DESC);
CREATE INDEX stars_paste_id_idx ON stars (paste_id);

-- Who has been counted as a viewer of a paste in a 24-hour window. The
-- visitor is a SHA-256 of the user ID, or of IP, User-Agent and day for
-- anonymous visitors: no address is stored. No foreign key: rows of a
-- deleted paste are harmless and pruned with their window.
CREATE TABLE paste_views (
    paste_id     text        NOT NULL,
    visitor_hash bytea       NOT NULL,
    window_start timestamptz NOT NULL,
    PRIMARY KEY (paste_id, visitor_hash, window_start)
);
CREATE INDEX paste_views_window_idx ON paste_views (window_start);

-- The popular list, rebuilt on a schedule (see store.Community.RefreshPopular
-- for the score). Readers join it against pastes with the visibility and
-- expiry filter, so a paste that turns private, expires or is deleted
-- leaves the list at once.
CREATE TABLE popular_pastes (
    rank         integer          PRIMARY KEY,
    paste_id     text             NOT NULL UNIQUE REFERENCES pastes (id) ON DELETE CASCADE ON UPDATE CASCADE,
    score        double precision NOT NULL,
    refreshed_at timestamptz      NOT NULL
);

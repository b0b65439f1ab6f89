-- Pastel's first schema: accounts and pastes. Migrations are forward-only and
-- numbered; sqlc reads this folder as its schema.

CREATE TABLE users (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username           text        NOT NULL,
    email              text,
    password_hash      text        NOT NULL,
    is_admin           boolean     NOT NULL DEFAULT false,
    disabled_at        timestamptz,
    tokens_valid_after timestamptz NOT NULL DEFAULT now(),
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));

CREATE TABLE pastes (
    id                 text        PRIMARY KEY,
    owner_id           bigint      REFERENCES users (id) ON DELETE CASCADE,
    title              text        NOT NULL DEFAULT '',
    syntax             text        NOT NULL,
    visibility         text        NOT NULL CHECK (visibility IN ('public', 'unlisted', 'private')),
    size               bigint      NOT NULL CHECK (size >= 0),
    blob_key           text        NOT NULL UNIQUE,
    source_url         text        NOT NULL DEFAULT '',
    burn_after_reading boolean     NOT NULL DEFAULT false,
    delete_token_hash  bytea,
    revision           integer     NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    expires_at         timestamptz,
    likes              bigint      NOT NULL DEFAULT 0,
    dislikes           bigint      NOT NULL DEFAULT 0,
    stars              bigint      NOT NULL DEFAULT 0,
    views              bigint      NOT NULL DEFAULT 0
);

-- Recent public pastes, newest first, keyset-paginated on (created_at, id).
CREATE INDEX pastes_public_recent_idx ON pastes (created_at DESC, id DESC)
    WHERE visibility = 'public';
-- A user's own list.
CREATE INDEX pastes_owner_recent_idx ON pastes (owner_id, created_at DESC, id DESC);
-- The expiry sweeper.
CREATE INDEX pastes_expires_at_idx ON pastes (expires_at) WHERE expires_at IS NOT NULL;

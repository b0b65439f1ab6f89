-- Accounts: server-side browser sessions, JWT refresh tokens and revocations,
-- personal API tokens, and share links for private pastes.

CREATE TABLE sessions (
    id_hash      bytea       PRIMARY KEY,          -- SHA-256 of the cookie's random ID
    user_id      bigint      REFERENCES users (id) ON DELETE CASCADE,
    data         bytea       NOT NULL,
    user_agent   text        NOT NULL DEFAULT '',
    ip           text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL              -- absolute timeout
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE refresh_tokens (
    jti        text        PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family     text        NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    revoked_at timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family);
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);

-- Access tokens revoked before they expire (POST /auth/revoke).
CREATE TABLE revoked_tokens (
    jti        text        PRIMARY KEY,
    expires_at timestamptz NOT NULL
);

CREATE TABLE api_tokens (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    prefix       text        NOT NULL,
    token_hash   bytea       NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

-- A paste's ID changes when a public paste becomes unlisted (it needs a
-- long, unguessable ID), so references to pastes follow updates.
CREATE TABLE share_links (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    paste_id     text        NOT NULL REFERENCES pastes (id) ON DELETE CASCADE ON UPDATE CASCADE,
    token_hash   bytea       NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz
);
CREATE INDEX share_links_paste_id_idx ON share_links (paste_id);

-- Who may sign up and how people sign in (issue 16): invites for
-- REGISTRATION=invite, and accounts linked to an OpenID Connect provider.

-- An invite is a one-use registration link an admin made. Only the SHA-256
-- of its token is kept; used_at is set in the transaction that inserts the
-- account, so one invite makes at most one account.
CREATE TABLE invites (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash bytea       NOT NULL UNIQUE,
    created_by bigint      REFERENCES users (id) ON DELETE SET NULL, -- NULL: the command line
    note       text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    used_by    bigint      REFERENCES users (id) ON DELETE SET NULL,
    revoked_at timestamptz
);
CREATE INDEX invites_created_at_idx ON invites (created_at DESC, id DESC);

-- An account signed in through an OpenID Connect provider: linked by the
-- provider's issuer and the subject it names, never by e-mail.
CREATE TABLE user_identities (
    issuer       text        NOT NULL,
    subject      text        NOT NULL,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_user_id_idx ON user_identities (user_id);

-- Two-factor sign-in with a TOTP app. The secret is pending until its
-- owner confirms a code (enabled_at set); last_step is the time step of
-- the last code accepted, so a code works once.
CREATE TABLE user_totp (
    user_id    bigint      PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret     text        NOT NULL,
    created_at timestamptz NOT NULL,
    enabled_at timestamptz,
    last_step  bigint      NOT NULL DEFAULT 0
);

-- One-use recovery codes for when the app is lost; only SHA-256 kept.
CREATE TABLE recovery_codes (
    user_id   bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash bytea       NOT NULL,
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- One-use password reset links (an admin's, or asked for by e-mail);
-- only SHA-256 of the token kept.
CREATE TABLE password_resets (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea       NOT NULL UNIQUE,
    created_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX password_resets_user_id_idx ON password_resets (user_id);

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

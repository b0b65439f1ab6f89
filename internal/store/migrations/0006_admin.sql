-- Account lifecycle and moderation (issue 8): account deletion as a durable
-- job, reports, and the admin action log.

-- Set when an account is deleted. The same transaction sets disabled_at,
-- so everything that hides a disabled account's content hides it at once;
-- the account_deletions job then removes the rows and bodies and, last,
-- the users row itself.
ALTER TABLE users ADD COLUMN deleted_at timestamptz;

-- A comment kept as a "deleted" placeholder (it has replies) outlives its
-- author's account: the author becomes NULL instead of taking the thread
-- with it.
ALTER TABLE comments ALTER COLUMN author_id DROP NOT NULL;
ALTER TABLE comments DROP CONSTRAINT comments_author_id_fkey;
ALTER TABLE comments ADD CONSTRAINT comments_author_id_fkey
    FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE SET NULL;

-- One row per account being deleted. No foreign key: the job ends by
-- deleting the users row and this row in one transaction. A job that fails
-- (blob store down, crash) is retried, after a restart too; every step is
-- idempotent.
CREATE TABLE account_deletions (
    user_id         bigint      PRIMARY KEY,
    requested_by    text        NOT NULL CHECK (requested_by IN ('self', 'admin')),
    created_at      timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text        NOT NULL DEFAULT ''
);
CREATE INDEX account_deletions_due_idx ON account_deletions (next_attempt_at);

-- Reports of a paste or a comment by a signed-in user. A report goes with
-- its item (deleting the item resolves every report of it) and with its
-- reporter's account. One open report per reporter and item.
CREATE TABLE reports (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reporter_id bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    paste_id    text        REFERENCES pastes (id) ON DELETE CASCADE ON UPDATE CASCADE,
    comment_id  bigint      REFERENCES comments (id) ON DELETE CASCADE,
    reason      text        NOT NULL CHECK (reason IN ('spam', 'abuse', 'illegal', 'personal_data', 'malware', 'other')),
    details     text        NOT NULL DEFAULT '',
    status      text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'removed')),
    created_at  timestamptz NOT NULL,
    resolved_at timestamptz,
    resolved_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    CHECK ((paste_id IS NULL) <> (comment_id IS NULL))
);
CREATE UNIQUE INDEX reports_open_paste_key ON reports (reporter_id, paste_id)
    WHERE status = 'open' AND paste_id IS NOT NULL;
CREATE UNIQUE INDEX reports_open_comment_key ON reports (reporter_id, comment_id)
    WHERE status = 'open' AND comment_id IS NOT NULL;
CREATE INDEX reports_status_idx ON reports (status, created_at, id);
CREATE INDEX reports_paste_idx ON reports (paste_id) WHERE paste_id IS NOT NULL;
CREATE INDEX reports_comment_idx ON reports (comment_id) WHERE comment_id IS NOT NULL;
CREATE INDEX reports_resolved_by_idx ON reports (resolved_by) WHERE resolved_by IS NOT NULL;

-- What admins did, kept whatever happens to the accounts involved: names
-- are copied, not referenced.
CREATE TABLE admin_actions (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    admin_id   bigint      NOT NULL,
    admin_name text        NOT NULL,
    action     text        NOT NULL,
    target     text        NOT NULL,
    details    text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);
CREATE INDEX admin_actions_recent_idx ON admin_actions (created_at DESC, id DESC);

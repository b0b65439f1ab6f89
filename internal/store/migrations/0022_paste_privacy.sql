-- Password pastes, views caps and share links with their own limits
-- (issue 16).
--
-- password_hash: an Argon2id hash (PHC string) of the paste's password;
-- NULL: none. Reads by anyone but the owner then need the password.
-- max_views / views_left: a paste read at most max_views times. Such a
-- paste is burn_after_reading (reads consume it, lists and previews skip
-- it); views_left counts down once per read of its body and the read that
-- takes it to 0 deletes the row. A burn paste without a count (made before
-- this migration) has one view left.
ALTER TABLE pastes
    ADD COLUMN password_hash text,
    ADD COLUMN max_views     integer CHECK (max_views BETWEEN 1 AND 1000000),
    ADD COLUMN views_left    integer CHECK (views_left >= 0);

-- A share link may expire and may be used a limited number of times;
-- token_hint is the token's last 4 characters, to tell links apart in
-- lists (the token itself is shown once, when the link is made).
ALTER TABLE share_links
    ADD COLUMN token_hint text NOT NULL DEFAULT '',
    ADD COLUMN expires_at timestamptz,
    ADD COLUMN max_uses   integer CHECK (max_uses BETWEEN 1 AND 1000000),
    ADD COLUMN uses       integer NOT NULL DEFAULT 0 CHECK (uses >= 0);

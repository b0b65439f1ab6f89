-- popular_pastes is a cache that every reader joins against pastes (which
-- checks existence, visibility and expiry at read time), so it needs no
-- foreign key. The key made a delete, burn, expiry sweep or ID change of a
-- listed paste wait for the popular rebuild (which had deleted the row the
-- cascade must reach) while the rebuild's insert waited for that paste's row
-- lock: a deadlock, answered 500 (found by TestCrashSafety). Rows of pastes
-- that are gone now stay until the next rebuild, a minute at most, unseen.
ALTER TABLE popular_pastes DROP CONSTRAINT popular_pastes_paste_id_fkey;

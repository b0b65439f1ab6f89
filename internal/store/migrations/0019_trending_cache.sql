-- Trending this week (issue 18), rebuilt on a schedule like popular_pastes:
-- scoring a busy week's activity takes seconds at a million pastes, so a
-- task (once a minute, one replica) keeps the best scores here and the
-- explore page reads them, checking publicly_readable at read time. Like
-- popular_pastes (0007) it has no foreign key: a paste deleted or given a
-- new ID leaves a row no reader can join, until the next rebuild.
CREATE TABLE trending_pastes (
    rank         integer          PRIMARY KEY,
    paste_id     text             NOT NULL UNIQUE,
    score        double precision NOT NULL,
    refreshed_at timestamptz      NOT NULL
);

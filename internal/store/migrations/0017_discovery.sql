-- Discovery (issue 18): explore by language, trending this week.

-- Public pastes of one language, newest first (GET /explore?language=).
CREATE INDEX pastes_public_syntax_recent_idx ON pastes (syntax, created_at DESC, id DESC)
    WHERE visibility = 'public';

-- Trending counts the stars and votes of the last seven days.
CREATE INDEX stars_created_at_idx ON stars (created_at);
CREATE INDEX paste_votes_created_at_idx ON paste_votes (created_at);

-- Comments on lines (issue 17): a top-level comment may anchor to a range
-- of the paste's lines, as they were in the revision it was written on.
ALTER TABLE comments
    ADD COLUMN line_start    integer,
    ADD COLUMN line_end      integer,
    ADD COLUMN line_revision integer,
    ADD CONSTRAINT comments_lines_check CHECK (
        (line_start IS NULL AND line_end IS NULL AND line_revision IS NULL)
        OR (line_start IS NOT NULL AND line_end IS NOT NULL AND line_revision IS NOT NULL
            AND line_start >= 1 AND line_end >= line_start AND line_revision >= 1 AND parent_id IS NULL)
    );

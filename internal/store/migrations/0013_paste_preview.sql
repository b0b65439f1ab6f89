-- A short preview of each paste for lists and feeds (issue 13): the first
-- three lines of the body, at most 300 characters, computed when the paste is
-- written (paste.PreviewOf), so listing never reads a body from the blob
-- store. Who may see it is decided when it is shown (paste.Paste.ListPreview):
-- never for private or burn-after-reading pastes.
ALTER TABLE pastes ADD COLUMN preview text NOT NULL DEFAULT '';

-- Existing pastes: from the search copy of their body, where there is one.
-- The cache trigger would send one NOTIFY per row; no process serves yet.
ALTER TABLE pastes DISABLE TRIGGER pastes_notify_cache;
UPDATE pastes p
SET preview = left(rtrim(array_to_string(
        (string_to_array(replace(left(s.body, 2048), E'\r', ''), E'\n'))[1:3], E'\n'), E' \t\n'), 300)
FROM paste_search s
WHERE s.paste_id = p.id AND s.body <> '';
ALTER TABLE pastes ENABLE TRIGGER pastes_notify_cache;

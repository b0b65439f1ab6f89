-- A star remembers the ID its paste had when it was starred. stars.paste_id
-- follows the paste when a public paste becomes unlisted under a new ID
-- (ON UPDATE CASCADE); starred_id does not, so "My stars" can tell a
-- starrer who had the unlisted ID from one who only ever saw the public
-- one, and never shows the second the new ID.
ALTER TABLE stars ADD COLUMN starred_id text;
-- Stars from before this column: only those of public pastes are known to
-- hold the ID their starrer saw. A star of a paste that is unlisted now may
-- have followed it to a new ID; it stays counted but leaves the list.
UPDATE stars s SET starred_id = s.paste_id
FROM pastes p
WHERE p.id = s.paste_id AND p.visibility = 'public';

-- End-to-end encrypted pastes (issue 16). The body of such a paste is a
-- ciphertext envelope made in the browser (paste.CheckEnvelope); the key
-- stays in the link's #fragment and never reaches the server. The server
-- keeps no title, no preview and no search text for it, and never offers it
-- in a public list: encrypted pastes are unlisted or private
-- (paste.Service), so publicly_readable already leaves them out.
ALTER TABLE pastes ADD COLUMN encrypted boolean NOT NULL DEFAULT false;

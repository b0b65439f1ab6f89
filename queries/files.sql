-- Files and revisions of pastes (issue 15, migration 0020).

-- name: InsertPasteRevision :exec
INSERT INTO paste_revisions (paste_id, revision, title, author_id, created_at)
VALUES ($1, $2, $3, $4, $5);

-- name: InsertPasteFile :exec
INSERT INTO paste_files (paste_id, revision, position, name, syntax, blob_key, size, content_type)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8);

-- name: CopyPasteRevisions :copyfrom
INSERT INTO paste_revisions (paste_id, revision, title, author_id, created_at)
VALUES ($1, $2, $3, $4, $5);

-- name: CopyPasteFiles :copyfrom
INSERT INTO paste_files (paste_id, revision, position, name, syntax, blob_key, size, content_type)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8);

-- name: PasteFilesAt :many
-- One revision's files, first file first.
SELECT * FROM paste_files
WHERE paste_id = sqlc.arg(paste_id) AND revision = sqlc.arg(revision)
ORDER BY position;

-- name: ListPasteRevisions :many
-- A paste's revisions, newest first, with their authors' names.
SELECT r.revision, r.title, r.author_id, r.created_at, coalesce(u.username, '')::text AS author_name
FROM paste_revisions r
LEFT JOIN users u ON u.id = r.author_id
WHERE r.paste_id = sqlc.arg(paste_id)
ORDER BY r.revision DESC;

-- name: PasteRevisionByNumber :one
SELECT r.revision, r.title, r.author_id, r.created_at, coalesce(u.username, '')::text AS author_name
FROM paste_revisions r
LEFT JOIN users u ON u.id = r.author_id
WHERE r.paste_id = sqlc.arg(paste_id) AND r.revision = sqlc.arg(revision);

-- name: LockPasteRow :one
-- Taken before a paste's body keys are read for its deletion, so no edit
-- adds a key in between.
SELECT id FROM pastes WHERE id = $1 FOR UPDATE;

-- name: PasteBodyKeys :many
-- Every body key a paste's revisions name, and the row's own.
SELECT f.blob_key FROM paste_files f WHERE f.paste_id = sqlc.arg(paste_id)
UNION
SELECT p.blob_key FROM pastes p WHERE p.id = sqlc.arg(paste_id);

-- name: BodyKeysOfPastes :many
SELECT DISTINCT f.paste_id, f.blob_key FROM paste_files f WHERE f.paste_id = ANY(sqlc.arg(ids)::text[]);

-- name: ReferencedFileBlobKeys :many
SELECT DISTINCT blob_key FROM paste_files WHERE blob_key = ANY(sqlc.arg(keys)::text[]);

-- name: DeleteExpiredPastesWithBodies :many
-- DeleteExpiredPastes returning every body key of the removed pastes: the
-- files of all their revisions (read in the statement's snapshot, before
-- the cascade) and the rows' own. SKIP LOCKED passes over a paste being
-- edited, so no revision appears behind the snapshot's back.
WITH gone AS (
    DELETE FROM pastes
    WHERE id IN (
        SELECT e.id FROM pastes e
        WHERE e.expires_at <= sqlc.arg(now)::timestamptz
        ORDER BY e.expires_at
        LIMIT sqlc.arg(max_rows)
        FOR UPDATE SKIP LOCKED
    )
    RETURNING id, blob_key
)
SELECT gone.blob_key FROM gone
UNION
SELECT f.blob_key FROM paste_files f JOIN gone ON f.paste_id = gone.id;

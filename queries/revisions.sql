-- name: ListPasteFiles :many
-- Every file of every revision of a paste (issue 15), oldest revision
-- first, each revision's first file first.
SELECT * FROM paste_files
WHERE paste_id = sqlc.arg(paste_id)
ORDER BY revision, position;

// Package store is Pastel's PostgreSQL adapter: the pgx pool, forward-only
// migrations, and repositories over the sqlc-generated queries in dbgen. It is
// the only package that imports dbgen, and it turns driver errors into the
// domain's errors (pgx.ErrNoRows into ErrNotFound, unique violations into
// ErrConflict, lost connections into ErrUnavailable).
package store

package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"pastel/internal/paste"
	"pastel/internal/store/dbgen"
)

// Options configures the connection pool.
type Options struct {
	URL            string
	MaxConns       int32         // 0: pgx's default
	ConnectTimeout time.Duration // 0: 3 s, so a down database fails fast
	// Tracer sees every query the pool runs (metrics.DB times them); nil:
	// none.
	Tracer pgx.QueryTracer
}

// Open connects a pool. It does not fail when the database is down: the
// first query does, with an unavailable error.
func Open(ctx context.Context, o Options) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(o.URL)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if o.MaxConns > 0 {
		cfg.MaxConns = o.MaxConns
	}
	cfg.ConnConfig.ConnectTimeout = o.ConnectTimeout
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 3 * time.Second
	}
	if o.Tracer != nil {
		cfg.ConnConfig.Tracer = o.Tracer
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect database: %w", err)
	}
	return pool, nil
}

// Store holds the pool and the generated queries; repositories hang off it.
type Store struct {
	pool    *pgxpool.Pool
	q       *dbgen.Queries
	changes Changes // nil: nobody is told
	inserts *insertBatcher
}

// New returns a Store over pool.
func New(pool *pgxpool.Pool) *Store {
	s := &Store{pool: pool, q: dbgen.New(pool)}
	s.inserts = &insertBatcher{s: s}
	return s
}

// Changes is told, right after each commit, what this process changed:
// the paste whose row, owner, comments or votes changed, or everything.
// PostgreSQL's triggers announce the same changes to every replica (NOTIFY
// on channel pastel_cache, migration 0008); this tells the process that
// made them without waiting for the notification. internal/readcache
// implements it.
type Changes interface {
	Forget(id paste.ID)
	ForgetAll()
}

// TellChanges makes the Store tell c what it changes. Call it before the
// Store is used.
func (s *Store) TellChanges(c Changes) { s.changes = c }

// changed reports a change to paste id; "" for everything.
func (s *Store) changed(id paste.ID) {
	switch {
	case s.changes == nil:
	case id == "":
		s.changes.ForgetAll()
	default:
		s.changes.Forget(id)
	}
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return translate(s.pool.Ping(ctx))
}

// inTx runs fn in a transaction, committing when it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(q *dbgen.Queries) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return translate(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // a no-op after Commit
	if err := fn(s.q.WithTx(tx)); err != nil {
		return err
	}
	return translate(tx.Commit(ctx))
}

// translate maps driver errors onto domain errors, once, at the boundary.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return paste.ErrNotFound
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "23505": // unique_violation
			return fmt.Errorf("%w: %s", paste.ErrConflict, pgErr.ConstraintName)
		case pgErr.Code == "53300", // too_many_connections
			pgErr.Code[:2] == "08", // connection exceptions
			pgErr.Code[:2] == "57": // operator intervention: shutdown, cannot connect now
			return fmt.Errorf("database: %w: %w", paste.ErrUnavailable, err)
		}
		return fmt.Errorf("database: %w", err)
	}
	// Anything that is not a server-reported error is the connection failing:
	// refused, reset, timed out.
	return fmt.Errorf("database: %w: %w", paste.ErrUnavailable, err)
}

package metrics

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
)

// DB returns a pgx tracer (store.Options.Tracer) that times every query by
// its sqlc name ("-- name: CreatePaste :one" gives CreatePaste), "other" for
// SQL without one, and every pipelined batch as "batch".
func (m *Metrics) DB() pgx.QueryTracer {
	if m == nil {
		return nil
	}
	return dbTracer{m}
}

type dbTracer struct{ m *Metrics }

type dbSeries struct {
	duration prometheus.Observer
	errors   prometheus.Counter
}

type queryStartKey struct{}

type queryStart struct {
	name string
	at   time.Time
}

func (t dbTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	return context.WithValue(ctx, queryStartKey{}, queryStart{name: queryName(data.SQL), at: time.Now()})
}

func (t dbTracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryEndData) {
	if s, ok := ctx.Value(queryStartKey{}).(queryStart); ok {
		t.m.observeQuery(s, data.Err)
	}
}

// TraceBatchStart, TraceBatchQuery and TraceBatchEnd time a batch as one.
func (t dbTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return context.WithValue(ctx, queryStartKey{}, queryStart{name: "batch", at: time.Now()})
}

func (t dbTracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (t dbTracer) TraceBatchEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchEndData) {
	if s, ok := ctx.Value(queryStartKey{}).(queryStart); ok {
		t.m.observeQuery(s, data.Err)
	}
}

func (m *Metrics) observeQuery(s queryStart, err error) {
	v, ok := m.dbQueries.Load(s.name)
	if !ok {
		// The name is a slice of the query's SQL: keep a copy of its own.
		name := strings.Clone(s.name)
		v, _ = m.dbQueries.LoadOrStore(name, &dbSeries{
			duration: m.dbDuration.WithLabelValues(name),
			errors:   m.dbErrors.WithLabelValues(name),
		})
	}
	series := v.(*dbSeries)
	series.duration.Observe(time.Since(s.at).Seconds())
	if err != nil {
		series.errors.Inc()
	}
}

// queryName returns the sqlc name a query's SQL starts with, or "other".
func queryName(sql string) string {
	const prefix = "-- name: "
	if !strings.HasPrefix(sql, prefix) {
		return "other"
	}
	rest := sql[len(prefix):]
	end := strings.IndexAny(rest, " \n")
	if end <= 0 || end > 64 {
		return "other"
	}
	return rest[:end]
}

package metrics

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"pastel/internal/paste"
)

// stubBlobs answers every operation, Ping with an error.
type stubBlobs struct{}

func (stubBlobs) Put(context.Context, string, io.Reader, int64) error { return nil }
func (stubBlobs) Open(context.Context, string) (io.ReadCloser, error) {
	return nil, paste.ErrNotFound
}
func (stubBlobs) Delete(context.Context, string) error { return nil }
func (stubBlobs) Walk(context.Context, func(string, time.Time) error) error {
	return nil
}
func (stubBlobs) Ping(context.Context) error { return paste.ErrUnavailable }

// exported returns the names of every series a Metrics exports once each
// kind of event happened, with histograms' _bucket, _sum and _count.
func exported(t *testing.T) map[string]bool {
	t.Helper()
	m := New()
	m.RequestObserver("/raw/:id", "GET", 200)(0.01)
	m.ObserveJob("expiry_sweep", errors.New("down"))
	m.Cache("body", func() (uint64, uint64) { return 3, 1 })
	m.SearchQueueDepth(func(context.Context) (int, error) { return 2, nil })
	m.observeQuery(queryStart{name: "InsertPaste", at: time.Now()}, errors.New("x"))
	b := m.Blobs(stubBlobs{})
	b.Ping(t.Context())            //nolint:errcheck
	b.Open(t.Context(), "missing") //nolint:errcheck
	m.created.WithLabelValues("public").Inc()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range families {
		names[f.GetName()] = true
		if f.GetType().String() == "HISTOGRAM" {
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				names[f.GetName()+suffix] = true
			}
		}
	}
	return names
}

// TestDashboardNamesExportedMetrics: deploy/grafana/pastel.json is valid
// JSON, and every metric its PromQL names is one the app exports.
func TestDashboardNamesExportedMetrics(t *testing.T) {
	raw, err := os.ReadFile("../../deploy/grafana/pastel.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Title  string
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("dashboard is not JSON: %v", err)
	}
	names := exported(t)
	for _, want := range []string{"go_goroutines", "process_resident_memory_bytes", "pastel_http_requests_total",
		"pastel_cache_hits_total", "pastel_db_query_errors_total", "pastel_blob_operation_errors_total",
		"pastel_job_failures_total", "pastel_search_queue_depth", "pastel_pastes_created_total"} {
		if !names[want] {
			t.Errorf("%s not exported", want)
		}
	}
	// A metric name in PromQL: an identifier followed by a selector, a
	// range or the end of an aggregation's argument.
	metricRef := regexp.MustCompile(`\b((?:pastel|go|process)_[a-z0-9_]+)\b`)
	exprs := 0
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			exprs++
			refs := metricRef.FindAllString(tg.Expr, -1)
			if len(refs) == 0 {
				t.Errorf("panel %q: %q names no metric", p.Title, tg.Expr)
			}
			for _, name := range refs {
				if !names[name] {
					t.Errorf("panel %q names %s, which the app does not export", p.Title, name)
				}
			}
			if strings.Count(tg.Expr, "(") != strings.Count(tg.Expr, ")") {
				t.Errorf("panel %q: unbalanced parentheses in %q", p.Title, tg.Expr)
			}
		}
	}
	if exprs < 10 {
		t.Errorf("only %d queries", exprs)
	}
}

func TestQueryName(t *testing.T) {
	for sql, want := range map[string]string{
		"-- name: CreatePaste :one\nINSERT INTO pastes": "CreatePaste",
		"-- name: ListPastes :many\nSELECT":             "ListPastes",
		"SELECT 1":                                      "other",
		"-- name: ":                                     "other",
	} {
		if got := queryName(sql); got != want {
			t.Errorf("queryName(%q) = %q, want %q", sql, got, want)
		}
	}
}

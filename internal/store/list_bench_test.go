package store_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"pastel/internal/paste"
	"pastel/internal/store"
)

// BenchmarkListRecentPostgres measures the public list (/explore, the API's
// sort=recent, the feed) over the search benchmark's corpus of
// PASTEL_BENCH_PASTES pastes (default 1,000,000): the first page, and a page
// half-way down through its cursor, each through the repository call the
// service makes. It reports p50 and p99 over 500 runs.
func BenchmarkListRecentPostgres(b *testing.B) {
	n := benchSize()
	pool := benchPool(b, n)
	repo := store.New(pool).Pastes()
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var mid paste.Cursor
	if err := pool.QueryRow(ctx, `SELECT created_at, id FROM pastes WHERE visibility = 'public'
		ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`, n/2).Scan(&mid.CreatedAt, &mid.ID); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		before *paste.Cursor
	}{{"first_page", nil}, {"half_way", &mid}} {
		b.Run(c.name, func(b *testing.B) {
			q := paste.ListQuery{Now: now, Before: c.before, Limit: 31}
			var lat []time.Duration
			b.ResetTimer()
			for i := 0; i < max(b.N, 500); i++ {
				t0 := time.Now()
				items, err := repo.ListPastes(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				if len(items) != 31 {
					b.Fatalf("%d items", len(items))
				}
				lat = append(lat, time.Since(t0))
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
			b.ReportMetric(float64(p50.Microseconds())/1000, "p50_ms")
			b.ReportMetric(float64(p99.Microseconds())/1000, "p99_ms")
			b.Logf("%s: p50 %s, p99 %s over %d runs", c.name, p50, p99, len(lat))
		})
	}
}

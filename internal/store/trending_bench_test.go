package store_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/store"
)

// BenchmarkTrending measures trending this week at the scale of the
// per-request version's measurement: 1,000,000 pastes (one in ten not
// public) of 2,000 users over 30 days, about 200,000 stars and 100,000
// votes over 30 days and 300,000 viewer-days over 8 days, all skewed
// toward a few pastes. It reports the scheduled rebuild's time and the
// page's read (p50/p99 over 500 runs, besides ns/op), and logs the read's
// EXPLAIN ANALYZE.
func BenchmarkTrending(b *testing.B) {
	ctx := context.Background()
	pool := pgtest.NewPool(b)
	now := time.Now().UTC()
	start := time.Now()
	for _, q := range []string{
		`INSERT INTO users (username, password_hash, created_at)
		 SELECT 'user' || g, 'x', $1 FROM generate_series(1, 2000) g`,
		`INSERT INTO pastes (id, owner_id, title, syntax, visibility, size, blob_key, created_at, updated_at)
		 SELECT lpad(to_hex(g), 8, '0'), g % 2000 + 1, 'paste ' || g, 'text',
		        CASE WHEN g % 10 = 0 THEN 'private' ELSE 'public' END, 10, 'pastes/bench/' || g,
		        $1::timestamptz - g * interval '2.592 seconds', $1::timestamptz - g * interval '2.592 seconds'
		 FROM generate_series(1, 1000000) g`,
		`INSERT INTO stars (user_id, paste_id, created_at)
		 SELECT g % 2000 + 1, lpad(to_hex(1 + floor(999999 * power(random(), 3))::int), 8, '0'),
		        $1::timestamptz - random() * interval '30 days'
		 FROM generate_series(0, 199999) g ON CONFLICT DO NOTHING`,
		`INSERT INTO paste_votes (paste_id, user_id, value, created_at)
		 SELECT lpad(to_hex(1 + floor(999999 * power(random(), 3))::int), 8, '0'), g % 2000 + 1,
		        CASE WHEN g % 5 = 0 THEN -1 ELSE 1 END, $1::timestamptz - random() * interval '30 days'
		 FROM generate_series(0, 99999) g ON CONFLICT DO NOTHING`,
		`INSERT INTO paste_views (paste_id, visitor_hash, window_start)
		 SELECT lpad(to_hex(1 + floor(999999 * power(random(), 2))::int), 8, '0'), int8send(g),
		        date_trunc('day', $1::timestamptz) - (g % 8) * interval '1 day'
		 FROM generate_series(0, 299999) g ON CONFLICT DO NOTHING`,
		`ANALYZE`,
	} {
		var err error
		if q == `ANALYZE` {
			_, err = pool.Exec(ctx, q)
		} else {
			_, err = pool.Exec(ctx, q, now)
		}
		if err != nil {
			b.Fatalf("generate: %v\n%s", err, q)
		}
	}
	var stars, weekStars int64
	if err := pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE created_at >= $1) FROM stars`, now.Add(-paste.TrendingWindow)).Scan(&stars, &weekStars); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated 1,000,000 pastes, %d stars (%d this week), votes and 300,000 viewer-days in %s",
		stars, weekStars, time.Since(start).Round(time.Second))

	com := store.NewCommunity(store.New(pool), store.CommunityOptions{})
	since := now.Add(-paste.TrendingWindow)
	var rebuilds []time.Duration
	for range 3 {
		t0 := time.Now()
		n, err := com.RefreshTrending(ctx, now, since, paste.TrendingKept)
		if err != nil || n != paste.TrendingKept {
			b.Fatalf("rebuild: %d rows, %v", n, err)
		}
		rebuilds = append(rebuilds, time.Since(t0))
	}
	b.Logf("rebuild (%d kept): %v", paste.TrendingKept, rebuilds)

	rows, err := pool.Query(ctx, `EXPLAIN (ANALYZE, BUFFERS)
		SELECT p.id, coalesce(u.username, '')::text AS owner_name, tp.score
		FROM trending_pastes tp
		JOIN pastes p ON p.id = tp.paste_id
		LEFT JOIN users u ON u.id = p.owner_id
		WHERE publicly_readable(p.visibility, p.burn_after_reading, p.expires_at, u.disabled_at, $1::timestamptz)
		ORDER BY tp.rank
		LIMIT $2`, now, paste.TrendingSize)
	if err != nil {
		b.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			b.Fatal(err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	// The scans and the timings (the whole plan is longer than a
	// benchmark's log shows).
	var brief []string
	for _, l := range plan {
		if strings.Contains(l, "Scan") || strings.Contains(l, "Time:") {
			brief = append(brief, strings.TrimSpace(l))
		}
	}
	b.Logf("read plan:\n%s", strings.Join(brief, "\n"))

	var lat []time.Duration
	for range 500 {
		t0 := time.Now()
		items, err := com.ListTrending(ctx, now, paste.TrendingSize)
		if err != nil || len(items) != paste.TrendingSize {
			b.Fatalf("read: %d items, %v", len(items), err)
		}
		lat = append(lat, time.Since(t0))
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ResetTimer()
	for range b.N {
		if _, err := com.ListTrending(ctx, now, paste.TrendingSize); err != nil {
			b.Fatal(err)
		}
	}
	// After the loop: ResetTimer drops metrics reported before it.
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(rebuilds[len(rebuilds)-1].Milliseconds()), "rebuild-ms")
}

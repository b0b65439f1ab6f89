package store_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"pastel/internal/pgtest"
	"pastel/internal/store"
)

// BenchmarkPopularList measures the popular-list query the explore page
// runs (first page of 30, and a deep page through the cursor) over 100,000
// public pastes and 1,000,000 votes, after a refresh of the cache. It
// reports p50 and p99 over 2,000 timed runs besides ns/op, and how long
// the scheduled rebuild takes.
func BenchmarkPopularList(b *testing.B) {
	ctx := context.Background()
	pool := pgtest.NewPool(b)
	now := time.Now().UTC()
	start := time.Now()
	for _, q := range []string{
		`INSERT INTO users (username, password_hash, created_at)
		 SELECT 'user' || g, 'x', $1 FROM generate_series(1, 1000) g`,
		// Ages spread over a month; views vary.
		`INSERT INTO pastes (id, title, syntax, visibility, size, blob_key, created_at, updated_at, views)
		 SELECT lpad(to_hex(g), 8, '0'), 'paste ' || g, 'text', 'public', 10, 'pastes/bench/' || g,
		        $1::timestamptz - (g % 720) * interval '1 hour' - g * interval '1 second',
		        $1::timestamptz - (g % 720) * interval '1 hour' - g * interval '1 second',
		        (g * 7919) % 1000
		 FROM generate_series(1, 100000) g`,
		// Ten distinct voters per paste, about one in five a dislike.
		`INSERT INTO paste_votes (paste_id, user_id, value, created_at)
		 SELECT lpad(to_hex(g % 100000 + 1), 8, '0'),
		        (g / 100000) * 100 + ((g % 100000) * 13) % 100 + 1,
		        CASE WHEN (g * 31) % 5 = 0 THEN -1 ELSE 1 END, $1
		 FROM generate_series(0, 999999) g`,
		`UPDATE pastes p SET likes = v.l, dislikes = v.d
		 FROM (SELECT paste_id, count(*) FILTER (WHERE value = 1) AS l, count(*) FILTER (WHERE value = -1) AS d
		       FROM paste_votes GROUP BY paste_id) v
		 WHERE p.id = v.paste_id AND $1::timestamptz IS NOT NULL`,
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
	var votes int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM paste_votes`).Scan(&votes); err != nil || votes != 1_000_000 {
		b.Fatalf("votes generated: %d %v", votes, err)
	}
	b.Logf("generated 100,000 pastes and %d votes in %s", votes, time.Since(start).Round(time.Millisecond))

	com := store.NewCommunity(store.New(pool), store.CommunityOptions{})
	t0 := time.Now()
	n, err := com.RefreshPopular(ctx, now)
	if err != nil || n == 0 {
		b.Fatalf("refresh: %d %v", n, err)
	}
	refresh := time.Since(t0)
	// The page after the first 300: the cursor path.
	deep := 300

	durations := make([]time.Duration, 0, 2000)
	for i := 0; i < 2000; i++ {
		after := 0
		if i%2 == 1 {
			after = deep
		}
		t := time.Now()
		items, err := com.ListPopular(ctx, now, after, 31)
		durations = append(durations, time.Since(t))
		if err != nil || len(items) != 31 {
			b.Fatalf("list: %d items, %v", len(items), err)
		}
	}
	sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
	p50 := durations[len(durations)/2]
	p99 := durations[len(durations)*99/100]

	for b.Loop() {
		if _, err := com.ListPopular(ctx, now, 0, 31); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(refresh.Milliseconds()), "refresh-ms")
	if p99 > 5*time.Millisecond {
		b.Errorf("p99 %s, want under 5ms", p99)
	}
}

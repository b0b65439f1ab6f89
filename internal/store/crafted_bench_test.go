package store_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/store"
)

// BenchmarkCreateBesideCraftedCreates measures ordinary creates (a short
// body) alone, then while three clients keep creating pastes whose bodies
// are 64 KiB of "<!--", the input that made to_tsvector quadratic. It
// reports p50 and p99 of the ordinary creates besides ns/op, and how many
// crafted creates completed meanwhile.
func BenchmarkCreateBesideCraftedCreates(b *testing.B) {
	for _, crafted := range []int{0, 3} {
		b.Run(fmt.Sprintf("crafted=%d", crafted), func(b *testing.B) {
			ctx := context.Background()
			st := store.New(pgtest.NewPool(b))
			repo := st.Pastes()
			body := craftedBody("<!--", "crafted")
			stop := make(chan struct{})
			var wg sync.WaitGroup
			var craftedDone atomic.Int64
			var craftedErr atomic.Value
			for c := range crafted {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						p := mkPaste(fmt.Sprintf("Evil%d%06d", c, i), paste.Public, t0)
						if err := repo.InsertPaste(ctx, p, body); err != nil {
							craftedErr.Store(err)
							return
						}
						craftedDone.Add(1)
					}
				}()
			}
			if crafted > 0 {
				time.Sleep(200 * time.Millisecond) // let them get going
			}
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := range b.N {
				p := mkPaste(fmt.Sprintf("Norm%07d", i), paste.Public, t0)
				start := time.Now()
				if err := repo.InsertPaste(ctx, p, "func main() { fmt.Println(\"hello\") }"); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			close(stop)
			wg.Wait()
			if err, ok := craftedErr.Load().(error); ok {
				b.Fatalf("crafted create: %v", err)
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(craftedDone.Load()), "crafted-creates")
		})
	}
}

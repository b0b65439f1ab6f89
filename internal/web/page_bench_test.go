package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"pastel/internal/paste"
)

// goSource4K is 4 KiB of Go, the size bench-http's page scenarios use.
func goSource4K() []byte {
	unit := []byte("func handler(w http.ResponseWriter, r *http.Request) {\n\tfmt.Fprintf(w, \"hello %s\", r.URL.Path) // a comment\n}\n\n")
	return bytes.Repeat(unit, 4<<10/len(unit)+1)[:4<<10]
}

// The page benchmarks report, beside wall time, the process's CPU time per
// op (cpu-ns/op): on a shared machine wall time mostly measures the load.

// BenchmarkPageCold is the first view of a 4 KiB Go paste by an anonymous
// visitor, through the whole app; one op is one page.
//
//   - nothing-kept: a paste written past this process's caches (another
//     replica wrote it, or it was evicted): row, comments, rendering and
//     snapshot are all read or made.
//   - rows-cold: its rendering is kept (a revision names one body) but the
//     read cache was just emptied (a change elsewhere, a reconnect): row,
//     comments and snapshot are read or made.
func BenchmarkPageCold(b *testing.B) {
	e := newEnv(b)
	body := goSource4K()
	ctx := context.Background()
	b.Run("nothing-kept", func(b *testing.B) {
		cpu := startCPU(b)
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			id := paste.NewID(paste.Unlisted)
			now := time.Now().UTC().Truncate(time.Microsecond)
			p := paste.Paste{ID: id, Syntax: "go", Visibility: paste.Unlisted, Size: int64(len(body)),
				CreatedAt: now, UpdatedAt: now, Revision: 1, BlobKey: fmt.Sprintf("pastes/be/be%030x", i)}
			if err := e.blobs.Put(ctx, p.BlobKey, bytes.NewReader(body), p.Size); err != nil {
				b.Fatal(err)
			}
			if err := e.store.Pastes().InsertPaste(ctx, p, ""); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			cpu.resume()
			benchGet(b, e, "/"+string(id))
			cpu.pause()
		}
		cpu.report()
	})
	b.Run("rows-cold", func(b *testing.B) {
		p := e.create(paste.CreateInput{Content: body, Syntax: "go", Visibility: paste.Unlisted})
		benchGet(b, e, "/"+string(p.ID))
		cpu := startCPU(b)
		for b.Loop() {
			b.StopTimer()
			e.cache.ForgetAll()
			b.StartTimer()
			cpu.resume()
			benchGet(b, e, "/"+string(p.ID))
			cpu.pause()
		}
		cpu.report()
	})
}

// BenchmarkPageWarm is a later view of the same page (the snapshot).
func BenchmarkPageWarm(b *testing.B) {
	e := newEnv(b)
	p := e.create(paste.CreateInput{Content: goSource4K(), Syntax: "go"})
	benchGet(b, e, "/"+string(p.ID))
	cpu := startCPU(b)
	cpu.resume()
	for b.Loop() {
		benchGet(b, e, "/"+string(p.ID))
	}
	cpu.pause()
	cpu.report()
}

// BenchmarkRawWarm is a raw view of a 4 KiB paste whose body is in memory.
func BenchmarkRawWarm(b *testing.B) {
	e := newEnv(b)
	p := e.create(paste.CreateInput{Content: goSource4K(), Syntax: "go"})
	benchGet(b, e, "/raw/"+string(p.ID))
	cpu := startCPU(b)
	cpu.resume()
	for b.Loop() {
		benchGet(b, e, "/raw/"+string(p.ID))
	}
	cpu.pause()
	cpu.report()
}

// cpuMeter adds up the process's CPU time over the timed parts of a
// benchmark.
type cpuMeter struct {
	b     *testing.B
	total time.Duration
	at    time.Duration
}

func startCPU(b *testing.B) *cpuMeter { return &cpuMeter{b: b} }

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (m *cpuMeter) resume() { m.at = processCPU() }
func (m *cpuMeter) pause()  { m.total += processCPU() - m.at }
func (m *cpuMeter) report() {
	m.b.ReportMetric(float64(m.total.Nanoseconds())/float64(m.b.N), "cpu-ns/op")
}

func benchGet(b *testing.B, e *env, path string) {
	resp, err := e.app.Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
}

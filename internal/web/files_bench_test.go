package web_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pastel/internal/paste"
)

// BenchmarkFilesPage is a view of a three-file paste (4 KiB of Go, a
// Markdown note, a shell script) by an anonymous visitor, through the whole
// app; one op is one page.
//
//   - warm: renderings and rows kept, as for a paste being read.
//   - renders-cold: every file rendered afresh (its rendering cache
//     emptied by a fresh paste each time; rows and comments read too).
func BenchmarkFilesPage(b *testing.B) {
	e := newEnv(b)
	files := []paste.FileInput{
		{Name: "main.go", Content: goSource4K()},
		{Name: "README.md", Content: []byte("# Three files\n\nA note with *emphasis*, a [link](https://example.org) and a list:\n\n- one\n- two\n")},
		{Name: "run.sh", Content: []byte("#!/bin/sh\nset -eu\ngo build ./... && ./main \"$@\"\n")},
	}
	b.Run("warm", func(b *testing.B) {
		p := e.create(paste.CreateInput{Files: files, Visibility: paste.Unlisted})
		benchGet(b, e, "/"+string(p.ID))
		cpu := startCPU(b)
		for b.Loop() {
			cpu.resume()
			benchGet(b, e, "/"+string(p.ID))
			cpu.pause()
		}
		cpu.report()
	})
	b.Run("renders-cold", func(b *testing.B) {
		cpu := startCPU(b)
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			// Other bytes each time: nothing of it is kept.
			fresh := append([]paste.FileInput(nil), files...)
			fresh[2] = paste.FileInput{Name: "run.sh", Content: []byte("#!/bin/sh\necho " + fmt.Sprintf("%d-%d", i, time.Now().UnixNano()) + "\n")}
			fresh[0] = paste.FileInput{Name: "main.go", Content: append(append([]byte(nil), goSource4K()...), []byte("// "+fmt.Sprintf("%d-%d", i, time.Now().UnixNano())+"\n")...)}
			p := e.create(paste.CreateInput{Files: fresh, Visibility: paste.Unlisted})
			b.StartTimer()
			cpu.resume()
			benchGet(b, e, "/"+string(p.ID))
			cpu.pause()
		}
		cpu.report()
	})
}

// BenchmarkFilesZip downloads a ZIP of three files totalling 10 MiB over
// real HTTP and reports the peak growth of the process's heap while it
// streams (peak-heap-MiB), sampled every millisecond; it fails past
// 16 MiB. The bodies are text (base64 of random bytes), so deflate works.
func BenchmarkFilesZip(b *testing.B) {
	e := newEnv(b, served(), withMaxBytes(12<<20))
	rng := rand.New(rand.NewPCG(1, 2))
	var files []paste.FileInput
	for _, name := range []string{"a.txt", "b.txt", "c.txt"} {
		raw := make([]byte, (10<<20)/3*3/4)
		for j := range raw {
			raw[j] = byte(rng.Uint32())
		}
		files = append(files, paste.FileInput{Name: name, Content: []byte(base64.StdEncoding.EncodeToString(raw))})
	}
	total := 0
	for _, f := range files {
		total += len(f.Content)
	}
	p := e.create(paste.CreateInput{Files: files, Visibility: paste.Unlisted})
	files = nil // the bodies are in the blob store now, not in this process
	url := e.base + "/dl/" + string(p.ID)
	var peak float64
	for b.Loop() {
		runtime.GC()
		base := heapBytes()
		var top atomic.Uint64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			t := time.NewTicker(time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					if h := heapBytes(); h > top.Load() {
						top.Store(h)
					}
				}
			}
		})
		resp, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		close(stop)
		wg.Wait()
		if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" || n == 0 {
			b.Fatalf("download = %d %s, %d bytes (%v)", resp.StatusCode, resp.Header.Get("Content-Type"), n, err)
		}
		growth := float64(int64(top.Load())-int64(base)) / (1 << 20)
		peak = max(peak, growth)
	}
	b.SetBytes(int64(total))
	b.ReportMetric(peak, "peak-heap-MiB")
	if peak >= 16 {
		b.Fatalf("the ZIP of %d MiB grew the heap by %.1f MiB (limit 16)", total>>20, peak)
	}
}

// heapBytes is the bytes of live and not yet swept heap objects.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

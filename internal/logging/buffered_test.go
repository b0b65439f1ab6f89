package logging

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

type recorder struct {
	mu     sync.Mutex
	writes []string
}

func (r *recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.writes = append(r.writes, string(p))
	return len(p), nil
}

func (r *recorder) all() (string, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.writes, ""), len(r.writes)
}

// TestWriterBatchesWholeLines: many lines reach the destination in few
// writes, each line whole, in order, nothing lost on Close.
func TestWriterBatchesWholeLines(t *testing.T) {
	rec := &recorder{}
	w := NewWriter(rec, 4096, time.Hour)
	var want bytes.Buffer
	for i := range 1000 {
		line := strings.Repeat(string(rune('a'+i%26)), 1+i%97) + "\n"
		want.WriteString(line)
		if _, err := w.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, n := rec.all()
	if got != want.String() {
		t.Fatal("lines lost or reordered")
	}
	if n > want.Len()/4096+2 {
		t.Fatalf("%d writes for %d bytes: not batched", n, want.Len())
	}
	rec.mu.Lock()
	for _, wr := range rec.writes {
		if !strings.HasSuffix(wr, "\n") {
			t.Fatalf("a write ends mid-line: %q", wr[max(0, len(wr)-20):])
		}
	}
	rec.mu.Unlock()
}

// TestWriterFlushesOnItsOwn: a quiet server's last lines still appear
// within the interval.
func TestWriterFlushesOnItsOwn(t *testing.T) {
	rec := &recorder{}
	w := NewWriter(rec, 4096, 10*time.Millisecond)
	defer w.Close()
	w.Write([]byte("one line\n"))
	deadline := time.Now().Add(5 * time.Second)
	for {
		if got, _ := rec.all(); got == "one line\n" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the line was never flushed")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Package logging provides the log output the server writes through: a
// buffered writer, so that an access line per request does not cost a
// write system call per request.
package logging

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// Writer buffers what is written to it and passes it on to the underlying
// writer when the buffer fills, at least every interval, and on Flush or
// Close. Each Write is kept whole: log lines are never split across two
// writes to the destination. It is safe for concurrent use.
type Writer struct {
	mu    sync.Mutex
	buf   *bufio.Writer
	stop  chan struct{}
	done  chan struct{}
	close sync.Once
}

// NewWriter returns a Writer over w with size bytes of buffer, flushed at
// least every interval.
func NewWriter(w io.Writer, size int, interval time.Duration) *Writer {
	b := &Writer{buf: bufio.NewWriterSize(w, size), stop: make(chan struct{}), done: make(chan struct{})}
	go b.flushEvery(interval)
	return b
}

func (b *Writer) flushEvery(interval time.Duration) {
	defer close(b.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			b.Flush() //nolint:errcheck // nothing to report a log failure to
		case <-b.stop:
			return
		}
	}
}

// Write buffers p. A line larger than the free space first flushes what is
// buffered, so lines stay whole.
func (b *Writer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(p) > b.buf.Available() && b.buf.Buffered() > 0 {
		if err := b.buf.Flush(); err != nil {
			return 0, err
		}
	}
	return b.buf.Write(p)
}

// Flush passes on everything buffered.
func (b *Writer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Flush()
}

// Close stops the periodic flush and flushes what is left.
func (b *Writer) Close() error {
	b.close.Do(func() {
		close(b.stop)
		<-b.done
	})
	return b.Flush()
}

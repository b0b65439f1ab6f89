package search

import (
	"context"
	"time"

	"pastel/internal/clock"
	"pastel/internal/crashpoint"
	"pastel/internal/paste"
)

// Queue is the durable search_queue (store.Store implements it).
type Queue interface {
	// ProcessSearchJobs claims due jobs, loads the latest state of their
	// pastes and calls deliver; the jobs go on success and are rescheduled
	// at now+backoff(attempts) on failure. It returns how many it handled.
	ProcessSearchJobs(ctx context.Context, now time.Time, max int,
		backoff func(attempts int32) time.Duration,
		deliver func(ctx context.Context, upserts []paste.SearchDoc, deletes []paste.ID) error) (int, error)
}

// Index receives documents; Typesense implements it.
type Index interface {
	Upsert(ctx context.Context, docs []paste.SearchDoc) error
	Delete(ctx context.Context, ids []paste.ID) error
}

// WorkerOptions tune a Worker.
type WorkerOptions struct {
	Batch      int           // jobs per round; 0: 100
	MaxBackoff time.Duration // longest pause between retries of a job; 0: 5 min
	Now        clock.Clock   // nil: the real time
}

// Worker delivers the queue to an index. Without an index (PostgreSQL-only
// deployments) it just empties the queue. It does one round at a time
// (RunOnce); cmd/web's runner repeats it, logs its failures, and drains it
// on shutdown (Drain).
type Worker struct {
	queue Queue
	index Index
	opts  WorkerOptions
}

// NewWorker returns a worker; index may be nil.
func NewWorker(q Queue, index Index, o WorkerOptions) *Worker {
	if o.Batch <= 0 {
		o.Batch = 100
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 5 * time.Minute
	}
	return &Worker{queue: q, index: index, opts: o}
}

// Batch is how many jobs a round handles at most: a round that handled
// this many leaves more waiting.
func (w *Worker) Batch() int { return w.opts.Batch }

// Backoff is the pause before retry number attempts+1: one second doubled
// per failed attempt, at most MaxBackoff.
func (w *Worker) Backoff(attempts int32) time.Duration {
	d := time.Second
	for i := int32(0); i < attempts && d < w.opts.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, w.opts.MaxBackoff)
}

func (w *Worker) deliver(ctx context.Context, upserts []paste.SearchDoc, deletes []paste.ID) error {
	if w.index == nil {
		return nil
	}
	// Deletes first: a paste whose ID changed is deleted under the old ID
	// and upserted under the new one, never both shown.
	if err := w.index.Delete(ctx, deletes); err != nil {
		return err
	}
	if err := w.index.Upsert(ctx, upserts); err != nil {
		return err
	}
	crashpoint.Here(crashpoint.SearchAfterDelivery)
	return nil
}

// RunOnce handles one batch of due jobs and returns how many it handled.
// A delivery failure is returned after the jobs were rescheduled.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	return w.queue.ProcessSearchJobs(ctx, w.opts.Now.Now(), w.opts.Batch, w.Backoff, w.deliver)
}

// Drain delivers what is due until the queue has nothing due, a delivery
// fails, or ctx ends; for shutdown. Jobs left behind stay queued.
func (w *Worker) Drain(ctx context.Context) error {
	for {
		n, err := w.RunOnce(ctx)
		if err != nil || n == 0 {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

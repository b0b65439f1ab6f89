package search

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

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
	Poll       time.Duration // pause when the queue is empty; 0: 1 s
	MaxBackoff time.Duration // longest pause between retries of a job; 0: 5 min
	Now        func() time.Time
	Logger     *slog.Logger
}

// Worker delivers the queue to an index. Without an index (PostgreSQL-only
// deployments) it just empties the queue.
type Worker struct {
	queue Queue
	index Index
	opts  WorkerOptions

	mu      sync.Mutex
	failing bool
}

// NewWorker returns a worker; index may be nil.
func NewWorker(q Queue, index Index, o WorkerOptions) *Worker {
	if o.Batch <= 0 {
		o.Batch = 100
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 5 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Worker{queue: q, index: index, opts: o}
}

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
	n, err := w.queue.ProcessSearchJobs(ctx, w.opts.Now(), w.opts.Batch, w.Backoff, w.deliver)
	w.note(err)
	return n, err
}

// note logs delivery failures once per transition, not once per round.
func (w *Worker) note(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case err != nil && !w.failing && !errors.Is(err, context.Canceled):
		w.failing = true
		w.opts.Logger.Warn("search indexing failing; jobs stay queued and are retried", "err", err)
	case err == nil && w.failing:
		w.failing = false
		w.opts.Logger.Info("search indexing recovered")
	}
}

// Run delivers jobs until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	for {
		n, err := w.RunOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if err == nil && n == w.opts.Batch {
			continue // more waiting
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(w.opts.Poll):
		}
	}
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

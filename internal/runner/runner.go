// Package runner runs Pastel's background work: named tasks started
// together, each a round repeated every period (sooner when woken, at once
// while it has a full batch), stopped together when their context ends,
// then drained with a fresh deadline. The runner logs a task's failures
// (the first of a run of failures, and the recovery), counts every round in
// an Observer (the metrics' job series), and, for a task marked Once, lets
// only the replica that wins the period run a round (a Gate).
package runner

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// Task is one piece of background work.
type Task struct {
	// Name labels the task in logs and metrics (snake_case: "expiry_sweep").
	Name string
	// Every is the pause between rounds; a round also runs at start.
	Every time.Duration
	// Round does one round of work and returns how many items it handled
	// (logged when not zero).
	Round func(ctx context.Context) (int, error)
	// Wake, when not nil, starts a round early whenever it receives.
	Wake <-chan struct{}
	// Batch, when not zero, is a full round: a round that handled Batch
	// items or more is followed by another at once.
	Batch int
	// Once runs a round only on the replica whose Gate claim wins the
	// period; the others skip it (uncounted, unlogged).
	Once bool
	// Drain, when not nil, runs once after the runner's context ended,
	// under a fresh DrainTimeout deadline: work queued in memory is written
	// out before the process exits.
	Drain func(ctx context.Context) error
	// Noun, when not empty, names what a round handles ("removed",
	// "deleted"): a round that handled some logs its count at info level
	// under that key; otherwise counts are logged at debug level.
	Noun string
	// Serve, instead of Round, is a long-running loop that returns only
	// when ctx ends (a LISTEN connection); it is started once, and started
	// again a second after it returns early.
	Serve func(ctx context.Context)
}

// Gate lets one replica of many run a period's round. Claim reports
// whether this replica won task's period; release gives a claimed period
// back after a failed round, so any replica's next timer retries it.
type Gate interface {
	Claim(ctx context.Context, task string, period time.Duration) (release func(context.Context) error, won bool, err error)
}

// Observer counts rounds: ObserveJob is told of each round that ran, with
// its error. metrics.Metrics implements it.
type Observer interface {
	DeclareJob(task string)
	ObserveJob(task string, err error)
}

// Options configure a Runner.
type Options struct {
	Logger       *slog.Logger
	Observer     Observer      // nil: rounds are not counted
	Gate         Gate          // required when a task is Once
	DrainTimeout time.Duration // 10 s by default
}

// Runner runs tasks.
type Runner struct {
	opts  Options
	tasks []Task
	wg    sync.WaitGroup
	stop  context.CancelFunc
}

// New returns a runner with no tasks.
func New(o Options) *Runner {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.DrainTimeout <= 0 {
		o.DrainTimeout = 10 * time.Second
	}
	return &Runner{opts: o}
}

// Add registers t; call before Start. It panics on a task that cannot run
// (a wiring mistake, found at start).
func (r *Runner) Add(t Task) {
	switch {
	case t.Name == "":
		panic("runner: task without a name")
	case t.Serve == nil && (t.Round == nil || t.Every <= 0):
		panic("runner: task " + t.Name + " needs Round and Every, or Serve")
	case t.Once && r.opts.Gate == nil:
		panic("runner: task " + t.Name + " is Once but the runner has no Gate")
	}
	if t.Serve == nil && r.opts.Observer != nil {
		r.opts.Observer.DeclareJob(t.Name)
	}
	r.tasks = append(r.tasks, t)
}

// Start starts every task; they run until ctx ends or Stop is called.
func (r *Runner) Start(ctx context.Context) {
	ctx, r.stop = context.WithCancel(ctx)
	for _, t := range r.tasks {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			if t.Serve != nil {
				r.serve(ctx, t)
				return
			}
			r.loop(ctx, t)
		}()
	}
}

// Stop ends every task and waits until they and their drains returned.
func (r *Runner) Stop() {
	if r.stop != nil {
		r.stop()
	}
	r.wg.Wait()
}

// Wait waits until every task and drain returned (after ctx ended).
func (r *Runner) Wait() { r.wg.Wait() }

func (r *Runner) serve(ctx context.Context, t Task) {
	for {
		t.Serve(ctx)
		if ctx.Err() != nil {
			return
		}
		r.opts.Logger.Warn(t.Name+" stopped early; restarting", "task", t.Name)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func (r *Runner) loop(ctx context.Context, t Task) {
	tick := time.NewTicker(t.Every)
	defer tick.Stop()
	failing := false
	for {
		n, ran, err := r.round(ctx, t)
		if ctx.Err() != nil {
			break
		}
		if ran {
			failing = r.report(t, n, err, failing)
		}
		if err == nil && t.Batch > 0 && n >= t.Batch {
			continue // more is waiting
		}
		select {
		case <-ctx.Done():
		case <-tick.C:
		case <-t.Wake:
		}
		if ctx.Err() != nil {
			break
		}
	}
	if t.Drain == nil {
		return
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.opts.DrainTimeout)
	defer cancel()
	if err := t.Drain(dctx); err != nil {
		r.opts.Logger.Warn(t.Name+" not drained; what is left is handled after the next start", "task", t.Name, "err", err)
	}
}

// round runs one round, through the gate for a Once task; ran is false
// when another replica has the period.
func (r *Runner) round(ctx context.Context, t Task) (n int, ran bool, err error) {
	if !t.Once {
		n, err = t.Round(ctx)
		return n, true, err
	}
	release, won, err := r.opts.Gate.Claim(ctx, t.Name, t.Every)
	if err != nil {
		return 0, true, err
	}
	if !won {
		return 0, false, nil
	}
	n, err = t.Round(ctx)
	if err != nil && ctx.Err() == nil {
		if rerr := release(context.WithoutCancel(ctx)); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}
	return n, true, err
}

// report counts a round and logs it: the first failure of a run of
// failures as a warning (the rest at debug level, so a dependency that is
// down does not fill the log), the recovery, and how much a round did. It
// returns whether the task is failing now.
func (r *Runner) report(t Task, n int, err error, failing bool) bool {
	if r.opts.Observer != nil {
		r.opts.Observer.ObserveJob(t.Name, err)
	}
	log := r.opts.Logger
	switch {
	case err != nil && !failing:
		log.Warn(t.Name+" failed; retrying", "task", t.Name, "err", err)
	case err != nil:
		log.Debug(t.Name+" still failing", "task", t.Name, "err", err)
	case failing:
		log.Info(t.Name+" recovered", "task", t.Name, "handled", n)
	case n > 0 && t.Noun != "":
		log.Info(t.Name, "task", t.Name, t.Noun, n)
	case n > 0:
		log.Debug(t.Name, "task", t.Name, "handled", n)
	}
	return err != nil
}

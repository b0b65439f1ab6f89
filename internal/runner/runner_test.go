package runner_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"pastel/internal/runner"
)

// observer records rounds per task.
type observer struct {
	mu       sync.Mutex
	declared []string
	runs     map[string]int
	failures map[string]int
}

func newObserver() *observer {
	return &observer{runs: map[string]int{}, failures: map[string]int{}}
}

func (o *observer) DeclareJob(task string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.declared = append(o.declared, task)
}

func (o *observer) ObserveJob(task string, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.runs[task]++
	if err != nil {
		o.failures[task]++
	}
}

func (o *observer) counts(task string) (int, int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.runs[task], o.failures[task]
}

// lockedBuffer is a log sink safe for the runner's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRoundsRepeatWakeAndDrain(t *testing.T) {
	obs := newObserver()
	r := runner.New(runner.Options{Observer: obs})
	var rounds, drained atomic.Int32
	wake := make(chan struct{}, 1)
	r.Add(runner.Task{
		Name: "flush", Every: time.Hour, Wake: wake,
		Round: func(context.Context) (int, error) { rounds.Add(1); return 0, nil },
		Drain: func(ctx context.Context) error {
			if _, ok := ctx.Deadline(); !ok {
				t.Error("drain has no deadline")
			}
			if ctx.Err() != nil {
				t.Error("drain ran under an ended context")
			}
			drained.Add(1)
			return nil
		},
	})
	r.Start(context.Background())
	waitFor(t, "the first round at start", func() bool { return rounds.Load() == 1 })
	wake <- struct{}{}
	waitFor(t, "a woken round", func() bool { return rounds.Load() == 2 })
	r.Stop()
	if drained.Load() != 1 {
		t.Fatalf("drained %d times, want once", drained.Load())
	}
	if runs, _ := obs.counts("flush"); runs != 2 {
		t.Fatalf("observed %d runs, want 2", runs)
	}
	if diff := cmp.Diff([]string{"flush"}, obs.declared); diff != "" {
		t.Fatalf("declared (-want +got):\n%s", diff)
	}
}

func TestPeriodAndFullBatch(t *testing.T) {
	r := runner.New(runner.Options{})
	var rounds atomic.Int32
	// Three full batches, then the queue is empty: four rounds at once,
	// then one per period.
	r.Add(runner.Task{
		Name: "index", Every: 20 * time.Millisecond, Batch: 10,
		Round: func(context.Context) (int, error) {
			if rounds.Add(1) <= 3 {
				return 10, nil
			}
			return 0, nil
		},
	})
	start := time.Now()
	r.Start(context.Background())
	waitFor(t, "four rounds", func() bool { return rounds.Load() >= 4 })
	if time.Since(start) > 500*time.Millisecond {
		t.Errorf("full batches waited for the period")
	}
	waitFor(t, "periodic rounds", func() bool { return rounds.Load() >= 7 })
	r.Stop()
}

func TestFailuresCountedAndLoggedOnce(t *testing.T) {
	obs := newObserver()
	var log lockedBuffer
	r := runner.New(runner.Options{Observer: obs, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	var rounds atomic.Int32
	r.Add(runner.Task{
		Name: "sweep", Every: time.Millisecond, Noun: "removed",
		Round: func(context.Context) (int, error) {
			switch n := rounds.Add(1); {
			case n <= 5:
				return 0, errors.New("database down")
			case n == 6:
				return 3, nil
			default:
				return 0, nil
			}
		},
	})
	r.Start(context.Background())
	waitFor(t, "eight rounds", func() bool { return rounds.Load() >= 8 })
	r.Stop()
	runs, failures := obs.counts("sweep")
	if failures != 5 || runs < 8 {
		t.Fatalf("runs %d failures %d, want >= 8 and 5", runs, failures)
	}
	out := log.String()
	if n := strings.Count(out, "database down"); n != 1 {
		t.Errorf("failure logged %d times at info level or above, want once:\n%s", n, out)
	}
	if !strings.Contains(out, "sweep recovered") || !strings.Contains(out, "removed=3") && !strings.Contains(out, "handled=3") {
		t.Errorf("no recovery line with the count:\n%s", out)
	}
}

// gate is a one-database stand-in: one claim per task and period.
type gate struct {
	mu       sync.Mutex
	claimed  map[string]time.Time
	released int
}

func (g *gate) Claim(_ context.Context, task string, period time.Duration) (func(context.Context) error, bool, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if at, ok := g.claimed[task]; ok && time.Since(at) < period*9/10 {
		return nil, false, nil
	}
	g.claimed[task] = time.Now()
	return func(context.Context) error {
		g.mu.Lock()
		defer g.mu.Unlock()
		delete(g.claimed, task)
		g.released++
		return nil
	}, true, nil
}

func TestOnceRunsOnOneReplicaPerPeriod(t *testing.T) {
	g := &gate{claimed: map[string]time.Time{}}
	obs := newObserver()
	var rounds atomic.Int32
	var replicas []*runner.Runner
	for range 3 {
		r := runner.New(runner.Options{Gate: g, Observer: obs})
		r.Add(runner.Task{
			Name: "popular_rebuild", Every: 100 * time.Millisecond, Once: true,
			Round: func(context.Context) (int, error) { rounds.Add(1); return 1, nil },
		})
		replicas = append(replicas, r)
	}
	for _, r := range replicas {
		r.Start(context.Background())
	}
	time.Sleep(450 * time.Millisecond)
	for _, r := range replicas {
		r.Stop()
	}
	// Five periods began (0, 100, ..., 400 ms): about five rounds in all,
	// not fifteen.
	if n := rounds.Load(); n < 3 || n > 6 {
		t.Fatalf("%d rounds over three replicas in ~5 periods, want about 5", n)
	}
	if runs, _ := obs.counts("popular_rebuild"); runs != int(rounds.Load()) {
		t.Fatalf("observed %d runs, but %d rounds ran (skipped periods must not count)", runs, rounds.Load())
	}
}

func TestFailedOnceRoundReleasesItsPeriod(t *testing.T) {
	g := &gate{claimed: map[string]time.Time{}}
	r := runner.New(runner.Options{Gate: g})
	var rounds atomic.Int32
	r.Add(runner.Task{
		Name: "expiry_sweep", Every: time.Hour, Once: true,
		Round: func(context.Context) (int, error) { rounds.Add(1); return 0, errors.New("boom") },
	})
	r.Start(context.Background())
	waitFor(t, "a round", func() bool { return rounds.Load() == 1 })
	r.Stop()
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.released != 1 || len(g.claimed) != 0 {
		t.Fatalf("released %d, still claimed %v: a failed round must give its period back", g.released, g.claimed)
	}
}

func TestServeRestartsUntilStopped(t *testing.T) {
	r := runner.New(runner.Options{})
	var starts atomic.Int32
	r.Add(runner.Task{Name: "listen", Serve: func(ctx context.Context) {
		if starts.Add(1) == 1 {
			return // the connection dropped
		}
		<-ctx.Done()
	}})
	r.Start(context.Background())
	waitFor(t, "a restart", func() bool { return starts.Load() == 2 })
	done := make(chan struct{})
	go func() { r.Stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Stop did not end the serving task")
	}
}

func TestAddRefusesBadTasks(t *testing.T) {
	for _, c := range []struct {
		name string
		task runner.Task
	}{
		{"no name", runner.Task{Every: time.Second, Round: func(context.Context) (int, error) { return 0, nil }}},
		{"no period", runner.Task{Name: "x", Round: func(context.Context) (int, error) { return 0, nil }}},
		{"once without gate", runner.Task{Name: "x", Every: time.Second, Once: true, Round: func(context.Context) (int, error) { return 0, nil }}},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("Add accepted the task")
				}
			}()
			runner.New(runner.Options{}).Add(c.task)
		})
	}
}

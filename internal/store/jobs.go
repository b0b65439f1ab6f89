package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pastel/internal/store/dbgen"
)

// Periodic jobs (the sweeps, the popular rebuild) run in every replica's
// timer but do their work once per period across all of them: a run starts
// by claiming the job's row in job_runs, which only one replica wins each
// period. The claim is one small statement per replica and period; the job
// itself runs once, however many replicas there are.

// claimSlack is the share of a period by which a claim may come early: the
// replicas' timers and statement latencies jitter, and without the slack a
// timer firing a millisecond before the period is over would skip a whole
// period.
const claimSlack = 10 // percent

// Claim is a won claim of a job for one period.
type Claim struct {
	name string
	at   time.Time
}

// ClaimJob claims the job name for the period now (by the database's
// clock): it reports false, with no error, when any replica ran it less
// than about a period ago.
func (s *Store) ClaimJob(ctx context.Context, name string, period time.Duration) (Claim, bool, error) {
	gap := period - period*claimSlack/100
	at, err := s.q.ClaimJobRun(ctx, dbgen.ClaimJobRunParams{Name: name, MinGapSeconds: gap.Seconds()})
	if errors.Is(err, pgx.ErrNoRows) {
		return Claim{}, false, nil
	}
	if err != nil {
		return Claim{}, false, fmt.Errorf("claim job %s: %w", name, translate(err))
	}
	return Claim{name: name, at: at}, true, nil
}

// ReleaseJob gives a claimed period back after a failed run, so that the
// next timer of any replica retries the job instead of waiting a period.
func (s *Store) ReleaseJob(ctx context.Context, c Claim) error {
	if err := s.q.ReleaseJobRun(ctx, dbgen.ReleaseJobRunParams{Name: c.name, Claimed: c.at}); err != nil {
		return fmt.Errorf("release job %s: %w", c.name, translate(err))
	}
	return nil
}

// Periods is the gate of cmd/web's runner (runner.Gate) over job_runs:
// a periodic task runs on the replica that claims its period.
type Periods struct{ s *Store }

// Periods returns the job_runs gate.
func (s *Store) Periods() Periods { return Periods{s} }

// Claim claims task's period (ClaimJob); release gives it back after a
// failed round (ReleaseJob), so any replica's next timer retries the task
// instead of waiting a period.
func (p Periods) Claim(ctx context.Context, task string, period time.Duration) (func(context.Context) error, bool, error) {
	c, ok, err := p.s.ClaimJob(ctx, task, period)
	if err != nil || !ok {
		return nil, false, err
	}
	return func(ctx context.Context) error { return p.s.ReleaseJob(ctx, c) }, true, nil
}

// JobRuns returns how many periods each job has been run (claimed), by
// name: for tests and operators.
func (s *Store) JobRuns(ctx context.Context) (map[string]int64, error) {
	rows, err := s.q.JobRunCounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("job runs: %w", translate(err))
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Name] = r.Runs
	}
	return out, nil
}

// Command soak drives a running Pastel with open-loop mixed load at a fixed
// rate (reads, creates, comments, votes, searches) and fails unless every
// request succeeds, memory stays flat and p99 stays stable. It is
// `make soak` (bench/soak.sh starts the app for it).
//
// Open loop: requests start on a fixed schedule whether or not earlier ones
// finished, so a slow server shows up as latency instead of hiding behind a
// lower rate (coordinated omission).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

type options struct {
	base     string
	pid      int
	rate     int
	duration time.Duration
	window   time.Duration
	// maxGrowthMiB is how much the RSS of the last window may exceed the
	// RSS of the first; maxP99Ratio how much the last window's p99 may
	// exceed the first's (plus maxP99Slack for tiny figures).
	maxGrowthMiB float64
	maxP99Ratio  float64
	maxP99Slack  time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.base, "url", "http://127.0.0.1:8080", "base URL of the app")
	flag.IntVar(&o.pid, "pid", 0, "process ID of the app, to read its RSS (0: do not)")
	flag.IntVar(&o.rate, "rate", 200, "requests per second")
	flag.DurationVar(&o.duration, "duration", 10*time.Minute, "how long")
	flag.DurationVar(&o.window, "window", time.Minute, "reporting window")
	flag.Float64Var(&o.maxGrowthMiB, "max-growth-mib", 16, "allowed RSS growth, first to last window")
	flag.Float64Var(&o.maxP99Ratio, "max-p99-ratio", 2, "allowed p99 growth, first to last window")
	flag.DurationVar(&o.maxP99Slack, "p99-slack", 5*time.Millisecond, "p99 growth always allowed")
	flag.Parse()
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// client is one signed-in user of the soak.
type client struct {
	name, token string
}

type soak struct {
	o       options
	http    *http.Client
	users   []client
	mu      sync.Mutex
	pastes  []string // readable by everyone
	samples []sample
	errs    []string
}

type sample struct {
	at   time.Time
	kind string
	dur  time.Duration
}

func run(ctx context.Context, o options) error {
	s := &soak{o: o, http: &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 256},
	}}
	if err := s.setup(ctx); err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	fmt.Printf("soak: %d req/s for %s against %s\n", o.rate, o.duration, o.base)
	fmt.Printf("%-8s %8s %7s %9s %9s %9s %9s\n", "window", "requests", "errors", "p50_ms", "p99_ms", "max_ms", "rss_mib")

	var windows []windowFigures
	start := time.Now()
	tick := time.NewTicker(time.Second / time.Duration(o.rate))
	defer tick.Stop()
	report := time.NewTicker(o.window)
	defer report.Stop()
	var wg sync.WaitGroup
	done := time.After(o.duration)
	winStart := start
loop:
	for {
		select {
		case <-tick.C:
			wg.Add(1)
			go func() { defer wg.Done(); s.one(ctx) }()
		case <-report.C:
			w := s.reportWindow(winStart, time.Now())
			windows = append(windows, w)
			winStart = time.Now()
		case <-done:
			break loop
		}
	}
	wg.Wait()
	if time.Since(winStart) > o.window/2 {
		w := s.reportWindow(winStart, time.Now())
		windows = append(windows, w)
	}
	s.mu.Lock()
	errs := slices.Clone(s.errs)
	total := len(s.samples)
	s.mu.Unlock()
	fmt.Printf("total: %d requests, %d errors\n", total, len(errs))

	var problems []string
	if len(errs) > 0 {
		problems = append(problems, fmt.Sprintf("%d errors, first: %s", len(errs), errs[0]))
	}
	if len(windows) >= 2 {
		first, last := windows[0], windows[len(windows)-1]
		if o.pid != 0 && last.rss-first.rss > o.maxGrowthMiB {
			problems = append(problems, fmt.Sprintf("RSS grew %.1f MiB (%.1f to %.1f), more than %.0f", last.rss-first.rss, first.rss, last.rss, o.maxGrowthMiB))
		}
		if float64(last.p99) > float64(first.p99)*o.maxP99Ratio+float64(o.maxP99Slack) {
			problems = append(problems, fmt.Sprintf("p99 went from %s to %s", first.p99, last.p99))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	fmt.Println("soak: ok: zero errors, memory flat, p99 stable")
	return nil
}

type windowFigures struct {
	p99 time.Duration
	rss float64
}

func (s *soak) reportWindow(from, to time.Time) windowFigures {
	s.mu.Lock()
	var durs []time.Duration
	for _, x := range s.samples {
		if !x.at.Before(from) && x.at.Before(to) {
			durs = append(durs, x.dur)
		}
	}
	nerr := len(s.errs)
	s.mu.Unlock()
	slices.Sort(durs)
	pct := func(p float64) time.Duration {
		if len(durs) == 0 {
			return 0
		}
		return durs[min(len(durs)-1, int(float64(len(durs))*p))]
	}
	rss := readRSS(s.o.pid)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Printf("%-8s %8d %7d %9.2f %9.2f %9.2f %9.1f\n", to.Sub(from).Round(time.Second), len(durs), nerr,
		ms(pct(0.5)), ms(pct(0.99)), ms(pct(1)), rss)
	return windowFigures{pct(0.99), rss}
}

// readRSS is the resident set of pid in MiB (0 when unknown).
func readRSS(pid int) float64 {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kib, _ := strconv.ParseFloat(f[1], 64)
			return kib / 1024
		}
	}
	return 0
}

func (s *soak) setup(ctx context.Context) error {
	suffix := strconv.FormatInt(time.Now().UnixNano()%1_000_000, 36)
	for i := range 8 {
		c := client{name: fmt.Sprintf("soak%d_%s", i, suffix)}
		pw := "soak-password-" + suffix
		if _, err := s.do(ctx, "", "POST", "/api/v1/auth/register", map[string]any{"username": c.name, "password": pw}, 201); err != nil {
			return err
		}
		body, err := s.do(ctx, "", "POST", "/api/v1/auth/token", map[string]any{"username": c.name, "password": pw}, 200)
		if err != nil {
			return err
		}
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		if err := json.Unmarshal(body, &tok); err != nil {
			return err
		}
		c.token = tok.AccessToken
		s.users = append(s.users, c)
	}
	for i := range 50 {
		if err := s.create(ctx, s.users[i%len(s.users)]); err != nil {
			return err
		}
	}
	return nil
}

func (s *soak) create(ctx context.Context, c client) error {
	body, err := s.do(ctx, c.token, "POST", "/api/v1/pastes", map[string]any{
		"title": "soak paste", "syntax": "go", "visibility": "public",
		"content": fmt.Sprintf("package main\n\n// soak %d\nfunc main() { println(%q) }\n", rand.Int(), c.name),
	}, 201)
	if err != nil {
		return err
	}
	var p struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return err
	}
	s.mu.Lock()
	// Keep the set bounded: reads spread over the newest 2,000.
	s.pastes = append(s.pastes, p.ID)
	if len(s.pastes) > 2000 {
		s.pastes = s.pastes[len(s.pastes)-2000:]
	}
	s.mu.Unlock()
	return nil
}

// one is a request picked by weight: 55% page, 15% raw, 10% create,
// 8% comment, 7% vote, 5% search.
func (s *soak) one(ctx context.Context) {
	s.mu.Lock()
	id := s.pastes[rand.IntN(len(s.pastes))]
	s.mu.Unlock()
	c := s.users[rand.IntN(len(s.users))]
	t0 := time.Now()
	var kind string
	var err error
	switch n := rand.IntN(100); {
	case n < 55:
		kind = "page"
		_, err = s.do(ctx, "", "GET", "/"+id, nil, 200)
	case n < 70:
		kind = "raw"
		_, err = s.do(ctx, "", "GET", "/raw/"+id, nil, 200)
	case n < 80:
		kind = "create"
		err = s.create(ctx, c)
	case n < 88:
		kind = "comment"
		_, err = s.do(ctx, c.token, "POST", "/api/v1/pastes/"+id+"/comments", map[string]any{"body": "soak comment"}, 201)
	case n < 95:
		kind = "vote"
		_, err = s.do(ctx, c.token, "PUT", "/api/v1/pastes/"+id+"/rating", map[string]any{"value": []int{1, -1, 0}[rand.IntN(3)]}, 200)
	default:
		kind = "search"
		_, err = s.do(ctx, "", "GET", "/api/v1/search?q=soak", nil, 200)
	}
	d := time.Since(t0)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.samples = append(s.samples, sample{t0, kind, d})
	if err != nil {
		s.errs = append(s.errs, kind+": "+err.Error())
	}
}

func (s *soak) do(ctx context.Context, token, method, path string, body any, want int) ([]byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.o.base+path, r)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		return nil, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(out[:min(len(out), 200)]))
	}
	return out, nil
}

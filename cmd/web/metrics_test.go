package main

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"pastel/internal/pgtest"
)

// TestMetricsServedOnTheirOwnListener starts the server with METRICS_ADDR,
// sends traffic to the public address and checks, by scraping /metrics over
// HTTP, that the series moved: requests by route template and status, the
// latency histogram, pastes created, cache hits, database and blob timings,
// Go's own metrics. The public address does not serve /metrics.
func TestMetricsServedOnTheirOwnListener(t *testing.T) {
	addr, maddr := freeAddr(t), freeAddr(t)
	t.Setenv("DATABASE_URL", pgtest.NewURL(t))
	t.Setenv("HTTP_ADDR", addr)
	t.Setenv("METRICS_ADDR", maddr)
	t.Setenv("DATA_DIR", t.TempDir())
	t.Setenv("LOG_LEVEL", "error")
	done := make(chan int, 1)
	go func() { done <- run(nil) }()
	t.Cleanup(func() {
		if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
			t.Error(err)
		}
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("run returned %d after SIGTERM", code)
			}
		case <-time.After(40 * time.Second):
			t.Error("no exit after SIGTERM")
		}
	})
	base := "http://" + addr
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	scrape := func() string {
		t.Helper()
		code, body := get("http://" + maddr + "/metrics")
		if code != 200 {
			t.Fatalf("GET /metrics on METRICS_ADDR = %d", code)
		}
		return body
	}
	before := scrape()

	req, _ := http.NewRequest("POST", base+"/api/v1/pastes?syntax=go", strings.NewReader("package main\n\nfunc main() {}\n"))
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Accept", "text/plain")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	link, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create = %d %s", resp.StatusCode, link)
	}
	id := strings.TrimSpace(string(link))
	id = id[strings.LastIndexByte(id, '/')+1:]
	for _, path := range []string{"/" + id, "/" + id, "/raw/" + id, "/raw/" + id} {
		if code, _ := get(base + path); code != 200 {
			t.Fatalf("GET %s = %d", path, code)
		}
	}
	if code, _ := get(base + "/nosuchpaste1"); code != 404 {
		t.Fatalf("GET a missing paste = %d, want 404", code)
	}
	if code, _ := get(base + "/no/such/route/here"); code != 404 {
		t.Fatalf("GET an unknown path = %d, want 404", code)
	}
	// The public listener has no /metrics: it is just a paste ID there.
	if code, body := get(base + "/metrics"); code != 404 || strings.Contains(body, "go_goroutines") {
		t.Fatalf("public GET /metrics = %d, want 404 without metrics", code)
	}
	// Nor does the metrics listener serve the app.
	if code, _ := get("http://" + maddr + "/healthz"); code != 404 {
		t.Fatalf("metrics listener GET /healthz = %d, want 404", code)
	}

	after := scrape()
	moved := func(name string, labels ...string) float64 {
		t.Helper()
		return sample(after, name, labels...) - sample(before, name, labels...)
	}
	checks := []struct {
		what string
		got  float64
		ok   func(float64) bool
	}{
		{"raw 200s under /raw/:id", moved("pastel_http_requests_total", `route="/raw/:id"`, `method="GET"`, `status="200"`), func(v float64) bool { return v == 2 }},
		{"page 200s under /:id", moved("pastel_http_requests_total", `route="/:id"`, `method="GET"`, `status="200"`), func(v float64) bool { return v == 2 }},
		{"404s under /:id", moved("pastel_http_requests_total", `route="/:id"`, `method="GET"`, `status="404"`), func(v float64) bool { return v == 2 }},
		{"unmatched 404", moved("pastel_http_requests_total", `route="unmatched"`, `method="GET"`, `status="404"`), func(v float64) bool { return v == 1 }},
		{"create 201 under the API template", moved("pastel_http_requests_total", `route="/api/v1/pastes"`, `method="POST"`, `status="201"`), func(v float64) bool { return v == 1 }},
		{"raw latency count", moved("pastel_http_request_duration_seconds_count", `route="/raw/:id"`, `method="GET"`), func(v float64) bool { return v == 2 }},
		{"raw latency sum", moved("pastel_http_request_duration_seconds_sum", `route="/raw/:id"`, `method="GET"`), func(v float64) bool { return v > 0 }},
		{"pastes created", moved("pastel_pastes_created_total", `visibility="public"`), func(v float64) bool { return v == 1 }},
		{"cache hits", moved("pastel_cache_hits_total"), func(v float64) bool { return v >= 1 }},
		{"body cache hits", moved("pastel_cache_hits_total", `cache="body"`), func(v float64) bool { return v >= 1 }},
		{"render cache misses", moved("pastel_cache_misses_total", `cache="render"`), func(v float64) bool { return v >= 1 }},
		{"database query timings", moved("pastel_db_query_duration_seconds_count", `query="InsertPaste"`), func(v float64) bool { return v >= 1 }},
		{"blob put timings", moved("pastel_blob_operation_duration_seconds_count", `op="put"`), func(v float64) bool { return v == 1 }},
		{"goroutines", sample(after, "go_goroutines"), func(v float64) bool { return v > 0 }},
		{"search queue depth", sample(after, "pastel_search_queue_depth"), func(v float64) bool { return v >= 0 }},
	}
	for _, c := range checks {
		if !c.ok(c.got) {
			t.Errorf("%s: moved by %v", c.what, c.got)
		}
	}
	if !strings.Contains(after, `pastel_job_runs_total{task="expiry_sweep"}`) {
		t.Error("no runs of the expiry sweep exported")
	}
	// Routes are templates: no paste ID ever becomes a label.
	if strings.Contains(after, id) || strings.Contains(after, "nosuchpaste1") || strings.Contains(after, "/no/such") {
		t.Error("a raw path reached a label")
	}
	if t.Failed() {
		t.Logf("metrics:\n%s", grepLines(after, "pastel_"))
	}
}

// sample sums the values of the series of name whose labels include all of
// labels (`key="value"`), in Prometheus text format; 0 when none.
func sample(body, name string, labels ...string) float64 {
	var sum float64
	for line := range strings.Lines(body) {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, name) || strings.HasPrefix(line, "#") {
			continue
		}
		rest := line[len(name):]
		if rest == "" || (rest[0] != '{' && rest[0] != ' ') {
			continue // another metric whose name starts with name
		}
		set, value := "", rest
		if rest[0] == '{' {
			end := strings.LastIndexByte(rest, '}')
			set, value = rest[:end+1], rest[end+1:]
		}
		all := true
		for _, l := range labels {
			all = all && strings.Contains(set, l)
		}
		if !all {
			continue
		}
		if v, err := strconv.ParseFloat(strings.Fields(value)[0], 64); err == nil {
			sum += v
		}
	}
	return sum
}

func grepLines(body, prefix string) string {
	var b strings.Builder
	for line := range strings.Lines(body) {
		if strings.HasPrefix(line, prefix) {
			b.WriteString(line)
		}
	}
	return b.String()
}

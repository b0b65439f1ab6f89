// Package metrics exports what Pastel does as Prometheus metrics. It owns
// the registry and every collector; the rest of the code knows nothing of
// Prometheus: caches keep their own counters (read here at scrape time),
// jobs report through plain funcs, and the blob store, the paste repository
// and the search queue are wrapped in decorators made here.
package metrics

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// latencyBuckets are for requests, queries and blob operations alike: from
// a cache hit (a fraction of a millisecond) to a request timeout.
var latencyBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// Metrics is the registry with Pastel's collectors. Its methods are safe
// for concurrent use; a nil *Metrics records nothing.
type Metrics struct {
	reg *prometheus.Registry

	requests    *prometheus.CounterVec
	reqDuration *prometheus.HistogramVec
	dbDuration  *prometheus.HistogramVec
	dbErrors    *prometheus.CounterVec
	blobDur     *prometheus.HistogramVec
	blobErrors  *prometheus.CounterVec
	jobRuns     *prometheus.CounterVec
	jobFailures *prometheus.CounterVec
	created     *prometheus.CounterVec
	caches      *cacheCollector

	dbQueries sync.Map // query name -> *dbSeries
}

// New returns a registry with Pastel's collectors and Go's runtime and
// process collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pastel_http_requests_total",
			Help: "HTTP requests answered, by route template, method and status.",
		}, []string{"route", "method", "status"}),
		reqDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pastel_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route template and method.",
			Buckets: latencyBuckets,
		}, []string{"route", "method"}),
		dbDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pastel_db_query_duration_seconds",
			Help:    "Time of a PostgreSQL query, by query name (batch: a pipelined batch; other: unnamed SQL).",
			Buckets: latencyBuckets,
		}, []string{"query"}),
		dbErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pastel_db_query_errors_total",
			Help: "PostgreSQL queries that ended in an error, by query name.",
		}, []string{"query"}),
		blobDur: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pastel_blob_operation_duration_seconds",
			Help:    "Time of a blob store operation (put, open, delete, walk, ping); open is the time to the first byte.",
			Buckets: latencyBuckets,
		}, []string{"op"}),
		blobErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pastel_blob_operation_errors_total",
			Help: "Blob store operations that failed (a missing key is not a failure).",
		}, []string{"op"}),
		jobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pastel_job_runs_total",
			Help: "Runs of a background job.",
		}, []string{"task"}),
		jobFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pastel_job_failures_total",
			Help: "Failed runs of a background job (account_deletion: each deletion deferred for a retry).",
		}, []string{"task"}),
		created: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pastel_pastes_created_total",
			Help: "Pastes created, by visibility.",
		}, []string{"visibility"}),
		caches: &cacheCollector{},
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.reqDuration, m.dbDuration, m.dbErrors, m.blobDur, m.blobErrors,
		m.jobRuns, m.jobFailures, m.created, m.caches,
	)
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, Timeout: 10 * time.Second})
}

// Registry is the registry, for tests and for collectors of the caller's own.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// RequestObserver returns the function that records one request to route (a
// template such as /raw/:id, never a raw path) answered with status after
// seconds. The web app asks once per route, method and status and keeps the
// function, so recording a request costs no label lookup.
func (m *Metrics) RequestObserver(route, method string, status int) func(seconds float64) {
	if m == nil {
		return func(float64) {}
	}
	c := m.requests.WithLabelValues(route, method, statusText(status))
	h := m.reqDuration.WithLabelValues(route, method)
	return func(seconds float64) {
		c.Inc()
		h.Observe(seconds)
	}
}

func statusText(code int) string {
	if code < 100 || code > 999 {
		return "other"
	}
	return strconv.Itoa(code)
}

// DeclareJob makes a background task's run and failure series exist from
// the start, so a rate over them is 0, not absent, before the first run or
// failure (runner.Observer).
func (m *Metrics) DeclareJob(task string) {
	if m == nil {
		return
	}
	m.jobRuns.WithLabelValues(task)
	m.jobFailures.WithLabelValues(task)
}

// ObserveJob counts one run of a background task and, when err is not nil,
// its failure (runner.Observer). Runs cut short by shutdown are not
// reported.
func (m *Metrics) ObserveJob(task string, err error) {
	if m == nil {
		return
	}
	m.jobRuns.WithLabelValues(task).Inc()
	if err != nil {
		m.jobFailures.WithLabelValues(task).Inc()
	}
}

// Cache exports a cache's hit and miss counters, read by stats at each
// scrape, as pastel_cache_hits_total and pastel_cache_misses_total with
// cache=name.
func (m *Metrics) Cache(name string, stats func() (hits, misses uint64)) {
	if m == nil || stats == nil {
		return
	}
	m.caches.add(name, stats)
}

// SearchQueueDepth exports count's answer, asked at each scrape with a
// context bounded to a few seconds, as pastel_search_queue_depth; an error
// exports NaN. Call it once.
func (m *Metrics) SearchQueueDepth(count func(ctx context.Context) (int, error)) {
	if m == nil {
		return
	}
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "pastel_search_queue_depth",
		Help: "Jobs waiting in the search queue.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		n, err := count(ctx)
		if err != nil {
			return math.NaN()
		}
		return float64(n)
	}))
}

// cacheCollector reads the caches' own counters at scrape time, so a cache
// hit costs the app one atomic add and nothing here.
type cacheCollector struct {
	mu     sync.Mutex
	caches []namedCache
}

type namedCache struct {
	name  string
	stats func() (hits, misses uint64)
}

var (
	cacheHitsDesc = prometheus.NewDesc("pastel_cache_hits_total",
		"Look-ups a cache answered (paste_rows: rows, counts and comment pages; page_snapshots: rendered pages; lists: anonymous lists, searches and their answers; render: highlighted bodies; body: paste bodies).",
		[]string{"cache"}, nil)
	cacheMissesDesc = prometheus.NewDesc("pastel_cache_misses_total",
		"Look-ups a cache could not answer.", []string{"cache"}, nil)
)

func (c *cacheCollector) add(name string, stats func() (uint64, uint64)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.caches = append(c.caches, namedCache{name, stats})
}

func (c *cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- cacheHitsDesc
	ch <- cacheMissesDesc
}

func (c *cacheCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	caches := c.caches
	c.mu.Unlock()
	for _, nc := range caches {
		hits, misses := nc.stats()
		ch <- prometheus.MustNewConstMetric(cacheHitsDesc, prometheus.CounterValue, float64(hits), nc.name)
		ch <- prometheus.MustNewConstMetric(cacheMissesDesc, prometheus.CounterValue, float64(misses), nc.name)
	}
}

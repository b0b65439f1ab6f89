// Package browsertest starts headless Chromium for end-to-end tests through
// chromedp. A missing browser fails the test (never skips it): CI installs
// chromium before `make test`.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser is one headless Chromium process with a fresh profile.
type Browser struct {
	ctx context.Context
	mu  sync.Mutex
	// problems holds console errors, uncaught exceptions and browser log
	// errors (CSP violations among them) from every tab.
	problems []string
}

// New starts Chromium for t; it is stopped when t ends.
func New(t testing.TB) *Browser {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Fatal("browsertest: no chromium on PATH (apt-get install -y chromium; .ci/run does it)")
	}
	dir, err := os.MkdirTemp("", "pastel-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	b := &Browser{ctx: ctx}
	// The first Run starts the browser; it must not carry a timeout, which
	// would stop the whole browser when it fires.
	if err := chromedp.Do(ctx); err != nil {
		cancelCtx()
		cancelAlloc()
		t.Fatalf("browsertest: start chromium: %v", err)
	}
	b.watch(ctx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
		os.RemoveAll(dir)
	})
	return b
}

// watch records the tab's console problems until the tab closes.
func (b *Browser) watch(ctx context.Context) {
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type != chromedp.ConsoleError && m.Type != chromedp.ConsoleException {
				continue
			}
			b.mu.Lock()
			b.problems = append(b.problems, string(m.Type)+": "+m.Text+" ("+m.URL+")")
			b.mu.Unlock()
		}
	}()
}

// Tab returns the browser's first tab context; new tabs share its cookies.
func (b *Browser) Tab() (context.Context, context.CancelFunc) {
	ctx, cancel := chromedp.NewContext(b.ctx)
	if err := chromedp.Do(ctx); err == nil {
		b.watch(ctx)
	}
	return ctx, cancel
}

// Incognito returns a tab in a new browser context: no cookies shared with
// other tabs, like a second person's browser.
func (b *Browser) Incognito() (context.Context, context.CancelFunc) {
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(ctx); err == nil {
		b.watch(ctx)
	}
	return ctx, cancel
}

// Do runs steps in ctx with a timeout, failing t on error.
func Do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// Get runs one action that returns a value.
func Get[T any](t testing.TB, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(tctx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

// Problems returns and clears the console errors, exceptions and CSP
// violations the pages reported so far.
func (b *Browser) Problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.problems
	b.problems = nil
	return out
}

package search

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"pastel/internal/paste"
)

// Fallback searches with Primary and, when it fails, with Secondary. The
// switch is logged once per transition; while Primary is down it is tried
// again at most every RetryEvery, so a dead server does not slow every
// search down.
type Fallback struct {
	Primary, Secondary paste.SearchEngine
	RetryEvery         time.Duration // 0: 5 s
	Logger             *slog.Logger

	mu      sync.Mutex
	down    bool
	retryAt time.Time
}

var _ paste.SearchEngine = (*Fallback)(nil)

// Search implements paste.SearchEngine.
func (f *Fallback) Search(ctx context.Context, r paste.SearchRequest) (paste.SearchHits, error) {
	if f.usePrimary() {
		hits, err := f.Primary.Search(ctx, r)
		if err == nil {
			f.mark(false, nil)
			return hits, nil
		}
		if ctx.Err() != nil {
			return paste.SearchHits{}, err
		}
		f.mark(true, err)
	}
	return f.Secondary.Search(ctx, r)
}

func (f *Fallback) usePrimary() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return !f.down || !time.Now().Before(f.retryAt)
}

func (f *Fallback) mark(down bool, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	log := f.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	every := f.RetryEvery
	if every == 0 {
		every = 5 * time.Second
	}
	if down {
		f.retryAt = time.Now().Add(every)
	}
	if down == f.down {
		return
	}
	f.down = down
	if down {
		level := slog.LevelWarn
		if !errors.Is(err, paste.ErrUnavailable) {
			level = slog.LevelError
		}
		log.Log(context.Background(), level, "search engine down; searching PostgreSQL instead", "err", err)
	} else {
		log.Info("search engine back; searching it again")
	}
}

// Down reports whether Primary is considered down.
func (f *Fallback) Down() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.down
}

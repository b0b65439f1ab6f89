// Package crashpoint kills the process at a named point, for crash-safety
// tests. Production code marks the moments where a crash matters (a body
// written but its row not yet committed, a row deleted but its body not yet
// removed, ...) with Here("name"). The marks are inert unless the
// environment variable PASTEL_CRASHPOINT names one of them:
//
//	PASTEL_CRASHPOINT=paste.create.after_body_write     # the first time it is reached
//	PASTEL_CRASHPOINT=paste.create.after_body_write:3   # the third time
//
// When the named point is reached (the given number of times, 1 by default)
// the process sends itself SIGKILL: no deferred function, shutdown hook or
// buffered write runs, as in a power cut or an OOM kill. The variable is
// read once, at the first call; when it is unset Here costs two atomic loads.
// Never set it outside tests.
package crashpoint

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
)

// EnvVar is the environment variable that arms a point.
const EnvVar = "PASTEL_CRASHPOINT"

// The named points. Tests refer to them by these constants; each is
// documented where it is placed.
const (
	CreateAfterBodyWrite = "paste.create.after_body_write" // body stored, row not inserted
	CreateAfterCommit    = "paste.create.after_commit"     // row committed, answer not written
	UpdateAfterBodyWrite = "paste.update.after_body_write" // new body stored, row not updated
	UpdateAfterCommit    = "paste.update.after_commit"     // row points at the new body, old body not removed
	DeleteAfterCommit    = "paste.delete.after_commit"     // row deleted, body not removed
	BurnAfterCommit      = "paste.burn.after_commit"       // burned row deleted, body not removed, answer not written
	ExpiryAfterRows      = "paste.expiry.after_rows"       // expired rows deleted, bodies not removed
	SearchAfterDelivery  = "search.after_delivery"         // documents delivered to the index, queue rows not removed
)

var (
	loadOnce sync.Once
	armed    atomic.Bool
	name     string
	after    int64
	hits     atomic.Int64
)

func load() {
	v := os.Getenv(EnvVar)
	if v == "" {
		return
	}
	name, after = v, 1
	if i := strings.LastIndexByte(v, ':'); i >= 0 {
		if n, err := strconv.ParseInt(v[i+1:], 10, 64); err == nil && n > 0 {
			name, after = v[:i], n
		}
	}
	armed.Store(true)
}

// Here kills the process with SIGKILL if point is the armed crash point and
// has now been reached as many times as asked; otherwise it does nothing.
func Here(point string) {
	loadOnce.Do(load)
	if !armed.Load() || point != name {
		return
	}
	if hits.Add(1) < after {
		return
	}
	_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {} // the signal is on its way; never return into the code after the point
}

// Package crashpoint kills the process at a named point, for crash-safety
// tests. Production code marks the moments where a crash matters (a body
// written but its row not yet committed, a row deleted but its body not yet
// removed, ...) with Here("name").
//
// In an ordinary build Here is an empty function: nothing reads the
// environment and the marks compile to nothing. Only a binary built with the
// crashpoints build tag (go build -tags crashpoints, as cmd/web's crash test
// does) can be armed, through the environment variable PASTEL_CRASHPOINT:
//
//	PASTEL_CRASHPOINT=paste.create.after_body_write     # the first time it is reached
//	PASTEL_CRASHPOINT=paste.create.after_body_write:3   # the third time
//
// When the named point is reached (the given number of times, 1 by default)
// the process sends itself SIGKILL: no deferred function, shutdown hook or
// buffered write runs, as in a power cut or an OOM kill.
package crashpoint

import (
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
)

// EnvVar is the environment variable that arms a point in a binary built
// with the crashpoints tag. Other builds never read it.
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

// trigger is one armed point: the process dies the after-th time name is
// reached.
type trigger struct {
	name  string
	after int64
	hits  atomic.Int64
}

// newTrigger parses "name" or "name:n"; an empty spec arms nothing (nil).
func newTrigger(spec string) *trigger {
	if spec == "" {
		return nil
	}
	t := &trigger{name: spec, after: 1}
	if i := strings.LastIndexByte(spec, ':'); i >= 0 {
		if n, err := strconv.ParseInt(spec[i+1:], 10, 64); err == nil && n > 0 {
			t.name, t.after = spec[:i], n
		}
	}
	return t
}

// reach counts point against t and kills the process when t fires.
func reach(t *trigger, point string) {
	if t == nil || point != t.name {
		return
	}
	if t.hits.Add(1) < t.after {
		return
	}
	_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {} // the signal is on its way; never return into the code after the point
}

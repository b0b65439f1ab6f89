//go:build crashpoints

package crashpoint

import (
	"os"
	"sync"
)

// Enabled reports whether this binary was built with the crashpoints tag,
// that is, whether Here can ever kill it.
const Enabled = true

var (
	loadOnce sync.Once
	armed    *trigger
)

// Here kills the process with SIGKILL if point is the point PASTEL_CRASHPOINT
// names and has now been reached as many times as asked; otherwise it does
// nothing. The variable is read once, at the first call.
func Here(point string) {
	loadOnce.Do(func() { armed = newTrigger(os.Getenv(EnvVar)) })
	reach(armed, point)
}

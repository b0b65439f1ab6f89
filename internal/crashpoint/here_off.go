//go:build !crashpoints

package crashpoint

// Enabled reports whether this binary was built with the crashpoints tag,
// that is, whether Here can ever kill it.
const Enabled = false

// Here does nothing: this binary was built without the crashpoints tag.
func Here(string) {}

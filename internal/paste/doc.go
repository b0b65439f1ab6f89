// Package paste is the paste domain: what a paste is, who may read it, how it
// expires or burns, and the Service every surface (HTML, API, search) goes
// through. It declares the interfaces it consumes (Repository, Blobs) and
// imports no web framework, driver or storage client.
package paste

// Package blob stores paste bodies. It provides two implementations of
// paste.Blobs: Local keeps bodies in a folder on disk (DATA_DIR/blobs) and
// S3 keeps them in a bucket of an S3-compatible server (MinIO, AWS,
// versitygw) through minio-go.
//
// Both translate their errors at the boundary: a missing key is an error
// wrapping paste.ErrNotFound, a store that cannot be reached is an error
// wrapping paste.ErrUnavailable. Both accept only keys that ValidKey
// accepts, so a key can never name a path outside the store. Deleting a
// missing key is not an error for either.
//
// The package blobtest holds the contract suite both implementations pass
// and a helper that runs a real S3 server (versitygw) for tests.
package blob

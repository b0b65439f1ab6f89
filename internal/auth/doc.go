// Package auth holds Pastel's credential primitives: Argon2id password
// hashing in the PHC string format, a password policy check, and HS256 JSON
// Web Tokens for the /api/v1 surface (short-lived access tokens and
// long-lived refresh tokens grouped into families for reuse detection).
//
// The package is a leaf: it imports nothing from this module and knows
// nothing about HTTP or storage. Revocation lives in the store (a per-user
// "tokens valid after" time and a table of revoked token IDs); this package
// only exposes what that needs on [Claims]: the token ID, the issue time and
// the refresh family.
//
// Every token failure is reported as [ErrInvalidToken], wrapped with detail,
// so surfaces map one sentinel to 401 and never leak which check failed.
package auth

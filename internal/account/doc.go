// Package account is Pastel's user domain: registration, sign-in with rate
// limits, password changes, browser session listings, JWT access and
// refresh tokens with rotation and reuse detection, and personal API tokens.
// It turns every way of presenting credentials into a paste.Viewer; the
// paste service then applies the one visibility rule.
package account

// Package clock is Pastel's one notion of "now" that tests can set: options
// structs take a Clock (nil means the real time), and tests give them a
// Fake's Now.
package clock

import (
	"sync"
	"time"
)

// Clock returns the current time. The zero Clock (nil) is the real clock,
// so an options struct that leaves it unset reads time.Now. Any
// func() time.Time converts to it: time.Now, a Fake's Now, a closure.
type Clock func() time.Time

// Now returns c's time, or time.Now() when c is nil.
func (c Clock) Now() time.Time {
	if c == nil {
		return time.Now()
	}
	return c()
}

// Fake is a clock that moves only when told; safe for concurrent use.
type Fake struct {
	mu sync.Mutex
	t  time.Time
}

// NewFake returns a fake clock showing t.
func NewFake(t time.Time) *Fake { return &Fake{t: t} }

// Now returns the fake's time. Pass the method value (f.Now) wherever a
// Clock is wanted.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Set moves the fake to t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = t
}

// Advance moves the fake forward by d and returns the new time.
func (f *Fake) Advance(d time.Duration) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
	return f.t
}

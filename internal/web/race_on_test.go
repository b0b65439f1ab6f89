//go:build race

package web_test

// raceSlowdown scales time limits for code running under the race
// detector, which makes CPU-bound work several times slower than in a
// production build.
const raceSlowdown = 2

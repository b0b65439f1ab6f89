//go:build !race

package web_test

// raceSlowdown scales time limits for code running under the race
// detector; without it limits apply as written.
const raceSlowdown = 1

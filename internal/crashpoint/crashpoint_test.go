package crashpoint

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestMain doubles as the process the tests start. With CRASHPOINT_CHILD=trigger
// it arms the trigger CRASHPOINT_SPEC names; with CRASHPOINT_CHILD=here it
// calls Here (armed, if at all, by PASTEL_CRASHPOINT). Either way it passes
// "a" five times, printing the count before each pass, then "b" once, and
// prints "done".
func TestMain(m *testing.M) {
	mode := os.Getenv("CRASHPOINT_CHILD")
	if mode == "" {
		os.Exit(m.Run())
	}
	pass := Here
	if mode == "trigger" {
		t := newTrigger(os.Getenv("CRASHPOINT_SPEC"))
		pass = func(point string) { reach(t, point) }
	}
	for i := 1; i <= 5; i++ {
		os.Stdout.WriteString(strconv.Itoa(i) + "\n")
		pass("a")
	}
	pass("b")
	os.Stdout.WriteString("done\n")
	os.Exit(0)
}

func runChild(t *testing.T, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), append(env, "GORACE=atexit_sleep_ms=0")...)
	out, err := cmd.Output()
	return string(out), err
}

// wantKilled checks that the child died of SIGKILL right after printing last.
func wantKilled(t *testing.T, what, out string, err error, last string) {
	t.Helper()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("%s: child ended with %v, want SIGKILL; output %q", what, err, out)
	}
	ws := exit.Sys().(syscall.WaitStatus)
	if !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("%s: child ended with %v, want SIGKILL", what, ws)
	}
	lines := strings.Fields(out)
	if len(lines) == 0 || lines[len(lines)-1] != last || strings.Contains(out, "done") {
		t.Fatalf("%s: child printed %q, want it killed after %s", what, out, last)
	}
}

func TestTriggerKillsAtTheNamedPoint(t *testing.T) {
	for _, c := range []struct {
		spec string
		last string // the last line printed before the kill
	}{
		{"a", "1"},
		{"a:3", "3"},
		{"b", "5"},
	} {
		out, err := runChild(t, "CRASHPOINT_CHILD=trigger", "CRASHPOINT_SPEC="+c.spec)
		wantKilled(t, c.spec, out, err, c.last)
	}
}

func TestTriggerIsInertOtherwise(t *testing.T) {
	for _, spec := range []string{"", "c", "a:9"} {
		out, err := runChild(t, "CRASHPOINT_CHILD=trigger", "CRASHPOINT_SPEC="+spec)
		if err != nil || !strings.Contains(out, "done") {
			t.Fatalf("%q: child = %v, output %q; want it to run to the end", spec, err, out)
		}
	}
}

// TestHereNeedsTheBuildTag: without the crashpoints tag the environment
// variable arms nothing; with it (go test -tags crashpoints) Here fires.
func TestHereNeedsTheBuildTag(t *testing.T) {
	out, err := runChild(t, "CRASHPOINT_CHILD=here", EnvVar+"=a:2")
	if !Enabled {
		if err != nil || !strings.Contains(out, "done") {
			t.Fatalf("untagged build: child = %v, output %q; want %s ignored", err, out, EnvVar)
		}
		return
	}
	wantKilled(t, EnvVar+"=a:2", out, err, "2")
}

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

// TestMain doubles as the process the tests start: with CRASHPOINT_CHILD
// set it passes "a" five times, printing the count before each pass, then
// "b" once, and prints "done".
func TestMain(m *testing.M) {
	if os.Getenv("CRASHPOINT_CHILD") == "" {
		os.Exit(m.Run())
	}
	for i := 1; i <= 5; i++ {
		os.Stdout.WriteString(strconv.Itoa(i) + "\n")
		Here("a")
	}
	Here("b")
	os.Stdout.WriteString("done\n")
	os.Exit(0)
}

func runChild(t *testing.T, point string) (string, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "CRASHPOINT_CHILD=1", EnvVar+"="+point, "GORACE=atexit_sleep_ms=0")
	out, err := cmd.Output()
	return string(out), err
}

func TestHereKillsAtTheNamedPoint(t *testing.T) {
	for _, c := range []struct {
		point string
		last  string // the last line printed before the kill
	}{
		{"a", "1"},
		{"a:3", "3"},
		{"b", "5"},
	} {
		out, err := runChild(t, c.point)
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatalf("%s: child ended with %v, want SIGKILL; output %q", c.point, err, out)
		}
		ws := exit.Sys().(syscall.WaitStatus)
		if !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("%s: child ended with %v, want SIGKILL", c.point, ws)
		}
		lines := strings.Fields(out)
		if len(lines) == 0 || lines[len(lines)-1] != c.last || strings.Contains(out, "done") {
			t.Fatalf("%s: child printed %q, want it killed after %s", c.point, out, c.last)
		}
	}
}

func TestHereIsInertOtherwise(t *testing.T) {
	for _, point := range []string{"", "c", "a:9"} {
		out, err := runChild(t, point)
		if err != nil || !strings.Contains(out, "done") {
			t.Fatalf("%q: child = %v, output %q; want it to run to the end", point, err, out)
		}
	}
}

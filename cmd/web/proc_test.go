package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// This file runs the real binary as a child process, for the tests that
// kill it (crash_test.go) or stop what it depends on under it.

// buildWeb builds this command, with the given build tags, into a temporary
// folder and returns the binary's path. The race detector is not needed in
// the child: the tests look at what survives a crash, not at data races.
func buildWeb(t *testing.T, tags ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "web")
	out, err := exec.Command("go", "build", "-tags", strings.Join(tags, ","), "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// lockedBuffer collects a child's log output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// child is one running `web serve` process.
type child struct {
	t      *testing.T
	cmd    *exec.Cmd
	base   string
	log    *lockedBuffer
	exited chan struct{}
	state  *os.ProcessState
	killed bool // by the test, not by a crash point
	client *http.Client
}

// startChild starts bin with the given variables added to a clean
// environment (PATH and HOME only, so nothing of the developer's leaks in)
// on a free port, and waits until /readyz answers 200.
func startChild(t *testing.T, bin string, vars map[string]string) *child {
	t.Helper()
	addr := freeAddr(t)
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "HTTP_ADDR=" + addr}
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	c := &child{
		t: t, base: "http://" + addr, log: &lockedBuffer{}, exited: make(chan struct{}),
		client: &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}},
	}
	c.cmd = exec.Command(bin, "serve")
	c.cmd.Env = env
	c.cmd.Stdout, c.cmd.Stderr = c.log, c.log
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = c.cmd.Wait()
		c.state = c.cmd.ProcessState
		close(c.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-c.exited:
		default:
			c.kill()
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := c.client.Get(c.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return c
			}
		}
		select {
		case <-c.exited:
			t.Fatalf("web exited at start-up (%v):\n%s", c.state, c.log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("web not ready: %v\n%s", err, c.log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// alive reports whether the process still runs.
func (c *child) alive() bool {
	select {
	case <-c.exited:
		return false
	default:
		return true
	}
}

// kill sends SIGKILL (if the process still runs) and waits for the end.
func (c *child) kill() {
	if c.alive() {
		c.killed = true
		_ = c.cmd.Process.Signal(syscall.SIGKILL)
	}
	<-c.exited
	c.client.CloseIdleConnections()
}

// stop sends SIGTERM and waits for a clean exit.
func (c *child) stop() {
	c.t.Helper()
	// As a load balancer does before it stops a server: no idle
	// keep-alive connection of ours is left for the shutdown to wait on.
	c.client.CloseIdleConnections()
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-time.After(40 * time.Second):
		c.kill()
		c.t.Fatal("no exit after SIGTERM")
	}
	c.client.CloseIdleConnections()
	if !c.state.Success() {
		c.t.Fatalf("exit after SIGTERM: %v\n%s", c.state, c.log.String())
	}
}

// crashed reports whether the process ended by a SIGKILL the test did not
// send: a crash point fired.
func (c *child) crashed() bool {
	<-c.exited
	ws, ok := c.state.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL && !c.killed
}

// errInDoubt marks a request whose answer never came: the process died
// while it was in flight, so its effect is unknown.
var errInDoubt = errors.New("no answer")

// call sends a request and returns the status and body, or errInDoubt when
// the connection failed. Every request comes from its own client address
// (X-Forwarded-For from a trusted proxy), so the API's per-address rate
// limits do not throttle a test that plays many clients.
func (c *child) call(method, path, body string, hdr ...string) (int, []byte, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Errorf("request %s %s: %v", method, path, err)
		return 0, nil, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", rand.IntN(256), rand.IntN(256), 1+rand.IntN(254)))
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w: %w", method, path, errInDoubt, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w: %w", method, path, errInDoubt, err)
	}
	return resp.StatusCode, b, nil
}

// mustCall is call for a process that must be up: no answer fails the test.
func (c *child) mustCall(method, path, body string, hdr ...string) (int, []byte) {
	c.t.Helper()
	code, b, err := c.call(method, path, body, hdr...)
	if err != nil {
		c.t.Fatalf("%v\n%s", err, c.log.String())
	}
	return code, b
}

// listIDs pages through a list route ({items:[{id}],next_cursor}) and
// returns every ID it shows.
func (c *child) listIDs(path string, hdr ...string) map[string]bool {
	c.t.Helper()
	ids := map[string]bool{}
	cursor := ""
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	for page := 0; page < 1000; page++ {
		p := path + sep + "limit=100"
		if cursor != "" {
			p += "&cursor=" + url.QueryEscape(cursor)
		}
		code, body := c.mustCall("GET", p, "", hdr...)
		if code != http.StatusOK {
			c.t.Fatalf("GET %s = %d %s", p, code, body)
		}
		var out struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
			NextCursor *string `json:"next_cursor"`
		}
		if err := json.Unmarshal(body, &out); err != nil {
			c.t.Fatalf("GET %s: %v", p, err)
		}
		for _, it := range out.Items {
			ids[it.ID] = true
		}
		if out.NextCursor == nil || *out.NextCursor == "" {
			return ids
		}
		cursor = *out.NextCursor
	}
	c.t.Fatalf("GET %s: endless pages", path)
	return nil
}

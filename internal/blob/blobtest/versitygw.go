package blobtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"go/build"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// versitygwName is the binary `make tools` installs into the repository's
// bin/ (GOBIN=$(CURDIR)/bin go install
// github.com/versity/versitygw/cmd/versitygw@v1.8.0).
const versitygwName = "versitygw"

const (
	healthPath   = "/healthz"
	startTimeout = 15 * time.Second
)

// Server is a versitygw S3 gateway over a posix backend in a temporary
// directory, listening on 127.0.0.1. It is stopped when the test ends.
type Server struct {
	// Endpoint is host:port, without a scheme (plain http).
	Endpoint string
	// AccessKey is the root user's access key.
	AccessKey string
	// SecretKey is the root user's secret key.
	SecretKey string
	// Region is the region the gateway reports.
	Region string
	// Bucket is a fresh bucket name, not created yet (blob.NewS3 creates
	// it). Use NewBucketName for more.
	Bucket string

	t       testing.TB
	bin     string
	dataDir string
	logPath string

	mu     sync.Mutex
	cmd    *exec.Cmd
	done   chan struct{}
	paused bool
}

// StartVersityGW starts a real S3 server for the test and waits until it
// answers. It fails the test, telling to run `make tools`, when the
// versitygw binary is not installed: these tests must run in CI, so they
// are never skipped.
func StartVersityGW(t testing.TB) *Server {
	t.Helper()
	bin, err := findVersityGW()
	if err != nil {
		t.Fatalf("versitygw S3 server not found (%v): run `make tools` to install it into bin/", err)
	}
	base := t.TempDir()
	s := &Server{
		AccessKey: "pastel-test-" + randHex(4),
		SecretKey: randHex(20),
		Region:    "us-east-1",
		t:         t,
		bin:       bin,
		dataDir:   filepath.Join(base, "data"),
		logPath:   filepath.Join(base, "versitygw.log"),
	}
	s.Bucket = s.NewBucketName()
	if err := os.Mkdir(s.dataDir, 0o750); err != nil {
		t.Fatalf("versitygw data dir: %v", err)
	}
	t.Cleanup(s.Stop)

	// Another process may grab the free port between probing and binding:
	// try a few ports before giving up.
	var lastErr error
	for range 5 {
		s.Endpoint, err = freeAddr()
		if err != nil {
			t.Fatalf("versitygw: %v", err)
		}
		if lastErr = s.start(); lastErr == nil {
			return s
		}
	}
	t.Fatalf("versitygw: %v\n%s", lastErr, s.log())
	return nil
}

// NewBucketName returns a bucket name no other call has returned.
func (s *Server) NewBucketName() string {
	return "pastel-test-" + randHex(8)
}

// URL returns the server's base URL.
func (s *Server) URL() string { return "http://" + s.Endpoint }

// Start starts the server again after Stop, on the same address and over
// the same data, so tests can simulate an outage and a recovery. It does
// nothing when the server runs.
func (s *Server) Start() {
	s.t.Helper()
	if err := s.start(); err != nil {
		s.t.Fatalf("versitygw restart on %s: %v\n%s", s.Endpoint, err, s.log())
	}
}

// Stop kills the server the way a crash or a pulled cable would, waits
// until it has exited (its port then refuses connections) and keeps its
// data for Start. It does nothing when the server is stopped.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	if s.paused {
		_ = s.cmd.Process.Signal(syscall.SIGCONT)
		s.paused = false
	}
	_ = s.cmd.Process.Kill()
	<-s.done
	s.cmd, s.done = nil, nil
}

// Pause freezes the server (SIGSTOP): connections are still accepted by
// the kernel but nothing answers, like an overloaded or hung server.
// Resume undoes it; Stop and the test's cleanup also end a paused server.
func (s *Server) Pause() {
	s.t.Helper()
	s.signal(syscall.SIGSTOP, true)
}

// Resume lets a paused server run again.
func (s *Server) Resume() {
	s.t.Helper()
	s.signal(syscall.SIGCONT, false)
}

func (s *Server) signal(sig syscall.Signal, paused bool) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		s.t.Fatalf("versitygw: %v sent to a stopped server", sig)
	}
	if err := s.cmd.Process.Signal(sig); err != nil {
		s.t.Fatalf("versitygw: %v: %v", sig, err)
	}
	// Signals are delivered asynchronously: wait until the kernel reports
	// the process stopped (or running again), so no request slips through.
	want := func(state byte) bool { return (state == 'T' || state == 't') == paused }
	deadline := time.Now().Add(5 * time.Second)
	for {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
		if err != nil {
			s.t.Fatalf("versitygw: read process state: %v", err)
		}
		// The state follows the command name, which is in parentheses.
		if i := bytes.LastIndexByte(stat, ')'); i > 0 && i+2 < len(stat) && want(stat[i+2]) {
			break
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("versitygw: process did not change state after %v", sig)
		}
		time.Sleep(2 * time.Millisecond)
	}
	s.paused = paused
}

func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return nil
	}
	logf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(s.bin,
		"--port", s.Endpoint,
		"--access", s.AccessKey,
		"--secret", s.SecretKey,
		"--region", s.Region,
		"--health", healthPath,
		"--quiet",
		"posix", s.dataDir,
	)
	cmd.Env = gatewayEnv()
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	if err := waitHealthy(s.URL()+healthPath, done); err != nil {
		_ = cmd.Process.Kill()
		<-done
		return err
	}
	s.cmd, s.done = cmd, done
	return nil
}

func (s *Server) log() string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return ""
	}
	return "versitygw output:\n" + string(b)
}

func waitHealthy(url string, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return errors.New("versitygw exited before answering")
		case <-ctx.Done():
			return fmt.Errorf("versitygw did not answer %s within %s", url, startTimeout)
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// gatewayEnv is the test's environment without the variables versitygw
// reads its settings from, so a developer's shell cannot change the server.
func gatewayEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "VGW_") || strings.HasPrefix(name, "ROOT_") ||
			name == "LOGFILE" || name == "WEBHOOK" {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// findVersityGW looks for the binary in the bin/ directory next to the
// module's go.mod (searching upward from the working directory), then on
// PATH, then in GOBIN and GOPATH/bin.
func findVersityGW() (string, error) {
	var tried []string
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				p := filepath.Join(dir, "bin", versitygwName)
				if isExecutable(p) {
					return p, nil
				}
				tried = append(tried, p)
				break
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	if p, err := exec.LookPath(versitygwName); err == nil {
		return p, nil
	}
	tried = append(tried, "$PATH")
	var dirs []string
	if gobin := os.Getenv("GOBIN"); gobin != "" {
		dirs = append(dirs, gobin)
	}
	for _, gp := range filepath.SplitList(build.Default.GOPATH) {
		dirs = append(dirs, filepath.Join(gp, "bin"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, versitygwName)
		if isExecutable(p) {
			return p, nil
		}
		tried = append(tried, p)
	}
	return "", fmt.Errorf("looked in %s", strings.Join(tried, ", "))
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	return addr, l.Close()
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"pastel/internal/pgtest"
)

// These tests run the client against the real server: cmd/web built into
// a temporary folder, on its own database, on a loopback port.

func TestMain(m *testing.M) { pgtest.Main(m) }

// startServer builds cmd/web, serves it on a fresh database and a
// loopback port until t ends, and returns its origin.
func startServer(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "web")
	if out, err := exec.Command("go", "build", "-o", bin, "../web").CombinedOutput(); err != nil {
		t.Fatalf("go build ../web: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "serve")
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "HTTP_ADDR=" + addr,
		"DATABASE_URL=" + pgtest.NewURL(t), "DATA_DIR=" + filepath.Join(dir, "data"), "LOG_LEVEL=error",
		"BASE_URL=http://" + addr}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("web not ready: %v\n%s", err, log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestCLI runs every command against one real server.
func TestCLI(t *testing.T) {
	base := startServer(t)
	t.Run("PasteStdinAndFilesAnonymously", func(t *testing.T) { testPasteAnonymously(t, base) })
	t.Run("OptionsReachTheServer", func(t *testing.T) { testOptions(t, base) })
	t.Run("ErrorsAndExitCodes", func(t *testing.T) { testErrors(t, base) })
	t.Run("SignedInCommands", func(t *testing.T) { testSignedIn(t, base) })
	t.Run("BuiltBinary", func(t *testing.T) { testBuiltBinary(t, base) })
}

// cli is one user's shell: its own configuration folder and variables.
type cli struct {
	t       *testing.T
	config  string
	vars    map[string]string
	opened  []string
	openErr error
}

func newCLI(t *testing.T, vars map[string]string) *cli {
	return &cli{t: t, config: t.TempDir(), vars: vars}
}

// run runs the client with stdin and returns its exit code, standard
// output and standard error.
func (c *cli) run(stdin string, args ...string) (int, string, string) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, env{
		stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut,
		getenv:    func(k string) string { return c.vars[k] },
		configDir: func() (string, error) { return c.config, nil },
		open:      func(u string) error { c.opened = append(c.opened, u); return c.openErr },
	})
	return code, out.String(), errOut.String()
}

// mustRun runs the client and fails the test unless it exits 0.
func (c *cli) mustRun(stdin string, args ...string) string {
	c.t.Helper()
	code, out, errOut := c.run(stdin, args...)
	if code != 0 {
		c.t.Fatalf("pastel %s = %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// personalToken registers name and makes a personal token the way a
// person does: signs in on the site and creates one in Settings.
func personalToken(t *testing.T, base, name string) string {
	t.Helper()
	creds := fmt.Sprintf(`{"username":%q,"password":"correct horse battery"}`, name)
	resp, err := http.Post(base+"/api/v1/auth/register", "application/json", strings.NewReader(creds))
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("register: %v %v", err, resp)
	}
	resp.Body.Close()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	// post submits the form on page to action with fields and its CSRF token.
	post := func(page, action string, fields url.Values) *goquery.Document {
		t.Helper()
		resp, err := browser.Get(base + page)
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := goquery.NewDocumentFromReader(resp.Body)
		resp.Body.Close()
		csrf, _ := doc.Find(`form input[name="_csrf"]`).First().Attr("value")
		fields.Set("_csrf", csrf)
		req, _ := http.NewRequest(http.MethodPost, base+action, strings.NewReader(fields.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		if resp, err = browser.Do(req); err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("POST %s = %d %s", action, resp.StatusCode, b)
		}
		doc, _ = goquery.NewDocumentFromReader(resp.Body)
		return doc
	}
	post("/login", "/login", url.Values{"username": {name}, "password": {"correct horse battery"}})
	doc := post("/settings", "/settings/tokens", url.Values{"name": {"laptop"}})
	token := strings.TrimSpace(doc.Find(`[data-testid="new-token"]`).Text())
	if token == "" {
		t.Fatal("no personal token on the settings page")
	}
	return token
}

// rawOf reads a paste's bytes from the server's raw view.
func rawOf(t *testing.T, link string) (int, string) {
	t.Helper()
	u, _ := url.Parse(link)
	resp, err := http.Get(u.Scheme + "://" + u.Host + "/raw" + u.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func apiPaste(t *testing.T, base, id, token string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/pastes/"+id, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func idOf(link string) string { return link[strings.LastIndexByte(link, '/')+1:] }

func testPasteAnonymously(t *testing.T, base string) {
	c := newCLI(t, map[string]string{"PASTEL_URL": base})

	out := c.mustRun("hello from a pipe\n")
	link := strings.TrimSpace(out)
	if !strings.HasPrefix(link, base+"/") || strings.Count(out, "\n") != 1 {
		t.Fatalf("stdout = %q, want one link under %s", out, base)
	}
	if code, body := rawOf(t, link); code != 200 || body != "hello from a pipe\n" {
		t.Fatalf("raw = %d %q", code, body)
	}

	// Files: one paste each, named after the file, syntax detected from
	// the name; exact bytes, binary included.
	dir := t.TempDir()
	goFile := filepath.Join(dir, "main.go")
	binFile := filepath.Join(dir, "blob.bin")
	os.WriteFile(goFile, []byte("package main\n\nfunc main() {}\n"), 0o644)
	bin := []byte{0, 1, 2, 0xff, 0xfe, '\n', 0x80}
	os.WriteFile(binFile, bin, 0o644)
	out = c.mustRun("", goFile, binFile, "--visibility", "unlisted")
	links := strings.Fields(out)
	if len(links) != 2 {
		t.Fatalf("two files printed %q, want two links", out)
	}
	_, meta := apiPaste(t, base, idOf(links[0]), "")
	got := map[string]any{"title": meta["title"], "syntax": meta["syntax"], "visibility": meta["visibility"]}
	if diff := cmp.Diff(map[string]any{"title": "main.go", "syntax": "go", "visibility": "unlisted"}, got); diff != "" {
		t.Errorf("main.go paste (-want +got):\n%s", diff)
	}
	if code, body := rawOf(t, links[1]); code != 200 || body != string(bin) {
		t.Fatalf("binary raw = %d %q, want %q", code, body, bin)
	}
	// pastel get gives the same bytes back.
	if got := c.mustRun("", "get", links[1]); got != string(bin) {
		t.Fatalf("get = %q, want %q", got, bin)
	}

	// rm works for anonymous pastes this client made: it kept the delete
	// token, in a file only the user may read.
	st, err := os.Stat(filepath.Join(c.config, "pastel", "config.json"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("config file: %v, mode %v; want 0600", err, st.Mode())
	}
	c.mustRun("", "rm", idOf(link))
	if code, _ := rawOf(t, link); code != 404 {
		t.Fatalf("after rm: raw = %d, want 404", code)
	}
	// Someone else's client has no token for it: refused, exit 3.
	other := newCLI(t, map[string]string{"PASTEL_URL": base})
	if code, _, errOut := other.run("", "rm", idOf(links[0])); code != exitAuth || !strings.Contains(errOut, "pastel: ") {
		t.Fatalf("rm by a stranger = %d %q, want %d and the server's message", code, errOut, exitAuth)
	}
}

func testOptions(t *testing.T, base string) {
	c := newCLI(t, map[string]string{"PASTEL_URL": base})
	link := strings.TrimSpace(c.mustRun("x = 1\n", "-t", "Settings", "-s", "python", "-e", "1h", "-v", "unlisted"))
	_, meta := apiPaste(t, base, idOf(link), "")
	exp, _ := time.Parse(time.RFC3339, fmt.Sprint(meta["expires_at"]))
	if meta["title"] != "Settings" || meta["syntax"] != "python" || meta["visibility"] != "unlisted" ||
		exp.Before(time.Now().Add(50*time.Minute)) || exp.After(time.Now().Add(70*time.Minute)) {
		t.Fatalf("paste = %v", meta)
	}

	// --tag (repeated) keeps the tags, lower-cased and sorted by the
	// server, on text and binary pastes alike; a tag the server refuses
	// is its words on standard error (exit 1).
	link = strings.TrimSpace(c.mustRun("tagged\n", "--tag", "Logs", "--tag", "ci"))
	if _, meta := apiPaste(t, base, idOf(link), ""); fmt.Sprint(meta["tags"]) != "[ci logs]" {
		t.Errorf("tags = %v, want [ci logs]", meta["tags"])
	}
	link = strings.TrimSpace(c.mustRun("\x00\xff binary", "--tag", "blob"))
	if _, meta := apiPaste(t, base, idOf(link), ""); fmt.Sprint(meta["tags"]) != "[blob]" {
		t.Errorf("binary paste tags = %v, want [blob]", meta["tags"])
	}
	code, out, errOut := c.run("x\n", "--tag", "no!")
	if code != exitRefused || out != "" || !strings.Contains(errOut, "tags") {
		t.Errorf("--tag no!: exit %d, out %q, err %q", code, out, errOut)
	}

	// Burn after reading: the first get has it, the second finds nothing.
	link = strings.TrimSpace(c.mustRun("once\n", "--burn"))
	if got := c.mustRun("", "get", idOf(link)); got != "once\n" {
		t.Fatalf("first get of a burn paste = %q", got)
	}
	if code, _, errOut := c.run("", "get", idOf(link)); code != exitNotFound || !strings.Contains(errOut, "(404)") {
		t.Fatalf("second get = %d %q, want %d", code, errOut, exitNotFound)
	}
}

func testErrors(t *testing.T, base string) {
	c := newCLI(t, map[string]string{"PASTEL_URL": base})
	tests := []struct {
		name     string
		stdin    string
		args     []string
		code     int
		inStderr string
	}{
		{"validation error names the field", "x", []string{"--expires", "fortnight"}, exitRefused, "expires_in"},
		{"bad visibility", "x", []string{"--visibility", "secret"}, exitUsage, "--visibility"},
		{"unknown flag", "x", []string{"--colour"}, exitUsage, "colour"},
		{"flag without its value", "x", []string{"--title"}, exitUsage, "title"},
		{"missing file", "", []string{"no-such-file.txt"}, exitUsage, "no such file"},
		{"get without ID", "", []string{"get"}, exitUsage, "one paste ID"},
		{"get of nothing", "", []string{"get", "AAAAAAAA"}, exitNotFound, "(404)"},
		{"get of a malformed ID", "", []string{"get", "../etc"}, exitUsage, "not a paste ID"},
		{"private without signing in", "x", []string{"-v", "private"}, exitRefused, "visibility"},
		{"ls without signing in", "", []string{"ls"}, exitAuth, "pastel login"},
		{"bad token", "", []string{"login", "--token", "nonsense"}, exitAuth, "(401)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := c.run(tc.stdin, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.inStderr) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errOut, tc.code, tc.inStderr)
			}
			if out != "" {
				t.Errorf("stdout = %q on failure, want nothing", out)
			}
		})
	}

	noServer := newCLI(t, nil)
	if code, _, errOut := noServer.run("x"); code != exitUsage || !strings.Contains(errOut, "PASTEL_URL") {
		t.Errorf("no server: %d %q", code, errOut)
	}
	down := newCLI(t, map[string]string{"PASTEL_URL": "http://127.0.0.1:1"})
	if code, _, errOut := down.run("x"); code != exitUnavailable || !strings.Contains(errOut, "unreachable") {
		t.Errorf("server down: %d %q", code, errOut)
	}
	if code, out, _ := noServer.run("", "--help"); code != 0 || !strings.Contains(out, "Exit codes:") {
		t.Errorf("--help = %d %q", code, out)
	}
}

func testSignedIn(t *testing.T, base string) {
	token := personalToken(t, base, "clara")
	c := newCLI(t, nil)

	// login --server reads the token from standard input, checks it, and
	// remembers the server and the token (0600).
	code, _, errOut := c.run(token+"\n", "login", "--server", base)
	if code != 0 || !strings.Contains(errOut, "as clara") {
		t.Fatalf("login = %d %q", code, errOut)
	}
	b, err := os.ReadFile(filepath.Join(c.config, "pastel", "config.json"))
	if err != nil || !strings.Contains(string(b), token) {
		t.Fatalf("config after login: %v %s", err, b)
	}

	// No PASTEL_URL now: the login's server is the default.
	private := strings.TrimSpace(c.mustRun("my secret notes\n", "-v", "private", "-t", "notes"))
	public := strings.TrimSpace(c.mustRun("hello\n", "-t", "greeting"))
	if code, _ := apiPaste(t, base, idOf(private), ""); code != 404 {
		t.Fatalf("private paste read anonymously: %d", code)
	}
	if got := c.mustRun("", "get", private); got != "my secret notes\n" {
		t.Fatalf("get private = %q", got)
	}

	lines := strings.Split(strings.TrimSpace(c.mustRun("", "ls")), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], idOf(public)+" ") || !strings.Contains(lines[1], "private") || !strings.HasSuffix(lines[1], "notes") {
		t.Fatalf("ls =\n%s", strings.Join(lines, "\n"))
	}
	if got := strings.TrimSpace(c.mustRun("", "ls", "--limit", "1")); strings.Count(got, "\n") != 0 {
		t.Fatalf("ls --limit 1 =\n%s", got)
	}

	// open prints the link and hands it to the browser; reads nothing.
	if got := strings.TrimSpace(c.mustRun("", "open", idOf(public))); got != public || !cmp.Equal(c.opened, []string{public}) {
		t.Fatalf("open printed %q, opened %v", got, c.opened)
	}
	c.openErr = errors.New("no browser")
	if code, _, _ := c.run("", "open", idOf(public)); code != exitRefused {
		t.Fatalf("open without a browser = %d", code)
	}

	c.mustRun("", "rm", private)
	if code, _, _ := c.run("", "get", private); code != exitNotFound {
		t.Fatalf("get after rm = %d, want %d", code, exitNotFound)
	}

	// PASTEL_TOKEN overrides the stored token.
	c.vars = map[string]string{"PASTEL_TOKEN": "not-a-token"}
	if code, _, errOut := c.run("", "ls"); code != exitAuth || !strings.Contains(errOut, "(401)") {
		t.Fatalf("ls with a bad PASTEL_TOKEN = %d %q", code, errOut)
	}
	c.vars = nil
	c.mustRun("", "logout")
	if code, _, _ := c.run("", "ls"); code != exitAuth {
		t.Fatalf("ls after logout = %d, want %d", code, exitAuth)
	}
}

// testBuiltBinary runs the real binary: its output and exit codes reach
// the shell.
func testBuiltBinary(t *testing.T, base string) {
	bin := filepath.Join(t.TempDir(), "pastel")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-t", "from the binary")
	cmd.Env = []string{"PASTEL_URL=" + base, "HOME=" + t.TempDir(), "XDG_CONFIG_HOME=" + t.TempDir()}
	cmd.Stdin = strings.NewReader("bytes\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pastel: %v", err)
	}
	if code, body := rawOf(t, strings.TrimSpace(string(out))); code != 200 || body != "bytes\n" {
		t.Fatalf("raw = %d %q", code, body)
	}
	cmd = exec.Command(bin, "get", "AAAAAAAA")
	cmd.Env = []string{"PASTEL_URL=" + base, "HOME=" + t.TempDir(), "XDG_CONFIG_HOME=" + t.TempDir()}
	var ee *exec.ExitError
	if err := cmd.Run(); !errors.As(err, &ee) || ee.ExitCode() != exitNotFound {
		t.Fatalf("get of nothing: %v, want exit %d", err, exitNotFound)
	}
}

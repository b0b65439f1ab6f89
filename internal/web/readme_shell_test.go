package web_test

import (
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// readmeShellFunction returns the shell function between the README's
// marker comments, without the code fence.
func readmeShellFunction(t *testing.T) string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "<!-- pastel-shell-function:begin -->")
	body, _, ok2 := strings.Cut(rest, "<!-- pastel-shell-function:end -->")
	if !ok || !ok2 {
		t.Fatal("README.md lacks the pastel-shell-function markers")
	}
	body = strings.TrimSpace(body)
	body = strings.TrimPrefix(body, "```sh")
	body = strings.TrimSuffix(body, "```")
	return body
}

// TestReadmeShellFunction runs the README's function with sh against a
// running server, for a file and for stdin, anonymously and with a token,
// and checks each printed URL serves exactly the bytes sent.
func TestReadmeShellFunction(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("curl is needed: the README's function uses it")
	}
	e := newEnv(t, served())
	u := e.register("shelly")
	fn := readmeShellFunction(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "main.go")
	content := "package main\n\n// 100% \"quoted\" & spaced\tline\nfunc main() {}\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	stdin := "from stdin: ünïcode & trailing spaces  \n\nno final newline"

	run := func(script, input string, env ...string) string {
		t.Helper()
		cmd := exec.Command("sh", "-c", fn+"\n"+script)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), append([]string{"PASTEL_URL=" + e.base, "PASTEL_TOKEN="}, env...)...)
		cmd.Stdin = strings.NewReader(input)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v: %s", script, err, errb.String())
		}
		return out.String()
	}
	fetch := func(url string) ([]byte, string) {
		t.Helper()
		if !strings.HasPrefix(url, e.base+"/") || strings.Count(url, "\n") != 1 || !strings.HasSuffix(url, "\n") {
			t.Fatalf("printed %q, want one URL line", url)
		}
		id := strings.TrimPrefix(strings.TrimSpace(url), e.base+"/")
		resp, err := http.Get(e.base + "/raw/" + id)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		_, pj := e.get("/api/v1/pastes/" + id)
		return b.Bytes(), string(pj)
	}

	raw, pj := fetch(run("pastel main.go", ""))
	if string(raw) != content || !strings.Contains(pj, `"syntax":"go"`) || !strings.Contains(pj, `"owner":null`) {
		t.Fatalf("file: raw %q, paste %s", raw, pj)
	}
	// The file's name names the paste and its download.
	if !strings.Contains(pj, `"title":"main.go"`) {
		t.Fatalf("file: paste %s lacks the file name as title", pj)
	}
	id := strings.TrimPrefix(strings.TrimSpace(run("pastel main.go", "")), e.base+"/")
	resp, _ := e.get("/dl/" + id)
	if cd := resp.Header.Get("Content-Disposition"); cd != "attachment; filename=main.go" {
		t.Fatalf("download of main.go: Content-Disposition %q", cd)
	}
	odd := "my notes & ideas=1.md"
	if err := os.WriteFile(filepath.Join(dir, odd), []byte("# Notes\n\n- one\n- [two](x)\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	raw, pj = fetch(run("pastel '"+odd+"'", ""))
	if string(raw) != "# Notes\n\n- one\n- [two](x)\n" || !strings.Contains(pj, `"title":"my notes \u0026 ideas=1.md"`) || !strings.Contains(pj, `"syntax":"markdown"`) {
		t.Fatalf("odd file name: raw %q, paste %s", raw, pj)
	}
	raw, pj = fetch(run("pastel", stdin))
	if string(raw) != stdin {
		t.Fatalf("stdin: raw %q", raw)
	}
	raw, pj = fetch(run("pastel - python unlisted 1d", "print(1)\n", "PASTEL_TOKEN="+u.access))
	if string(raw) != "print(1)\n" || !strings.Contains(pj, `"syntax":"python"`) || !strings.Contains(pj, `"visibility":"unlisted"`) || !strings.Contains(pj, `"owner":"shelly"`) {
		t.Fatalf("with args and token: raw %q, paste %s", raw, pj)
	}
	// A missing file fails loudly and prints no URL.
	cmd := exec.Command("sh", "-c", fn+"\npastel nope.txt")
	cmd.Dir = dir
	if out, err := cmd.Output(); err == nil || len(out) != 0 {
		t.Fatalf("missing file: err %v, out %q", err, out)
	}
	// A refused paste fails and shows the server's own words.
	cmd = exec.Command("sh", "-c", fn+"\nprintf x | pastel - text sideways")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PASTEL_URL="+e.base, "PASTEL_TOKEN=")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "visibility") {
		t.Fatalf("refused paste: err %v, output %q: the server's message is not shown", err, out)
	}
}

// TestAPIDocsPage checks /api lists the served routes with examples for
// this server's BASE_URL.
func TestAPIDocsPage(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get("/api")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /api = %d", resp.StatusCode)
	}
	doc := parse(t, body)
	if got := doc.Find(`[data-testid="api-root"]`).Text(); got != "http://pastel.test/api/v1" {
		t.Fatalf("api root %q", got)
	}
	examples := doc.Find(`[data-testid="api-example"]`)
	if examples.Length() < 4 || !strings.Contains(examples.First().Text(), "curl --data-binary @main.go -H 'Accept: text/plain' 'http://pastel.test/api/v1/pastes?syntax=go'") {
		t.Fatalf("examples: %q", examples.Text())
	}
	routes := doc.Find(`[data-testid="api-route"]`).Text()
	for _, want := range []string{"/api/v1/pastes/{id}", "/api/v1/auth/token", "/api/v1/me", "/api/v1/pastes/{id}/share-links"} {
		if !strings.Contains(routes, want) {
			t.Errorf("route %s not listed", want)
		}
	}
}

package web_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// rawRequest writes req as is over a new connection to the served env and
// reads the answer.
func rawRequest(t *testing.T, e *env, req string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, body
}

// TestHostileMalformedRequests sends what a client library would refuse to
// build, over a real connection: control bytes in a multipart part header
// (a file name), and request lines longer than the server reads. Each is a
// 4xx with the security headers; under /api/ a malformed body is the API's
// JSON error, not an HTML page.
func TestHostileMalformedRequests(t *testing.T) {
	e := newEnv(t, served())
	host := strings.TrimPrefix(e.base, "http://")
	part := func(filename string) string {
		return "--b\r\nContent-Disposition: form-data; name=\"content\"; filename=\"" + filename + "\"\r\n\r\nhello\r\n--b--\r\n"
	}
	for _, name := range []string{"a\x0bb", "a\x00b", "\x1b[2J", "a\x7fb"} {
		body := part(name)
		resp, rb := rawRequest(t, e, fmt.Sprintf("POST /api/v1/pastes HTTP/1.1\r\nHost: %s\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", host, len(body), body))
		if resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusCreated {
			t.Errorf("api multipart file name %q = %d: %.200s", name, resp.StatusCode, rb)
		}
		if resp.StatusCode == http.StatusBadRequest && (!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || !bytes.Contains(rb, []byte(`"error"`))) {
			t.Errorf("api multipart file name %q: not the API's JSON error: %s %.200s", name, resp.Header.Get("Content-Type"), rb)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("api multipart file name %q: no security headers", name)
		}
	}
	for _, path := range []string{"/search?q=", "/api/v1/search?q=", "/login?next="} {
		resp, rb := rawRequest(t, e, fmt.Sprintf("GET %s%s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, strings.Repeat("%3E", 8<<10), host))
		if resp.StatusCode < 400 || resp.StatusCode >= 500 {
			t.Errorf("%s with a 24 KiB query = %d: %.200s", path, resp.StatusCode, rb)
		}
	}
}

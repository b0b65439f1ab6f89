package web_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"pastel/internal/web"
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

// TestAmbiguousFramingRefused: requests a proxy and Pastel could split
// differently (request smuggling) are a 400, never served.
func TestAmbiguousFramingRefused(t *testing.T) {
	e := newEnv(t, served())
	host := strings.TrimPrefix(e.base, "http://")
	cases := map[string]string{
		"two different Content-Lengths": "POST /api/v1/pastes HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello!",
		"Content-Length and chunked":    "POST /api/v1/pastes HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
		"bare LF inside a header value": "GET / HTTP/1.1\r\nHost: " + host + "\r\nX-A: a\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
		"bare CR inside a header value": "GET / HTTP/1.1\r\nHost: " + host + "\r\nX-A: a\rb\r\nConnection: close\r\n\r\n",
		"space before the colon":        "GET / HTTP/1.1\r\nHost: " + host + "\r\nTransfer-Encoding : chunked\r\nConnection: close\r\n\r\n0\r\n\r\n",
	}
	for name, req := range cases {
		resp, body := rawRequest(t, e, req)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s = %d, want 400: %.200s", name, resp.StatusCode, body)
		}
	}
}

// TestIdleUploadsHoldLittleMemory: a client that declares a large body and
// sends only headers must not make the server allocate that body. Thirty
// such connections, each declaring 20 MiB, stay within a few MiB of heap.
func TestIdleUploadsHoldLittleMemory(t *testing.T) {
	e := newEnv(t, served(), withMaxBytes(10<<20))
	host := strings.TrimPrefix(e.base, "http://")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var conns []net.Conn
	for range 30 {
		conn, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /api/v1/pastes HTTP/1.1\r\nHost: %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\nfirst bytes", host, 20<<20)
		conns = append(conns, conn)
	}
	// Let the server read every request's headers.
	time.Sleep(time.Second)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > 16<<20 {
		t.Fatalf("30 idle uploads grew the heap by %d MiB", grew>>20)
	}
	// The server is still answering everyone else.
	if resp, _ := e.get("/healthz"); resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz = %d", resp.StatusCode)
	}
}

// TestConnectionsCappedPerAddress: one address cannot hold every
// connection the server has; past MaxConnsPerIP it is turned away.
func TestConnectionsCappedPerAddress(t *testing.T) {
	e := newEnv(t, served(), withOptions(func(o *web.Options) { o.MaxConnsPerIP = 4 }))
	host := strings.TrimPrefix(e.base, "http://")
	for range 4 {
		conn, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", host)
		if _, err := http.ReadResponse(bufio.NewReader(conn), nil); err != nil {
			t.Fatal(err)
		}
	}
	resp, _ := rawRequest(t, e, "GET /healthz HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n")
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("fifth connection = %d, want 429", resp.StatusCode)
	}
}

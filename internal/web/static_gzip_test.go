package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"pastel/static"
)

// TestStaticAssetsGzipped: text assets go out gzipped to clients that take
// gzip (the vendored Mermaid is megabytes), identical once decoded, under an
// ETag of their own so a cache never mixes the two; clients that refuse gzip
// (absent, or q=0) get the bytes as they are, and small assets are not
// compressed at all.
func TestStaticAssetsGzipped(t *testing.T) {
	e := newEnv(t)
	assets := static.New(nil)
	mermaid := assets.Path(static.MermaidName)
	plain, ok := assets.Lookup(mermaid)
	if !ok {
		t.Fatalf("no asset at %q", mermaid)
	}
	fetch := func(path, acceptEncoding, ifNoneMatch string) (*http.Response, []byte) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if acceptEncoding != "" {
			req.Header.Set("Accept-Encoding", acceptEncoding)
		}
		if ifNoneMatch != "" {
			req.Header.Set("If-None-Match", ifNoneMatch)
		}
		return e.do(req)
	}

	resp, body := fetch(mermaid, "br, gzip;q=0.8", "")
	if got := resp.Header.Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", got)
	}
	if resp.Header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("Vary = %q", resp.Header.Get("Vary"))
	}
	if len(body) > len(plain.Body)/2 {
		t.Errorf("gzipped %d bytes of %d", len(body), len(plain.Body))
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(decoded, plain.Body) {
		t.Fatalf("decoded body differs from the asset (err %v)", err)
	}
	gzTag := resp.Header.Get("ETag")
	if gzTag == plain.ETag || gzTag == "" {
		t.Errorf("gzip ETag %q, plain %q: must differ", gzTag, plain.ETag)
	}
	if resp, _ := fetch(mermaid, "gzip", gzTag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match gzip ETag = %d, want 304", resp.StatusCode)
	}
	if resp, _ := fetch(mermaid, "", gzTag); resp.StatusCode != http.StatusOK {
		t.Errorf("gzip ETag for an identity request = %d, want 200", resp.StatusCode)
	}

	for _, ae := range []string{"", "identity", "gzip;q=0", "br, gzip; q=0.000"} {
		resp, body := fetch(mermaid, ae, "")
		if resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, plain.Body) || resp.Header.Get("ETag") != plain.ETag {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, %d bytes, ETag %q; want the asset as is", ae, resp.Header.Get("Content-Encoding"), len(body), resp.Header.Get("ETag"))
		}
	}

	png := assets.Path("icon-192.png")
	if resp, _ := fetch(png, "gzip", ""); resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("png sent with Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
}

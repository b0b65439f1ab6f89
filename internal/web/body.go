package web

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// smallBodyLimit bounds the body of every route that does not carry a
// paste: sign-in, comments, votes, settings, admin actions and the JSON
// API's small documents. A comment (10,000 characters) URL-encoded fits.
const smallBodyLimit = 256 << 10

var (
	errBodyTooLarge = fiber.NewError(fiber.StatusRequestEntityTooLarge, "The request body is larger than this server accepts here.")
	errEncoding     = fiber.NewError(fiber.StatusUnsupportedMediaType, "This request's Content-Encoding is not accepted: send the body uncompressed (gzip or deflate only where a paste is created or edited through the API).")
	errBadEncoding  = fiber.NewError(fiber.StatusBadRequest, "The request body does not decode as its Content-Encoding says.")
	errFraming      = fiber.NewError(fiber.StatusBadRequest, "The request's framing is ambiguous: send one Content-Length or Transfer-Encoding, and end header lines with CRLF.")
)

// checkFraming refuses headers that a proxy in front and this server could
// read differently (request smuggling): a bare CR or LF inside the header
// block, or Content-Length together with Transfer-Encoding. fasthttp
// itself refuses conflicting Content-Lengths and whitespace before a colon.
func checkFraming(raw []byte) error {
	var length, transfer bool
	for line := range bytes.SplitSeq(raw, []byte("\r\n")) {
		if bytes.IndexByte(line, '\r') >= 0 || bytes.IndexByte(line, '\n') >= 0 {
			return errFraming
		}
		name, _, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		switch {
		case bytes.EqualFold(name, []byte(fiber.HeaderContentLength)):
			length = true
		case bytes.EqualFold(name, []byte(fiber.HeaderTransferEncoding)):
			transfer = true
		}
	}
	if length && transfer {
		return errFraming
	}
	return nil
}

// pasteBodyLimit is the largest body a paste-carrying route reads: the paste
// plus form or JSON encoding around it. The paste's own size is checked
// against MaxPasteBytes after decoding.
func (a *App) pasteBodyLimit() int64 { return 2*a.opts.MaxPasteBytes + 1<<20 }

// carriesPaste reports whether a route takes a paste's content: the only
// routes allowed a body beyond smallBodyLimit.
func carriesPaste(method, path string) bool {
	switch method {
	case fiber.MethodPost:
		return path == "/" || path == "/api/v1/pastes" || (strings.HasSuffix(path, "/edit") && !strings.HasPrefix(path, "/c/"))
	case fiber.MethodPatch:
		return strings.HasPrefix(path, "/api/v1/pastes/") && strings.Count(path, "/") == 4
	}
	return false
}

// acceptsEncoding reports whether a route decodes a compressed body: the
// API's paste create and edit, for scripts that send large files gzipped.
func acceptsEncoding(method, path string) bool {
	return strings.HasPrefix(path, "/api/") && carriesPaste(method, path)
}

// boundBody runs before anything reads a request body; it is the app's one
// gate for request bodies. The server streams bodies (nothing is allocated
// for a Content-Length that has not arrived), so this reads each body here,
// bounded by its route's limit: a declared length over the limit is refused
// before a byte is read, a chunked body when it passes the limit. A
// Content-Encoding is refused (415) except on the API's paste routes, where
// one layer of gzip or deflate is decoded here under the same bound, so
// handlers (and Fiber's Body, which would decode without a bound) only ever
// see identity bodies.
func (a *App) boundBody(c *fiber.Ctx) error {
	req := c.Request()
	method, path := c.Method(), c.Path()
	limit := int64(smallBodyLimit)
	if carriesPaste(method, path) {
		limit = a.pasteBodyLimit()
	}
	err := checkFraming(req.Header.RawHeaders())
	var encoding string
	if err == nil {
		encoding, err = requestEncoding(req.Header.PeekAll(fiber.HeaderContentEncoding))
	}
	if err == nil && encoding != "" && !acceptsEncoding(method, path) {
		err = errEncoding
	}
	if err == nil && int64(req.Header.ContentLength()) > limit {
		err = errBodyTooLarge
	}
	if err != nil {
		// The unread body stays on the wire: end the connection after
		// answering rather than drain it.
		c.Context().SetConnectionClose()
		return err
	}
	if req.IsBodyStream() {
		body, err := readAtMost(req.BodyStream(), limit)
		if err != nil {
			c.Context().SetConnectionClose()
			return err
		}
		req.SetBodyRaw(body)
	} else if int64(len(req.Body())) > limit {
		return errBodyTooLarge
	}
	if encoding != "" {
		body, err := decode(encoding, req.Body(), limit)
		if err != nil {
			return err
		}
		req.SetBodyRaw(body)
		req.Header.Del(fiber.HeaderContentEncoding)
		req.Header.SetContentLength(len(body))
	}
	return c.Next()
}

// requestEncoding returns the one content coding of a request ("" for
// none or identity); several layers, or codings other than gzip and
// deflate, are refused.
func requestEncoding(values [][]byte) (string, error) {
	var codings []string
	for _, v := range values {
		for _, part := range strings.Split(string(v), ",") {
			part = strings.ToLower(strings.TrimSpace(part))
			if part != "" && part != "identity" {
				codings = append(codings, part)
			}
		}
	}
	switch {
	case len(codings) == 0:
		return "", nil
	case len(codings) > 1:
		return "", errEncoding
	}
	switch codings[0] {
	case "gzip", "x-gzip":
		return "gzip", nil
	case "deflate":
		return "deflate", nil
	}
	return "", errEncoding
}

// readAtMost reads r to its end, refusing more than limit bytes.
func readAtMost(r io.Reader, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fiber.NewError(fiber.StatusBadRequest, "The request body could not be read.")
	}
	if n > limit {
		return nil, errBodyTooLarge
	}
	return buf.Bytes(), nil
}

// decode undoes one layer of gzip or deflate, refusing output beyond limit
// (a few hundred bytes of gzip can expand to gigabytes).
func decode(encoding string, body []byte, limit int64) ([]byte, error) {
	var r io.Reader
	switch encoding {
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, errBadEncoding
		}
		zr.Multistream(false)
		r = zr
	default:
		r = flate.NewReader(bytes.NewReader(body))
	}
	out, err := readAtMost(r, limit)
	if errors.Is(err, errBodyTooLarge) {
		return nil, err
	}
	if err != nil {
		return nil, errBadEncoding
	}
	return out, nil
}

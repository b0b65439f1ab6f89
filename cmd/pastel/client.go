package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// client speaks to one server's JSON API.
type client struct {
	server string // normalised, without a trailing slash
	token  string // bearer token; "" for anonymous
	http   *http.Client
}

func newClient(server, token string) *client {
	return &client{server: server, token: token, http: &http.Client{Timeout: 5 * time.Minute}}
}

// apiError is the API's error body.
type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// do sends a request to path (under the server) and returns the response
// when its status is 2xx; otherwise an *exitError with the server's own
// message and the exit code for the status.
func (c *client) do(ctx context.Context, method, path string, body io.Reader, header http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.server+path, body)
	if err != nil {
		return nil, &exitError{code: exitUsage, msg: err.Error()}
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", "pastel-cli/1")
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, &exitError{code: exitUnavailable, msg: "interrupted"}
		}
		return nil, &exitError{code: exitUnavailable, msg: fmt.Sprintf("%s unreachable: %v", c.server, unwrapURLError(err))}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp, nil
	}
	defer resp.Body.Close()
	return nil, statusError(resp)
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// statusError turns a non-2xx answer into an exit code and a message that
// shows the server's own words.
func statusError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var ae apiError
	msg := ""
	if json.Unmarshal(b, &ae) == nil && ae.Error.Message != "" {
		msg = ae.Error.Message
		if len(ae.Error.Fields) > 0 {
			names := make([]string, 0, len(ae.Error.Fields))
			for k := range ae.Error.Fields {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				msg += fmt.Sprintf("\n  %s: %s", k, ae.Error.Fields[k])
			}
		}
	} else {
		msg = strings.TrimSpace(string(b))
		if msg == "" || strings.HasPrefix(msg, "<") {
			msg = http.StatusText(resp.StatusCode)
		}
	}
	msg = fmt.Sprintf("%s (%d)", msg, resp.StatusCode)
	code := exitRefused
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		code = exitAuth
		msg += "; sign in with pastel login, or set PASTEL_TOKEN"
	case resp.StatusCode == http.StatusForbidden:
		code = exitAuth
	case resp.StatusCode == http.StatusNotFound:
		code = exitNotFound
	case resp.StatusCode == http.StatusTooManyRequests:
		if ra := resp.Header.Get("Retry-After"); ra != "" {
			msg += "; try again in " + ra + " s"
		}
	case resp.StatusCode >= 500:
		code = exitUnavailable
	}
	return &exitError{code: code, msg: msg}
}

// getJSON GETs path and decodes the JSON answer into out.
func (c *client) getJSON(ctx context.Context, path string, out any) error {
	resp, err := c.do(ctx, http.MethodGet, path, nil, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return decode(resp, out)
}

func decode(resp *http.Response, out any) error {
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return &exitError{code: exitUnavailable, msg: "unexpected answer from the server: " + err.Error()}
	}
	return nil
}

// pasteJSON is the part of the API's paste the client uses.
type pasteJSON struct {
	ID               string     `json:"id"`
	URL              string     `json:"url"`
	Title            string     `json:"title"`
	Syntax           string     `json:"syntax"`
	Visibility       string     `json:"visibility"`
	Size             int64      `json:"size"`
	CreatedAt        time.Time  `json:"created_at"`
	ExpiresAt        *time.Time `json:"expires_at"`
	BurnAfterReading bool       `json:"burn_after_reading"`
	Content          *string    `json:"content"`
	ContentEncoding  string     `json:"content_encoding"`
	DeleteToken      string     `json:"delete_token"`
}

// pasteID takes an ID or a paste's link (…/ID, …/raw/ID, …/embed/ID) and
// returns the ID.
func pasteID(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", usageError("missing paste ID")
	}
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil {
			return "", usageError("%q: not a paste ID or link", s)
		}
		s = strings.Trim(u.Path, "/")
		if i := strings.LastIndexByte(s, '/'); i >= 0 {
			s = s[i+1:]
		}
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return "", usageError("%q: not a paste ID or link", s)
		}
	}
	if s == "" {
		return "", usageError("missing paste ID")
	}
	return s, nil
}

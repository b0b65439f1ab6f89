package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"pastel/internal/paste"
)

// TestHostileInputsPasswordForm sends every input of the hostile corpus
// through issue 16's fields: as a paste's password (API create, then the
// page's password form and X-Paste-Password with that same value, which
// must open it), as a wrong guess at another paste's form (401, the
// prompt inert), and as the new-paste form's password, views cap and
// custom expiry (303 or 422, inert). Nothing may answer 5xx, take longer
// than the page budget or put markup of the input on a page.
func TestHostileInputsPasswordForm(t *testing.T) {
	e := newEnv(t, withPasteOptions(func(o *paste.Options) {
		// The corpus is thousands of guesses from one address.
		o.Passwords.PerPaste, o.Passwords.PerAddress = nil, nil
	}))
	e.browser()
	owner := e.register("hostile_pw")
	h := &hostileRun{t: t, e: e}
	fixed := e.apiPaste(owner, `{"content":"guarded","password":"the right one"}`)
	corpus := hostileCorpus(t)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 3 {
		wg.Go(func() {
			for i := range next {
				h.passwordInput(owner, fixed, i, corpus[i])
			}
		})
	}
	for i := range corpus {
		if h.full() {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	h.report()
	t.Logf("%d inputs, %d requests; slowest %v (%s)", len(corpus), h.requests, h.slowest, h.slowURL)
}

func (h *hostileRun) passwordInput(owner *user, fixed string, i int, in hostile) {
	e := h.e
	v := in.value
	what := fmt.Sprintf("input %d (%s %.40q)", i, in.class, v)

	// A wrong guess at the fixed paste's form: the prompt again, inert.
	vals := url.Values{"password": {v}}
	resp, rb := h.send(what+" wrong guess", e.browserPost(nil, "/"+fixed+"/unlock", "application/x-www-form-urlencoded", strings.NewReader(vals.Encode()), i%2 == 0))
	if v != "the right one" && resp.StatusCode != http.StatusUnauthorized {
		h.fail("%s: wrong guess = %d, want 401", what, resp.StatusCode)
	}
	if doc := h.page(what+" wrong guess", resp, rb); doc != nil && doc.Find(`[data-testid="password-form"]`).Length() != 1 {
		h.fail("%s: wrong guess page has no password form", what)
	}

	// The input as a paste's password: refused with a 422 naming it, or
	// it opens the paste on the form and in the header.
	cb, _ := json.Marshal(map[string]string{"content": "locked " + fmt.Sprint(i), "password": v})
	// JSON carries invalid UTF-8 as U+FFFD: the password is what it sent.
	var sent map[string]string
	json.Unmarshal(cb, &sent)
	pw := sent["password"]
	resp, rb = h.send(what+" api create", bearer(jsonReq("POST", "/api/v1/pastes", string(cb)), owner.access))
	h.json(what+" api create", resp, rb)
	if resp.StatusCode == http.StatusCreated {
		var p struct {
			ID                string `json:"id"`
			PasswordProtected bool   `json:"password_protected"`
		}
		json.Unmarshal(rb, &p)
		if v != "" && !p.PasswordProtected {
			h.fail("%s: created without its password", what)
		}
		if v != "" {
			right := url.Values{"password": {pw}}
			resp, rb = h.send(what+" right password", e.browserPost(nil, "/"+p.ID+"/unlock", "application/x-www-form-urlencoded", strings.NewReader(right.Encode()), false))
			if resp.StatusCode != http.StatusSeeOther {
				h.fail("%s: its own password on the form = %d %.100s", what, resp.StatusCode, rb)
			}
			if validHeader(pw) {
				req := httptest.NewRequest(http.MethodGet, "/api/v1/pastes/"+p.ID, nil)
				req.Header.Set("X-Paste-Password", pw)
				resp, rb = h.send(what+" header", req)
				h.json(what+" header", resp, rb)
				// fasthttp trims a header value's outer spaces.
				if resp.StatusCode != http.StatusOK && strings.TrimSpace(pw) == pw {
					h.fail("%s: its own password in the header = %d", what, resp.StatusCode)
				}
			}
		}
	} else if resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusBadRequest {
		h.fail("%s: api create = %d %.100s", what, resp.StatusCode, rb)
	}

	// The new-paste form's fields.
	ct, body := form([][2]string{{"content", "x"}, {"password", v}, {"max_views", v}, {"expires_in", "custom"}, {"expires_custom", v}}, nil)
	resp, rb = h.send(what+" form", e.browserPost(owner, "/", ct, body, i%2 == 1))
	switch resp.StatusCode {
	case http.StatusSeeOther, http.StatusOK, http.StatusUnprocessableEntity:
		h.page(what+" form", resp, rb)
	default:
		h.fail("%s: form = %d %.200s", what, resp.StatusCode, rb)
	}
}

// validHeader reports whether v can travel as an HTTP header value.
func validHeader(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

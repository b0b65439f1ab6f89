package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"pastel/internal/browsertest"
)

// TestHostileInputsEncryptedAndWarnings sends every input of the hostile
// corpus through issue 16's encryption and credential-warning fields: as
// the content of an encrypted create (JSON and raw body: never stored,
// 400/413/422), as the new-paste form's title, text (with a credential on
// its last line, so the form is held with the warning) and answer to the
// warning, and as its encrypted flag. Nothing may answer 5xx, take longer
// than the page budget or put markup of the input on a page.
func TestHostileInputsEncryptedAndWarnings(t *testing.T) {
	e := newEnv(t)
	e.browser()
	owner := e.register("hostile_e2e")
	h := &hostileRun{t: t, e: e}
	corpus := hostileCorpus(t)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 3 {
		wg.Go(func() {
			for i := range next {
				h.encryptedInput(owner, i, corpus[i])
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

func (h *hostileRun) encryptedInput(owner *user, i int, in hostile) {
	e := h.e
	v := in.value
	what := fmt.Sprintf("input %d (%s %.40q)", i, in.class, v)

	cb, _ := json.Marshal(map[string]any{"content": v, "encrypted": true})
	resp, rb := h.send(what+" api encrypted", bearer(jsonReq("POST", "/api/v1/pastes", string(cb)), owner.access))
	h.json(what+" api encrypted", resp, rb)
	if resp.StatusCode == http.StatusCreated {
		h.fail("%s: stored as an encrypted paste: %.200s", what, rb)
	}
	req := httptest.NewRequest(http.MethodPost, "/api/v1/pastes?encrypted=1", strings.NewReader(v))
	req.Header.Set("Content-Type", "text/plain")
	resp, rb = h.send(what+" raw encrypted", req)
	switch resp.StatusCode {
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
	default:
		h.fail("%s: raw encrypted create = %d %.200s", what, resp.StatusCode, rb)
	}

	// The form, held by the warning: everything typed comes back as text.
	u := owner
	if i%2 == 0 {
		u = nil // anonymous: no "make it private"
	}
	ct, body := form([][2]string{
		{"title", v}, {"content", v + "\naws_key = \"AKIAIOSFODNN7EXAMPLQ\"\n"},
		{"visibility", "public"}, {"secret_action", v},
	}, nil)
	resp, rb = h.send(what+" held form", e.browserPost(u, "/", ct, body, i%3 == 0))
	switch resp.StatusCode {
	case http.StatusOK, http.StatusUnprocessableEntity, http.StatusSeeOther, http.StatusRequestEntityTooLarge:
		h.page(what+" held form", resp, rb)
	default:
		h.fail("%s: held form = %d %.200s", what, resp.StatusCode, rb)
	}
	// The encrypted flag with a text that is no envelope: refused.
	ct, body = form([][2]string{{"content", v}, {"encrypted", v}, {"visibility", "unlisted"}}, nil)
	resp, rb = h.send(what+" encrypted form", e.browserPost(u, "/", ct, body, i%3 == 1))
	if resp.StatusCode == http.StatusSeeOther || resp.Header.Get("HX-Redirect") != "" {
		if v != "" {
			h.fail("%s: the form stored a non-envelope as encrypted", what)
		}
	} else {
		h.page(what+" encrypted form", resp, rb)
	}
}

// TestHostileInputsDecryptedInBrowser: each class of the corpus, encrypted
// as the browser does, decrypts on its page as text: no payload runs, no
// CSP violation, the text shown is the text sealed. The credential warning
// with hostile title and text, swapped in by htmx, stays inert too.
func TestHostileInputsDecryptedInBrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t, served(), withMaxBytes(8<<20))
	byClass := map[string][]string{}
	var classes []string
	for _, h := range hostileCorpus(t) {
		if len(h.value) > 4<<10 {
			continue
		}
		if byClass[h.class] == nil {
			classes = append(classes, h.class)
		}
		byClass[h.class] = append(byClass[h.class], h.value)
	}
	type sealed struct{ id, key, text string }
	var pages []sealed
	for _, class := range classes {
		// The page decodes UTF-8 strictly: the corpus's invalid bytes are
		// the HTTP test's.
		text := strings.ToValidUTF8(strings.Join(byClass[class], "\n"), "\uFFFD")
		envelope, key := sealEnvelope(t, text)
		id := e.apiPaste(nil, `{"encrypted":true,"content":`+quote(envelope)+`}`)
		pages = append(pages, sealed{id, key, text})
	}

	b := browsertest.New(t)
	tab, cancel := b.Tab()
	defer cancel()
	browsertest.Do(t, tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hostileWatch})
		return err
	}))
	check := func(where string) {
		t.Helper()
		browsertest.Do(t, tab, chromedp.Sleep(200*time.Millisecond))
		tr := browsertest.Get(t, tab, chromedp.Evaluate[traces](hostileTraces))
		if tr.Pwned || tr.Title || tr.Elements > 0 || tr.Dialogs > 0 || tr.Scripts > 0 {
			t.Errorf("%s: a payload ran: %+v", where, tr)
		}
		if len(tr.CSP) > 0 {
			t.Errorf("%s: CSP violations:\n%s", where, strings.Join(tr.CSP, "\n"))
		}
		for _, p := range b.Problems() {
			t.Errorf("%s: %s", where, p)
		}
	}
	for i, p := range pages {
		browsertest.Do(t, tab,
			chromedp.Navigate(e.base+"/"+p.id+"#"+p.key),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="decrypted"]`)),
		)
		check("class " + classes[i])
		got := browsertest.Get(t, tab, chromedp.Evaluate[string](`document.querySelector('[data-testid="decrypted"]').textContent`))
		if got != p.text {
			t.Errorf("class %s: decrypted text differs (%d bytes, want %d)", classes[i], len(got), len(p.text))
		}
	}
	payload := `"><img src=x onerror=window.__pwned=1><div hx-get="/" hx-trigger="load">` + "\n" + strings.Join(byClass["hx"], "\n")
	browsertest.Do(t, tab,
		chromedp.Navigate(e.base+"/"),
		chromedp.WaitVisible(chromedp.ID("paste-content")),
		chromedp.SetValue(chromedp.ID("paste-content"), payload+"\naws_key = \"AKIAIOSFODNN7EXAMPLQ\"\n"),
		chromedp.Click(chromedp.CSS(`#paste-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="secret-warning"]`)),
	)
	check("secret warning fragment")
	if got := browsertest.Get(t, tab, chromedp.Evaluate[string](`document.getElementById("paste-content").value`)); !strings.HasPrefix(got, payload) {
		t.Errorf("the warning did not keep the typed text: %.80q", got)
	}
}

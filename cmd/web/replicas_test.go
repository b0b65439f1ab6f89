package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"pastel/internal/pgtest"
	"pastel/internal/store"
	"pastel/views"
)

// TestReplicas runs three real servers on one database and one DATA_DIR
// blob store, as a deployment with several replicas does, and checks what
// they must share: reads see another replica's edits and deletes at once,
// a browser session made on one works on the others, the sign-in limit and
// the write budget are one budget, each periodic job runs once per period,
// and a replica killed under load loses no acknowledged write.
func TestReplicas(t *testing.T) {
	bin := buildWeb(t)
	dbURL := pgtest.NewURL(t)
	dataDir := t.TempDir()
	const sweepEvery = 300 * time.Millisecond
	vars := map[string]string{
		"DATABASE_URL":          dbURL,
		"DATA_DIR":              dataDir,
		"LOG_LEVEL":             "warn",
		"BASE_URL":              "http://pastel.test",
		"TRUSTED_PROXIES":       "127.0.0.1",
		"SESSION_KEY":           strings.Repeat("s3ssion-key-", 4),
		"JWT_SECRET":            strings.Repeat("jwt-secret-k", 4),
		"API_CREATE_RATE_LIMIT": "6",
		"EXPIRY_SWEEP_INTERVAL": sweepEvery.String(),
	}
	started := time.Now()
	// The first replica migrates; the others then start together.
	a := startChild(t, bin, vars)
	var others [2]*child
	var wg sync.WaitGroup
	for i := range others {
		wg.Add(1)
		go func() { defer wg.Done(); others[i] = startChild(t, bin, vars) }()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	b, c := others[0], others[1]
	pool := pgtest.NewPoolFor(t, dbURL)
	st := store.New(pool)
	ctx := context.Background()

	aliceToken := registerUser(t, a, "alice", "alice's long password")

	t.Run("edit on one replica is read on another", func(t *testing.T) {
		id := createPaste(t, a, "first version", aliceToken)
		// B and C read it first, so that their caches hold the old version.
		for _, r := range []*child{b, c} {
			if got := readContent(t, r, id); got != "first version" {
				t.Fatalf("read %q", got)
			}
			if code, page := r.mustCall("GET", "/"+id, ""); code != http.StatusOK || !strings.Contains(string(page), "first version") {
				t.Fatalf("page = %d", code)
			}
		}
		code, resp := a.mustCall("PATCH", "/api/v1/pastes/"+id, `{"content":"second version"}`, "Authorization", "Bearer "+aliceToken)
		if code != http.StatusOK {
			t.Fatalf("edit = %d %s", code, resp)
		}
		edited := time.Now()
		for _, r := range []*child{b, c} {
			for {
				_, page := r.mustCall("GET", "/"+id, "")
				if readContent(t, r, id) == "second version" && strings.Contains(string(page), "second version") {
					break
				}
				if time.Since(edited) > time.Second {
					t.Fatalf("the edit made on A is not seen on another replica after a second")
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		t.Logf("edit seen on both other replicas after %v", time.Since(edited).Round(time.Millisecond))

		// A delete on A is a 404 on the others.
		gone := createPaste(t, a, "soon gone", aliceToken)
		if got := readContent(t, b, gone); got != "soon gone" {
			t.Fatalf("read %q", got)
		}
		if code, resp := a.mustCall("DELETE", "/api/v1/pastes/"+gone, "", "Authorization", "Bearer "+aliceToken); code != http.StatusNoContent {
			t.Fatalf("delete = %d %s", code, resp)
		}
		// The other replicas hear of it by NOTIFY: within a second.
		deleted := time.Now()
		for _, r := range []*child{b, c} {
			for _, path := range []string{"/api/v1/pastes/" + gone, "/" + gone, "/raw/" + gone} {
				for {
					code, _ := r.mustCall("GET", path, "")
					if code == http.StatusNotFound {
						break
					}
					if time.Since(deleted) > time.Second {
						t.Fatalf("GET %s a second after the delete on A = %d, want 404", path, code)
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
		}
		t.Logf("delete seen on both other replicas after %v", time.Since(deleted).Round(time.Millisecond))
	})

	t.Run("a browser session made on one replica works on another", func(t *testing.T) {
		jar, _ := cookiejar.New(nil) // cookies ignore ports: every replica sees them
		browser := &http.Client{Jar: jar, Timeout: 15 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		get := func(r *child, path string) (int, string) {
			t.Helper()
			resp, err := browser.Get(r.base + path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(body)
		}
		if code, _ := get(b, "/settings"); code != http.StatusSeeOther && code != http.StatusFound {
			t.Fatalf("settings before signing in = %d, want a redirect to sign in", code)
		}
		_, page := get(a, "/login")
		m := regexp.MustCompile(`name="` + views.CSRFField + `"[^>]*value="([^"]+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no CSRF field in the sign-in form:\n%s", page)
		}
		form := url.Values{"username": {"alice"}, "password": {"alice's long password"}, views.CSRFField: {m[1]}}
		resp, err := browser.PostForm(a.base+"/login", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in on A = %d", resp.StatusCode)
		}
		for _, r := range []*child{b, c} {
			code, body := get(r, "/settings")
			if code != http.StatusOK || !strings.Contains(body, "alice") {
				t.Fatalf("settings on another replica with A's session = %d", code)
			}
		}
	})

	t.Run("sign-in limit is shared", func(t *testing.T) {
		registerUser(t, b, "mallory", "mallory's long password")
		// Five wrong passwords, spread over the replicas (each from its own
		// address), spend the account's budget of five on all of them.
		for i, r := range []*child{a, b, c, a, b} {
			if code, resp := r.mustCall("POST", "/api/v1/auth/token", `{"username":"mallory","password":"wrong guess"}`); code != http.StatusUnauthorized {
				t.Fatalf("failure %d = %d %s", i, code, resp)
			}
		}
		for _, r := range []*child{a, b, c} {
			code, resp := r.mustCall("POST", "/api/v1/auth/token", `{"username":"mallory","password":"mallory's long password"}`)
			if code != http.StatusTooManyRequests {
				t.Fatalf("sixth attempt = %d %s, want 429: replicas each keep their own count", code, resp)
			}
		}
	})

	t.Run("write budget is shared", func(t *testing.T) {
		bob := registerUser(t, c, "bob", "bob's long password")
		// API_CREATE_RATE_LIMIT=6 a minute per user, over every replica.
		for i, r := range []*child{a, b, c, a, b, c} {
			if code, resp := r.mustCall("POST", "/api/v1/pastes", `{"content":"budget"}`, "Authorization", "Bearer "+bob); code != http.StatusCreated {
				t.Fatalf("create %d = %d %s", i, code, resp)
			}
		}
		for _, r := range []*child{a, b, c} {
			if code, _ := r.mustCall("POST", "/api/v1/pastes", `{"content":"over budget"}`, "Authorization", "Bearer "+bob); code != http.StatusTooManyRequests {
				t.Fatalf("seventh create = %d, want 429", code)
			}
		}
	})

	t.Run("each periodic job runs once per period", func(t *testing.T) {
		runs, err := st.JobRuns(ctx)
		if err != nil {
			t.Fatal(err)
		}
		elapsed := time.Since(started)
		// Hourly and ten-minute jobs: every replica ran its timer at start,
		// one ran the job.
		for _, job := range []string{"orphan_sweep", "session_sweep", "rate_limit_sweep", "popular_rebuild", "trending_rebuild"} {
			if runs[job] != 1 {
				t.Errorf("%s ran %d times, want once for three replicas", job, runs[job])
			}
		}
		// The expiry sweep, every 300 ms on each of three replicas: about
		// once per 300 ms in all (a claim may come 10% early), not three
		// times.
		most := int64(elapsed/(sweepEvery*9/10)) + 1
		if n := runs["expiry_sweep"]; n < 2 || n > most {
			t.Errorf("expiry_sweep ran %d times in %v, want at most %d", n, elapsed.Round(time.Millisecond), most)
		}
		t.Logf("job runs after %v: %v", elapsed.Round(time.Millisecond), runs)
	})

	t.Run("no acknowledged write is lost when a replica is killed", func(t *testing.T) {
		var mu sync.Mutex
		acked := map[string]string{}
		stop := make(chan struct{})
		var clients sync.WaitGroup
		for i, r := range []*child{a, c, a, c} {
			clients.Add(1)
			go func() {
				defer clients.Done()
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					content := fmt.Sprintf("client %d paste %d", i, n)
					body, _ := json.Marshal(map[string]string{"content": content})
					code, resp, err := r.call("POST", "/api/v1/pastes", string(body))
					if err != nil || code != http.StatusCreated {
						if err != nil {
							time.Sleep(10 * time.Millisecond) // the replica is gone
						}
						continue // not acknowledged: no promise was made
					}
					var out struct {
						ID string `json:"id"`
					}
					if err := json.Unmarshal(resp, &out); err != nil || out.ID == "" {
						t.Errorf("create answer %s", resp)
						continue
					}
					mu.Lock()
					acked[out.ID] = content
					mu.Unlock()
				}
			}()
		}
		time.Sleep(700 * time.Millisecond)
		c.kill()
		time.Sleep(500 * time.Millisecond)
		close(stop)
		clients.Wait()
		if len(acked) < 10 {
			t.Fatalf("only %d creates acknowledged", len(acked))
		}
		for id, content := range acked {
			if got := readContent(t, a, id); got != content {
				t.Errorf("acknowledged paste %s reads %q from the survivor, want %q", id, got, content)
			}
		}
		t.Logf("%d acknowledged creates, all readable after the kill", len(acked))
	})
	b.stop()
	a.stop()
}

// registerUser registers name on r and returns an access token.
func registerUser(t *testing.T, r *child, name, password string) string {
	t.Helper()
	creds := fmt.Sprintf(`{"username":%q,"password":%q}`, name, password)
	if code, body := r.mustCall("POST", "/api/v1/auth/register", creds); code != http.StatusCreated {
		t.Fatalf("register %s = %d %s", name, code, body)
	}
	code, body := r.mustCall("POST", "/api/v1/auth/token", creds)
	if code != http.StatusOK {
		t.Fatalf("token %s = %d %s", name, code, body)
	}
	var tok struct {
		Access string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.Access == "" {
		t.Fatalf("token answer %s", body)
	}
	return tok.Access
}

// createPaste creates a public paste on r as the bearer of token.
func createPaste(t *testing.T, r *child, content, token string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"content": content, "visibility": "public"})
	code, resp := r.mustCall("POST", "/api/v1/pastes", string(body), "Authorization", "Bearer "+token)
	if code != http.StatusCreated {
		t.Fatalf("create = %d %s", code, resp)
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(resp, &out); err != nil || out.ID == "" {
		t.Fatalf("create answer %s", resp)
	}
	return out.ID
}

// readContent reads a paste's content through the API of r ("" when it is
// not found).
func readContent(t *testing.T, r *child, id string) string {
	t.Helper()
	code, resp := r.mustCall("GET", "/api/v1/pastes/"+id, "")
	if code == http.StatusNotFound {
		return ""
	}
	var out struct {
		Content string `json:"content"`
	}
	if err := json.Unmarshal(resp, &out); err != nil || code != http.StatusOK {
		t.Fatalf("read %s = %d %s", id, code, resp)
	}
	return out.Content
}

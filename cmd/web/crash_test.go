package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"pastel/internal/crashpoint"
	"pastel/internal/pgtest"
	"pastel/internal/search/searchtest"
)

// Crash-safety test settings. PASTEL_CRASH_RUNS sets the number of crash
// runs (default 24: three per crash point); PASTEL_CRASH_SEED replays the
// operation mix of a failed run (timing still varies).
const (
	crashOrphanGrace    = 3 * time.Second
	crashOrphanInterval = 300 * time.Millisecond
	crashRunLimit       = 6 * time.Second // a run whose point is not reached is killed from outside
)

var crashPoints = []string{
	crashpoint.CreateAfterBodyWrite,
	crashpoint.CreateAfterCommit,
	crashpoint.UpdateAfterBodyWrite,
	crashpoint.UpdateAfterCommit,
	crashpoint.DeleteAfterCommit,
	crashpoint.BurnAfterCommit,
	crashpoint.ExpiryAfterRows,
	crashpoint.SearchAfterDelivery,
}

// TestCrashSafety kills the real server (built with -tags crashpoints) with
// SIGKILL at each named crash point (internal/crashpoint) while several clients create, read, edit,
// delete, burn and expire pastes, then restarts it without the crash point
// and checks what survived: every acknowledged paste reads back exactly;
// no row points at a missing body; nothing acknowledged as deleted, burned
// or expired comes back on the page, raw, API, list or search surfaces;
// requests in flight at the crash took effect entirely or not at all;
// orphaned bodies are removed by the orphan sweep; and the Typesense index
// converges to exactly the indexable pastes with no operator action.
func TestCrashSafety(t *testing.T) {
	runs := 3 * len(crashPoints)
	if v := os.Getenv("PASTEL_CRASH_RUNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("PASTEL_CRASH_RUNS=%q", v)
		}
		runs = n
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("PASTEL_CRASH_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("PASTEL_CRASH_SEED=%q", v)
		}
		seed = n
	}
	t.Logf("seed %d (PASTEL_CRASH_SEED=%d replays the operation mix), %d runs", seed, seed, runs)
	rng := rand.New(rand.NewPCG(seed, 7))

	// Only a binary built with the crashpoints tag reads PASTEL_CRASHPOINT.
	bin := buildWeb(t, "crashpoints")
	dbURL := pgtest.NewURL(t)
	dataDir := t.TempDir()
	ts := searchtest.NewTypesense(t, "crash-test-key")
	vars := func(point string) map[string]string {
		v := map[string]string{
			"DATABASE_URL":          dbURL,
			"DATA_DIR":              dataDir,
			"LOG_LEVEL":             "error",
			"BASE_URL":              "http://pastel.test", // tokens name it: it must not change with the port
			"TRUSTED_PROXIES":       "127.0.0.1",
			"TYPESENSE_URL":         ts.URL,
			"TYPESENSE_API_KEY":     "crash-test-key",
			"EXPIRY_SWEEP_INTERVAL": "200ms",
			"ORPHAN_SWEEP_INTERVAL": crashOrphanInterval.String(),
			"ORPHAN_GRACE":          crashOrphanGrace.String(),
		}
		if point != "" {
			v[crashpoint.EnvVar] = point
		}
		return v
	}
	w := &crashWorld{t: t, pool: pgtest.NewPoolFor(t, dbURL), blobDir: filepath.Join(dataDir, "blobs"), pastes: map[string]*tracked{}}

	c := startChild(t, bin, vars(""))
	for i := range 4 {
		w.addUser(c, fmt.Sprintf("crasher%d", i))
	}
	w.signedIn = time.Now()
	c.stop()

	fired := map[string]int{}
	var started time.Time
	for run := range runs {
		point := crashPoints[run%len(crashPoints)]
		nth := 1 + rng.IntN(3)
		started = time.Now()
		c := startChild(t, bin, vars(fmt.Sprintf("%s:%d", point, nth)))
		ops := w.drive(c, rng.Uint64(), crashRunLimit)
		if c.crashed() {
			fired[point]++
		}
		crashLog := c.log.String()
		c = startChild(t, bin, vars(""))
		w.verify(c, rng, false)
		c.stop()
		if t.Failed() {
			t.Fatalf("run %d (%s:%d, %d operations, %v) failed; seed %d\nlog of the crashed server:\n%s\nlog after the restart:\n%s",
				run, point, nth, ops, time.Since(started).Round(time.Millisecond), seed, crashLog, c.log.String())
		}
	}
	c = startChild(t, bin, vars(""))
	w.verify(c, rng, true)
	w.converge(c, ts)
	c.stop()

	counts := w.counts()
	t.Logf("crash points fired: %v; pastes: %v; requests in doubt at crashes: %d; creates and edits refused (503): %d", fired, counts, w.doubts.Load(), w.refused.Load())
	if runs >= len(crashPoints) {
		for _, p := range crashPoints {
			if fired[p] == 0 {
				t.Errorf("crash point %s never fired", p)
			}
		}
	}
}

type pasteState int

const (
	live      pasteState = iota
	gone                 // acknowledged deleted, burned or expired
	doubtGone            // a delete or burn was in flight at a crash
)

// tracked is the test's knowledge of one paste.
type tracked struct {
	id      string
	token   string // delete token of an anonymous paste
	owner   int    // index into users, -1: anonymous
	private bool
	burn    bool
	content string
	alt     string // an edit in flight at a crash: the content it would leave
	state   pasteState
	goneBy  string
	busy    bool
	touched bool
}

type crashUser struct {
	name, password, access string
	id                     int64
}

type crashWorld struct {
	t       *testing.T
	pool    *pgxpool.Pool
	blobDir string
	users   []*crashUser
	// signedIn is when the users' access tokens were issued.
	signedIn time.Time

	mu     sync.Mutex
	pastes map[string]*tracked
	serial int
	doubts atomic.Int64
	// refused counts creates and edits answered 503 (see unexpected).
	refused atomic.Int64
}

func (w *crashWorld) addUser(c *child, name string) {
	u := &crashUser{name: name, password: "crash test password " + name}
	code, body := c.mustCall("POST", "/api/v1/auth/register", fmt.Sprintf(`{"username":%q,"password":%q}`, name, u.password))
	if code != http.StatusCreated {
		w.t.Fatalf("register %s = %d %s", name, code, body)
	}
	var out struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		w.t.Fatal(err)
	}
	u.id = out.ID
	w.users = append(w.users, u)
	w.signIn(c, u)
}

// signIn gets a fresh access token (they last 15 minutes; a long run
// outlives one).
func (w *crashWorld) signIn(c *child, u *crashUser) {
	code, body := c.mustCall("POST", "/api/v1/auth/token", fmt.Sprintf(`{"username":%q,"password":%q}`, u.name, u.password))
	if code != http.StatusOK {
		w.t.Fatalf("token %s = %d %s", u.name, code, body)
	}
	var tok struct {
		Access string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &tok); err != nil {
		w.t.Fatal(err)
	}
	u.access = tok.Access
}

func (w *crashWorld) auth(p *tracked) []string {
	if p.owner < 0 {
		return nil
	}
	return []string{"Authorization", "Bearer " + w.users[p.owner].access}
}

// pick marks and returns a random idle paste matching ok, or nil.
func (w *crashWorld) pick(rng *rand.Rand, ok func(*tracked) bool) *tracked {
	w.mu.Lock()
	defer w.mu.Unlock()
	var cands []*tracked
	for _, p := range w.pastes {
		if !p.busy && p.state == live && p.alt == "" && ok(p) {
			cands = append(cands, p)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].id < cands[j].id })
	p := cands[rng.IntN(len(cands))]
	p.busy = true
	return p
}

func (w *crashWorld) release(p *tracked, fn func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if fn != nil {
		fn()
	}
	p.busy, p.touched = false, true
}

func (w *crashWorld) nextContent(what string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.serial++
	return fmt.Sprintf("crashtest %s n%d\n%s\n", what, w.serial, strings.Repeat("line of body text\n", w.serial%7))
}

// drive runs four clients against c until it dies (or limit passes, when
// the process is killed from outside) and returns how many operations ran.
func (w *crashWorld) drive(c *child, seed uint64, limit time.Duration) int {
	deadline := time.Now().Add(limit)
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(i)))
			n := 0
			for c.alive() && time.Now().Before(deadline) {
				w.step(c, rng, i)
				n++
				time.Sleep(time.Duration(5+rng.IntN(20)) * time.Millisecond)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	if c.alive() {
		c.kill()
	}
	return total
}

// step runs one random operation as client i (who is also users[i]).
func (w *crashWorld) step(c *child, rng *rand.Rand, i int) {
	t := w.t
	unexpected := func(op string, code int, body []byte) {
		switch {
		case code == http.StatusTooManyRequests:
		case code == http.StatusServiceUnavailable && (strings.HasSuffix(op, "create") || strings.HasPrefix(op, "edit ")):
			// A create or edit whose new body waited half the orphan grace
			// (1.5 s here, under -race on a loaded machine) gives up
			// rather than commit a row the sweep may strip of its body:
			// nothing was done, which the checks below verify like any
			// refusal.
			w.refused.Add(1)
		default:
			t.Errorf("%s = %d: %.300s", op, code, body)
		}
	}
	inDoubt := func(err error) bool {
		if err == nil {
			return false
		}
		if !errors.Is(err, errInDoubt) {
			t.Error(err)
		}
		w.doubts.Add(1)
		return true
	}
	switch r := rng.IntN(100); {
	case r < 22: // anonymous create, one in four burn after reading
		content := w.nextContent("anon")
		vis := []string{"public", "unlisted"}[rng.IntN(2)]
		burn := rng.IntN(4) == 0
		body, _ := json.Marshal(map[string]any{"content": content, "visibility": vis, "burn_after_reading": burn})
		code, resp, err := c.call("POST", "/api/v1/pastes", string(body))
		if inDoubt(err) {
			return
		}
		if code != http.StatusCreated {
			unexpected("anonymous create", code, resp)
			return
		}
		var out struct {
			ID          string `json:"id"`
			DeleteToken string `json:"delete_token"`
		}
		if err := json.Unmarshal(resp, &out); err != nil || out.ID == "" || out.DeleteToken == "" {
			t.Errorf("create answer %s: %v", resp, err)
			return
		}
		w.mu.Lock()
		w.pastes[out.ID] = &tracked{id: out.ID, token: out.DeleteToken, owner: -1, burn: burn, content: content, touched: true}
		w.mu.Unlock()
	case r < 37: // signed-in create, any visibility
		content := w.nextContent("user")
		vis := []string{"public", "unlisted", "private"}[rng.IntN(3)]
		body, _ := json.Marshal(map[string]any{"content": content, "visibility": vis})
		code, resp, err := c.call("POST", "/api/v1/pastes", string(body), "Authorization", "Bearer "+w.users[i].access)
		if inDoubt(err) {
			return
		}
		if code != http.StatusCreated {
			unexpected("signed-in create", code, resp)
			return
		}
		var out struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(resp, &out); err != nil || out.ID == "" {
			t.Errorf("create answer %s: %v", resp, err)
			return
		}
		w.mu.Lock()
		w.pastes[out.ID] = &tracked{id: out.ID, owner: i, private: vis == "private", content: content, touched: true}
		w.mu.Unlock()
	case r < 55: // edit the body of one of this user's pastes
		p := w.pick(rng, func(p *tracked) bool { return p.owner == i && !p.burn })
		if p == nil {
			return
		}
		content := w.nextContent("edited")
		body, _ := json.Marshal(map[string]any{"content": content})
		code, resp, err := c.call("PATCH", "/api/v1/pastes/"+p.id, string(body), w.auth(p)...)
		w.release(p, func() {
			switch {
			case inDoubt(err):
				p.alt = content
			case code == http.StatusOK:
				p.content = content
			default:
				unexpected("edit "+p.id, code, resp)
			}
		})
	case r < 67: // delete: with the delete token, or as the owner
		p := w.pick(rng, func(p *tracked) bool { return p.token != "" || p.owner == i })
		if p == nil {
			return
		}
		hdr := w.auth(p)
		if p.owner < 0 {
			hdr = []string{"X-Delete-Token", p.token}
		}
		code, resp, err := c.call("DELETE", "/api/v1/pastes/"+p.id, "", hdr...)
		w.release(p, func() {
			switch {
			case inDoubt(err):
				p.state = doubtGone
			case code == http.StatusNoContent:
				p.state, p.goneBy = gone, "delete"
			default:
				unexpected("delete "+p.id, code, resp)
			}
		})
	case r < 79: // burn: the first raw read consumes the paste
		p := w.pick(rng, func(p *tracked) bool { return p.burn })
		if p == nil {
			return
		}
		code, resp, err := c.call("GET", "/raw/"+p.id, "")
		w.release(p, func() {
			switch {
			case inDoubt(err):
				p.state = doubtGone
			case code == http.StatusOK:
				if string(resp) != p.content {
					t.Errorf("burn read %s = %q, want %q", p.id, resp, p.content)
				}
				p.state, p.goneBy = gone, "burn"
			default:
				unexpected("burn read "+p.id, code, resp)
			}
		})
	case r < 90: // expire: the paste's expiry time passes
		p := w.pick(rng, func(*tracked) bool { return true })
		if p == nil {
			return
		}
		tag, err := w.pool.Exec(context.Background(), `UPDATE pastes SET expires_at = now() - interval '1 second' WHERE id = $1`, p.id)
		w.release(p, func() {
			if err != nil || tag.RowsAffected() != 1 {
				t.Errorf("expire %s: %v (%d rows)", p.id, err, tag.RowsAffected())
				return
			}
			p.state, p.goneBy = gone, "expire"
		})
	default: // read
		p := w.pick(rng, func(p *tracked) bool { return !p.burn })
		if p == nil {
			return
		}
		code, resp, err := c.call("GET", "/api/v1/pastes/"+p.id, "", w.auth(p)...)
		w.release(p, func() {
			if inDoubt(err) {
				return
			}
			if code != http.StatusOK {
				unexpected("read "+p.id, code, resp)
				return
			}
			w.checkContent(p, resp)
		})
	}
}

// checkContent compares an API answer with what p must hold.
func (w *crashWorld) checkContent(p *tracked, resp []byte) {
	var out struct {
		Content *string `json:"content"`
	}
	if err := json.Unmarshal(resp, &out); err != nil || out.Content == nil {
		w.t.Errorf("read %s: %s (%v)", p.id, resp, err)
		return
	}
	if *out.Content != p.content {
		w.t.Errorf("read %s = %q, want %q", p.id, *out.Content, p.content)
	}
}

// observe reads a paste without consuming it: the page for a burn paste
// (which asks for confirmation first), the API otherwise. It returns the
// status and, for the API, the body.
func (w *crashWorld) observe(c *child, p *tracked) (int, []byte) {
	if p.burn {
		return c.mustCall("GET", "/"+p.id, "")
	}
	return c.mustCall("GET", "/api/v1/pastes/"+p.id, "", w.auth(p)...)
}

// verify checks a freshly restarted server against what the clients were
// told. Requests that were in flight at the crash are settled first: their
// effect must be all or nothing. final checks every paste; otherwise the
// pastes touched since the last check and a sample of the others.
func (w *crashWorld) verify(c *child, rng *rand.Rand, final bool) {
	t := w.t
	t.Helper()
	if time.Since(w.signedIn) > 10*time.Minute {
		for _, u := range w.users {
			w.signIn(c, u)
		}
		w.signedIn = time.Now()
	}
	// Settle what was in doubt.
	for _, p := range w.sorted() {
		if p.state != doubtGone && p.alt == "" {
			continue
		}
		code, body := w.observe(c, p)
		switch {
		case code == http.StatusNotFound && p.state == doubtGone:
			p.state, p.goneBy = gone, "in-flight delete or burn"
		case code == http.StatusOK:
			if p.state == doubtGone {
				p.state = live
			}
			if !p.burn {
				var out struct {
					Content string `json:"content"`
				}
				_ = json.Unmarshal(body, &out)
				if out.Content != p.content && out.Content != p.alt {
					t.Errorf("%s after an edit in flight = %q, want %q or %q", p.id, out.Content, p.content, p.alt)
				}
				p.content = out.Content
			}
			p.alt = ""
		default:
			t.Errorf("%s after a crash = %d %.200s", p.id, code, body)
		}
	}

	// Every row has its body; nothing acknowledged gone has a live row;
	// rows the clients never heard of (creates in flight) join the model.
	rows, err := w.pool.Query(context.Background(), `SELECT id, blob_key, burn_after_reading, owner_id, visibility, expires_at IS NOT NULL AND expires_at <= now() FROM pastes`)
	if err != nil {
		t.Fatal(err)
	}
	referenced := map[string]bool{}
	for rows.Next() {
		var id, key, vis string
		var burn, expired bool
		var owner *int64
		if err := rows.Scan(&id, &key, &burn, &owner, &vis, &expired); err != nil {
			t.Fatal(err)
		}
		referenced[key] = true
		body, err := os.ReadFile(filepath.Join(w.blobDir, filepath.FromSlash(key)))
		if err != nil {
			// The restarted server's expiry sweep may have removed an
			// expiring paste, row and body, since the query read its row:
			// only a row that is still there must have its body.
			var still bool
			if qerr := w.pool.QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM pastes WHERE id = $1 AND blob_key = $2)`, id, key).Scan(&still); qerr != nil {
				t.Fatal(qerr)
			}
			if still {
				t.Errorf("paste %s points at a missing body %s: %v", id, key, err)
				continue
			}
			if p := w.pastes[id]; p != nil && p.state != gone {
				p.state, p.goneBy = gone, "expire"
			}
			continue
		}
		p := w.pastes[id]
		switch {
		case p == nil:
			p = &tracked{id: id, owner: -1, burn: burn, private: vis == "private", content: string(body), touched: true}
			for i, u := range w.users {
				if owner != nil && *owner == u.id {
					p.owner = i
				}
			}
			if expired {
				p.state, p.goneBy = gone, "expire"
			}
			w.pastes[id] = p
		case p.state == gone && p.goneBy != "expire":
			t.Errorf("paste %s came back after %s", id, p.goneBy)
		case p.state == gone && !expired:
			t.Errorf("expired paste %s is no longer expired", id)
		case p.state == live && expired:
			t.Errorf("live paste %s is expired", id)
		case p.state == live && string(body) != p.content:
			t.Errorf("paste %s body = %q, want %q", id, body, p.content)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	// Earlier revisions keep their bodies too (issue 15): each one a row
	// names is there, and none of them is an orphan.
	for key := range w.referenced() {
		if referenced[key] {
			continue
		}
		referenced[key] = true
		if _, err := os.Stat(filepath.Join(w.blobDir, filepath.FromSlash(key))); err != nil {
			// As above: an expiring paste may have gone, rows and bodies,
			// since the keys were read.
			var still bool
			if qerr := w.pool.QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM paste_files WHERE blob_key = $1)`, key).Scan(&still); qerr != nil {
				t.Fatal(qerr)
			}
			if still {
				t.Errorf("a revision's file points at a missing body %s: %v", key, err)
			}
		}
	}

	// Every surface, for the pastes checked this round.
	gones := map[string]bool{}
	for _, p := range w.sorted() {
		if p.state == gone {
			gones[p.id] = true
		}
		if !final && !p.touched && rng.IntN(10) != 0 {
			continue
		}
		p.touched = false
		w.checkSurfaces(c, p)
	}
	lists := []map[string]bool{c.listIDs("/api/v1/pastes"), c.listIDs("/api/v1/search?q=crashtest")}
	for i, u := range w.users {
		hdr := []string{"Authorization", "Bearer " + u.access}
		mine := c.listIDs("/api/v1/pastes?owner=me", hdr...)
		for _, p := range w.pastes {
			if p.owner == i && p.state == live && !mine[p.id] {
				t.Errorf("%s's list lacks live paste %s", u.name, p.id)
			}
		}
		lists = append(lists, mine, c.listIDs("/api/v1/search?q=crashtest", hdr...))
	}
	for _, l := range lists {
		for id := range l {
			if gones[id] {
				t.Errorf("gone paste %s (%s) is listed or found", id, w.pastes[id].goneBy)
			}
		}
	}
	code, explore := c.mustCall("GET", "/explore", "")
	if code != http.StatusOK {
		t.Errorf("explore = %d", code)
	}
	for id := range gones {
		if strings.Contains(string(explore), "/"+id+`"`) {
			t.Errorf("gone paste %s on /explore", id)
		}
	}

	// Orphaned bodies go with the sweep: none older than the grace period
	// plus a sweep interval (and some slack) may remain. In the final round
	// wait until every orphan is gone.
	// A body becomes an orphan when its row goes, which may be long after
	// the body was written (a delete or burn that crashed after its
	// commit): so in every round the sweep gets a few intervals to take
	// what is there.
	deadline := time.Now().Add(3*crashOrphanInterval + 2*time.Second)
	if final {
		deadline = time.Now().Add(crashOrphanGrace + 10*crashOrphanInterval + 5*time.Second)
	}
	for {
		orphans := w.orphans(referenced, final)
		if len(orphans) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("orphaned bodies left behind: %v", orphans)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkSurfaces reads p on the API, raw, download and page routes.
func (w *crashWorld) checkSurfaces(c *child, p *tracked) {
	t := w.t
	switch {
	case p.state == gone:
		for _, path := range []string{"/" + p.id, "/raw/" + p.id, "/dl/" + p.id, "/api/v1/pastes/" + p.id} {
			if code, body := c.mustCall("GET", path, "", w.auth(p)...); code != http.StatusNotFound {
				t.Errorf("GET %s of a paste gone by %s = %d %.200s", path, p.goneBy, code, body)
			}
		}
	case p.burn:
		if code, body := c.mustCall("GET", "/"+p.id, ""); code != http.StatusOK || !strings.Contains(string(body), "reveal") {
			t.Errorf("burn paste %s page = %d %.300s", p.id, code, body)
		}
	default:
		code, body := c.mustCall("GET", "/api/v1/pastes/"+p.id, "", w.auth(p)...)
		if code != http.StatusOK {
			t.Errorf("GET /api/v1/pastes/%s = %d %.200s", p.id, code, body)
			return
		}
		w.checkContent(p, body)
		if p.private {
			return // pages and raw views of private pastes need a browser session
		}
		if code, body := c.mustCall("GET", "/raw/"+p.id, ""); code != http.StatusOK || string(body) != p.content {
			t.Errorf("GET /raw/%s = %d %q, want %q", p.id, code, body, p.content)
		}
		if code, _ := c.mustCall("GET", "/"+p.id, ""); code != http.StatusOK {
			t.Errorf("GET /%s = %d", p.id, code)
		}
	}
}

// orphans lists the files under the blob folder that no row points at and
// that are older than the grace period and a sweep interval (any age when
// all is true), temporary files of interrupted writes included.
func (w *crashWorld) orphans(referenced map[string]bool, all bool) []string {
	if all {
		referenced = w.referenced()
	}
	cutoff := time.Now().Add(-crashOrphanGrace - 3*crashOrphanInterval - 2*time.Second)
	var out []string
	err := filepath.WalkDir(w.blobDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(w.blobDir, path)
		key := filepath.ToSlash(rel)
		if referenced[key] {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // removed meanwhile
		}
		if all || info.ModTime().Before(cutoff) {
			out = append(out, key)
		}
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

func (w *crashWorld) referenced() map[string]bool {
	rows, err := w.pool.Query(context.Background(), `SELECT blob_key FROM pastes UNION SELECT blob_key FROM paste_files`)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			w.t.Fatal(err)
		}
		out[k] = true
	}
	return out
}

// converge waits until the expiry sweep has removed every expired row and
// the Typesense index holds exactly the indexable pastes (live, not burn
// after reading): what the crashes interrupted was delivered again.
func (w *crashWorld) converge(c *child, ts *searchtest.Typesense) {
	want := []string{}
	for _, p := range w.sorted() {
		if p.state == live && !p.burn {
			want = append(want, p.id)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var expired int
		if err := w.pool.QueryRow(context.Background(), `SELECT count(*) FROM pastes WHERE expires_at <= now()`).Scan(&expired); err != nil {
			w.t.Fatal(err)
		}
		got := ts.DocIDs("pastes")
		if expired == 0 && strings.Join(got, " ") == strings.Join(want, " ") {
			return
		}
		if time.Now().After(deadline) {
			w.t.Errorf("not converged: %d expired rows left; index holds %d documents, want %d\nindex %v\nwant  %v\n%s",
				expired, len(got), len(want), got, want, c.log.String())
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (w *crashWorld) sorted() []*tracked {
	out := make([]*tracked, 0, len(w.pastes))
	for _, p := range w.pastes {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

func (w *crashWorld) counts() map[string]int {
	out := map[string]int{}
	for _, p := range w.pastes {
		switch p.state {
		case live:
			out["live"]++
		default:
			out["gone by "+p.goneBy]++
		}
	}
	return out
}

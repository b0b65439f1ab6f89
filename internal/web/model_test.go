package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"pastel/internal/paste"
)

// TestPasteLifecycleModel runs thousands of random operation sequences
// (create, read through the API, raw view and page, burn, expiry by the
// clock, the expiry sweep, edit, visibility change, delete, star, vote,
// comment, lists and search) through the whole app on PostgreSQL and the
// local blob store, and compares every answer with an in-memory model of
// the rules: who may read what, what a burn consumes, when a paste expires,
// what an edit or delete leaves, what the counters say and what each list
// and search shows. Any divergence fails with the seed and the sequence's
// operations.
//
// PASTEL_MODEL_SEQUENCES sets how many sequences run (default 1000, about 30 s
// with the race detector on two cores);
// PASTEL_MODEL_SEED replays a run and PASTEL_MODEL_ONLY=N only its
// sequence N. Sequences are independent: each makes its own pastes, so a
// replayed sequence behaves as it did.
func TestPasteLifecycleModel(t *testing.T) {
	sequences := envInt(t, "PASTEL_MODEL_SEQUENCES", 1000)
	seed := uint64(envInt(t, "PASTEL_MODEL_SEED", int(time.Now().UnixNano()&(1<<62-1))))
	only := envInt(t, "PASTEL_MODEL_ONLY", -1)
	t.Logf("seed %d, %d sequences (PASTEL_MODEL_SEED=%d replays them)", seed, sequences, seed)
	var next, ops atomic.Int64
	start := time.Now()
	const workers = 2
	t.Run("workers", func(t *testing.T) {
		for w := range workers {
			t.Run(strconv.Itoa(w), func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				m := &modelWorld{e: e, t: t, issued: e.clock.Now()}
				for i := range 3 {
					u := e.register(fmt.Sprintf("model%d_%d", w, i))
					m.users = append(m.users, u)
				}
				for {
					n := int(next.Add(1)) - 1
					if n >= sequences {
						return
					}
					if only >= 0 && n != only {
						continue
					}
					s := &modelSeq{modelWorld: m, n: n, rng: rand.New(rand.NewPCG(seed, uint64(n)))}
					s.run()
					ops.Add(int64(s.steps))
					if t.Failed() {
						t.Fatalf("sequence %d diverged (replay: PASTEL_MODEL_SEED=%d PASTEL_MODEL_ONLY=%d); its operations:\n%s",
							n, seed, n, strings.Join(s.log, "\n"))
					}
				}
			})
		}
	})
	if t.Failed() {
		return
	}
	t.Logf("%d sequences, %d operations, zero divergences, %v", min(int64(sequences), next.Load()), ops.Load(), time.Since(start).Round(time.Millisecond))
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, v, err)
	}
	return n
}

type modelWorld struct {
	t      *testing.T
	e      *env
	users  []*user
	issued time.Time // when the users' access tokens were issued
}

// mPaste is the model of one paste.
type mPaste struct {
	id        string
	owner     int // index into users; -1: anonymous
	vis       string
	burn      bool
	title     string
	content   string
	expiresAt time.Time // zero: never
	token     string    // delete token of an anonymous paste
	gone      bool      // deleted or burned
	stars     map[int]bool
	starredAs map[int]string // the ID each starrer had when starring
	votes     map[int]int
	comments  int
}

type modelSeq struct {
	*modelWorld
	n      int
	rng    *rand.Rand
	pastes []*mPaste
	dead   []string // IDs that must answer 404 for ever: deleted, burned, renamed
	log    []string
	serial int
	steps  int
}

const anon = -1

func (s *modelSeq) logf(format string, args ...any) {
	s.log = append(s.log, fmt.Sprintf(format, args...))
}

// diverged reports a difference between the app and the model.
func (s *modelSeq) diverged(format string, args ...any) {
	s.t.Helper()
	s.logf("  DIVERGED: "+format, args...)
	s.t.Errorf("sequence %d: "+format, append([]any{s.n}, args...)...)
}

func (s *modelSeq) now() time.Time { return s.e.clock.Now() }

func (s *modelSeq) readable(v int, p *mPaste) bool {
	if p.gone || (!p.expiresAt.IsZero() && !s.now().Before(p.expiresAt)) {
		return false
	}
	return p.vis != "private" || (v != anon && p.owner == v)
}

// api sends a JSON API request as viewer v.
func (s *modelSeq) api(v int, method, path, body string, hdr ...string) (int, []byte) {
	req := jsonReq(method, path, body)
	if v != anon {
		bearer(req, s.users[v].access)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, b := s.e.do(req)
	return resp.StatusCode, b
}

func (s *modelSeq) who(v int) string {
	if v == anon {
		return "anon"
	}
	return s.users[v].name
}

func (s *modelSeq) viewer() int { return s.rng.IntN(len(s.users)+1) - 1 }

// target picks a paste of the sequence, now and then one that is gone.
func (s *modelSeq) target() *mPaste {
	if len(s.pastes) == 0 {
		return nil
	}
	return s.pastes[s.rng.IntN(len(s.pastes))]
}

func (s *modelSeq) run() {
	// Every sequence starts a second later than the last one ended, so its
	// pastes and stars are the newest in every list.
	s.e.clock.Advance(time.Second)
	s.refreshTokens()
	steps := 4 + s.rng.IntN(11)
	for range steps {
		s.step()
		if s.t.Failed() {
			return
		}
	}
	if s.rng.IntN(2) == 0 {
		s.checkLists()
	}
	for _, id := range s.dead {
		s.probeGone(id)
	}
}

// refreshTokens issues new access tokens once the clock has moved on
// enough for the old ones to be near their 15 minutes.
func (s *modelSeq) refreshTokens() {
	if s.now().Sub(s.issued) < 10*time.Minute {
		return
	}
	for _, u := range s.users {
		u.access = s.e.freshToken(u.id)
	}
	s.issued = s.now()
}

func (s *modelSeq) step() {
	s.steps++
	r := s.rng.IntN(100)
	switch {
	case r < 20 || len(s.pastes) == 0:
		s.create()
	case r < 34:
		s.read()
	case r < 40:
		s.page()
	case r < 46:
		s.advance()
	case r < 49:
		n, err := s.e.svc.SweepExpired(context.Background())
		s.logf("sweep expired: %d, %v", n, err)
		if err != nil {
			s.diverged("sweep: %v", err)
		}
	case r < 59:
		s.edit()
	case r < 66:
		s.delete()
	case r < 73:
		s.star()
	case r < 81:
		s.vote()
	case r < 88:
		s.comment()
	case r < 94:
		s.search()
	default:
		s.checkLists()
	}
}

func (s *modelSeq) create() {
	v := s.viewer()
	s.serial++
	p := &mPaste{
		owner:     v,
		vis:       []string{"public", "unlisted", "private"}[s.rng.IntN(3)],
		burn:      s.rng.IntN(5) == 0,
		title:     fmt.Sprintf("model title %d", s.serial),
		content:   fmt.Sprintf("mseq%dword body %d %x\n", s.n, s.serial, s.rng.Uint32()),
		stars:     map[int]bool{},
		starredAs: map[int]string{},
		votes:     map[int]int{},
	}
	exp := []string{"", "never", "10m", "1h"}[s.rng.IntN(4)]
	in := map[string]any{"title": p.title, "content": p.content, "visibility": p.vis, "burn_after_reading": p.burn, "expires_in": exp}
	if s.rng.IntN(8) > 0 {
		in["syntax"] = "text" // detection is slow and beside the point here; one create in eight still detects
	}
	body, _ := json.Marshal(in)
	code, resp := s.api(v, "POST", "/api/v1/pastes", string(body))
	s.logf("create by %s: %s -> %d", s.who(v), body, code)
	if v == anon && p.vis == "private" {
		if code != http.StatusUnprocessableEntity || !strings.Contains(string(resp), "visibility") {
			s.diverged("anonymous private create = %d %s, want 422 naming visibility", code, resp)
		}
		return
	}
	if code != http.StatusCreated {
		s.diverged("create = %d %s", code, resp)
		return
	}
	var out struct {
		apiPaste
		DeleteToken string `json:"delete_token"`
	}
	if err := json.Unmarshal(resp, &out); err != nil {
		s.diverged("create answer %s: %v", resp, err)
		return
	}
	p.id, p.token = out.ID, out.DeleteToken
	switch exp {
	case "10m":
		p.expiresAt = s.now().Add(10 * time.Minute)
	case "1h":
		p.expiresAt = s.now().Add(time.Hour)
	}
	if (v == anon) != (p.token != "") {
		s.diverged("delete token %q for a paste by %s", p.token, s.who(v))
	}
	s.logf("  = %s", p.id)
	s.pastes = append(s.pastes, p)
	s.checkJSON(p, resp, false)
}

// checkJSON compares a paste's JSON with the model; withContent also
// compares the body.
func (s *modelSeq) checkJSON(p *mPaste, resp []byte, withContent bool) {
	var got struct {
		apiPaste
		Likes    int64   `json:"likes"`
		Dislikes int64   `json:"dislikes"`
		Stars    int64   `json:"stars"`
		Content  *string `json:"content"`
	}
	if err := json.Unmarshal(resp, &got); err != nil {
		s.diverged("paste JSON %s: %v", resp, err)
		return
	}
	var raw struct {
		ExpiresAt *time.Time `json:"expires_at"`
		Owner     *string    `json:"owner"`
	}
	_ = json.Unmarshal(resp, &raw)
	likes, dislikes := 0, 0
	for _, v := range p.votes {
		switch v {
		case 1:
			likes++
		case -1:
			dislikes++
		}
	}
	owner := ""
	if p.owner != anon {
		owner = s.users[p.owner].name
	}
	gotOwner := ""
	if raw.Owner != nil {
		gotOwner = *raw.Owner
	}
	gotExp := time.Time{}
	if raw.ExpiresAt != nil {
		gotExp = *raw.ExpiresAt
	}
	if got.ID != p.id || got.Visibility != p.vis || got.BurnAfterReading != p.burn || got.Title != p.title ||
		!gotExp.Equal(p.expiresAt) || gotOwner != owner ||
		got.Likes != int64(likes) || got.Dislikes != int64(dislikes) || got.Stars != int64(countTrue(p.stars)) {
		s.diverged("paste JSON %s, model %+v", resp, *p)
	}
	if withContent && (got.Content == nil || *got.Content != p.content) {
		s.diverged("content of %s = %v, want %q", p.id, got.Content, p.content)
	}
}

func countTrue(m map[int]bool) int {
	n := 0
	for _, v := range m {
		if v {
			n++
		}
	}
	return n
}

// read reads a paste through the API or the raw view; either consumes a
// burn-after-reading paste.
func (s *modelSeq) read() {
	p := s.target()
	v := s.viewer()
	if s.rng.IntN(3) == 0 {
		resp, body := s.e.get("/raw/" + p.id)
		s.logf("raw %s by anon -> %d", p.id, resp.StatusCode)
		s.expectRead(anon, p, resp.StatusCode, func() {
			if string(body) != p.content {
				s.diverged("raw %s = %q, want %q", p.id, body, p.content)
			}
		})
		return
	}
	code, body := s.api(v, "GET", "/api/v1/pastes/"+p.id, "")
	s.logf("read %s by %s -> %d", p.id, s.who(v), code)
	s.expectRead(v, p, code, func() { s.checkJSON(p, body, true) })
}

func (s *modelSeq) expectRead(v int, p *mPaste, code int, check func()) {
	if !s.readable(v, p) {
		if code != http.StatusNotFound {
			s.diverged("read of unreadable %s by %s = %d, want 404", p.id, s.who(v), code)
		}
		return
	}
	if code != http.StatusOK {
		s.diverged("read of %s by %s = %d, want 200", p.id, s.who(v), code)
		return
	}
	check()
	if p.burn {
		p.gone = true
		s.dead = append(s.dead, p.id)
		s.logf("  burned %s", p.id)
	}
}

// page loads the HTML page anonymously: 200 for what anyone may read (a
// burn-after-reading paste shows its confirmation step and is not
// consumed), 404 otherwise.
func (s *modelSeq) page() {
	p := s.target()
	resp, body := s.e.get("/" + p.id)
	s.logf("page %s -> %d", p.id, resp.StatusCode)
	want := http.StatusNotFound
	if s.readable(anon, p) {
		want = http.StatusOK
	}
	if resp.StatusCode != want {
		s.diverged("page %s = %d, want %d", p.id, resp.StatusCode, want)
		return
	}
	if want == http.StatusOK && !p.burn && !strings.Contains(string(body), strings.TrimSpace(strings.Fields(p.content)[0])) {
		s.diverged("page %s does not show the body", p.id)
	}
}

func (s *modelSeq) advance() {
	d := []time.Duration{time.Minute, 9 * time.Minute, 30 * time.Minute, 2 * time.Hour}[s.rng.IntN(4)]
	s.e.clock.Advance(d)
	s.refreshTokens()
	s.logf("clock +%v", d)
}

func (s *modelSeq) edit() {
	p := s.target()
	v := s.rng.IntN(len(s.users))
	in := map[string]any{}
	next := *p
	if s.rng.IntN(2) == 0 {
		s.serial++
		next.content = fmt.Sprintf("mseq%dword edited %d %x\n", s.n, s.serial, s.rng.Uint32())
		in["content"] = next.content
	}
	if s.rng.IntN(3) == 0 {
		next.title = fmt.Sprintf("edited title %d", s.rng.IntN(1000))
		in["title"] = next.title
	}
	if s.rng.IntN(5) < 2 {
		next.vis = []string{"public", "unlisted", "private"}[s.rng.IntN(3)]
		in["visibility"] = next.vis
	}
	if s.rng.IntN(3) == 0 {
		switch e := []string{"never", "10m", "1h"}[s.rng.IntN(3)]; e {
		case "never":
			next.expiresAt = time.Time{}
			in["expires_in"] = e
		case "10m":
			next.expiresAt = s.now().Add(10 * time.Minute)
			in["expires_in"] = e
		case "1h":
			next.expiresAt = s.now().Add(time.Hour)
			in["expires_in"] = e
		}
	}
	if s.rng.IntN(10) == 0 {
		next.burn = !p.burn
		in["burn_after_reading"] = next.burn
	}
	if len(in) == 0 {
		next.title = "only the title"
		in["title"] = next.title
	}
	body, _ := json.Marshal(in)
	code, resp := s.api(v, "PATCH", "/api/v1/pastes/"+p.id, string(body))
	s.logf("edit %s by %s: %s -> %d", p.id, s.who(v), body, code)
	switch {
	case !s.readable(v, p):
		if code != http.StatusNotFound {
			s.diverged("edit of unreadable %s = %d %s, want 404", p.id, code, resp)
		}
		return
	case p.owner != v:
		if code != http.StatusForbidden {
			s.diverged("edit of someone else's %s = %d %s, want 403", p.id, code, resp)
		}
		return
	case code != http.StatusOK:
		s.diverged("edit of own %s = %d %s, want 200", p.id, code, resp)
		return
	}
	var out apiPaste
	if err := json.Unmarshal(resp, &out); err != nil {
		s.diverged("edit answer %s", resp)
		return
	}
	// A public paste that stops being public gets a new, long ID.
	renamed := p.vis == "public" && next.vis != "public" && len(p.id) < paste.SecretIDLen
	if renamed != (out.ID != p.id) || (renamed && len(out.ID) != paste.SecretIDLen) {
		s.diverged("edit %s -> %s: renamed %v expected", p.id, out.ID, renamed)
	}
	if out.ID != p.id {
		s.dead = append(s.dead, p.id)
		s.logf("  renamed %s -> %s", p.id, out.ID)
	}
	next.id = out.ID
	*p = next
	s.checkJSON(p, resp, false)
}

func (s *modelSeq) delete() {
	p := s.target()
	var code int
	var resp []byte
	v := s.viewer()
	switch {
	case v == anon && p.token != "" && s.rng.IntN(4) > 0:
		code, resp = s.api(anon, "DELETE", "/api/v1/pastes/"+p.id, "", "X-Delete-Token", p.token)
		s.logf("delete %s with its token -> %d", p.id, code)
		s.expectDelete(p, code, resp, s.readable(anon, p), http.StatusNoContent)
		return
	case v == anon:
		code, resp = s.api(anon, "DELETE", "/api/v1/pastes/"+p.id, "", "X-Delete-Token", "wrong"+p.token)
		s.logf("delete %s with a wrong token -> %d", p.id, code)
		s.expectDelete(p, code, resp, s.readable(anon, p), http.StatusForbidden)
		return
	}
	code, resp = s.api(v, "DELETE", "/api/v1/pastes/"+p.id, "")
	s.logf("delete %s by %s -> %d", p.id, s.who(v), code)
	want := http.StatusForbidden
	if p.owner == v {
		want = http.StatusNoContent
	}
	s.expectDelete(p, code, resp, s.readable(v, p), want)
}

func (s *modelSeq) expectDelete(p *mPaste, code int, resp []byte, readable bool, want int) {
	if !readable {
		want = http.StatusNotFound
	}
	if code != want {
		s.diverged("delete of %s = %d %s, want %d", p.id, code, resp, want)
		return
	}
	if code == http.StatusNoContent {
		p.gone = true
		s.dead = append(s.dead, p.id)
	}
}

func (s *modelSeq) star() {
	p := s.target()
	v := s.rng.IntN(len(s.users))
	on := s.rng.IntN(3) > 0
	method := "PUT"
	if !on {
		method = "DELETE"
	}
	code, resp := s.api(v, method, "/api/v1/pastes/"+p.id+"/star", "")
	s.logf("star %v %s by %s -> %d", on, p.id, s.who(v), code)
	if !s.readable(v, p) {
		if code != http.StatusNotFound {
			s.diverged("star of unreadable %s = %d %s", p.id, code, resp)
		}
		return
	}
	if code != http.StatusNoContent {
		s.diverged("star %s = %d %s, want 204", p.id, code, resp)
		return
	}
	p.stars[v] = on
	if on {
		p.starredAs[v] = p.id
	}
}

func (s *modelSeq) vote() {
	p := s.target()
	v := s.rng.IntN(len(s.users))
	value := []int{1, -1, 0}[s.rng.IntN(3)]
	code, resp := s.api(v, "PUT", "/api/v1/pastes/"+p.id+"/rating", fmt.Sprintf(`{"value":%d}`, value))
	s.logf("vote %d on %s by %s -> %d %s", value, p.id, s.who(v), code, resp)
	if !s.readable(v, p) {
		if code != http.StatusNotFound {
			s.diverged("vote on unreadable %s = %d %s", p.id, code, resp)
		}
		return
	}
	if v == p.owner && value != 0 {
		// Nobody votes on their own paste (clearing stays allowed).
		if code != http.StatusUnprocessableEntity {
			s.diverged("owner's vote on %s = %d %s, want 422", p.id, code, resp)
		}
		return
	}
	if code != http.StatusOK {
		s.diverged("vote on %s = %d %s, want 200", p.id, code, resp)
		return
	}
	p.votes[v] = value
	var got struct {
		Likes, Dislikes int64
		MyRating        int `json:"my_rating"`
	}
	_ = json.Unmarshal(resp, &got)
	likes, dislikes := 0, 0
	for _, x := range p.votes {
		if x == 1 {
			likes++
		} else if x == -1 {
			dislikes++
		}
	}
	if got.Likes != int64(likes) || got.Dislikes != int64(dislikes) || got.MyRating != value {
		s.diverged("rating of %s = %s, want likes %d dislikes %d mine %d", p.id, resp, likes, dislikes, value)
	}
}

func (s *modelSeq) comment() {
	p := s.target()
	v := s.viewer()
	if s.rng.IntN(2) == 0 {
		code, resp := s.api(v, "GET", "/api/v1/pastes/"+p.id+"/comments", "")
		s.logf("comments of %s by %s -> %d", p.id, s.who(v), code)
		if !s.readable(v, p) {
			if code != http.StatusNotFound {
				s.diverged("comments of unreadable %s = %d", p.id, code)
			}
			return
		}
		var got struct {
			Items []json.RawMessage `json:"items"`
			Total int64             `json:"total"`
		}
		_ = json.Unmarshal(resp, &got)
		if code != http.StatusOK || got.Total != int64(p.comments) || len(got.Items) != p.comments {
			s.diverged("comments of %s = %d %s, want %d", p.id, code, resp, p.comments)
		}
		return
	}
	code, resp := s.api(v, "POST", "/api/v1/pastes/"+p.id+"/comments", fmt.Sprintf(`{"body":"comment %d"}`, s.rng.IntN(1000)))
	s.logf("comment on %s by %s -> %d", p.id, s.who(v), code)
	switch {
	case v == anon:
		if code != http.StatusUnauthorized {
			s.diverged("anonymous comment = %d %s, want 401", code, resp)
		}
	case !s.readable(v, p):
		if code != http.StatusNotFound {
			s.diverged("comment on unreadable %s = %d %s", p.id, code, resp)
		}
	case code != http.StatusCreated:
		s.diverged("comment on %s = %d %s, want 201", p.id, code, resp)
	default:
		p.comments++
	}
}

// ids returns the IDs a list route shows (first page of 100: a sequence's
// pastes are the newest).
func (s *modelSeq) ids(v int, path string) map[string]bool {
	code, body := s.api(v, "GET", path, "")
	if code != http.StatusOK {
		s.diverged("GET %s = %d %s", path, code, body)
		return nil
	}
	var out struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	_ = json.Unmarshal(body, &out)
	got := map[string]bool{}
	for _, it := range out.Items {
		got[it.ID] = true
	}
	return got
}

// compare checks that, among this sequence's IDs (live and dead), a list
// shows exactly those want accepts.
func (s *modelSeq) compare(what string, got map[string]bool, want func(*mPaste) bool) {
	for _, p := range s.pastes {
		if w := want(p); w != got[p.id] {
			s.diverged("%s: %s shown %v, want %v (%+v)", what, p.id, got[p.id], w, *p)
		}
	}
	for _, id := range s.dead {
		if got[id] {
			s.diverged("%s shows dead %s", what, id)
		}
	}
}

func (s *modelSeq) live(p *mPaste) bool {
	return !p.gone && (p.expiresAt.IsZero() || s.now().Before(p.expiresAt))
}

func (s *modelSeq) search() {
	v := s.viewer()
	got := s.ids(v, fmt.Sprintf("/api/v1/search?q=mseq%dword&limit=100", s.n))
	s.logf("search by %s -> %d hits", s.who(v), len(got))
	s.compare("search by "+s.who(v), got, func(p *mPaste) bool {
		return s.live(p) && !p.burn && (p.vis == "public" || (v != anon && p.owner == v))
	})
}

// checkLists compares the recent list and, for one user picked at random,
// their own list, their public list and their stars.
func (s *modelSeq) checkLists() {
	s.logf("lists")
	// Burn-after-reading pastes are never listed to others: anyone could
	// burn them first.
	s.compare("recent", s.ids(anon, "/api/v1/pastes?limit=100"), func(p *mPaste) bool {
		return s.live(p) && p.vis == "public" && !p.burn
	})
	v := s.rng.IntN(len(s.users))
	u := s.users[v]
	s.compare(u.name+"'s own list", s.ids(v, "/api/v1/pastes?owner=me&limit=100"), func(p *mPaste) bool {
		return s.live(p) && p.owner == v
	})
	s.compare(u.name+"'s public list", s.ids(anon, "/api/v1/pastes?limit=100&owner="+url.QueryEscape(u.name)), func(p *mPaste) bool {
		return s.live(p) && p.owner == v && p.vis == "public" && !p.burn
	})
	s.compare(u.name+"'s stars", s.ids(v, "/api/v1/stars?limit=100"), func(p *mPaste) bool {
		// Another's unlisted paste is listed only under the ID it was
		// starred by: a public paste made unlisted gets a new ID, which
		// its old starrers never had.
		return s.live(p) && p.stars[v] && (p.owner == v ||
			(!p.burn && (p.vis == "public" || (p.vis == "unlisted" && p.starredAs[v] == p.id))))
	})
}

// probeGone checks that a dead ID is 404 on the API and on one of the
// page, raw and download routes.
func (s *modelSeq) probeGone(id string) {
	path := []string{"/", "/raw/", "/dl/"}[s.rng.IntN(3)] + id
	if resp, _ := s.e.get(path); resp.StatusCode != http.StatusNotFound {
		s.diverged("GET %s of a dead paste = %d", path, resp.StatusCode)
	}
	v := s.rng.IntN(len(s.users))
	if code, _ := s.api(v, "GET", "/api/v1/pastes/"+id, ""); code != http.StatusNotFound {
		s.diverged("API read of dead %s by %s = %d", id, s.who(v), code)
	}
}

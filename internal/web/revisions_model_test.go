package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"testing"

	"pastel/internal/paste"
)

// revModel is what one paste should be: its ID, visibility and the
// content of each of its revisions (index 0: revision 1).
type revModel struct {
	id      paste.ID
	vis     paste.Visibility
	revs    []string
	deleted bool
}

// TestRevisionsModel runs random sequences of edits, visibility changes
// and deletions on a few pastes and checks after every step, against a
// model, that every revision reads back as it was written (for its owner,
// through the API and the raw view), that nobody else reads any revision
// of a private paste (404 alike, like a deleted paste's), and that the
// diff between any two revisions answers for exactly those who may read.
func TestRevisionsModel(t *testing.T) {
	e := newEnv(t)
	owner, other := e.register("modelowner"), e.register("modelother")
	rng := rand.New(rand.NewPCG(15, 2026))
	ctx := context.Background()
	var pastes []*revModel
	ops := map[string]int{}
	for i := range 3 {
		vis := []paste.Visibility{paste.Public, paste.Unlisted, paste.Private}[i]
		content := fmt.Sprintf("paste %d, revision 1\n", i)
		p := e.createAs(owner, paste.CreateInput{Content: []byte(content), Visibility: vis})
		pastes = append(pastes, &revModel{id: p.ID, vis: vis, revs: []string{content}})
	}
	for step := range 60 {
		m := pastes[rng.IntN(len(pastes))]
		if m.deleted {
			continue
		}
		switch op := rng.IntN(10); {
		case op < 6: // edit the content
			content := fmt.Sprintf("%sstep %d\n", m.revs[len(m.revs)-1], step)
			p := e.edit(owner, m.id, content)
			if int(p.Revision) != len(m.revs)+1 {
				t.Fatalf("step %d: edit made revision %d, want %d", step, p.Revision, len(m.revs)+1)
			}
			m.revs = append(m.revs, content)
			ops["edit"]++
		case op < 9 || rng.IntN(4) != 0: // change the visibility
			vis := []paste.Visibility{paste.Public, paste.Unlisted, paste.Private}[rng.IntN(3)]
			p, err := e.svc.Update(ctx, viewerOf(owner), m.id, paste.UpdateInput{Visibility: &vis})
			if err != nil {
				t.Fatalf("step %d: visibility: %v", step, err)
			}
			for int(p.Revision) > len(m.revs) { // should an implementation count it
				m.revs = append(m.revs, m.revs[len(m.revs)-1])
			}
			if p.ID != m.id {
				// The old ID is gone with its history.
				gone := &revModel{id: m.id, deleted: true, revs: m.revs}
				pastes = append(pastes, gone)
			}
			m.id, m.vis = p.ID, vis
			ops["visibility"]++
		default:
			if err := e.svc.Delete(ctx, viewerOf(owner), m.id, ""); err != nil {
				t.Fatalf("step %d: delete: %v", step, err)
			}
			m.deleted = true
			ops["delete"]++
		}
		for _, m := range pastes {
			checkRevisions(t, e, step, m, owner, other)
		}
	}
	if ops["edit"] < 5 || ops["visibility"] < 3 || ops["delete"] < 1 {
		t.Errorf("the sequence did too little to tell: %v", ops)
	}
	t.Logf("operations: %v over %d pastes and former IDs", ops, len(pastes))
}

func checkRevisions(t *testing.T, e *env, step int, m *revModel, owner, other *user) {
	t.Helper()
	id := string(m.id)
	n := len(m.revs)
	for r := 1; r <= n; r++ {
		path := fmt.Sprintf("/api/v1/pastes/%s/revisions/%d", id, r)
		for _, who := range []*user{owner, other, nil} {
			mayRead := !m.deleted && (who == owner || m.vis != paste.Private)
			var resp *http.Response
			var body []byte
			if who == nil {
				resp, body = e.userGet(nil, path)
			} else {
				resp, body = e.apiJSON(who, "GET", path, "")
			}
			if !mayRead {
				if resp.StatusCode != http.StatusNotFound {
					t.Fatalf("step %d: %s as %v = %d, want 404", step, path, who, resp.StatusCode)
				}
				continue
			}
			var got struct {
				Revision int    `json:"revision"`
				Content  string `json:"content"`
			}
			if err := json.Unmarshal(body, &got); resp.StatusCode != http.StatusOK || err != nil {
				t.Fatalf("step %d: %s = %d %s", step, path, resp.StatusCode, body)
			}
			if got.Revision != r || got.Content != m.revs[r-1] {
				t.Fatalf("step %d: %s = revision %d %q, want %d %q", step, path, got.Revision, got.Content, r, m.revs[r-1])
			}
		}
	}
	// The raw view of one revision and a diff of two, as a stranger.
	r := 1 + step%n
	resp, body := e.userGet(other, fmt.Sprintf("/%s/revisions/%d/raw", id, r))
	mayRead := !m.deleted && m.vis != paste.Private
	switch {
	case !mayRead && resp.StatusCode != http.StatusNotFound:
		t.Fatalf("step %d: raw revision %d of %s (%s, deleted %v) = %d, want 404", step, r, id, m.vis, m.deleted, resp.StatusCode)
	case mayRead && (resp.StatusCode != http.StatusOK || string(body) != m.revs[r-1]):
		t.Fatalf("step %d: raw revision %d of %s = %d %q, want %q", step, r, id, resp.StatusCode, body, m.revs[r-1])
	}
	resp, _ = e.userGet(other, fmt.Sprintf("/%s/diff?from=1&to=%d", id, n))
	if want := map[bool]int{true: 200, false: 404}[mayRead]; resp.StatusCode != want {
		t.Fatalf("step %d: diff page of %s as a stranger = %d, want %d", step, id, resp.StatusCode, want)
	}
}

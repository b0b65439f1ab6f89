package web_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
)

// TestFilesModel runs random sequences of creates (one to four files, some
// bodies shared between files and pastes), edits (files replaced, added,
// removed, renamed, kept; or the first file's content alone), reads, burns,
// expiry sweeps and deletes against a model of every paste's revisions.
// After every step: every revision of every live paste reads back file by
// file as the model says (the newest through /raw/{id}/{name}, older ones
// through their rows), and the blob store holds exactly the bodies the
// live pastes' rows name: nothing lost, nothing left behind.
// FILES_MODEL_SEQS and FILES_MODEL_STEPS change the size.
func TestFilesModel(t *testing.T) {
	seqs, steps := envInt(t, "FILES_MODEL_SEQS", 12), envInt(t, "FILES_MODEL_STEPS", 30)
	e := newEnv(t)
	owner := e.register("modeller")
	v := paste.Viewer{UserID: owner.id, Username: owner.name}
	for seq := range seqs {
		seed := uint64(time.Now().UnixNano()) + uint64(seq)
		m := &filesModel{t: t, e: e, v: v, rng: rand.New(rand.NewPCG(seed, 15)), pastes: map[paste.ID]*fmPaste{}}
		for step := range steps {
			m.step()
			m.check(fmt.Sprintf("seed %d step %d", seed, step))
		}
		// Each sequence ends with everything deleted: the store is empty.
		for id := range m.pastes {
			m.remove(id)
		}
		m.check(fmt.Sprintf("seed %d end", seed))
		if left := e.blobKeys(); len(left) != 0 {
			t.Fatalf("seed %d: bodies left after every paste went: %v", seed, left)
		}
	}
}

type fmFile struct{ name, body string }

type fmPaste struct {
	revs [][]fmFile // revs[n-1] is revision n; nil for a revision that is not a files change
	burn bool
}

type filesModel struct {
	t      *testing.T
	e      *env
	v      paste.Viewer
	rng    *rand.Rand
	pastes map[paste.ID]*fmPaste
	log    []string
}

var fmBodies = []string{"alpha\n", "beta\n", "gamma\n", "package main\n", "# title\n", "same body\n"}
var fmNames = []string{"a.go", "b.md", "c.txt", "d.sh", "e.py"}

func (m *filesModel) files(n int) []fmFile {
	names := m.rng.Perm(len(fmNames))[:n]
	out := make([]fmFile, n)
	for i, ni := range names {
		out[i] = fmFile{name: fmNames[ni], body: fmBodies[m.rng.IntN(len(fmBodies))]}
	}
	return out
}

func inputs(files []fmFile) []paste.FileInput {
	out := make([]paste.FileInput, len(files))
	for i, f := range files {
		out[i] = paste.FileInput{Name: f.name, Content: []byte(f.body)}
	}
	return out
}

func (m *filesModel) pick() (paste.ID, *fmPaste) {
	if len(m.pastes) == 0 {
		return "", nil
	}
	ids := make([]string, 0, len(m.pastes))
	for id := range m.pastes {
		ids = append(ids, string(id))
	}
	sort.Strings(ids)
	id := paste.ID(ids[m.rng.IntN(len(ids))])
	return id, m.pastes[id]
}

func (m *filesModel) step() {
	ctx := context.Background()
	switch r := m.rng.IntN(10); {
	case r < 3 || len(m.pastes) == 0:
		files := m.files(1 + m.rng.IntN(4))
		burn := m.rng.IntN(6) == 0
		c, err := m.e.svc.Create(ctx, m.v, paste.CreateInput{Files: inputs(files), Visibility: paste.Unlisted, BurnAfterReading: burn})
		if err != nil {
			m.t.Fatalf("create: %v", err)
		}
		m.log = append(m.log, fmt.Sprintf("create %s %v burn=%v", c.Paste.ID, files, burn))
		m.pastes[c.Paste.ID] = &fmPaste{revs: [][]fmFile{files}, burn: burn}
	case r < 6:
		id, p := m.pick()
		if p.burn {
			return
		}
		cur := p.revs[len(p.revs)-1]
		var in paste.UpdateInput
		var next []fmFile
		if m.rng.IntN(3) == 0 {
			// The first file's content alone.
			body := fmBodies[m.rng.IntN(len(fmBodies))]
			in.Content = []byte(body)
			next = append([]fmFile(nil), cur...)
			next[0].body = body
		} else {
			// Keep some files, change others, add or drop some.
			next = m.files(1 + m.rng.IntN(4))
			for i := range next {
				if i < len(cur) && m.rng.IntN(2) == 0 {
					next[i] = cur[i]
				}
			}
			next = dedupe(next)
			in.Files = inputs(next)
		}
		got, err := m.e.svc.Update(ctx, m.v, id, in)
		if err != nil {
			m.t.Fatalf("edit %s: %v (log %v)", id, err, m.log)
		}
		m.log = append(m.log, fmt.Sprintf("edit %s -> %v rev %d", id, next, got.Revision))
		for int(got.Revision) > len(p.revs)+1 {
			p.revs = append(p.revs, nil)
		}
		p.revs = append(p.revs, next)
	case r < 7:
		id, p := m.pick()
		if !p.burn {
			return
		}
		// A burn paste is consumed by its first read, all files at once.
		resp, body := m.e.get("/raw/" + string(id))
		if resp.StatusCode != http.StatusOK || string(body) != p.revs[0][0].body {
			m.t.Fatalf("burn read %s = %d %q", id, resp.StatusCode, body)
		}
		m.log = append(m.log, "burn "+string(id))
		delete(m.pastes, id)
	case r < 9:
		id, _ := m.pick()
		m.remove(id)
	default:
		n, err := m.e.svc.SweepOrphans(ctx, 0)
		if err != nil || n != 0 {
			m.t.Fatalf("orphan sweep removed %d (%v): a live body was taken for an orphan, or one was left", n, err)
		}
	}
}

func dedupe(files []fmFile) []fmFile {
	seen := map[string]bool{}
	var out []fmFile
	for _, f := range files {
		if !seen[f.name] {
			seen[f.name] = true
			out = append(out, f)
		}
	}
	return out
}

func (m *filesModel) remove(id paste.ID) {
	if err := m.e.svc.Delete(context.Background(), m.v, id, ""); err != nil {
		m.t.Fatalf("delete %s: %v", id, err)
	}
	m.log = append(m.log, "delete "+string(id))
	delete(m.pastes, id)
}

func (m *filesModel) check(at string) {
	ctx := context.Background()
	named := map[string]bool{}
	for id, p := range m.pastes {
		last := len(p.revs)
		for n, files := range p.revs {
			if files == nil {
				continue
			}
			rev, err := m.e.store.Revisions().PasteRevision(ctx, id, int32(n+1))
			if err != nil {
				m.t.Fatalf("%s: %s revision %d: %v", at, id, n+1, err)
			}
			var got []fmFile
			for _, f := range rev.Files {
				named[f.BlobKey] = true
				rc, err := m.e.blobs.Open(ctx, f.BlobKey)
				if err != nil {
					m.t.Fatalf("%s: %s revision %d: body of %s lost: %v (log %v)", at, id, n+1, f.Name, err, m.log)
				}
				b, _ := io.ReadAll(rc)
				rc.Close()
				got = append(got, fmFile{name: f.Name, body: string(b)})
			}
			if diff := cmp.Diff(files, got, cmp.AllowUnexported(fmFile{})); diff != "" {
				m.t.Fatalf("%s: %s revision %d (-model +stored):\n%s\nlog %v", at, id, n+1, diff, m.log)
			}
			if n+1 == last && !p.burn {
				for _, f := range files {
					resp, b := m.e.get("/raw/" + string(id) + "/" + url.PathEscape(f.name))
					if resp.StatusCode != http.StatusOK || string(b) != f.body {
						m.t.Fatalf("%s: /raw/%s/%s = %d %q, want %q", at, id, f.name, resp.StatusCode, b, f.body)
					}
				}
			}
		}
	}
	stored := map[string]bool{}
	for _, k := range m.e.blobKeys() {
		stored[k] = true
	}
	if diff := cmp.Diff(named, stored); diff != "" {
		m.t.Fatalf("%s: blob store (-named by live pastes +stored):\n%s\nlog %v", at, diff, m.log)
	}
}

package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"pastel/internal/paste"
)

// goSource4K is 4 KiB of Go, the size bench-http's page scenarios use.
func goSource4K() []byte {
	unit := []byte("func handler(w http.ResponseWriter, r *http.Request) {\n\tfmt.Fprintf(w, \"hello %s\", r.URL.Path) // a comment\n}\n\n")
	return bytes.Repeat(unit, 4<<10/len(unit)+1)[:4<<10]
}

// BenchmarkPageCold is the first view of a fresh 4 KiB Go paste by an
// anonymous visitor (nothing of it cached: row, comments, rendering,
// snapshot), through the whole app: one op is one page.
func BenchmarkPageCold(b *testing.B) {
	e := newEnv(b)
	body := goSource4K()
	ids := make([]string, 0, 1024)
	next := func() string {
		if len(ids) == 0 {
			b.StopTimer()
			for i := range cap(ids) {
				c, err := e.svc.Create(context.Background(), paste.Anonymous, paste.CreateInput{
					Title: "cold " + strconv.Itoa(i), Content: body, Syntax: "go", Visibility: paste.Unlisted,
				})
				if err != nil {
					b.Fatal(err)
				}
				ids = append(ids, string(c.Paste.ID))
			}
			b.StartTimer()
		}
		id := ids[len(ids)-1]
		ids = ids[:len(ids)-1]
		return id
	}
	for b.Loop() {
		benchGet(b, e, "/"+next())
	}
}

// BenchmarkPageWarm is a later view of the same page (the snapshot).
func BenchmarkPageWarm(b *testing.B) {
	e := newEnv(b)
	p := e.create(paste.CreateInput{Content: goSource4K(), Syntax: "go"})
	benchGet(b, e, "/"+string(p.ID))
	for b.Loop() {
		benchGet(b, e, "/"+string(p.ID))
	}
}

// BenchmarkRawWarm is a raw view of a 4 KiB paste whose body is in memory.
func BenchmarkRawWarm(b *testing.B) {
	e := newEnv(b)
	p := e.create(paste.CreateInput{Content: goSource4K(), Syntax: "go"})
	benchGet(b, e, "/raw/"+string(p.ID))
	for b.Loop() {
		benchGet(b, e, "/raw/"+string(p.ID))
	}
}

func benchGet(b *testing.B, e *env, path string) {
	resp, err := e.app.Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
}

package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
)

// cacheAnswer is what a read answers about caching.
type cacheAnswer struct {
	Status       int
	ETag         string
	CacheControl string
}

// TestRawAndAPIShareOneCachingPolicy pins that the raw view and the API's
// read of a paste answer the same status, ETag and Cache-Control for the
// same paste, viewer, method and If-None-Match, and that a HEAD never
// consumes a burn-after-reading paste on either.
func TestRawAndAPIShareOneCachingPolicy(t *testing.T) {
	e := newEnv(t)
	owner := e.register("policy")
	mk := func(vis paste.Visibility, burn bool) paste.Paste {
		c, err := e.svc.Create(context.Background(), paste.Viewer{UserID: owner.id, Username: owner.name},
			paste.CreateInput{Content: []byte("body of " + string(vis)), Visibility: vis, BurnAfterReading: burn})
		if err != nil {
			t.Fatal(err)
		}
		return c.Paste
	}
	ask := func(path, method, inm string, api bool) cacheAnswer {
		req := httptest.NewRequest(method, path, nil)
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		if api {
			req = bearer(req, owner.access)
		} else {
			req = e.asUser(req, owner)
		}
		resp, _ := e.do(req)
		return cacheAnswer{resp.StatusCode, resp.Header.Get("ETag"), resp.Header.Get("Cache-Control")}
	}
	for _, tc := range []struct {
		vis        paste.Visibility
		wantCC     string
		wantStatus int
	}{
		{paste.Public, "private, no-cache", 200},
		{paste.Unlisted, "private, no-cache", 200},
		{paste.Private, "no-store", 200},
	} {
		p := mk(tc.vis, false)
		tag := `"` + string(p.ID) + `-1"`
		for _, cond := range []struct {
			inm  string
			want int
		}{
			{"", 200},
			{tag, 304},
			{"W/" + tag, 304},
			{`"other", ` + tag, 304},
			{"*", 304},
			{`"other"`, 200},
		} {
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				raw := ask("/raw/"+string(p.ID), method, cond.inm, false)
				api := ask("/api/v1/pastes/"+string(p.ID), method, cond.inm, true)
				want := cacheAnswer{cond.want, tag, tc.wantCC}
				if diff := cmp.Diff(want, raw); diff != "" {
					t.Errorf("%s raw %s If-None-Match %q (-want +got):\n%s", tc.vis, method, cond.inm, diff)
				}
				if diff := cmp.Diff(raw, api); diff != "" {
					t.Errorf("%s %s If-None-Match %q: raw and API differ (-raw +api):\n%s", tc.vis, method, cond.inm, diff)
				}
			}
		}
	}

	// Burn after reading: no-store, no ETag, conditions ignored; a HEAD on
	// either surface leaves it for the one GET that reads it.
	for _, first := range []string{"raw", "api"} {
		p := mk(paste.Unlisted, true)
		raw := ask("/raw/"+string(p.ID), http.MethodHead, "*", false)
		api := ask("/api/v1/pastes/"+string(p.ID), http.MethodHead, "*", true)
		want := cacheAnswer{200, "", "no-store"}
		if diff := cmp.Diff(want, raw); diff != "" {
			t.Errorf("burn raw HEAD (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, api); diff != "" {
			t.Errorf("burn API HEAD (-want +got):\n%s", diff)
		}
		paths := map[string]string{"raw": "/raw/" + string(p.ID), "api": "/api/v1/pastes/" + string(p.ID)}
		got := ask(paths[first], http.MethodGet, "*", first == "api")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("burn %s GET (-want +got):\n%s", first, diff)
		}
		other := "api"
		if first == "api" {
			other = "raw"
		}
		if got := ask(paths[other], http.MethodGet, "", other == "api"); got.Status != http.StatusNotFound {
			t.Errorf("burn %s GET after %s read = %d, want 404", other, first, got.Status)
		}
	}
}

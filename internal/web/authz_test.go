package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"pastel/internal/paste"
)

// The authorization matrix: every paste route × every kind of caller ×
// every state a paste can be in, each cell with the status it must get.

type viewerKind string

const (
	vAnon         viewerKind = "anonymous"
	vOwner        viewerKind = "owner"
	vOther        viewerKind = "other user"
	vRevoked      viewerKind = "revoked credentials"
	vExpired      viewerKind = "expired credentials"
	vShare        viewerKind = "share link"
	vRevokedShare viewerKind = "revoked share link"
)

type pasteState string

const (
	sPublic   pasteState = "public"
	sUnlisted pasteState = "unlisted"
	sPrivate  pasteState = "private"
	sExpired  pasteState = "expired"
	sBurned   pasteState = "burned"
	sDeleted  pasteState = "deleted"
)

type routeKind int

const (
	readRoute routeKind = iota
	writeRoute
	shareRoute
)

type matrixRoute struct {
	name string
	api  bool
	kind routeKind
	// request builds the request for paste id (and share token).
	request func(e *env, id, token string) *http.Request
	ok      int // status for an allowed caller
	// anon is what an anonymous caller gets on a paste it can see.
	anon int
}

func formReq(e *env, path string, fields map[string]string) *http.Request {
	body := "_csrf=" + e.csrf
	for k, v := range fields {
		body += "&" + k + "=" + v
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

var matrixRoutes = []matrixRoute{
	{"GET page", false, readRoute, func(e *env, id, _ string) *http.Request { return httptest.NewRequest("GET", "/"+id, nil) }, 200, 200},
	{"GET raw", false, readRoute, func(e *env, id, _ string) *http.Request { return httptest.NewRequest("GET", "/raw/"+id, nil) }, 200, 200},
	{"GET download", false, readRoute, func(e *env, id, _ string) *http.Request { return httptest.NewRequest("GET", "/dl/"+id, nil) }, 200, 200},
	{"API GET", true, readRoute, func(e *env, id, _ string) *http.Request { return httptest.NewRequest("GET", "/api/v1/pastes/"+id, nil) }, 200, 200},
	{"API PATCH", true, writeRoute, func(e *env, id, _ string) *http.Request {
		return jsonReq("PATCH", "/api/v1/pastes/"+id, `{"title":"changed"}`)
	}, 200, 401},
	{"API DELETE", true, writeRoute, func(e *env, id, _ string) *http.Request {
		return httptest.NewRequest("DELETE", "/api/v1/pastes/"+id, nil)
	}, 204, 401},
	{"API share link", true, writeRoute, func(e *env, id, _ string) *http.Request {
		return httptest.NewRequest("POST", "/api/v1/pastes/"+id+"/share-links", nil)
	}, 201, 401},
	{"GET edit", false, writeRoute, func(e *env, id, _ string) *http.Request { return httptest.NewRequest("GET", "/"+id+"/edit", nil) }, 200, 303},
	{"POST edit", false, writeRoute, func(e *env, id, _ string) *http.Request {
		return formReq(e, "/"+id+"/edit", map[string]string{"content": "new", "visibility": "private", "syntax": "text"})
	}, 303, 303},
	{"POST delete", false, writeRoute, func(e *env, id, _ string) *http.Request { return formReq(e, "/"+id+"/delete", nil) }, 303, 401},
	{"GET share page", false, shareRoute, func(e *env, _, tok string) *http.Request { return httptest.NewRequest("GET", "/s/"+tok, nil) }, 200, 0},
	{"GET share raw", false, shareRoute, func(e *env, _, tok string) *http.Request { return httptest.NewRequest("GET", "/s/"+tok+"/raw", nil) }, 200, 0},
}

// want is the rule the matrix checks, written out once.
func want(r matrixRoute, v viewerKind, s pasteState) int {
	deadCreds := v == vRevoked || v == vExpired
	if r.api && deadCreds {
		return 401 // a presented but invalid bearer token is never anonymous
	}
	if deadCreds {
		v = vAnon // a dead browser session is just no session
	}
	if v == vAnon && r.kind == writeRoute && (r.api && r.name != "API DELETE" || r.name == "GET edit" || r.name == "POST edit") {
		return r.anon // refused before any lookup: reveals nothing, whatever the state
	}
	if s == sExpired || s == sBurned || s == sDeleted {
		return 404
	}
	if r.kind == shareRoute {
		if v == vShare {
			return r.ok
		}
		return 404
	}
	visible := s != sPrivate || v == vOwner
	switch r.kind {
	case readRoute:
		if visible {
			return r.ok
		}
		return 404
	default: // write
		switch {
		case v == vOwner:
			return r.ok
		case !visible:
			return 404
		case v == vAnon:
			return r.anon
		}
		return 403
	}
}

func TestAuthorizationMatrix(t *testing.T) {
	viewers := []viewerKind{vAnon, vOwner, vOther, vRevoked, vExpired, vShare, vRevokedShare}
	states := []pasteState{sPublic, sUnlisted, sPrivate, sExpired, sBurned, sDeleted}
	for _, vk := range viewers {
		t.Run(string(vk), func(t *testing.T) {
			e := newEnv(t)
			owner := e.register("olive")
			other := e.register("otto")
			ctx := context.Background()
			ownerV := paste.Viewer{UserID: owner.id, Username: owner.name}

			// The credentials this kind of caller presents.
			var cookieUser *user
			var token string
			switch vk {
			case vOwner:
				cookieUser, token = owner, owner.access
			case vOther:
				cookieUser, token = other, other.access
			case vRevoked:
				dead := *other
				cookieUser, token = &dead, dead.access
				e.userForm(other, "/logout", nil)
				e.do(bearer(httptest.NewRequest("POST", "/api/v1/auth/revoke", nil), other.access))
			case vExpired:
				dead := *other
				cookieUser, token = &dead, dead.access
				e.clock.Advance(8 * 24 * time.Hour) // past the token's 15 minutes and the session's 7 idle days
			}

			for _, st := range states {
				for _, r := range matrixRoutes {
					if (r.kind == shareRoute) != (vk == vShare || vk == vRevokedShare) {
						continue
					}
					vis := paste.Public
					switch st {
					case sUnlisted:
						vis = paste.Unlisted
					case sPrivate, sExpired, sBurned, sDeleted:
						vis = paste.Private
					}
					if r.kind == shareRoute {
						vis = paste.Private
					}
					in := paste.CreateInput{Content: []byte("body " + string(st)), Visibility: vis, Syntax: "text"}
					if st == sExpired {
						in.ExpiresIn = "10m"
					}
					if st == sBurned {
						in.BurnAfterReading = true
					}
					created, err := e.svc.Create(ctx, ownerV, in)
					if err != nil {
						t.Fatal(err)
					}
					id := string(created.Paste.ID)
					tok, _, err := e.svc.CreateShareLink(ctx, ownerV, created.Paste.ID, paste.ShareLinkInput{})
					if err != nil {
						t.Fatal(err)
					}
					switch st {
					case sExpired:
						e.clock.Advance(11 * time.Minute)
					case sBurned:
						if _, _, err := e.svc.Open(ctx, ownerV, created.Paste.ID); err != nil {
							t.Fatal(err)
						}
					case sDeleted:
						if err := e.svc.Delete(ctx, ownerV, created.Paste.ID, ""); err != nil {
							t.Fatal(err)
						}
					}
					if vk == vRevokedShare {
						if err := e.svc.RevokeShareToken(ctx, ownerV, created.Paste.ID, tok); err != nil && st != sExpired && st != sBurned && st != sDeleted {
							t.Fatal(err)
						}
					}
					// The expired state moves the clock on; live callers get a
					// fresh access token so that only the paste's state varies.
					switch vk {
					case vOwner:
						token = e.freshToken(owner.id)
					case vOther:
						token = e.freshToken(other.id)
					}
					req := r.request(e, id, tok)
					if r.api {
						if token != "" {
							bearer(req, token)
						}
					} else {
						e.asUser(req, cookieUser)
					}
					resp, body := e.do(req)
					if exp := want(r, vk, st); resp.StatusCode != exp {
						t.Errorf("%s × %s × %s = %d, want %d (%.120s)", r.name, vk, st, resp.StatusCode, exp, body)
					}
					if r.name == "POST edit" || r.name == "GET edit" {
						if loc := resp.Header.Get("Location"); resp.StatusCode == 303 && vk != vOwner && !strings.HasPrefix(loc, "/login") {
							t.Errorf("%s × %s × %s redirected to %q, want the sign-in page", r.name, vk, st, loc)
						}
					}
				}
			}
		})
	}
}

func TestPrivatePasteNeverListed(t *testing.T) {
	e := newEnv(t)
	owner := e.register("olive")
	other := e.register("otto")
	ctx := context.Background()
	priv, _ := e.svc.Create(ctx, paste.Viewer{UserID: owner.id, Username: owner.name}, paste.CreateInput{Content: []byte("secret"), Visibility: paste.Private})
	pub, _ := e.svc.Create(ctx, paste.Viewer{UserID: owner.id, Username: owner.name}, paste.CreateInput{Content: []byte("open"), Visibility: paste.Public})
	for _, c := range []struct {
		who      *user
		path     string
		wantPriv bool
	}{
		{nil, "/explore", false},
		{nil, "/u/olive", false},
		{other, "/u/olive", false},
		{owner, "/u/olive", true},
		{owner, "/explore", false},
	} {
		_, body := e.userGet(c.who, c.path)
		if strings.Contains(string(body), string(priv.Paste.ID)) != c.wantPriv || !strings.Contains(string(body), string(pub.Paste.ID)) {
			t.Errorf("%s as %v: private listed=%v, want %v", c.path, c.who != nil, !c.wantPriv, c.wantPriv)
		}
	}
	for _, c := range []struct {
		token    string
		query    string
		wantPriv bool
	}{
		{"", "owner=olive", false},
		{other.access, "owner=olive", false},
		{owner.access, "owner=olive", true},
		{owner.access, "owner=me", true},
		{owner.access, "", false},
	} {
		req := httptest.NewRequest("GET", "/api/v1/pastes?"+c.query, nil)
		if c.token != "" {
			bearer(req, c.token)
		}
		_, body := e.do(req)
		if strings.Contains(string(body), string(priv.Paste.ID)) != c.wantPriv {
			t.Errorf("API list %q: private listed=%v, want %v", c.query, !c.wantPriv, c.wantPriv)
		}
	}
	if resp, _ := e.get("/api/v1/pastes?owner=me"); resp.StatusCode != 401 {
		t.Fatalf("owner=me anonymously = %d, want 401", resp.StatusCode)
	}
	_ = fmt.Sprint()
}

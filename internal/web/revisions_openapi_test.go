package web_test

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"pastel/internal/paste"
)

// The diff routes answer text/x-diff: checked as the plain text it is.
func init() { openapi3filter.RegisterBodyDecoder("text/x-diff", openapi3filter.PlainBodyDecoder) }

// exerciseRevisionsAPI drives the revision and diff routes for
// TestOpenAPIMatchesServer: successes, revalidation and errors.
func exerciseRevisionsAPI(t *testing.T, e *env, s *specChecker) {
	t.Helper()
	rita := e.register("revision_reader")
	p := e.createAs(rita, paste.CreateInput{Title: "r.txt", Content: []byte("one\n"), Visibility: paste.Private})
	e.edit(rita, p.ID, "one\ntwo\n")
	id := string(p.ID)
	get := func(path string, token string, want int) []byte {
		req := httptest.NewRequest("GET", path, nil)
		if token != "" {
			bearer(req, token)
		}
		resp, body := s.do(req, want)
		if want == 200 && resp.Header.Get("ETag") != "" {
			cond := httptest.NewRequest("GET", path, nil)
			if token != "" {
				bearer(cond, token)
			}
			cond.Header.Set("If-None-Match", resp.Header.Get("ETag"))
			s.do(cond, 304)
		}
		return body
	}
	tok := e.freshToken(rita.id)
	get("/api/v1/pastes/"+id+"/revisions", tok, 200)
	get("/api/v1/pastes/"+id+"/revisions", "", 404)
	get("/api/v1/pastes/"+id+"/revisions", "garbage", 401)
	get("/api/v1/pastes/"+id+"/revisions/1", tok, 200)
	get("/api/v1/pastes/"+id+"/revisions/3", tok, 404)
	get("/api/v1/pastes/"+id+"/diff?from=1&to=2", tok, 200)
	get("/api/v1/pastes/"+id+"/diff?from=1&to=3", tok, 422)
	get("/api/v1/pastes/"+id+"/diff?from=1&to=2", "", 404)
	pub := e.createAs(nil, paste.CreateInput{Content: []byte("one\n")})
	get("/api/v1/diff?a="+string(pub.ID)+"&b="+id, tok, 200)
	get("/api/v1/diff?a="+string(pub.ID)+"&b="+id, "", 404)
	get("/api/v1/diff?a="+string(pub.ID), "", 422)

	var link struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(e.mustAPI(rita, "POST", "/api/v1/pastes/"+id+"/share-links", "", 201), &link); err != nil {
		t.Fatal(err)
	}
	get("/api/v1/shared/"+link.Token+"/revisions", "", 200)
	get("/api/v1/shared/"+link.Token+"/revisions/1", "", 200)
	get("/api/v1/shared/"+link.Token+"/diff?from=1&to=2", "", 200)
	get("/api/v1/shared/"+link.Token+"/diff?from=1", "", 422)
	get("/api/v1/shared/nonexistenttokennnnnnn/revisions", "", 404)
	get("/api/v1/shared/nonexistenttokennnnnnn/revisions/1", "", 404)
	get("/api/v1/shared/nonexistenttokennnnnnn/diff?from=1&to=2", "", 404)
}

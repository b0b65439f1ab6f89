package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"pastel/internal/blob"
	"pastel/internal/blob/blobtest"
)

// TestS3OutageAnswers503AndLosesNothing runs the app on a real S3 server
// (versitygw), stops the server, and checks that creates and reads answer
// 503 with Retry-After (never 404), that no row is left for a failed create,
// and that everything works again once the server is back.
func TestS3OutageAnswers503AndLosesNothing(t *testing.T) {
	srv := blobtest.StartVersityGW(t)
	s3, err := blob.NewS3(context.Background(), blob.S3Options{
		Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey,
		Bucket: srv.Bucket, Region: srv.Region,
	})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, withBlobs(s3))
	resp, body := e.do(jsonReq("POST", "/api/v1/pastes", `{"content":"kept safe"}`))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create on S3 = %d %s", resp.StatusCode, body)
	}
	p := decode[apiPaste](t, body)
	if _, raw := e.get("/raw/" + p.ID); string(raw) != "kept safe" {
		t.Fatalf("raw on S3 = %q", raw)
	}

	srv.Stop()
	resp, body = e.do(jsonReq("POST", "/api/v1/pastes", `{"content":"during outage"}`))
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("create during outage = %d %s (Retry-After %q)", resp.StatusCode, body, resp.Header.Get("Retry-After"))
	}
	if code := decode[apiError](t, body).Error.Code; code != "unavailable" {
		t.Fatalf("error code %q", code)
	}
	for _, path := range []string{"/raw/" + p.ID, "/dl/" + p.ID, "/api/v1/pastes/" + p.ID} {
		if resp, _ := e.get(path); resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("%s during outage = %d, want 503", path, resp.StatusCode)
		}
	}
	resp, body = e.get("/" + p.ID)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "try again") {
		t.Fatalf("page during outage = %d", resp.StatusCode)
	}
	if resp, _ := e.get("/readyz"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("readyz during outage = %d", resp.StatusCode)
	}
	page, err := e.svc.ListRecent(context.Background(), "", 10)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("rows after failed create: %d (%v), want only the first paste", len(page.Items), err)
	}

	srv.Start()
	if _, raw := e.get("/raw/" + p.ID); string(raw) != "kept safe" {
		t.Fatalf("after recovery raw = %q", raw)
	}
	if resp, _ := e.do(jsonReq("POST", "/api/v1/pastes", `{"content":"after"}`)); resp.StatusCode != http.StatusCreated {
		t.Fatalf("create after recovery = %d", resp.StatusCode)
	}
	if resp, _ := e.get("/readyz"); resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz after recovery = %d", resp.StatusCode)
	}
}

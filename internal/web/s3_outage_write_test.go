package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"pastel/internal/blob"
	"pastel/internal/blob/blobtest"
)

// TestS3OutageLeavesNothingHalfDone stops the real S3 server (versitygw)
// under the app while pastes are read, burned, edited and deleted: reads
// answer 503 with Retry-After and never consume a burn-after-reading paste;
// an edit of the body fails whole, the old body still served; a delete
// goes through with its body left for the orphan sweep. Once the server is
// back, everything converges with no operator action: the burn paste is
// read exactly once, the edit works, and the sweep leaves no body that no
// paste points at.
func TestS3OutageLeavesNothingHalfDone(t *testing.T) {
	ctx := context.Background()
	srv := blobtest.StartVersityGW(t)
	s3, err := blob.NewS3(ctx, blob.S3Options{
		Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey,
		Bucket: srv.Bucket, Region: srv.Region,
	})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, withBlobs(s3))
	u := e.register("s3_owner")
	create := func(body string) apiPaste {
		t.Helper()
		resp, b := e.do(bearer(jsonReq("POST", "/api/v1/pastes", body), u.access))
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("create %s = %d %s", body, resp.StatusCode, b)
		}
		return decode[apiPaste](t, b)
	}
	burn := create(`{"content":"read me once","burn_after_reading":true}`)
	owned := create(`{"content":"first version"}`)
	doomed := create(`{"content":"deleted while S3 is down"}`)

	srv.Stop()
	unavailable := func(what string, resp *http.Response, body []byte) {
		t.Helper()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s with S3 down = %d (Retry-After %q) %.200s", what, resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	}
	for range 2 {
		resp, body := e.get("/raw/" + burn.ID)
		unavailable("burn raw", resp, body)
		resp, body = e.do(jsonReq("GET", "/api/v1/pastes/"+burn.ID, ""))
		unavailable("burn API read", resp, body)
	}
	resp, body := e.do(bearer(jsonReq("PATCH", "/api/v1/pastes/"+owned.ID, `{"content":"second version"}`), u.access))
	unavailable("body edit", resp, body)
	resp, body = e.do(bearer(jsonReq("GET", "/api/v1/pastes/"+owned.ID, ""), u.access))
	unavailable("read after the failed edit", resp, body)
	if resp, body := e.do(bearer(jsonReq("DELETE", "/api/v1/pastes/"+doomed.ID, ""), u.access)); resp.StatusCode != http.StatusNoContent {
		t.Errorf("delete with S3 down = %d %s", resp.StatusCode, body)
	}

	srv.Start()
	if resp, raw := e.get("/raw/" + burn.ID); resp.StatusCode != http.StatusOK || string(raw) != "read me once" {
		t.Fatalf("burn paste after recovery = %d %q: an outage read consumed it", resp.StatusCode, raw)
	}
	if resp, _ := e.get("/raw/" + burn.ID); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("burn paste read twice: %d", resp.StatusCode)
	}
	if resp, raw := e.get("/raw/" + owned.ID); string(raw) != "first version" {
		t.Fatalf("after the failed edit raw = %d %q, want the first version", resp.StatusCode, raw)
	}
	if resp, body := e.do(bearer(jsonReq("PATCH", "/api/v1/pastes/"+owned.ID, `{"content":"second version"}`), u.access)); resp.StatusCode != http.StatusOK {
		t.Fatalf("edit after recovery = %d %s", resp.StatusCode, body)
	}
	if _, raw := e.get("/raw/" + owned.ID); string(raw) != "second version" {
		t.Fatalf("after the edit raw = %q", raw)
	}
	if resp, _ := e.get("/raw/" + doomed.ID); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("deleted paste = %d", resp.StatusCode)
	}

	// The sweep finds what the outage left (the deleted paste's body) once
	// it is older than the grace period, and nothing it removes is in use.
	e.clock.Advance(time.Hour)
	if _, err := e.svc.SweepOrphans(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	var keys []string
	if err := s3.Walk(ctx, func(key string, _ time.Time) error { keys = append(keys, key); return nil }); err != nil {
		t.Fatal(err)
	}
	orphans, err := e.store.Pastes().UnreferencedBlobKeys(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	// The edited paste keeps both revisions' bodies (issue 15).
	if len(orphans) != 0 || len(keys) != 2 {
		t.Fatalf("after the sweep the bucket holds %v, orphans %v; want only the edited paste's two bodies", keys, orphans)
	}
	if _, raw := e.get("/raw/" + owned.ID); string(raw) != "second version" {
		t.Fatalf("the sweep removed a body in use: %q", raw)
	}
}

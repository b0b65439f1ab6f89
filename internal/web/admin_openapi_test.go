package web_test

import (
	"fmt"
	"net/http/httptest"
	"strconv"
	"testing"
)

// exerciseAdminAPI drives account deletion, reports and the admin routes
// through the spec checker: each answer, success and error, must match
// openapi.json.
func exerciseAdminAPI(t *testing.T, e *env, s *specChecker) {
	t.Helper()
	root, rita, sam := e.register("root_spec"), e.register("rita"), e.register("sam_spec")
	e.makeAdmin(root)
	req := func(u *user, method, path, body string) *testRequest {
		return &testRequest{u: u, method: method, path: path, body: body}
	}
	do := func(r *testRequest, want int) []byte {
		t.Helper()
		var hr = httptest.NewRequest(r.method, r.path, nil)
		if r.body != "" {
			hr = jsonReq(r.method, r.path, r.body)
		}
		if r.u != nil {
			bearer(hr, e.freshToken(r.u.id))
		}
		_, b := s.do(hr, want)
		return b
	}
	pid := e.apiPaste(sam, `{"title":"<b>spam</b>","content":"buy now"}`)
	cm := e.apiComment(sam, pid, "more spam", 0)
	cpath := "/api/v1/comments/" + strconv.FormatInt(cm, 10) + "/reports"

	// Reports.
	do(req(rita, "POST", "/api/v1/pastes/"+pid+"/reports", `{"reason":"spam","details":"ads"}`), 201)
	do(req(rita, "POST", "/api/v1/pastes/"+pid+"/reports", `{"reason":"spam"}`), 409)
	do(req(rita, "POST", "/api/v1/pastes/"+pid+"/reports", `{"reason":""}`), 422)
	do(req(rita, "POST", "/api/v1/pastes/"+pid+"/reports", `{"reason":`), 400)
	do(req(nil, "POST", "/api/v1/pastes/"+pid+"/reports", `{"reason":"spam"}`), 401)
	do(req(rita, "POST", "/api/v1/pastes/Nope1234/reports", `{"reason":"spam"}`), 404)
	do(req(rita, "POST", cpath, `{"reason":"this is just advertising"}`), 201)
	do(req(rita, "POST", cpath, `{"reason":"abuse"}`), 409)
	do(req(rita, "POST", "/api/v1/comments/999999/reports", `{"reason":"abuse"}`), 404)

	// The queue and its resolution.
	b := do(req(root, "GET", "/api/v1/admin/reports?status=open", ""), 200)
	q := decode[struct {
		Items []struct {
			ID   int64  `json:"id"`
			Kind string `json:"kind"`
		} `json:"items"`
	}](t, b)
	if len(q.Items) != 2 || q.Items[0].Kind != "paste" || q.Items[1].Kind != "comment" {
		t.Fatalf("report queue: %s", b)
	}
	do(req(root, "GET", "/api/v1/admin/reports?status=open&limit=1", ""), 200)
	do(req(root, "GET", "/api/v1/admin/reports?status=maybe", ""), 422)
	do(req(rita, "GET", "/api/v1/admin/reports", ""), 404)
	resolve := func(id int64) string { return fmt.Sprintf("/api/v1/admin/reports/%d/resolve", id) }
	do(req(root, "POST", resolve(q.Items[1].ID), `{"action":"delete"}`), 204)
	// The comment and its reports are gone with it.
	do(req(root, "POST", resolve(q.Items[1].ID), `{"action":"delete"}`), 404)
	do(req(root, "POST", resolve(q.Items[0].ID), `{"action":"burn"}`), 422)
	do(req(root, "POST", resolve(q.Items[0].ID), `{"action":`), 400)
	do(req(root, "POST", resolve(q.Items[0].ID), `{"action":"dismiss"}`), 204)
	do(req(root, "POST", resolve(q.Items[0].ID), `{"action":"dismiss"}`), 409)
	do(req(root, "GET", "/api/v1/admin/reports?status=dismissed", ""), 200)
	do(req(root, "POST", resolve(999999), `{"action":"dismiss"}`), 404)
	do(req(rita, "POST", resolve(q.Items[0].ID), `{"action":"dismiss"}`), 404)

	// Accounts.
	do(req(root, "GET", "/api/v1/admin/users?q=rit", ""), 200)
	do(req(root, "GET", "/api/v1/admin/users?sort=pastes&limit=2", ""), 200)
	do(req(root, "GET", "/api/v1/admin/users?sort=size", ""), 422)
	do(req(nil, "GET", "/api/v1/admin/users", ""), 404)
	do(req(root, "POST", "/api/v1/admin/users/sam_spec/disable", ""), 204)
	do(req(root, "POST", "/api/v1/admin/users/sam_spec/enable", ""), 204)
	do(req(root, "POST", "/api/v1/admin/users/root_spec/disable", ""), 422)
	do(req(root, "POST", "/api/v1/admin/users/nobody_here/enable", ""), 404)
	do(req(rita, "POST", "/api/v1/admin/users/sam_spec/disable", ""), 404)
	do(req(root, "DELETE", "/api/v1/admin/users/sam_spec", ""), 204)
	do(req(root, "DELETE", "/api/v1/admin/users/sam_spec", ""), 404)

	// Deleting one's own account.
	do(req(rita, "DELETE", "/api/v1/me", `{"password":"wrong password"}`), 422)
	do(req(rita, "DELETE", "/api/v1/me", `{"password":`), 400)
	do(req(nil, "DELETE", "/api/v1/me", `{"password":"x"}`), 401)
	do(req(rita, "DELETE", "/api/v1/me", `{"password":`+strconv.Quote(rita.password)+`}`), 204)
}

type testRequest struct {
	u                  *user
	method, path, body string
}

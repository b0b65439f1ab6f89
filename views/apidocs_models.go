package views

// APIDocsView is the human-readable API page (GET /api).
type APIDocsView struct {
	// Base is the site's origin (BASE_URL), used in every example.
	Base string
	// Routes are the documented operations, from openapi.json.
	Routes []APIRoute
}

// APIRoute is one operation of the JSON API.
type APIRoute struct {
	Method  string
	Path    string // under /api/v1
	Summary string
	Auth    string // none, optional, bearer, owner or admin
}

// API returns the API root for v.
func (v APIDocsView) API() string { return v.Base + "/api/v1" }

func authLabel(auth string) string {
	switch auth {
	case "none":
		return "–"
	case "optional":
		return "optional"
	case "owner":
		return "bearer (owner)"
	case "admin":
		return "bearer (admin)"
	}
	return "bearer"
}

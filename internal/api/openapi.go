package api

import (
	_ "embed"
	"encoding/json"
	"net/url"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// openAPI is the OpenAPI 3 document of /api/v1, written by hand next to the
// handlers; internal/web/openapi_test.go checks real answers of every route
// against it.
//
//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the embedded OpenAPI document with its relative server.
func OpenAPI() []byte { return openAPI }

// specFor returns the document with the server set to base's /api/v1, so
// clients generated from it call the right origin.
func specFor(base *url.URL) []byte {
	if base == nil {
		return openAPI
	}
	var doc map[string]any
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		panic("api: embedded openapi.json: " + err.Error()) // a build-time file
	}
	u := *base
	u.Path = strings.TrimSuffix(u.Path, "/") + "/api/v1"
	u.RawQuery, u.Fragment = "", ""
	doc["servers"] = []map[string]string{{"url": u.String()}}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic("api: openapi.json: " + err.Error())
	}
	return out
}

func (h *handler) openapi(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set("Access-Control-Allow-Origin", "*") // a public description, for API tools
	return c.Send(h.spec)
}

// Route is one operation of the API, for the human-readable API page.
type Route struct {
	Method  string // GET, POST, …
	Path    string // under /api/v1, with {params}
	Summary string
	Auth    string // none, optional, bearer or owner
	Tag     string
}

// Routes lists the documented operations in the document's tag order, then
// by path.
func Routes() []Route {
	var doc struct {
		Tags  []struct{ Name string }               `json:"tags"`
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		panic("api: embedded openapi.json: " + err.Error())
	}
	order := map[string]int{}
	for i, t := range doc.Tags {
		order[t.Name] = i
	}
	methodOrder := map[string]int{"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}
	var out []Route
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			var op struct {
				Summary string   `json:"summary"`
				Auth    string   `json:"x-auth"`
				Tags    []string `json:"tags"`
			}
			if err := json.Unmarshal(raw, &op); err != nil || op.Summary == "" {
				continue // "parameters" and other non-operations
			}
			r := Route{Method: strings.ToUpper(method), Path: path, Summary: op.Summary, Auth: op.Auth}
			if len(op.Tags) > 0 {
				r.Tag = op.Tags[0]
			}
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if order[a.Tag] != order[b.Tag] {
			return order[a.Tag] < order[b.Tag]
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return methodOrder[a.Method] < methodOrder[b.Method]
	})
	return out
}

package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/account"
	"pastel/internal/auth"
	"pastel/internal/paste"
)

// bearerRepo is the part of the account repository the bearer middleware
// reads: one active user (42), no revoked tokens, no API tokens.
type bearerRepo struct{ account.Repository }

func (bearerRepo) UserByID(_ context.Context, id int64) (account.User, error) {
	if id != 42 {
		return account.User{}, paste.ErrNotFound
	}
	return account.User{ID: 42, Username: "fuzz"}, nil
}

func (bearerRepo) AccessTokenRevoked(context.Context, string) (bool, error) { return false, nil }

func (bearerRepo) UseAPIToken(context.Context, []byte, time.Time) (account.APIToken, error) {
	return account.APIToken{}, paste.ErrNotFound
}

// FuzzBearer feeds arbitrary Authorization headers to the JWT middleware:
// no header is anonymous; anything else is either a valid access token
// (signed in as its user) or 401 invalid_token in the API's JSON envelope,
// never a panic, a 5xx or a silent downgrade to anonymous.
func FuzzBearer(f *testing.F) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tokens, err := auth.NewTokens(auth.TokenOptions{
		Secret: []byte(strings.Repeat("k", 40)), Issuer: "https://pastel.test", Audience: "https://pastel.test/api",
		Now: func() time.Time { return now },
	})
	if err != nil {
		f.Fatal(err)
	}
	access, _, err := tokens.IssueAccess(42)
	if err != nil {
		f.Fatal(err)
	}
	other, _, _ := tokens.IssueAccess(7) // a user who does not exist
	refresh, _, _ := tokens.IssueRefresh(42, "")
	accounts := account.NewService(bearerRepo{}, account.Options{Tokens: tokens, Now: func() time.Time { return now }})
	h := &handler{Deps: Deps{Accounts: accounts}}
	app := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
		WriteError(c, err)
		return nil
	}})
	app.Use(h.bearer)
	app.Get("/", func(c *fiber.Ctx) error {
		return c.JSON(paste.ViewerFrom(c.UserContext()))
	})
	for _, s := range []string{"", "Bearer " + access, "bearer  " + access + " ", "Bearer " + other, "Bearer " + refresh,
		"Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer a.b.c", "Bearer pastel_xxxxxxxx", "Token " + access,
		"Bearer " + access + "x", "Bearer " + strings.ToUpper(access), "Bearer\t" + access} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, authz string) {
		req := httptest.NewRequest("GET", "/", nil)
		if authz != "" {
			req.Header["Authorization"] = []string{authz}
		}
		resp, err := app.Test(req, -1)
		if err != nil {
			return // a header fasthttp refuses to read never reaches the middleware
		}
		body, _ := io.ReadAll(resp.Body)
		var v paste.Viewer
		switch {
		case resp.StatusCode == 200:
			if err := json.Unmarshal(body, &v); err != nil {
				t.Fatalf("%q: 200 with %q", authz, body)
			}
			// fasthttp drops a header whose value is only whitespace.
			if strings.TrimSpace(authz) == "" {
				if v.SignedIn() {
					t.Fatalf("%q: signed in without a credential", authz)
				}
				return
			}
			scheme, token, _ := strings.Cut(strings.TrimSpace(authz), " ")
			claims, err := tokens.ParseAccess(strings.TrimSpace(token))
			if !v.SignedIn() || v.UserID != 42 || err != nil || claims.UserID != 42 || !strings.EqualFold(scheme, "Bearer") {
				t.Fatalf("%q: accepted as %+v (claims %+v, %v)", authz, v, claims, err)
			}
		case resp.StatusCode == 401:
			var e struct {
				Error struct{ Code string } `json:"error"`
			}
			if json.Unmarshal(body, &e); e.Error.Code != "invalid_token" {
				t.Fatalf("%q: 401 with %q", authz, body)
			}
		default:
			t.Fatalf("%q: %d %q", authz, resp.StatusCode, body)
		}
	})
}

package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/sessions"
	"github.com/valyala/fasthttp/fasthttpadaptor"

	"pastel/internal/account"
)

// This file is the one bridge between gorilla/sessions, which speaks
// net/http, and Fiber. A request's session is loaded once, kept in Locals,
// and saved through saveSession, which copies gorilla's Set-Cookie headers
// onto the Fiber response.

const localSession = "session"

// SessionStore is the gorilla/sessions store the app keeps sessions in,
// plus the cookie options for new sessions.
type SessionStore interface {
	sessions.Store
	Options() *sessions.Options
}

// cookieWriter is the http.ResponseWriter gorilla writes cookies to.
type cookieWriter struct{ h http.Header }

func (w cookieWriter) Header() http.Header         { return w.h }
func (w cookieWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w cookieWriter) WriteHeader(int)             {}

// sessionName is the cookie name; on https the __Host- prefix pins it to
// this origin (Secure, Path=/, no Domain).
func (a *App) sessionName() string {
	if a.opts.BaseURL.Scheme == "https" {
		return "__Host-pastel_session"
	}
	return "pastel_session"
}

// httpRequest converts the Fiber request for gorilla. The client address is
// passed along as resolved by Fiber's trusted-proxy rules.
func httpRequest(c *fiber.Ctx) (*http.Request, error) {
	r := new(http.Request)
	if err := fasthttpadaptor.ConvertRequest(c.Context(), r, true); err != nil {
		return nil, err
	}
	r.RemoteAddr = clientAddr(c)
	return r.WithContext(c.UserContext()), nil
}

// session returns the request's session, loading it on first use. A request
// without a session cookie gets a fresh, unsaved session and costs no query.
func (a *App) session(c *fiber.Ctx) (*sessions.Session, error) {
	if s, ok := c.Locals(localSession).(*sessions.Session); ok {
		return s, nil
	}
	var s *sessions.Session
	if c.Cookies(a.sessionName()) == "" {
		s = sessions.NewSession(a.deps.Sessions, a.sessionName())
		s.Options = a.deps.Sessions.Options()
		s.IsNew = true
	} else {
		r, err := httpRequest(c)
		if err != nil {
			return nil, err
		}
		if s, err = a.deps.Sessions.New(r, a.sessionName()); err != nil {
			return nil, err
		}
	}
	c.Locals(localSession, s)
	return s, nil
}

// saveSession writes s and its cookie.
func (a *App) saveSession(c *fiber.Ctx, s *sessions.Session) error {
	r, err := httpRequest(c)
	if err != nil {
		return err
	}
	w := cookieWriter{h: http.Header{}}
	if err := a.deps.Sessions.Save(r, w, s); err != nil {
		return err
	}
	for _, v := range w.h.Values("Set-Cookie") {
		c.Response().Header.Add(fiber.HeaderSetCookie, v)
	}
	c.Locals(localSession, s)
	return nil
}

// sessionHash identifies the current session in listings ("this device").
func sessionHash(s *sessions.Session) []byte {
	if s == nil || s.ID == "" {
		return nil
	}
	return account.SessionHash(s.ID)
}

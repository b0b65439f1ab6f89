package api

import (
	"bytes"
	"encoding/base64"
	"time"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
)

type updateRequest struct {
	Title            *string   `json:"title"`
	Content          *string   `json:"content"`
	ContentEncoding  string    `json:"content_encoding"`
	Syntax           *string   `json:"syntax"`
	Visibility       *string   `json:"visibility"`
	ExpiresIn        *lifetime `json:"expires_in"`
	ExpiresAt        *string   `json:"expires_at"`
	BurnAfterReading *bool     `json:"burn_after_reading"`
	Password         *string   `json:"password"`
	Tags             *[]string `json:"tags"`
	// Files replace every file of the paste (instead of content).
	Files *[]fileRequest `json:"files"`
}

func (h *handler) updatePaste(c *fiber.Ctx) error {
	raw, err := h.body(c, jsonLimit(h.Pastes.MaxBytes()))
	if err != nil {
		return err
	}
	var req updateRequest
	if err := decodeJSON(raw, &req); err != nil {
		return err
	}
	in := paste.UpdateInput{Title: req.Title, Syntax: req.Syntax, ExpiresAt: req.ExpiresAt, BurnAfterReading: req.BurnAfterReading, Tags: req.Tags, Password: req.Password}
	if req.ExpiresIn != nil {
		exp := string(*req.ExpiresIn)
		in.ExpiresIn = &exp
	}
	if req.Visibility != nil {
		vis := paste.Visibility(*req.Visibility)
		in.Visibility = &vis
	}
	if req.Files != nil {
		if req.Content != nil {
			return paste.FieldError("content", "must not be sent with files")
		}
		if in.Files, err = fileInputs(*req.Files); err != nil {
			return err
		}
		if in.Files == nil {
			in.Files = []paste.FileInput{} // an empty list: refused by the service, naming files
		}
	}
	if req.Content != nil {
		in.Content = []byte(*req.Content)
		switch req.ContentEncoding {
		case "", "utf-8":
		case "base64":
			if in.Content, err = base64.StdEncoding.DecodeString(*req.Content); err != nil {
				return paste.FieldError("content", "is not valid base64")
			}
		default:
			return paste.FieldError("content_encoding", "must be utf-8 or base64")
		}
	}
	ctx := c.UserContext()
	v, err := signedIn(c)
	if err != nil {
		return err
	}
	p, err := h.Pastes.Update(ctx, v, paste.ID(c.Params("id")), in)
	if err != nil {
		return err
	}
	out := h.toJSON(p)
	h.withForkOrigin(c, &out, p)
	out.Warnings = h.warningsOf(c, in.Content, in.Files, p.Encrypted) // nothing new: nothing to check
	return c.JSON(out)
}

type shareLinkJSON struct {
	ID         int64      `json:"id"`
	Token      string     `json:"token,omitempty"`
	TokenHint  string     `json:"token_hint"`
	URL        string     `json:"url,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	MaxViews   *int32     `json:"max_views"`
	Views      int32      `json:"views"`
}

func toShareLinkJSON(l paste.ShareLink) shareLinkJSON {
	out := shareLinkJSON{ID: l.ID, TokenHint: l.TokenHint, CreatedAt: l.CreatedAt, LastUsedAt: l.LastUsedAt, Views: l.Uses}
	if !l.ExpiresAt.IsZero() {
		t := l.ExpiresAt
		out.ExpiresAt = &t
	}
	if l.MaxUses > 0 {
		n := l.MaxUses
		out.MaxViews = &n
	}
	return out
}

type shareLinkRequest struct {
	ExpiresIn lifetime `json:"expires_in"`
	MaxViews  int      `json:"max_views"`
}

func (h *handler) createShareLink(c *fiber.Ctx) error {
	v, err := signedIn(c)
	if err != nil {
		return err
	}
	// The body is optional: no body (or an empty one) makes a link
	// without an expiry or a cap.
	var req shareLinkRequest
	raw, err := h.body(c, 64<<10)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := decodeJSON(raw, &req); err != nil {
			return err
		}
	}
	token, link, err := h.Pastes.CreateShareLink(c.UserContext(), v, paste.ID(c.Params("id")),
		paste.ShareLinkInput{ExpiresIn: string(req.ExpiresIn), MaxViews: req.MaxViews})
	if err != nil {
		return err
	}
	url := h.link("/s/" + token)
	c.Location(url)
	out := toShareLinkJSON(link)
	out.Token, out.URL = token, url
	return c.Status(fiber.StatusCreated).JSON(out)
}

func (h *handler) listShareLinks(c *fiber.Ctx) error {
	v, err := signedIn(c)
	if err != nil {
		return err
	}
	links, err := h.Pastes.ShareLinks(c.UserContext(), v, paste.ID(c.Params("id")))
	if err != nil {
		return err
	}
	out := make([]shareLinkJSON, len(links))
	for i, l := range links {
		out[i] = toShareLinkJSON(l)
	}
	return c.JSON(fiber.Map{"items": out, "next_cursor": nil})
}

func (h *handler) deleteShareLink(c *fiber.Ctx) error {
	v, err := signedIn(c)
	if err != nil {
		return err
	}
	if err := h.Pastes.RevokeShareToken(c.UserContext(), v, paste.ID(c.Params("id")), c.Params("token")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
)

// pasteJSON is a paste as the API shows it.
type pasteJSON struct {
	ID               string     `json:"id"`
	URL              string     `json:"url"`
	RawURL           string     `json:"raw_url"`
	Title            string     `json:"title"`
	Syntax           string     `json:"syntax"`
	Visibility       string     `json:"visibility"`
	Size             int64      `json:"size"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
	ExpiresAt        *time.Time `json:"expires_at"`
	BurnAfterReading bool       `json:"burn_after_reading"`
	Owner            *string    `json:"owner"`
	SourceURL        string     `json:"source_url,omitempty"`
	Likes            int64      `json:"likes"`
	Dislikes         int64      `json:"dislikes"`
	Stars            int64      `json:"stars"`
	Views            int64      `json:"views"`
	Content          *string    `json:"content,omitempty"`
	ContentEncoding  string     `json:"content_encoding,omitempty"`
	// Files are the paste's files (one for a one-file paste); content
	// is the first one's.
	Files       []fileJSON `json:"files,omitempty"`
	DeleteToken string     `json:"delete_token,omitempty"`
	Tags        []string   `json:"tags"`
	Forks       int64      `json:"forks"`
	ForkedFrom  *forkRef   `json:"forked_from,omitempty"`
	// A password paste's reads need X-Paste-Password; a capped paste is
	// gone after max_views reads, views_left of which remain.
	PasswordProtected bool   `json:"password_protected"`
	MaxViews          *int32 `json:"max_views,omitempty"`
	ViewsLeft         *int32 `json:"views_left,omitempty"`
	// Encrypted: content is a ciphertext envelope (paste.CheckEnvelope).
	Encrypted bool `json:"encrypted"`
	// Warnings are in create and edit answers only (an empty list there).
	Warnings *[]warningJSON `json:"warnings,omitempty"`
}

func (h *handler) toJSON(p paste.Paste) pasteJSON {
	out := pasteJSON{
		ID:               string(p.ID),
		URL:              h.link("/" + string(p.ID)),
		RawURL:           h.link("/raw/" + string(p.ID)),
		Title:            p.Title,
		Syntax:           p.Syntax,
		Visibility:       string(p.Visibility),
		Size:             p.Size,
		CreatedAt:        p.CreatedAt,
		UpdatedAt:        p.UpdatedAt,
		BurnAfterReading: p.BurnAfterReading,
		SourceURL:        p.SourceURL,
		Likes:            p.Likes,
		Dislikes:         p.Dislikes,
		Stars:            p.Stars,
		Views:            p.Views,
		Encrypted:        p.Encrypted,
		Tags:             p.Tags,
		Forks:            p.Forks,
	}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if !p.ExpiresAt.IsZero() {
		t := p.ExpiresAt
		out.ExpiresAt = &t
	}
	if p.OwnerName != "" {
		name := p.OwnerName
		out.Owner = &name
	}
	lockJSON(&out, p)
	out.Files = h.filesJSON(p)
	return out
}

// lockJSON adds a paste's password flag and views cap; burn_after_reading
// stays what was asked for (a cap of one view), though every capped paste
// is consumed by its reads.
func lockJSON(out *pasteJSON, p paste.Paste) {
	out.PasswordProtected = p.PasswordHash != ""
	if p.MaxViews > 0 && p.BurnAfterReading {
		mv, left := p.MaxViews, p.ViewsLeft
		out.MaxViews, out.ViewsLeft = &mv, &left
		out.BurnAfterReading = p.MaxViews == 1
	}
}

// withContent adds the body: as a string when it is UTF-8, base64 otherwise,
// so that binary pastes round-trip byte for byte.
func withContent(j pasteJSON, body []byte) pasteJSON {
	var s string
	if utf8.Valid(body) {
		s, j.ContentEncoding = string(body), "utf-8"
	} else {
		s, j.ContentEncoding = base64.StdEncoding.EncodeToString(body), "base64"
	}
	j.Content = &s
	return j
}

type createRequest struct {
	Title            string   `json:"title"`
	Content          *string  `json:"content"`
	ContentEncoding  string   `json:"content_encoding"`
	Syntax           string   `json:"syntax"`
	Visibility       string   `json:"visibility"`
	ExpiresIn        lifetime `json:"expires_in"`
	ExpiresAt        string   `json:"expires_at"`
	BurnAfterReading bool     `json:"burn_after_reading"`
	Filename         string   `json:"filename"`
	SourceURL        string   `json:"source_url"`
	Password         string   `json:"password"`
	MaxViews         int      `json:"max_views"`
	Tags             []string `json:"tags"`
	Encrypted        bool     `json:"encrypted"`
	// Files instead of content: several files (issue 15).
	Files []fileRequest `json:"files"`
}

func (h *handler) createPaste(c *fiber.Ctx) error {
	in, err := h.parseCreate(c)
	if err != nil {
		return err
	}
	titleFromFilename(&in)
	created, err := h.Pastes.Create(c.UserContext(), paste.ViewerFrom(c.UserContext()), in)
	if err != nil {
		return err
	}
	out := h.toJSON(created.Paste)
	out.DeleteToken = created.DeleteToken
	out.Warnings = h.warningsOf(c, in.Content, in.Files, in.Encrypted)
	c.Location(out.URL)
	c.Status(fiber.StatusCreated)
	if wantsText(c) {
		if created.DeleteToken != "" {
			// The shell answer is only the URL; the anonymous creator's
			// one way to delete the paste travels beside it.
			c.Set(HeaderDeleteToken, created.DeleteToken)
		}
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.SendString(out.URL + "\n")
	}
	return c.JSON(out)
}

// HeaderDeleteToken carries an anonymous paste's delete token: in the
// request of DELETE /pastes/{id}, and in the text/plain answer of a create.
const HeaderDeleteToken = "X-Delete-Token"

// HeaderPastePassword carries a password paste's password: on reads
// (GET /api/v1/pastes/{id}, /raw, /dl, /embed) and on raw-body creates.
const HeaderPastePassword = "X-Paste-Password"

// titleFromFilename names an untitled paste after the file it was sent
// from (`pastel main.go` sends ?filename=main.go): the page shows it as the
// paste's name and GET /dl/{id} downloads under it.
func titleFromFilename(in *paste.CreateInput) {
	if strings.TrimSpace(in.Title) != "" {
		return
	}
	name := path.Base(strings.ReplaceAll(strings.TrimSpace(in.Filename), `\`, "/"))
	if name == "." || name == "/" || name == ".." || name == "-" {
		return
	}
	in.Title = name
}

// wantsText reports whether the client prefers a bare URL (Accept: text/plain)
// over JSON; curl's default */* gets JSON.
func wantsText(c *fiber.Ctx) bool {
	return c.Get(fiber.HeaderAccept) != "" && c.Accepts(fiber.MIMEApplicationJSON, fiber.MIMETextPlain) == fiber.MIMETextPlain
}

// parseCreate reads a create request in any of its forms: JSON, a raw body
// with the fields as query parameters, or a multipart form.
func (h *handler) parseCreate(c *fiber.Ctx) (paste.CreateInput, error) {
	mediaType, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType, "application/octet-stream"))
	if err != nil {
		return paste.CreateInput{}, errMediaType
	}
	switch mediaType {
	case fiber.MIMEApplicationJSON:
		return h.parseJSONCreate(c)
	case fiber.MIMEMultipartForm:
		return h.parseMultipartCreate(c)
	case fiber.MIMETextPlain, fiber.MIMEOctetStream,
		// curl --data-binary sends this type by default: the body is still raw.
		fiber.MIMEApplicationForm:
		body, err := h.body(c, h.Pastes.MaxBytes())
		if err != nil {
			return paste.CreateInput{}, err
		}
		in, err := fieldsFrom(c.Query, body)
		// A password never travels in a URL (logs keep URLs): a raw-body
		// create sends it in the header that reads use too.
		in.Password = c.Get(HeaderPastePassword)
		return in, err
	}
	return paste.CreateInput{}, errMediaType
}

func fieldsFrom(get func(string, ...string) string, content []byte) (paste.CreateInput, error) {
	burn, err := parseBool(get("burn_after_reading"))
	if err != nil {
		return paste.CreateInput{}, paste.FieldError("burn_after_reading", "must be true or false")
	}
	encrypted, err := parseBool(get("encrypted"))
	if err != nil {
		return paste.CreateInput{}, paste.FieldError("encrypted", "must be true or false")
	}
	maxViews := 0
	if v := get("max_views"); v != "" {
		if maxViews, err = strconv.Atoi(v); err != nil {
			return paste.CreateInput{}, paste.FieldError("max_views", "must be a whole number between 1 and 1000000")
		}
	}
	return paste.CreateInput{
		Password:         get("password"),
		MaxViews:         maxViews,
		Tags:             paste.SplitTags(get("tags")),
		Title:            get("title"),
		Content:          content,
		Syntax:           get("syntax"),
		Visibility:       paste.Visibility(get("visibility")),
		ExpiresIn:        get("expires_in"),
		ExpiresAt:        get("expires_at"),
		BurnAfterReading: burn,
		Filename:         get("filename"),
		SourceURL:        get("source_url"),
		Encrypted:        encrypted,
	}, nil
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "0", "false", "no", "off":
		return false, nil
	case "1", "true", "yes", "on":
		return true, nil
	}
	return false, errors.New("not a boolean")
}

// jsonOverhead allows for JSON escaping of a body at the size limit.
func jsonLimit(max int64) int64 { return 2*max + 64<<10 }

func (h *handler) parseJSONCreate(c *fiber.Ctx) (paste.CreateInput, error) {
	raw, err := h.body(c, jsonLimit(h.Pastes.MaxBytes()))
	if err != nil {
		return paste.CreateInput{}, err
	}
	var req createRequest
	if err := decodeJSON(raw, &req); err != nil {
		return paste.CreateInput{}, err
	}
	var files []paste.FileInput
	if req.Files != nil {
		if req.Content != nil {
			return paste.CreateInput{}, paste.FieldError("content", "must not be sent with files")
		}
		if files, err = fileInputs(req.Files); err != nil {
			return paste.CreateInput{}, err
		}
		if len(files) == 0 {
			return paste.CreateInput{}, paste.FieldError("files", "must hold 1 to "+strconv.Itoa(paste.MaxFiles)+" files")
		}
		empty := ""
		req.Content = &empty
	}
	if req.Content == nil {
		return paste.CreateInput{}, paste.FieldError("content", "is required")
	}
	content := []byte(*req.Content)
	switch req.ContentEncoding {
	case "", "utf-8":
	case "base64":
		if content, err = base64.StdEncoding.DecodeString(*req.Content); err != nil {
			return paste.CreateInput{}, paste.FieldError("content", "is not valid base64")
		}
	default:
		return paste.CreateInput{}, paste.FieldError("content_encoding", "must be utf-8 or base64")
	}
	return paste.CreateInput{
		Tags:  req.Tags,
		Title: req.Title, Content: content, Syntax: req.Syntax,
		Visibility: paste.Visibility(req.Visibility), ExpiresIn: string(req.ExpiresIn), ExpiresAt: req.ExpiresAt,
		BurnAfterReading: req.BurnAfterReading, Filename: req.Filename, SourceURL: req.SourceURL,
		Password: req.Password, MaxViews: req.MaxViews, Encrypted: req.Encrypted, Files: files,
	}, nil
}

func (h *handler) parseMultipartCreate(c *fiber.Ctx) (paste.CreateInput, error) {
	form, err := c.MultipartForm()
	if err != nil {
		return paste.CreateInput{}, badRequest("malformed multipart form")
	}
	get := func(k string, _ ...string) string {
		if v := form.Value[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	var content []byte
	filename := get("filename")
	if parts := form.File["file"]; len(parts) > 0 {
		// Several "file" parts: a file of the paste each.
		files, err := multipartFiles(parts, h.Pastes.MaxBytes())
		if err != nil {
			return paste.CreateInput{}, err
		}
		in, err := fieldsFrom(get, nil)
		in.Files = files
		return in, err
	}
	if files := form.File["content"]; len(files) > 0 {
		fh := files[0]
		if fh.Size > h.Pastes.MaxBytes() {
			return paste.CreateInput{}, paste.ErrTooLarge
		}
		f, err := fh.Open()
		if err != nil {
			return paste.CreateInput{}, badRequest("unreadable file part")
		}
		defer f.Close()
		if content, err = io.ReadAll(io.LimitReader(f, h.Pastes.MaxBytes()+1)); err != nil {
			return paste.CreateInput{}, badRequest("unreadable file part")
		}
		if filename == "" {
			filename = fh.Filename
		}
	} else {
		content = []byte(get("content"))
	}
	in, err := fieldsFrom(get, content)
	in.Filename = filename
	return in, err
}

// body returns the request body, refusing more than limit bytes. The web
// app's body gate has already bounded it and undone any Content-Encoding
// (one layer of gzip or deflate on paste routes); a coding still present
// here means the gate did not run, and is refused rather than decoded.
func (h *handler) body(c *fiber.Ctx, limit int64) ([]byte, error) {
	if len(c.Request().Header.Peek(fiber.HeaderContentEncoding)) > 0 {
		return nil, errUnsupported
	}
	raw := c.Request().Body()
	if int64(len(raw)) > limit {
		return nil, paste.ErrTooLarge
	}
	return raw, nil
}

// decodeJSON decodes one JSON object strictly: invalid UTF-8 and unknown
// fields are refused, a wrongly typed field is a validation error naming it.
func decodeJSON(raw []byte, dst any) error {
	// encoding/json would replace invalid UTF-8 with U+FFFD silently: a
	// password or comment would then be stored as something the client
	// never sent.
	if !utf8.Valid(raw) {
		return badRequest("malformed JSON: the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return paste.FieldError(typeErr.Field, "must be a "+typeErr.Type.String())
		}
		if msg, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return badRequest("unknown field " + msg)
		}
		return badRequest("malformed JSON: " + err.Error())
	}
	if dec.More() {
		return badRequest("malformed JSON: trailing data after the object")
	}
	return nil
}

func (h *handler) getPaste(c *fiber.Ctx) error {
	return h.sendPaste(c, paste.ID(c.Params("id")))
}

// sendPaste answers the paste id as the context's viewer reads it (also
// through a share link: getShared).
func (h *handler) sendPaste(c *fiber.Ctx, id paste.ID) error {
	ctx := c.UserContext()
	v := paste.ViewerFrom(ctx)
	notModified := false
	r, err := h.Pastes.Read(ctx, v, id, paste.ReadOptions{
		AllFiles: true,
		Want: func(p paste.Paste) bool {
			notModified = ReadCaching(c, v, p)
			// A HEAD of a burn-after-reading paste never consumes it.
			return !notModified && !(p.BurnAfterReading && c.Method() == fiber.MethodHead)
		},
	})
	switch {
	case err != nil:
		return err
	case notModified:
		return c.SendStatus(fiber.StatusNotModified)
	case r.Skipped:
		return c.SendStatus(fiber.StatusOK)
	}
	out := h.toJSON(r.Paste)
	h.withForkOrigin(c, &out, r.Paste)
	if v.Shared != "" {
		h.throughLink(&out, c.Params("token"))
	}
	return c.JSON(withFileContents(withContent(out, r.Body), r.Bodies))
}

type listJSON struct {
	Items      []pasteJSON `json:"items"`
	NextCursor *string     `json:"next_cursor"`
}

// ListCache keeps answers that are the same for every anonymous caller,
// by key, forgotten whenever a paste, comment or user changes on any
// replica (readcache.Lists).
type ListCache interface {
	// Begin returns the epoch to pass to Keep, taken before what the
	// answer shows is read.
	Begin() uint64
	// Get returns the value kept under key if it is still true at now
	// (paste.Service.Now).
	Get(key string, now time.Time) (any, bool)
	// Keep keeps v, of size bytes, under key until until (zero: no
	// expiry), unless anything changed since epoch.
	Keep(epoch uint64, key string, v any, size int64, until time.Time)
}

// listPastes answers GET /pastes. An anonymous caller's first page (no
// cursor) is the same for every such caller: its JSON is kept, by the
// request's path and query, until a paste changes (ListCache).
func (h *handler) listPastes(c *fiber.Ctx) error {
	v := paste.ViewerFrom(c.UserContext())
	shared := h.Lists != nil && !v.SignedIn() && c.Query("cursor") == ""
	var key string
	if shared {
		key = "api:" + c.OriginalURL()
		if body, ok := h.Lists.Get(key, h.Pastes.Now()); ok {
			return sendJSON(c, body.([]byte))
		}
	}
	var epoch uint64
	if shared {
		epoch = h.Lists.Begin() // before anything the answer shows is read
	}
	page, err := h.listPage(c, v)
	if err != nil {
		return err
	}
	body, err := json.Marshal(h.listOf(page))
	if err != nil {
		return err
	}
	if shared {
		h.Lists.Keep(epoch, key, body, int64(len(body)), paste.ValidUntil(page.Items))
	}
	return sendJSON(c, body)
}

// sendJSON answers 200 with body, JSON already encoded.
func sendJSON(c *fiber.Ctx, body []byte) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	c.Response().SetBody(body)
	return nil
}

// listPage reads the page GET /pastes asks for.
func (h *handler) listPage(c *fiber.Ctx, v paste.Viewer) (paste.Page, error) {
	limit, err := queryInt(c, "limit")
	if err != nil {
		return paste.Page{}, err
	}
	ctx := c.UserContext()
	if tag := c.Query("tag"); tag != "" {
		if c.Query("owner") != "" || c.Query("sort", "recent") != "recent" {
			return paste.Page{}, paste.FieldError("tag", "lists everyone's public pastes with the tag, newest first: drop owner and sort")
		}
		return h.Pastes.ListByTag(ctx, tag, c.Query("cursor"), limit)
	}
	switch c.Query("sort", "recent") {
	case "recent":
	case "popular":
		if c.Query("owner") != "" {
			return paste.Page{}, paste.FieldError("sort", "popular lists everyone's public pastes: drop owner")
		}
		return h.Pastes.ListPopular(ctx, c.Query("cursor"), limit)
	default:
		return paste.Page{}, paste.FieldError("sort", "must be recent or popular")
	}
	switch owner := c.Query("owner"); owner {
	case "":
		return h.Pastes.ListRecent(ctx, c.Query("cursor"), limit)
	case "me":
		if !v.SignedIn() {
			return paste.Page{}, paste.ErrUnauthorized
		}
		return h.Pastes.ListOwned(ctx, v, v.UserID, c.Query("cursor"), limit)
	default:
		u, err := h.Accounts.UserByUsername(ctx, owner)
		if err != nil {
			return paste.Page{}, err
		}
		return h.Pastes.ListOwned(ctx, v, u.ID, c.Query("cursor"), limit)
	}
}

func (h *handler) listOf(page paste.Page) listJSON {
	out := listJSON{Items: make([]pasteJSON, len(page.Items))}
	for i, p := range page.Items {
		out.Items[i] = h.toJSON(p)
	}
	if page.NextCursor != "" {
		out.NextCursor = &page.NextCursor
	}
	return out
}

func queryInt(c *fiber.Ctx, name string) (int, error) {
	s := c.Query(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, paste.FieldError(name, "must be a positive whole number")
	}
	return n, nil
}

func (h *handler) deletePaste(c *fiber.Ctx) error {
	ctx := c.UserContext()
	err := h.Pastes.Delete(ctx, paste.ViewerFrom(ctx), paste.ID(c.Params("id")), c.Get(HeaderDeleteToken))
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

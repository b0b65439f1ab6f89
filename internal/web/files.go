package web

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/api"
	"pastel/internal/paste"
	"pastel/views"
)

// Several files per paste (issue 15): GET /raw/{id}/{name} serves one file,
// GET /dl/{id} of a paste of several files a ZIP of them, and the page
// shows each file in its own section.

// rawFile answers one file of a paste by its name.
func (a *App) rawFile(c *fiber.Ctx) error {
	name, err := url.PathUnescape(c.Params("name"))
	if err != nil || paste.CheckFileName(name) != "" {
		return paste.ErrNotFound
	}
	return a.sendFileBody(c, paste.ID(c.Params("id")), name, false)
}

// fileContentType is the type a file is served with: an image the page
// shows inline goes out as the type its bytes say (never SVG: that is
// text); everything else as plain text, or as bytes to download.
func fileContentType(f paste.File, attachment bool) string {
	switch {
	case f.InlineImage():
		return f.ContentType
	case attachment || f.Binary():
		return "application/octet-stream"
	}
	return "text/plain; charset=utf-8"
}

// fileDisposition names a download after the file.
func fileDisposition(name string) string {
	return mime.FormatMediaType("attachment", map[string]string{"filename": name})
}

// zipDownload answers GET /dl/{id} for a paste of several files: a ZIP of
// them, streamed as it is written, each body read from the blob store in
// turn, so memory stays bounded whatever the size. It reports false when
// the paste has one file (the caller sends it as before).
func (a *App) zipDownload(c *fiber.Ctx, id paste.ID) (bool, error) {
	ctx := c.UserContext()
	v := paste.ViewerFrom(ctx)
	p, err := a.deps.Pastes.Get(ctx, v, id)
	if err != nil {
		return true, err
	}
	files := paste.FilesOf(p)
	if len(files) < 2 || p.Encrypted {
		return false, nil
	}
	h := &c.Response().Header
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'")
	h.Set(fiber.HeaderContentType, "application/zip")
	h.Set(fiber.HeaderContentDisposition, fileDisposition(zipName(p)))
	if p.BurnAfterReading {
		if c.Method() == fiber.MethodHead {
			c.Set(fiber.HeaderCacheControl, "no-store")
			return true, c.SendStatus(fiber.StatusOK)
		}
		// Consumed here, every file at once: the bodies are in memory
		// already (a burn paste is read whole).
		p, bodies, err := a.deps.Pastes.OpenFiles(ctx, v, id)
		if err != nil {
			return true, err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		files = paste.FilesOf(p)
		c.Response().SetBodyStreamWriter(func(w *bufio.Writer) {
			_ = writeZip(w, files, func(i int) (io.ReadCloser, error) {
				return io.NopCloser(bytes.NewReader(bodies[i])), nil
			})
		})
		return true, nil
	}
	if api.ReadCaching(c, v, p) {
		return true, c.SendStatus(fiber.StatusNotModified)
	}
	if c.Method() == fiber.MethodHead {
		return true, c.SendStatus(fiber.StatusOK)
	}
	// The stream is written after the handler returns: each body opens
	// then, detached from the request's context (FileReader).
	svc := a.deps.Pastes
	open := func(i int) (io.ReadCloser, error) {
		return svc.FileReader(context.WithoutCancel(ctx), p, files[i])
	}
	// The first body opens now, so a blob store that is down answers 503
	// rather than a cut ZIP.
	first, err := open(0)
	if err != nil {
		return true, err
	}
	c.Response().SetBodyStreamWriter(func(w *bufio.Writer) {
		_ = writeZip(w, files, func(i int) (io.ReadCloser, error) {
			if i == 0 {
				return first, nil
			}
			return open(i)
		})
	})
	return true, nil
}

// writeZip writes files as a ZIP archive to w, their bodies opened one at
// a time; a body that fails to open or read cuts the archive short (the
// client sees a broken ZIP, never a wrong one).
func writeZip(w io.Writer, files []paste.File, open func(int) (io.ReadCloser, error)) error {
	zw := zip.NewWriter(w)
	for i, f := range files {
		rc, err := open(i)
		if err != nil {
			return err
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if err == nil {
			_, err = io.Copy(fw, rc)
		}
		rc.Close()
		if err != nil {
			return err
		}
	}
	return zw.Close()
}

// zipName is the download's name: the title when it is a plain name, else
// the paste's ID, with .zip.
func zipName(p paste.Paste) string {
	t := strings.TrimSpace(p.Title)
	if fileNameLike.MatchString(t) || (t != "" && paste.CheckFileName(t) == "" && len(t) <= 100 && !strings.ContainsAny(t, " \"")) {
		return strings.TrimSuffix(t, ".zip") + ".zip"
	}
	return string(p.ID) + ".zip"
}

// fileViews is the page model of data's files, nil when the page shows
// one body. rawBase is where a file's raw URL starts ("/raw/{id}"), ""
// for no raw links (a burned paste, or one read through a share link).
func (a *App) fileViews(data paste.PageData, rawBase string) []views.FileView {
	if len(data.Files) == 0 {
		return nil
	}
	files := make([]paste.File, len(data.Files))
	for i, rf := range data.Files {
		files[i] = rf.File
	}
	anchors := paste.FileAnchors(files)
	out := make([]views.FileView, len(data.Files))
	for i, rf := range data.Files {
		f, anchor := rf.File, anchors[i]
		fv := views.FileView{
			Name: f.Name, Anchor: anchor, SyntaxLabel: a.deps.Syntaxes.Label(f.Syntax), Size: f.Size,
			Image: f.InlineImage(), Binary: f.Binary() || rf.Body.Binary,
		}
		if f.Binary() {
			fv.SyntaxLabel = f.ContentType // what its bytes say it is
		}
		if rawBase != "" {
			fv.RawURL = rawBase + "/" + url.PathEscape(f.Name)
		}
		switch {
		case fv.Binary:
		case rf.Body.Markdown:
			fv.MarkdownHTML = rf.Body.HTML
		default:
			fv.CodeHTML = anchorLines(rf.Body.HTML, anchor)
			fv.Truncated = rf.Body.Truncated
		}
		out[i] = fv
	}
	return out
}

// anchorLines gives the line anchors of a file's highlighted code the
// file's own prefix ("L10" becomes "file-main-go-L10"), so every file's
// lines can be linked on one page. The highlighter writes these two forms
// only (render: id="L{n}" and href="#L{n}").
func anchorLines(html, anchor string) string {
	html = strings.ReplaceAll(html, `id="L`, `id="`+anchor+`-L`)
	return strings.ReplaceAll(html, `href="#L`, `href="#`+anchor+`-L`)
}

// withFiles puts data's files on view: each file's section and, for
// several files, the ZIP download.
func (a *App) withFiles(view *views.PasteView, data paste.PageData, rawBase string) {
	view.Files = a.fileViews(data, rawBase)
}

// formFiles reads the paste form's further files: file_name and
// file_content pairs (typed, or dropped on the form and read by the page's
// script) and "file" uploads (the file picker, or binary files dropped).
// With any, the paste is made of files: the main text first (named by the
// filename field, else after the title or its syntax), then the pairs,
// then the uploads. Without any, in is left as it was (one body).
func (a *App) formFiles(c *fiber.Ctx, f *views.PasteForm, in *paste.CreateInput) error {
	f.Filename = strings.TrimSpace(c.FormValue("filename"))
	in.Filename = f.Filename
	var names, contents []string
	var uploads []*multipart.FileHeader
	if form, err := c.MultipartForm(); err == nil {
		names, contents = form.Value["file_name"], form.Value["file_content"]
		for _, fh := range form.File["file"] {
			if fh.Filename != "" || fh.Size > 0 { // an empty picker sends one empty part
				uploads = append(uploads, fh)
			}
		}
	} else {
		args := c.Request().PostArgs()
		for _, v := range args.PeekMulti("file_name") {
			names = append(names, string(v))
		}
		for _, v := range args.PeekMulti("file_content") {
			contents = append(contents, string(v))
		}
	}
	for i := range names {
		content := ""
		if i < len(contents) {
			content = strings.ReplaceAll(contents[i], "\r\n", "\n")
		}
		if strings.TrimSpace(names[i]) == "" && content == "" {
			continue // a block added and left empty
		}
		f.Files = append(f.Files, views.FormFile{Name: strings.TrimSpace(names[i]), Content: content})
	}
	if len(f.Files) == 0 && len(uploads) == 0 {
		return nil
	}
	var files []paste.FileInput
	if f.Content != "" {
		name := f.Filename
		if name == "" {
			syntax := f.Syntax
			if syntax == "" || syntax == "auto" {
				syntax = a.deps.Syntaxes.Detect(f.Title, []byte(f.Content))
			}
			name = paste.DefaultFileName(f.Title, syntax)
		}
		files = append(files, paste.FileInput{Name: name, Content: []byte(f.Content), Syntax: f.Syntax})
	}
	for _, ff := range f.Files {
		files = append(files, paste.FileInput{Name: ff.Name, Content: []byte(ff.Content)})
	}
	max := a.opts.MaxPasteBytes
	up, err := multipartFiles(uploads, max)
	if err != nil {
		return err
	}
	in.Files = append(files, up...)
	if len(in.Files) == 0 {
		in.Files = nil
	}
	return nil
}

// multipartFiles reads uploaded files, each and all together within max.
func multipartFiles(parts []*multipart.FileHeader, max int64) ([]paste.FileInput, error) {
	out := make([]paste.FileInput, 0, len(parts))
	var total int64
	for _, fh := range parts {
		total += fh.Size
		if max > 0 && (fh.Size > max || total > max) {
			return nil, paste.ErrTooLarge
		}
		r, err := fh.Open()
		if err != nil {
			return nil, paste.FieldError("file", "could not be read")
		}
		content, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return nil, paste.FieldError("file", "could not be read")
		}
		out = append(out, paste.FileInput{Name: fh.Filename, Content: content})
	}
	return out, nil
}

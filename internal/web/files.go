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
// text); everything else as plain text (the raw view's contract, with
// nosniff and a sandbox), or as bytes to download.
func fileContentType(f paste.File, attachment bool) string {
	switch {
	case f.InlineImage() && !attachment:
		return f.ContentType
	case attachment:
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

// formParts reads the paste form's further files: file_name and
// file_content pairs (typed, or dropped on the form and read by the page's
// script), "file" uploads (the file picker, or binary files dropped) and,
// on the edit form, keep_file (files of the paste kept as they are).
func formParts(c *fiber.Ctx) (blocks []views.FormFile, uploads []*multipart.FileHeader, keep []string) {
	var names, contents []string
	if form, err := c.MultipartForm(); err == nil {
		names, contents, keep = form.Value["file_name"], form.Value["file_content"], form.Value["keep_file"]
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
		for _, v := range args.PeekMulti("keep_file") {
			keep = append(keep, string(v))
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
		blocks = append(blocks, views.FormFile{Name: strings.TrimSpace(names[i]), Content: content})
	}
	return blocks, uploads, keep
}

// mainFile is the form's main text as the paste's first file: named by
// the filename field, else after the title or its syntax.
func (a *App) mainFile(f views.PasteForm) paste.FileInput {
	name := f.Filename
	if name == "" {
		syntax := f.Syntax
		if syntax == "" || syntax == "auto" {
			syntax = a.deps.Syntaxes.Detect(f.Title, []byte(f.Content))
		}
		name = paste.DefaultFileName(f.Title, syntax)
	}
	return paste.FileInput{Name: name, Content: []byte(f.Content), Syntax: f.Syntax}
}

// formFiles reads the new-paste form's files (formParts). With any, the
// paste is made of files: the main text first, then the blocks, then the
// uploads. Without any, in is left as it was (one body).
func (a *App) formFiles(c *fiber.Ctx, f *views.PasteForm, in *paste.CreateInput) error {
	f.Filename = strings.TrimSpace(c.FormValue("filename"))
	in.Filename = f.Filename
	blocks, uploads, _ := formParts(c)
	f.Files = blocks
	if len(blocks) == 0 && len(uploads) == 0 {
		return nil
	}
	var files []paste.FileInput
	if f.Content != "" {
		files = append(files, a.mainFile(*f))
	}
	for _, ff := range blocks {
		files = append(files, paste.FileInput{Name: ff.Name, Content: []byte(ff.Content)})
	}
	up, err := multipartFiles(uploads, a.opts.MaxPasteBytes)
	if err != nil {
		return err
	}
	in.Files = append(files, up...)
	return nil
}

// editFiles reads the edit form's files when it shows the files field
// (files_form): the paste's files become the main text, the blocks, the
// files kept (keep_file: binary files, not editable as text, re-read from
// the paste as they are) and the uploads, in that order; a file left out
// is removed. f gets the form's files to show them again.
func (a *App) editFiles(c *fiber.Ctx, v paste.Viewer, id paste.ID, f *views.PasteForm, in *paste.UpdateInput) error {
	f.Filename = strings.TrimSpace(c.FormValue("filename"))
	if c.FormValue("files_form") == "" {
		return nil // an older form: the first file's content alone
	}
	blocks, uploads, keep := formParts(c)
	f.Files, f.KeepFiles = blocks, keep
	files := []paste.FileInput{a.mainFile(*f)}
	if f.Content == "" && len(blocks)+len(keep)+len(uploads) > 0 {
		files = nil
	}
	for _, ff := range blocks {
		files = append(files, paste.FileInput{Name: ff.Name, Content: []byte(ff.Content)})
	}
	if len(keep) > 0 {
		ctx := c.UserContext()
		p, err := a.deps.Pastes.Get(ctx, v, id)
		if err != nil {
			return err
		}
		for _, name := range keep {
			pf, ok := paste.FileByName(p.Files, name)
			if !ok {
				continue // removed meanwhile
			}
			body, err := a.deps.Pastes.FileBody(ctx, p, pf)
			if err != nil {
				return err
			}
			files = append(files, paste.FileInput{Name: pf.Name, Content: body, Syntax: pf.Syntax})
		}
	}
	up, err := multipartFiles(uploads, a.opts.MaxPasteBytes)
	if err != nil {
		return err
	}
	in.Files = append(files, up...)
	if in.Files == nil {
		in.Files = []paste.FileInput{}
	}
	in.Content = nil
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

// editFormFiles fills the edit form with p's files: the first in the main
// text (named), the other text files as blocks, binary files as kept.
func (a *App) editFormFiles(ctx context.Context, p paste.Paste, f *views.PasteForm) error {
	files := paste.FilesOf(p)
	f.Filename = files[0].Name
	if files[0].Binary() {
		// Not text: kept as it is rather than shown in the editor.
		f.Filename, f.Content = "", ""
		f.KeepFiles = append(f.KeepFiles, files[0].Name)
	}
	for _, pf := range files[1:] {
		if pf.Binary() {
			f.KeepFiles = append(f.KeepFiles, pf.Name)
			continue
		}
		body, err := a.deps.Pastes.FileBody(ctx, p, pf)
		if err != nil {
			return err
		}
		f.Files = append(f.Files, views.FormFile{Name: pf.Name, Content: string(body)})
	}
	return nil
}

// sharedRawFile answers one file of a paste opened through a share link
// (GET /s/{token}/raw/{name}), as rawFile does for the paste's own URL.
func (a *App) sharedRawFile(c *fiber.Ctx) error {
	name, err := url.PathUnescape(c.Params("name"))
	if err != nil || paste.CheckFileName(name) != "" {
		return paste.ErrNotFound
	}
	_, id, err := a.sharedViewer(c)
	if err != nil {
		return err
	}
	return a.sendFileBody(c, id, name, false)
}

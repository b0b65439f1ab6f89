package api

import (
	"encoding/base64"
	"io"
	"mime/multipart"
	"net/url"
	"strconv"
	"unicode/utf8"

	"pastel/internal/paste"
)

// fileJSON is one file of a paste as the API shows it. Content is there
// only where the paste's content is (a read of one paste).
type fileJSON struct {
	Name            string  `json:"name"`
	Syntax          string  `json:"syntax"`
	Size            int64   `json:"size"`
	RawURL          string  `json:"raw_url"`
	ContentType     string  `json:"content_type,omitempty"`
	Content         *string `json:"content,omitempty"`
	ContentEncoding string  `json:"content_encoding,omitempty"`
}

// fileRequest is one file of a create or an edit.
type fileRequest struct {
	Name            string  `json:"name"`
	Content         *string `json:"content"`
	ContentEncoding string  `json:"content_encoding"`
	Syntax          string  `json:"syntax"`
}

// filesJSON lists p's files when they were read with it (a paste of a
// list carries none).
func (h *handler) filesJSON(p paste.Paste) []fileJSON {
	if len(p.Files) == 0 {
		return nil
	}
	out := make([]fileJSON, len(p.Files))
	for i, f := range p.Files {
		out[i] = fileJSON{
			Name: f.Name, Syntax: f.Syntax, Size: f.Size, ContentType: f.ContentType,
			RawURL: h.link("/raw/" + string(p.ID) + "/" + url.PathEscape(f.Name)),
		}
	}
	return out
}

// withFileContents adds each file's body beside its entry, as withContent
// does the first file's.
func withFileContents(j pasteJSON, bodies [][]byte) pasteJSON {
	for i := range j.Files {
		if i >= len(bodies) {
			break
		}
		var s string
		if utf8.Valid(bodies[i]) {
			s, j.Files[i].ContentEncoding = string(bodies[i]), "utf-8"
		} else {
			s, j.Files[i].ContentEncoding = base64.StdEncoding.EncodeToString(bodies[i]), "base64"
		}
		j.Files[i].Content = &s
	}
	return j
}

// fileInputs decodes the files of a JSON create or edit; a field is named
// files[i].content when its content is missing or undecodable.
func fileInputs(reqs []fileRequest) ([]paste.FileInput, error) {
	out := make([]paste.FileInput, len(reqs))
	for i, r := range reqs {
		field := "files[" + strconv.Itoa(i) + "]"
		if r.Content == nil {
			return nil, paste.FieldError(field+".content", "is required")
		}
		content := []byte(*r.Content)
		switch r.ContentEncoding {
		case "", "utf-8":
		case "base64":
			var err error
			if content, err = base64.StdEncoding.DecodeString(*r.Content); err != nil {
				return nil, paste.FieldError(field+".content", "is not valid base64")
			}
		default:
			return nil, paste.FieldError(field+".content_encoding", "must be utf-8 or base64")
		}
		out[i] = paste.FileInput{Name: r.Name, Content: content, Syntax: r.Syntax}
	}
	return out, nil
}

// multipartFiles reads a multipart create's "file" parts, each a file of
// the paste named by its part's file name; their sum is bounded by max.
func multipartFiles(parts []*multipart.FileHeader, max int64) ([]paste.FileInput, error) {
	if len(parts) > paste.MaxFiles {
		return nil, paste.FieldError("file", "at most "+strconv.Itoa(paste.MaxFiles)+" files")
	}
	out := make([]paste.FileInput, 0, len(parts))
	var total int64
	for _, fh := range parts {
		total += fh.Size
		if fh.Size > max || total > max {
			return nil, paste.ErrTooLarge
		}
		f, err := fh.Open()
		if err != nil {
			return nil, badRequest("unreadable file part")
		}
		content, err := io.ReadAll(io.LimitReader(f, max+1))
		f.Close()
		if err != nil {
			return nil, badRequest("unreadable file part")
		}
		out = append(out, paste.FileInput{Name: fh.Filename, Content: content})
	}
	return out, nil
}

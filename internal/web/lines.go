package web

import (
	"strconv"
	"strings"

	"pastel/internal/paste"
	"pastel/views"
)

// formLines reads the comment form's line fields: both empty is no lines,
// an empty last line is the first alone.
func formLines(start, end string) (paste.LineRange, error) {
	start, end = strings.TrimSpace(start), strings.TrimSpace(end)
	var r paste.LineRange
	if start == "" {
		if end != "" {
			return r, paste.FieldError("line_start", "is needed with a last line")
		}
		return r, nil
	}
	n, err := strconv.Atoi(start)
	if err != nil || n < 1 {
		return r, paste.FieldError("line_start", "must be a line number, at least 1")
	}
	r.Start = n
	if end != "" {
		n, err := strconv.Atoi(end)
		if err != nil || n < 1 {
			return r, paste.FieldError("line_end", "must be a line number, at least 1")
		}
		r.End = n
	}
	return r, nil
}

// lineNotes are the comments of the page's threads that are about lines
// of p as it is now: they show under those lines too. Comments about an
// earlier revision's lines show in their thread only.
func lineNotes(p paste.Paste, comments views.CommentsView) []views.LineNote {
	var out []views.LineNote
	for _, t := range comments.Threads {
		for _, cv := range t.Comments {
			cm := cv.Comment
			if cm.Deleted || cm.Lines.IsZero() || cm.Lines.Revision != p.Revision {
				continue
			}
			out = append(out, views.LineNote{Comment: cm})
		}
	}
	return out
}

package paste

import (
	"bytes"
	"context"
	"strconv"
)

// LineRange is a range of a paste's lines, counted from 1, as they were in
// revision Revision. The zero LineRange is no lines (the paste as a whole).
type LineRange struct {
	Start, End int
	Revision   int32
}

// IsZero reports whether r names no lines.
func (r LineRange) IsZero() bool { return r.Start == 0 }

// Fragment is the range as a page fragment: "L12" or "L12-L18".
func (r LineRange) Fragment() string {
	if r.End <= r.Start {
		return "L" + strconv.Itoa(r.Start)
	}
	return "L" + strconv.Itoa(r.Start) + "-L" + strconv.Itoa(r.End)
}

// LineCount is how many lines a body has as its page numbers them: a last
// line without a newline counts, an empty body has none.
func LineCount(body []byte) int {
	n := bytes.Count(body, []byte{'\n'})
	if len(body) > 0 && body[len(body)-1] != '\n' {
		n++
	}
	return n
}

// checkLines validates the lines a new comment on p is about and stamps
// them with p's revision. The body is read only when there are lines.
func (s *Service) checkLines(ctx context.Context, p Paste, parentID int64, r LineRange) (LineRange, error) {
	if r.Start == 0 && r.End == 0 {
		return LineRange{}, nil
	}
	switch {
	case r.Start < 1:
		return LineRange{}, FieldError("line_start", "must be at least 1")
	case parentID != 0:
		return LineRange{}, FieldError("line_start", "is for top-level comments; a reply belongs to its thread's lines")
	}
	if r.End == 0 {
		r.End = r.Start
	}
	if r.End < r.Start {
		return LineRange{}, FieldError("line_end", "must not be before line_start")
	}
	body, err := s.Body(ctx, p)
	if err != nil {
		return LineRange{}, err
	}
	if bytes.IndexByte(body, 0) >= 0 {
		return LineRange{}, FieldError("line_start", "this paste is binary and has no lines")
	}
	n := LineCount(body)
	if r.Start > n {
		return LineRange{}, FieldError("line_start", "must be at most "+strconv.Itoa(n)+", the paste's last line")
	}
	if r.End > n {
		return LineRange{}, FieldError("line_end", "must be at most "+strconv.Itoa(n)+", the paste's last line")
	}
	r.Revision = p.Revision
	return r, nil
}

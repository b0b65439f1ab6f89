package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
)

// TestCommentLines: a comment about lines is checked against the paste's
// line count (1 <= start <= end <= count, the field named), stamped with
// the paste's revision, stored and read back in the paste's threads; the
// database refuses lines on a reply or a backwards range even when the
// service is bypassed.
func TestCommentLines(t *testing.T) {
	e := newCommunity(t)
	ctx := context.Background()
	ann, bo := e.user("ann"), e.user("bo")
	c, err := e.svc.Create(ctx, ann, paste.CreateInput{Title: "five", Content: []byte("1\n2\n3\n4\n5"), Visibility: paste.Public, Syntax: "text"})
	if err != nil {
		t.Fatal(err)
	}
	p := c.Paste

	bad := []struct {
		lines paste.LineRange
		field string
	}{
		{paste.LineRange{Start: -1}, "line_start"},
		{paste.LineRange{Start: 3, End: 2}, "line_end"},
		{paste.LineRange{Start: 6}, "line_start"},
		{paste.LineRange{Start: 2, End: 6}, "line_end"},
		{paste.LineRange{End: 2}, "line_start"},
	}
	for _, b := range bad {
		var verr *paste.ValidationError
		if _, err := e.svc.AddCommentOn(ctx, bo, p.ID, "x", 0, b.lines); !errors.As(err, &verr) || verr.Fields[b.field] == "" {
			t.Errorf("lines %+v: %v, want a validation error naming %s", b.lines, err, b.field)
		}
	}

	made, err := e.svc.AddCommentOn(ctx, bo, p.ID, "these two", 0, paste.LineRange{Start: 4, End: 5})
	if err != nil {
		t.Fatal(err)
	}
	one, err := e.svc.AddCommentOn(ctx, bo, p.ID, "just this", 0, paste.LineRange{Start: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddComment(ctx, ann, p.ID, "a reply", made.ID); err != nil {
		t.Fatal(err)
	}
	var verr *paste.ValidationError
	if _, err := e.svc.AddCommentOn(ctx, ann, p.ID, "a reply on lines", made.ID, paste.LineRange{Start: 1}); !errors.As(err, &verr) || verr.Fields["line_start"] == "" {
		t.Errorf("a reply with lines: %v", err)
	}

	page, err := e.svc.Comments(ctx, paste.Anonymous, p.ID, paste.OldestFirst, "")
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Body  string
		Lines paste.LineRange
	}
	var got []row
	for _, cm := range page.Items {
		got = append(got, row{cm.Body, cm.Lines})
	}
	want := []row{
		{"these two", paste.LineRange{Start: 4, End: 5, Revision: 1}},
		{"a reply", paste.LineRange{}},
		{"just this", paste.LineRange{Start: 1, End: 1, Revision: 1}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("comments read back (-want +got):\n%s", diff)
	}
	if got, err := e.svc.Comment(ctx, paste.Anonymous, one.ID); err != nil || got.Lines != (paste.LineRange{Start: 1, End: 1, Revision: 1}) {
		t.Fatalf("one comment read back: %+v %v", got.Lines, err)
	}

	// The table's own check, past the service.
	for _, sql := range []string{
		`UPDATE comments SET line_start = 3, line_end = 2 WHERE id = $1`,
		`UPDATE comments SET line_start = 0, line_end = 2 WHERE id = $1`,
		`UPDATE comments SET line_revision = NULL WHERE id = $1`,
	} {
		if _, err := e.pool.Exec(ctx, sql, made.ID); err == nil {
			t.Errorf("%s: accepted", sql)
		}
	}
	if _, err := e.pool.Exec(ctx, `UPDATE comments SET line_start = 1, line_end = 1, line_revision = 1 WHERE parent_id IS NOT NULL`); err == nil {
		t.Error("a reply took lines")
	}
}

// TestLineCount: lines as the page numbers them.
func TestLineCount(t *testing.T) {
	for in, want := range map[string]int{"": 0, "a": 1, "a\n": 1, "a\nb": 2, "a\nb\n": 2, "\n": 1, "\n\n": 2} {
		if got := paste.LineCount([]byte(in)); got != want {
			t.Errorf("LineCount(%q) = %d, want %d", in, got, want)
		}
	}
}

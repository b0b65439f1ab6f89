package web

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"pastel/internal/paste"
	"pastel/internal/render"
	"pastel/views"
)

// maxGrep is the longest line filter (?grep=) a page takes.
const maxGrep = 200

// checkReadingQuery refuses a line filter longer than maxGrep, naming it.
func checkReadingQuery(c *fiber.Ctx) error {
	if g := c.Query("grep"); len(g) > maxGrep || !utf8.ValidString(g) {
		return &paste.ValidationError{Fields: map[string]string{"grep": "must be valid text of at most " + strconv.Itoa(maxGrep) + " bytes"}}
	}
	return nil
}

// grepOf is the line filter of the request, trimmed and cut to maxGrep.
func grepOf(c *fiber.Ctx) string {
	g := strings.TrimSpace(c.Query("grep"))
	for len(g) > maxGrep {
		_, size := utf8.DecodeLastRuneInString(g)
		g = g[:len(g)-size]
	}
	return g
}

// readingOf is the reading aids of p's page showing r: the other views of
// data pastes, the tree or table, the line filter and first-error link of
// logs. Links keep to the path the page was asked for (a share link's
// too).
func readingOf(c *fiber.Ctx, p paste.Paste, r paste.Rendered) views.ReadingView {
	var out views.ReadingView
	if r.Binary || r.Markdown {
		return out
	}
	path := c.Path()
	view := c.Query("view")
	grep := grepOf(c)
	if r.FirstError > 0 {
		anchor := "#L" + strconv.Itoa(r.FirstError)
		switch {
		case grep == "" && r.Truncated && r.FirstError > r.Lines && !p.BurnAfterReading:
			// Past the lines shown: the whole paste, at that line.
			out.FirstErrorURL = path + "?full=1" + anchor
		case grep == "":
			out.FirstErrorURL = anchor
		case p.BurnAfterReading:
			// Shown once: only a line on this page may be linked.
		case r.FirstError > render.PageLines:
			out.FirstErrorURL = path + "?full=1" + anchor
		default:
			out.FirstErrorURL = path + anchor
		}
	}
	if p.BurnAfterReading {
		return out
	}
	link := func(label, query, testID string, current bool) views.ViewLink {
		return views.ViewLink{Label: label, URL: path + query, TestID: testID, Current: current}
	}
	switch p.Syntax {
	case "json", "yaml":
		tree := r.View == paste.ViewTree
		source := !tree && view == "source" && p.Syntax == "json"
		out.Views = append(out.Views, link("Source", "", "view-source", !tree && !source))
		if p.Syntax == "json" && (r.Pretty || source) {
			out.Views = append(out.Views, link("As typed", "?view=source", "view-as-typed", source))
		}
		out.Views = append(out.Views, link("Tree", "?view=tree", "view-tree", tree))
		if view == "tree" && !tree {
			out.Note = "This paste does not read as " + strings.ToUpper(p.Syntax) + ": showing its source."
		}
	case "csv", render.TSV:
		table := r.View == paste.ViewTable
		out.Views = append(out.Views, link("Table", "", "view-table", table), link("Source", "?view=source", "view-source", !table))
		if !table && view != "source" {
			out.Note = "This paste does not read as a table: showing its source."
		}
	case render.ANSI, render.PlainText:
		out.Filter = &views.LineFilterView{
			Action: path, Grep: grep,
			Matches: r.Matches, Total: r.TotalLines, Shown: r.Lines,
			ClearURL: path,
		}
	}
	if r.View != "" {
		out.DataHTML, out.DataKind, out.Shown, out.Total = r.HTML, r.View, r.Shown, r.Total
	}
	return out
}

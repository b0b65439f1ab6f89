package paste

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// RenderMode says how a body is shown on its page.
type RenderMode struct {
	// Source shows a Markdown paste's source rather than the document.
	// Other pastes always show their source, highlighted (and so does a
	// Markdown paste whose document comes out empty).
	Source bool
	// Full shows every line; otherwise a long paste shows its first
	// lines and says it was cut.
	Full bool
	// Tree shows a JSON or YAML paste as a folding tree (?view=tree).
	// Source also applies to JSON (shown as typed rather than indented)
	// and CSV/TSV (shown as text rather than a table).
	Tree bool
	// Grep shows only the lines containing it (case-insensitively), with
	// their own line numbers; "" shows every line. Renderings filtered
	// this way are not kept by caches: anyone may ask for any string.
	Grep string
}

// Rendered is a body as its page shows it. Its HTML is safe to embed: the
// renderer escapes or sanitises everything it emits. It may be shared with
// a cache: callers must not modify it.
type Rendered struct {
	HTML string
	// Markdown: HTML is a rendered Markdown document; otherwise lines of
	// highlighted source.
	Markdown  bool
	Lines     int  // lines in HTML (source only)
	Binary    bool // the body holds NUL bytes and is not shown
	Truncated bool // only the first lines (or bytes) are in HTML
	// View is how HTML shows the body when it is not lines of source:
	// ViewTree or ViewTable; "" for source lines and Markdown.
	View string
	// Shown and Total count the rows (a table) or nodes (a tree) in HTML
	// and in the body; Shown < Total when the view was capped.
	Shown, Total int
	// Matches is, with RenderMode.Grep, how many lines matched (all of
	// them in HTML unless Truncated); TotalLines is how many lines the
	// body has.
	Matches, TotalLines int
	// Pretty: a JSON document written on one line is shown indented
	// (RenderMode.Source shows it as typed).
	Pretty bool
	// FirstError is the number of the first line of a log (ANSI or plain
	// text) that reads as an error (error, fail, fatal, panic); 0: none.
	FirstError int
	// Mermaid and Math: the Markdown document holds diagrams or math,
	// drawn in the browser; the page loads their scripts only then.
	Mermaid bool
	Math    bool
}

// Views a Rendered may hold besides source lines.
const (
	ViewTree  = "tree"
	ViewTable = "table"
)

// Renderer turns bodies into their pages' HTML (internal/render, behind the
// read cache). body reads the paste's body; a renderer that already holds
// the result for p's ID and revision in mode need not call it.
type Renderer interface {
	Render(ctx context.Context, p Paste, mode RenderMode, body func(context.Context) ([]byte, error)) (Rendered, error)
}

// PageOptions say what a paste page shows.
type PageOptions struct {
	Mode RenderMode
	// Reveal consumes a burn-after-reading paste and renders it, its one
	// showing; without it such a paste's page holds the paste alone (the
	// confirmation step), and its body is not read.
	Reveal bool
	// CommentsOrder orders the threads ("": OldestFirst); CommentsCursor
	// selects a later page of them ("": the first).
	CommentsOrder  CommentOrder
	CommentsCursor string
	// NoComments leaves out the community state (votes, stars, comments).
	NoComments bool
	// Want is called with the paste once the read rule has allowed it;
	// false returns it alone, marked Skipped (the caller holds its page
	// already: a kept snapshot). nil: always wanted.
	Want func(Paste) bool
}

// PageData is everything a paste page shows, read with the read rule
// applied once.
type PageData struct {
	Paste Paste
	// Body is the rendering of the body; zero for a burn-after-reading
	// paste not revealed.
	Body Rendered
	// Burned is true when this read consumed a burn-after-reading paste.
	Burned bool
	// Envelope is an encrypted paste's body, for the browser to decrypt;
	// Body is then zero (the server renders nothing it cannot read).
	Envelope []byte
	// Files are each file's rendering, first file first, for a paste of
	// several files (or whose one file is binary); nil otherwise (Body is
	// then the one file's).
	Files []RenderedFile
	// Skipped is true when PageOptions.Want declined the rest.
	Skipped bool
	// Community is the paste's community state; nil when the service has
	// no community or for burn-after-reading pastes (which have none).
	Community *PageCommunity
	// ShareLinks are the owner's share links of a private paste; nil for
	// anybody else.
	ShareLinks []ShareLink
}

// PageCommunity is a paste page's community state.
type PageCommunity struct {
	Social   Social
	Comments CommentPage // Total is Social.Comments
}

// Page returns everything the page of paste id shows to v, in one call:
// the paste (the read rule applied once), its rendered body, its community
// state and, for its owner, its share links. The parts past the paste are
// read concurrently.
func (s *Service) Page(ctx context.Context, v Viewer, id ID, o PageOptions) (PageData, error) {
	p, err := s.Get(ctx, v, id)
	if err != nil {
		return PageData{}, err
	}
	if o.Want != nil && !o.Want(p) {
		return PageData{Paste: p, Skipped: true}, nil
	}
	if p.BurnAfterReading {
		if !o.Reveal {
			return PageData{Paste: p}, nil
		}
		p, bodies, err := s.openAll(ctx, v, p)
		if err != nil {
			return PageData{}, err
		}
		body := bodies[0]
		if p.Encrypted {
			return PageData{Paste: p, Envelope: body, Burned: p.BurnAfterReading}, nil
		}
		// Shown once, in full, as source (Copy copies what is shown).
		r, err := s.render(ctx, p, RenderMode{Source: true, Full: true}, body)
		if err != nil {
			return PageData{}, err
		}
		out := PageData{Paste: p, Body: r, Burned: p.BurnAfterReading}
		if out.Files, err = s.renderBurnedFiles(ctx, p, RenderMode{Source: true, Full: true}, bodies); err != nil {
			return PageData{}, err
		}
		return out, nil
	}
	return s.pageOf(ctx, v, p, o)
}

// PageOf is Page for a paste the caller has just read for v with Get (a
// page shown again with a form's errors).
func (s *Service) PageOf(ctx context.Context, v Viewer, p Paste, o PageOptions) (PageData, error) {
	if !s.canRead(v, p) {
		return PageData{}, ErrNotFound
	}
	if p.BurnAfterReading {
		return PageData{Paste: p}, nil
	}
	return s.pageOf(ctx, v, p, o)
}

func (s *Service) pageOf(ctx context.Context, v Viewer, p Paste, o PageOptions) (PageData, error) {
	out := PageData{Paste: p}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	run := func(f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	run(func() (err error) {
		if p.Encrypted {
			out.Envelope, err = s.readBody(ctx, p.BlobKey)
			return err
		}
		out.Body, err = s.Render(ctx, p, o.Mode)
		return err
	})
	if pageFiles(p) && !p.Encrypted {
		run(func() (err error) {
			out.Files, err = s.renderFiles(ctx, p, o.Mode)
			return err
		})
	}
	if v.Owns(p) && p.Visibility == Private {
		run(func() (err error) {
			out.ShareLinks, err = s.repo.ShareLinks(ctx, p.ID)
			return err
		})
	}
	if s.opts.Community != nil && !o.NoComments {
		out.Community = &PageCommunity{}
		run(func() (err error) {
			out.Community.Social, err = s.Social(ctx, v, p)
			return err
		})
		run(func() (err error) {
			out.Community.Comments, err = s.commentPage(ctx, s.opts.Community, v, p, o.CommentsOrder, o.CommentsCursor)
			return err
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		// A bad cursor is the caller's; anything else is as it came.
		var verr *ValidationError
		for _, err := range errs {
			if errors.As(err, &verr) {
				return PageData{}, err
			}
		}
		return PageData{}, errs[0]
	}
	if out.Community != nil {
		out.Community.Comments.Total = out.Community.Social.Comments
	}
	return out, nil
}

// Render returns the rendering of a paste Get has just returned, through
// the renderer (and its cache): the body is read only when it is not
// already rendered. It must not be used for burn-after-reading pastes,
// whose body only Open and Page may read.
func (s *Service) Render(ctx context.Context, p Paste, mode RenderMode) (Rendered, error) {
	if p.BurnAfterReading || p.Encrypted {
		return Rendered{}, ErrNotFound
	}
	if s.opts.Renderer == nil {
		return Rendered{}, fmt.Errorf("render: no renderer configured")
	}
	return s.opts.Renderer.Render(ctx, p, normalMode(p, mode), func(ctx context.Context) ([]byte, error) {
		return s.readBody(ctx, p.BlobKey)
	})
}

// RenderBody renders a body the caller holds (a burn-after-reading paste
// just consumed with Open).
func (s *Service) RenderBody(ctx context.Context, p Paste, mode RenderMode, body []byte) (Rendered, error) {
	return s.render(ctx, p, mode, body)
}

func (s *Service) render(ctx context.Context, p Paste, mode RenderMode, body []byte) (Rendered, error) {
	if p.Encrypted {
		return Rendered{}, ErrNotFound // never rendered: the server cannot read it
	}
	if s.opts.Renderer == nil {
		return Rendered{}, fmt.Errorf("render: no renderer configured")
	}
	return s.opts.Renderer.Render(ctx, p, normalMode(p, mode), func(context.Context) ([]byte, error) { return body, nil })
}

// normalMode drops what does not apply to p, so that equal pages are
// rendered (and kept) once: Markdown, JSON and CSV/TSV pastes have a source
// view, JSON and YAML a tree, and only lines of source can be filtered.
func normalMode(p Paste, mode RenderMode) RenderMode {
	switch p.Syntax {
	case "markdown", "json", "csv", "tsv":
	default:
		mode.Source = false
	}
	if p.Syntax != "json" && p.Syntax != "yaml" {
		mode.Tree = false
	}
	if mode.Tree {
		mode.Source = false
	}
	if mode.Tree || (p.Syntax == "markdown" && !mode.Source) || ((p.Syntax == "csv" || p.Syntax == "tsv") && !mode.Source) {
		mode.Grep = ""
	}
	return mode
}

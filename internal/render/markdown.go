package render

import (
	"bytes"
	"net/url"
	"regexp"
	"sync"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// MaxMarkdownBytes is the largest body Markdown renders; above it Markdown
// returns "" and the caller shows the source instead.
const MaxMarkdownBytes = 1 << 20

// linkRel is the rel of every link in rendered Markdown.
const linkRel = "nofollow noopener noreferrer"

var markdownOnce = sync.OnceValues(func() (goldmark.Markdown, *bluemonday.Policy) {
	md := goldmark.New(
		// GFM: tables (aligned with the align attribute, since style is
		// stripped), strikethrough, autolinks (linkify), task lists; and
		// footnotes, their IDs prefixed so they meet none of the page's.
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.Linkify,
			extension.TaskList,
			extension.NewFootnote(extension.WithFootnoteIDPrefix([]byte(footnotePrefix))),
		),
		goldmark.WithParserOptions(
			parser.WithASTTransformers(util.Prioritized(linkRelTransformer{}, 100)),
			parser.WithInlineParsers(util.Prioritized(mathInlineParser{}, 150)),
			parser.WithBlockParsers(util.Prioritized(mathBlockParser{}, 90)),
		),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(&fencedCodeRenderer{}, 200), util.Prioritized(mathRenderer{}, 200)),
		),
		// No html.WithUnsafe: raw HTML in the source is dropped, and goldmark
		// leaves javascript:, vbscript:, file: and data: (but images) URLs out.
	)
	return md, markdownPolicy()
})

// markdownPolicy is bluemonday's UGC policy (relative, http, https and
// mailto URLs only; no script, style, iframe, svg, form, on* or style
// attributes) plus what goldmark's GFM output needs.
func markdownPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	// The transformer sets exactly this rel; nothing else may set one.
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + linkRel + `$`)).OnElements("a")
	// Fenced code blocks: class="language-go".
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[A-Za-z0-9_+#.-]{1,40}$`)).OnElements("code")
	// Task lists: disabled checkboxes.
	p.AllowElements("input")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^(|checked|disabled)$`)).OnElements("input")
	// Table cell alignment from GFM tables.
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|right|center)$`)).OnElements("th", "td")
	// Highlighted fenced code: chroma's token classes under <pre class="chroma">.
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(chroma|` + mermaidClass + `)$`)).OnElements("pre")
	// Math, rendered in the browser (math.go).
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(` + mathInlineClass + `|` + mathDisplayClass + `)$`)).OnElements("span")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^` + mathDisplayClass + `$`)).OnElements("div")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^[a-z][a-z0-9]{0,3}$`)).OnElements("span")
	// Footnotes: prefixed IDs, their classes and ARIA roles.
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^`+footnotePrefix+`fn(ref[0-9]*)?:[0-9]+$`)).OnElements("sup", "li")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnote-(ref|backref)$`)).OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnotes$`)).OnElements("div")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-(noteref|backlink|endnotes)$`)).OnElements("a", "div")
	// Images from other sites: a placeholder link that opens them in a new tab.
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^md-image$`)).OnElements("a")
	p.AllowAttrs("target").Matching(regexp.MustCompile(`^_blank$`)).OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^md-image-host$`)).OnElements("em")
	return p
}

// footnotePrefix starts every footnote ID (md-fn:1, md-fnref:1).
const footnotePrefix = "md-"

// linkRelTransformer gives every link rel="nofollow noopener noreferrer",
// and turns images from other sites into placeholders: a link showing the
// image's alt text and its site, which opens the image in a new tab. The
// pages' CSP (img-src 'self' data:) would block the image itself, and
// loading it would tell the other site who reads the paste.
type linkRelTransformer struct{}

func (linkRelTransformer) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var external []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch n := n.(type) {
			case *ast.Link, *ast.AutoLink:
				n.SetAttributeString("rel", []byte(linkRel))
			case *ast.Image:
				if !sameSite(n.Destination) {
					external = append(external, n)
				}
			}
		}
		return ast.WalkContinue, nil
	})
	for _, img := range external {
		link := ast.NewLink()
		link.Destination, link.Title = img.Destination, img.Title
		link.SetAttributeString("rel", []byte(linkRel))
		link.SetAttributeString("class", []byte("md-image"))
		link.SetAttributeString("target", []byte("_blank"))
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			link.AppendChild(link, c)
			c = next
		}
		if link.ChildCount() == 0 {
			link.AppendChild(link, ast.NewString([]byte("Image")))
		}
		if u, err := url.Parse(string(bytes.TrimSpace(img.Destination))); err == nil && u.Host != "" {
			host := ast.NewString([]byte(u.Hostname()))
			span := ast.NewEmphasis(1) // <em class="md-image-host">
			span.SetAttributeString("class", []byte("md-image-host"))
			span.AppendChild(span, host)
			link.AppendChild(link, span)
		}
		img.Parent().ReplaceChild(img.Parent(), img, link)
	}
}

// Bounds on highlighting fenced code: a longer block, or blocks past the
// document's budget, are shown plain (a 1 MiB document of code fences
// must not cost the tokeniser seconds).
const (
	maxFenceBytes    = 64 << 10
	maxFencesPerDoc  = 256 << 10
	fenceBudgetField = "pastel-fence-budget"
)

// fencedCodeRenderer renders fenced code blocks whose info string names a
// language chroma knows as <pre class="chroma"><code class="language-x">
// with chroma's token classes (styled by the same chroma.css as pastes);
// others as goldmark does. Text is always HTML-escaped.
type fencedCodeRenderer struct{}

func (r *fencedCodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.render)
}

func (r *fencedCodeRenderer) render(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	var code bytes.Buffer
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		code.Write(seg.Value(source))
	}
	lang := n.Language(source)
	if string(lang) == mermaidClass {
		// A diagram, drawn in the browser (static/rich.js); inert text here.
		_, _ = w.WriteString(`<pre class="` + mermaidClass + `">`)
		html.DefaultWriter.RawWrite(w, code.Bytes())
		_, _ = w.WriteString("</pre>\n")
		return ast.WalkSkipChildren, nil
	}
	var lexer chroma.Lexer
	if len(lang) > 0 && code.Len() <= maxFenceBytes && spendFenceBudget(n, code.Len()) {
		lexer = lexers.Get(string(lang))
	}
	if len(lang) > 0 && isLanguageName(lang) {
		_, _ = w.WriteString(`<pre class="chroma"><code class="language-`)
		_, _ = w.Write(lang)
		_, _ = w.WriteString(`">`)
	} else {
		_, _ = w.WriteString(`<pre><code>`)
	}
	if lexer == nil {
		html.DefaultWriter.RawWrite(w, code.Bytes())
		_, _ = w.WriteString("</code></pre>\n")
		return ast.WalkSkipChildren, nil
	}
	it, err := lexer.Tokenise(nil, code.String())
	if err != nil {
		html.DefaultWriter.RawWrite(w, code.Bytes())
		_, _ = w.WriteString("</code></pre>\n")
		return ast.WalkSkipChildren, nil
	}
	for t := it(); t != chroma.EOF; t = it() {
		cls := fenceTokenClass(t.Type)
		if cls != "" {
			_, _ = w.WriteString(`<span class="`)
			_, _ = w.WriteString(cls)
			_, _ = w.WriteString(`">`)
		}
		html.DefaultWriter.RawWrite(w, []byte(t.Value))
		if cls != "" {
			_, _ = w.WriteString(`</span>`)
		}
	}
	_, _ = w.WriteString("</code></pre>\n")
	return ast.WalkSkipChildren, nil
}

var languageName = regexp.MustCompile(`^[A-Za-z0-9_+#.-]{1,40}$`)

func isLanguageName(b []byte) bool { return languageName.Match(b) }

// spendFenceBudget takes n bytes from the document's highlighting budget,
// kept on its root node; false when it is spent.
func spendFenceBudget(node ast.Node, n int) bool {
	doc := node
	for doc.Parent() != nil {
		doc = doc.Parent()
	}
	spent, _ := doc.AttributeString(fenceBudgetField)
	used, _ := spent.(int)
	if used+n > maxFencesPerDoc {
		return false
	}
	doc.SetAttributeString(fenceBudgetField, used+n)
	return true
}

// fenceTokenClass is chroma's class for a token type, or its nearest
// parent type's; "" for plain text.
func fenceTokenClass(t chroma.TokenType) string {
	for ; t != 0; t = t.Parent() {
		if cls, ok := chroma.StandardTypes[t]; ok {
			if cls == "w" {
				return ""
			}
			return cls
		}
	}
	return ""
}

// sameSite reports whether a URL is relative to this site: no scheme and
// no host ("//host/..." included).
func sameSite(dest []byte) bool {
	d := bytes.TrimSpace(dest)
	if bytes.HasPrefix(d, []byte("//")) || bytes.HasPrefix(d, []byte(`\`)) || bytes.HasPrefix(d, []byte(`/\`)) {
		return false
	}
	end := bytes.IndexAny(d, "/?#")
	if end < 0 {
		end = len(d)
	}
	return bytes.IndexByte(d[:end], ':') < 0
}

// Markdown renders GitHub-flavoured Markdown to sanitised HTML: tables,
// strikethrough, autolinks and task lists; raw HTML is dropped, links are
// relative, http, https or mailto only and carry
// rel="nofollow noopener noreferrer", and the output passes bluemonday's UGC
// policy (no scripts, frames, forms, SVG, styles, event handlers or data-*
// attributes). It returns "" for bodies over MaxMarkdownBytes or containing
// NUL bytes (the caller shows the source instead). The same goes for inputs whose shape makes the parser's work
// superlinear (see tooHard). Invalid UTF-8 is replaced
// with U+FFFD. Safe for concurrent use.
func Markdown(content []byte) string {
	if len(content) > MaxMarkdownBytes || bytes.IndexByte(content, 0) >= 0 || tooHard(content) {
		return ""
	}
	content = bytes.ToValidUTF8(content, []byte("\uFFFD"))
	md, policy := markdownOnce()
	var buf bytes.Buffer
	buf.Grow(len(content) * 2)
	if err := md.Convert(content, &buf); err != nil {
		return ""
	}
	return policy.SanitizeReader(&buf).String()
}

// Limits of tooHard. Real documents stay far below them; the inputs above
// them cost goldmark quadratic time (measured: 64 KiB of ">" or "[a](" takes
// seconds) or blow up the output (a wide table header pads every row).
const (
	maxContainerDepth  = 32      // '>' and list markers opening one line
	maxParagraphLinks  = 500     // "](" in one run of non-blank lines
	maxParagraphOpens  = 5000    // '[' in one run of non-blank lines
	maxTableCells      = 200_000 // columns times rows, over all tables
	maxTableDelimCells = 128     // columns of one table
)

// tooHard reports whether content has a shape that would make rendering
// slow or its output huge, so Markdown declines it and the caller shows the
// source. It is one linear pass over the lines.
func tooHard(content []byte) bool {
	var links, opens, tableCols, cells int
	for line := range bytes.Lines(content) {
		if len(bytes.TrimSpace(line)) == 0 {
			links, opens, tableCols = 0, 0, 0
			continue
		}
		if containerDepth(line) > maxContainerDepth {
			return true
		}
		links += bytes.Count(line, []byte("]("))
		opens += bytes.Count(line, []byte("["))
		if links > maxParagraphLinks || opens > maxParagraphOpens {
			return true
		}
		if tableCols > 0 {
			cells += tableCols
		} else if cols, ok := delimiterRow(line); ok {
			if cols > maxTableDelimCells {
				return true
			}
			tableCols = cols
		}
		if cells > maxTableCells {
			return true
		}
	}
	return false
}

// containerDepth counts the block-quote and list markers that open line.
func containerDepth(line []byte) int {
	depth := 0
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
		case c == '>':
			depth++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			depth++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
				depth++
				i = j
				continue
			}
			return depth
		default:
			return depth
		}
	}
	return depth
}

// delimiterRow reports whether line looks like a GFM table delimiter row
// ("|---|:--:|") and how many columns it has.
func delimiterRow(line []byte) (int, bool) {
	line = bytes.TrimSpace(line)
	if !bytes.Contains(line, []byte("-")) {
		return 0, false
	}
	for _, c := range line {
		if c != '|' && c != '-' && c != ':' && c != ' ' && c != '\t' {
			return 0, false
		}
	}
	cols := bytes.Count(bytes.Trim(line, "|"), []byte("|")) + 1
	if !bytes.Contains(line, []byte("|")) {
		return 0, false
	}
	return cols, true
}

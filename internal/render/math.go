package render

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Math in Markdown: $…$ inline, $$…$$ on one line or as a block between
// lines holding only $$. The server never renders it: it emits the source,
// HTML-escaped, in an inert element (<span class="math math-inline">,
// <span class="math math-display">, <div class="math math-display">) that
// static/rich.js hands to KaTeX in the browser. Without JavaScript the
// source shows as it was typed.

// Class names of the inert elements; the sanitiser allows exactly these.
const (
	mathInlineClass  = "math math-inline"
	mathDisplayClass = "math math-display"
	mermaidClass     = "mermaid"
)

var (
	kindMathInline = ast.NewNodeKind("MathInline")
	kindMathBlock  = ast.NewNodeKind("MathBlock")
)

// mathInline is $…$ (Display: $$…$$) within a paragraph.
type mathInline struct {
	ast.BaseInline
	Source  []byte
	Display bool
}

func (n *mathInline) Kind() ast.NodeKind { return kindMathInline }

func (n *mathInline) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Source": string(n.Source)}, nil)
}

// mathBlock is a $$ … $$ block; its lines are its source.
type mathBlock struct {
	ast.BaseBlock
}

func (n *mathBlock) Kind() ast.NodeKind { return kindMathBlock }

func (n *mathBlock) IsRaw() bool { return true }

func (n *mathBlock) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// mathInlineParser finds $…$ and $$…$$ on one line. An opening $ is not
// followed by a space, a closing one not preceded by a space nor followed
// by a digit, so "$5 and $10" stays text; \$ is a dollar sign (goldmark
// handles the escape before this parser sees it).
type mathInlineParser struct{}

func (mathInlineParser) Trigger() []byte { return []byte{'$'} }

func (mathInlineParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if len(line) < 2 || line[0] != '$' {
		return nil
	}
	if line[1] == '$' {
		end := bytes.Index(line[2:], []byte("$$"))
		if end <= 0 {
			return nil
		}
		src := bytes.TrimSpace(line[2 : 2+end])
		if len(src) == 0 {
			return nil
		}
		block.Advance(2 + end + 2)
		return &mathInline{Source: bytes.Clone(src), Display: true}
	}
	if line[1] == ' ' || line[1] == '\t' || line[1] == '\n' {
		return nil
	}
	for i := 2; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++ // \$ inside math is TeX's dollar sign
		case '$':
			if line[i-1] == ' ' || line[i-1] == '\t' {
				continue
			}
			if i+1 < len(line) && line[i+1] >= '0' && line[i+1] <= '9' {
				continue
			}
			src := line[1:i]
			block.Advance(i + 1)
			return &mathInline{Source: bytes.Clone(src)}
		}
	}
	return nil
}

// mathBlockParser opens at a line holding only $$ and closes at the next.
type mathBlockParser struct{}

func (mathBlockParser) Trigger() []byte { return []byte{'$'} }

func (mathBlockParser) Open(_ ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, _ := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || !bytes.Equal(bytes.TrimSpace(line[pos:]), []byte("$$")) {
		return nil, parser.NoChildren
	}
	reader.AdvanceToEOL()
	return &mathBlock{}, parser.NoChildren
}

func (mathBlockParser) Continue(node ast.Node, reader text.Reader, _ parser.Context) parser.State {
	line, segment := reader.PeekLine()
	if bytes.Equal(bytes.TrimSpace(line), []byte("$$")) {
		reader.AdvanceToEOL()
		return parser.Close
	}
	node.Lines().Append(segment)
	reader.AdvanceToEOL()
	return parser.Continue | parser.NoChildren
}

func (mathBlockParser) Close(ast.Node, text.Reader, parser.Context) {}
func (mathBlockParser) CanInterruptParagraph() bool                 { return true }
func (mathBlockParser) CanAcceptIndentedLine() bool                 { return false }

// mathRenderer writes the inert math elements.
type mathRenderer struct{}

func (mathRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindMathInline, func(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		n := node.(*mathInline)
		cls := mathInlineClass
		if n.Display {
			cls = mathDisplayClass
		}
		_, _ = w.WriteString(`<span class="` + cls + `">`)
		html.DefaultWriter.RawWrite(w, n.Source)
		_, _ = w.WriteString(`</span>`)
		return ast.WalkSkipChildren, nil
	})
	reg.Register(kindMathBlock, func(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		_, _ = w.WriteString(`<div class="` + mathDisplayClass + `">`)
		for i := 0; i < node.Lines().Len(); i++ {
			seg := node.Lines().At(i)
			html.DefaultWriter.RawWrite(w, seg.Value(source))
		}
		_, _ = w.WriteString("</div>\n")
		return ast.WalkSkipChildren, nil
	})
}

// Features says what a rendered document needs in the browser.
type Features struct {
	Mermaid bool // <pre class="mermaid"> blocks
	Math    bool // math elements
}

// featuresOf reads the features from sanitised output: only the renderers
// above write these classes (raw HTML is dropped before the sanitiser).
func featuresOf(html string) Features {
	return Features{
		Mermaid: bytes.Contains([]byte(html), []byte(`<pre class="`+mermaidClass+`">`)),
		Math: bytes.Contains([]byte(html), []byte(`class="`+mathInlineClass+`"`)) ||
			bytes.Contains([]byte(html), []byte(`class="`+mathDisplayClass+`"`)),
	}
}

package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMarkdownDiagramsAndMath: Mermaid blocks and $…$ / $$…$$ math become
// inert elements holding the escaped source, and the rendering says which
// the page needs; dollar amounts, escaped dollars and code stay text.
func TestMarkdownDiagramsAndMath(t *testing.T) {
	cases := []struct {
		name, in, want string
		features       Features
	}{
		{"inline math", "a $x^2 < y$ b", "<p>a <span class=\"math math-inline\">x^2 &lt; y</span> b</p>\n", Features{Math: true}},
		{"display on a line", "sum $$\\sum_i i$$ done", "<p>sum <span class=\"math math-display\">\\sum_i i</span> done</p>\n", Features{Math: true}},
		{"display block", "$$\n\\frac{a}{b}</div><script>\n$$\n", "<div class=\"math math-display\">\\frac{a}{b}&lt;/div&gt;&lt;script&gt;\n</div>\n", Features{Math: true}},
		{"dollar amounts", "costs $5 and $10", "<p>costs $5 and $10</p>\n", Features{}},
		{"escaped and code", "\\$x$ and `$y$`", "<p>$x$ and <code>$y$</code></p>\n", Features{}},
		{"space after the opening dollar", "$ x$", "<p>$ x$</p>\n", Features{}},
		{"mermaid", "```mermaid\ngraph TD; A-->B</pre><script>alert(1)</script>\n```\n", "<pre class=\"mermaid\">graph TD; A--&gt;B&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;\n</pre>\n", Features{Mermaid: true}},
		{"raw html cannot fake the classes", "<pre class=\"mermaid\">x</pre>\n\n<span class=\"math math-inline\">y</span>", "\n<p>y</p>\n", Features{}},
		{"both", "$a$\n\n```mermaid\ngraph LR; a-->b\n```\n", "<p><span class=\"math math-inline\">a</span></p>\n<pre class=\"mermaid\">graph LR; a--&gt;b\n</pre>\n", Features{Mermaid: true, Math: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Markdown([]byte(c.in))
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("Markdown(%q) (-want +got):\n%s", c.in, diff)
			}
			if diff := cmp.Diff(c.features, featuresOf(got)); diff != "" {
				t.Errorf("features (-want +got):\n%s", diff)
			}
		})
	}
}

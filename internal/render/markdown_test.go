package render

import (
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

var xssCorpus = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=http://x/xss.js></SCRIPT>`,
	"```html\n<script>alert(1)</script>\n```",
	"<div>\n<script>alert(1)</script>\n</div>",
	`<img src=x onerror=alert(1)>`,
	`<img src="x" onerror="alert(1)"/>`,
	`<IMG SRC="javascript:alert('XSS');">`,
	`[x](javascript:alert(1))`,
	`[x](JavaScript:alert(1))`,
	`[x]( javascript:alert(1))`,
	`[x](<javascript:alert(1)>)`,
	`[x](javascript&#58;alert(1))`,
	`[x](javascript&#x3A;alert(1))`,
	`[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))`,
	`[x](jav&#x09;ascript:alert(1))`,
	`[x](java%0ascript:alert(1))`,
	"[x](java\tscript:alert(1))",
	`[x](%6A%61%76%61%73%63%72%69%70%74:alert(1))`,
	`[x](vbscript:msgbox(1))`,
	`[x](VBScript:msgbox(1))`,
	`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`![x](data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+)`,
	`![x](data:image/png;base64,iVBORw0KGgo=)`,
	`![x](javascript:alert(1))`,
	`<javascript:alert(1)>`,
	`<data:text/html,<script>alert(1)</script>>`,
	"[x][r]\n\n[r]: javascript:alert(1)",
	"[x][r]\n\n[r]: data:text/html,x \"t\"",
	`[x](https://ok.example/ "title\" onmouseover=\"alert(1)")`,
	`[x](https://ok.example/"onmouseover="alert(1))`,
	`<a href="https://ok.example" hx-get="/delete" hx-trigger="load">x</a>`,
	`<a hx-post="/x">x</a>`,
	`<div hx-get="/x" hx-trigger="load" data-x="1" style="color:red">x</div>`,
	`<span style="background:url(javascript:alert(1))">x</span>`,
	`<svg onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`<math><mtext><script>alert(1)</script></mtext></math>`,
	`<iframe src="javascript:alert(1)"></iframe>`,
	`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
	`<object data="x.swf"></object><embed src="x.swf">`,
	`<form action="javascript:alert(1)"><input type=submit></form>`,
	`<style>body{display:none}</style>`,
	`<link rel=stylesheet href=x.css>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<base href="javascript:alert(1)//">`,
	`<details open ontoggle=alert(1)>`,
	`<body onload=alert(1)>`,
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
	`&#60;script&#62;alert(1)&#60;/script&#62;`,
	"[[x](javascript:alert(1))](https://ok.example)",
	"[x](https://ok.example)[y](javascript:alert(1))",
	"[![img](https://ok.example/i.png)](javascript:alert(1))",
	"www.example.com/<script>alert(1)</script>",
	"https://example.com/\"onmouseover=\"alert(1)",
	"http://a.b/?q=<img src=x onerror=alert(1)>",
	"foo@bar.com<script>alert(1)</script>",
	"| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |",
	"- [ ] <script>alert(1)</script>\n- [x] [x](javascript:alert(1))",
	"~~<script>alert(1)</script>~~",
	"<!-- --><script>alert(1)</script><!-- -->",
	"<![CDATA[<script>alert(1)</script>]]>",
	"<?php echo 1; ?><script>alert(1)</script>",
	"`<script>alert(1)</script>`",
	"    <script>alert(1)</script>",
	"> <script>alert(1)</script>",
	"<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
	"[x](\x00javascript:alert(1))",
}

func TestMarkdownXSSCorpus(t *testing.T) {
	if len(xssCorpus) < 40 {
		t.Fatalf("corpus has %d cases", len(xssCorpus))
	}
	for _, in := range xssCorpus {
		out := Markdown([]byte(in))
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if n := doc.Find("script, iframe, object, embed, svg, math, form, style, link, meta, base, button, textarea, select").Length(); n != 0 {
			t.Errorf("%q: %d forbidden elements in %q", in, n, out)
		}
		doc.Find("*").Each(func(_ int, s *goquery.Selection) {
			for _, a := range s.Nodes[0].Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") || strings.HasPrefix(key, "hx-") || strings.HasPrefix(key, "data-") || key == "style" || key == "srcdoc" || key == "formaction" {
					t.Errorf("%q: attribute %s in %q", in, a.Key, out)
				}
				if key == "href" || key == "src" || key == "action" || key == "cite" {
					v := strings.ToLower(strings.TrimSpace(a.Val))
					for _, bad := range []string{"javascript:", "data:", "vbscript:"} {
						if strings.HasPrefix(v, bad) {
							t.Errorf("%q: %s=%q in %q", in, a.Key, a.Val, out)
						}
					}
				}
			}
		})
		if goquery.NodeName(doc.Find("input").Not(`[type="checkbox"][disabled]`)) != "" {
			t.Errorf("%q: enabled or non-checkbox input in %q", in, out)
		}
	}
}

func TestMarkdownFeatures(t *testing.T) {
	in := "# Title\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n~~gone~~ see https://example.com and [rel](/x) or mail foo@example.com\n\n- [x] done\n- [ ] todo\n\n```go\nfunc main() {}\n```\n\n<b>raw</b>\n"
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(Markdown([]byte(in))))
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]int{
		"h1":                               1,
		"table th":                         2,
		`td[align="right"]`:                1,
		"del":                              1,
		`a[href="https://example.com"]`:    1,
		`a[href="/x"]`:                     1,
		`a[href="mailto:foo@example.com"]`: 1,
		`input[type="checkbox"][checked]`:  1,
		`input[type="checkbox"]`:           2,
		`code.language-go`:                 1,
		"b":                                0, // raw HTML is not passed through
	}
	for sel, want := range checks {
		if got := doc.Find(sel).Length(); got != want {
			t.Errorf("%s: got %d, want %d", sel, got, want)
		}
	}
	doc.Find("a").Each(func(_ int, s *goquery.Selection) {
		if rel, _ := s.Attr("rel"); rel != "nofollow noopener noreferrer" {
			t.Errorf("link %s has rel %q", s.AttrOr("href", ""), rel)
		}
	})
}

func TestMarkdownBoundedWork(t *testing.T) {
	cases := map[string]string{
		"over size cap":   strings.Repeat("a", MaxMarkdownBytes+1),
		"deep blockquote": strings.Repeat(">", 1<<20-1),
		"deep lists":      strings.Repeat("1. ", 300_000),
		"unclosed links":  strings.Repeat("[a](", 250_000),
		"wide table":      strings.Repeat("|a", 4096) + "\n" + strings.Repeat("|-", 4096) + "\n" + strings.Repeat("|x\n", 1000),
		"many brackets":   strings.Repeat("[", 1<<20-1),
		"nul":             "a\x00b",
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			if out := Markdown([]byte(in)); out != "" {
				t.Errorf("want \"\" (show the source), got %d bytes", len(out))
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	// Large but ordinary documents still render, in bounded time.
	start := time.Now()
	doc := strings.Repeat("Some *text* with `code` and a [link](https://example.com).\n\n", (MaxMarkdownBytes-100)/62)
	if Markdown([]byte(doc)) == "" {
		t.Error("ordinary 1 MiB document not rendered")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("ordinary 1 MiB document took %v", d)
	}
}

package web_test

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
)

// hostile is one input of the hostile-input corpus. class groups inputs of
// one kind, so the browser test can show a whole class on one page.
type hostile struct {
	class string
	value string
}

// hostileEffects are the script bodies the corpus tries to run. Each leaves
// a trace the browser test looks for afterwards: window.__pwned, a document
// title of exactly PWNED, a <pwned-el> element, or a dialog (alert, confirm
// and prompt are replaced by a recorder before any page script runs).
var hostileEffects = []string{
	`window.__pwned=1`,
	`document.title='PWNED'`,
	`document.documentElement.appendChild(document.createElement('pwned-el'))`,
	`alert(1)`,
	`top['con'+'firm'](document.domain)`,
	`eval(atob('d2luZG93Ll9fcHduZWQ9MQ=='))`,
	`fetch('/api/v1/me').then(()=>window.__pwned=1)`,
	`(new Image).src='/?'+(window.__pwned=1)`,
}

// hostileTemplates are markup, Markdown and htmx shapes with a slot ({JS})
// for an effect; {B64} is the effect in a script element, base64 encoded,
// {URL} the effect as a percent-encoded javascript: URL.
var hostileTemplates = map[string][]string{
	"xss": {
		`<script>{JS}</script>`,
		`<script >{JS}</script >`,
		`<SCRIPT SRC=data:,{JS}></SCRIPT>`,
		`<script type="module">{JS}</script>`,
		`<img src=x onerror={JS}>`,
		`<img src=x onerror="{JS}">`,
		`<img src="x" onerror='{JS}'/>`,
		"<img src=x\nonerror={JS}>",
		`<img src=x onerror=&#x{HEXJS};>`,
		`<image src=x onerror={JS}>`,
		`<svg/onload={JS}>`,
		`<body onpageshow={JS}>`,
		`<input autofocus onfocus={JS}>`,
		`<keygen autofocus onfocus={JS}>`,
		`<details open ontoggle={JS}>`,
		`<video><source onerror="{JS}"></video>`,
		`<audio src onerror={JS}>`,
		`<marquee onstart={JS}>m</marquee>`,
		`<x onclick={JS} style=display:block;position:fixed;inset:0>click</x>`,
		`<iframe srcdoc="&lt;script&gt;parent.{JS}&lt;/script&gt;"></iframe>`,
		`<iframe src="{URL}"></iframe>`,
		`<object data="data:text/html;base64,{B64}"></object>`,
		`<embed src="data:text/html;base64,{B64}">`,
		`<a href="{URL}">link</a>`,
		`<a href="javascript:{JS}">link</a>`,
		`<a href=javascript&colon;{JS}>link</a>`,
		`<form><button formaction="javascript:{JS}">go</button></form>`,
		`<form action="javascript:{JS}"><input type=submit></form>`,
		`<math><maction actiontype="statusline" xlink:href="javascript:{JS}">m</maction></math>`,
		`<math><mtext><table><mglyph><style><img src=x onerror={JS}>`,
		`<noscript><p title="</noscript><img src=x onerror={JS}>">`,
		`<style>@import'data:text/css,*{}';</style><img src=x onerror={JS}>`,
		`<meta http-equiv="refresh" content="0;url=javascript:{JS}">`,
		`<base href="javascript:{JS}//">`,
		`<template><img src=x onerror={JS}></template>`,
		`<!--><img src=x onerror={JS}>-->`,
		`<![CDATA[<img src=x onerror={JS}>]]>`,
		`<xmp></xmp><img src=x onerror={JS}>`,
		`<title><img src=x onerror={JS}></title>`,
		`{{constructor.constructor('{JS}')()}}`,
		`${{JS}}`,
		"`;{JS};//",
		`';{JS};//`,
		`\";{JS};//`,
	},
	"hx": {
		`<div hx-get="/api/v1/me" hx-trigger="load" hx-on::after-request="{JS}">x</div>`,
		`<div hx-on:htmx:load="{JS}">x</div>`,
		`<div hx-on="htmx:load: {JS}">x</div>`,
		`<div hx-on::load="{JS}">x</div>`,
		`<button hx-post="/" hx-trigger="load" hx-vals='js:{x: {JS}}'>x</button>`,
		`<button hx-post="/" hx-trigger="load" hx-vals='javascript:{x: {JS}}'>x</button>`,
		`<div hx-get="/" hx-trigger="load" hx-headers='js:{"X": {JS}}'>x</div>`,
		`<div data-hx-get="/api/v1/me" data-hx-trigger="load" data-hx-on::after-request="{JS}">x</div>`,
		`<div hx-get="data:text/html;base64,{B64}" hx-trigger="load" hx-swap="innerHTML">x</div>`,
		`<div hx-get="/raw/x" hx-trigger="load" hx-swap="innerHTML" hx-on::after-swap="{JS}">x</div>`,
		`<div hx-trigger="load[{JS}]" hx-get="/">x</div>`,
		`<form hx-post="/logout" hx-trigger="load" hx-on::before-request="{JS}"></form>`,
		`<meta name="htmx-config" content='{"allowEval":true,"allowScriptTags":true}'><div hx-get="/" hx-trigger="load" hx-on::load="{JS}">x</div>`,
		`[x](/ "t" hx-get="/api/v1/me" hx-on::load="{JS}")`,
		"<div hx-get=\"/\"\nhx-trigger=\"load\"\nhx-on::after-request=\"{JS}\">x</div>",
	},
	"svg": {
		`<svg xmlns="http://www.w3.org/2000/svg" onload="{JS}"/>`,
		`<svg xmlns="http://www.w3.org/2000/svg"><script>{JS}</script></svg>`,
		`<svg><script href="data:,{JS}"/></svg>`,
		`<svg><animate onbegin="{JS}" attributeName="x" dur="1s"/></svg>`,
		`<svg><set attributeName="onmouseover" to="{JS}"/></svg>`,
		`<svg><a xlink:href="javascript:{JS}"><text x="9" y="9">x</text></a></svg>`,
		`<svg><foreignObject><iframe srcdoc="&lt;script&gt;parent.{JS}&lt;/script&gt;"></iframe></foreignObject></svg>`,
		`<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "<script>{JS}</script>">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>`,
	},
	"html": {
		"<!DOCTYPE html>\n<html><head><title>x</title><script>{JS}</script></head><body>hi</body></html>",
		"<!doctype html><html><body onload=\"{JS}\"><p>hello</p></body></html>",
		"<html>\n<head><meta http-equiv=\"Content-Security-Policy\" content=\"script-src *\"></head>\n<body><img src=x onerror=\"{JS}\"></body></html>",
		"<html><head><base href=\"https://evil.example/\"><link rel=stylesheet href=\"https://evil.example/x.css\"></head><body><script src=\"https://evil.example/x.js\"></script><script>{JS}</script></body></html>",
		"<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><script>{JS}</script></html>",
		"<html><body><iframe src=\"data:text/html;base64,{B64}\"></iframe><object data=\"{URL}\"></object></body></html>",
	},
	"md": {
		`[click](javascript:{JS})`,
		`[click](<javascript:{JS}>)`,
		`[click]( javascript:{JS} )`,
		`[click](JAVASCRIPT:{JS})`,
		`[click]({URL})`,
		`[click](&#x6A;avascript:{JS})`,
		`[click](java&#x09;script:{JS})`,
		`[click](data:text/html;base64,{B64})`,
		`[click](/ "title" onmouseover="{JS}")`,
		`[click](x" onmouseover="{JS})`,
		"[click][r]\n\n[r]: javascript:{JS}",
		"[click][r]\n\n[r]: <javascript:{JS}> \"t\"",
		`![img](javascript:{JS})`,
		`![img](x" onerror="{JS})`,
		`![img](data:text/html;base64,{B64})`,
		`[![img](/favicon.ico)](javascript:{JS})`,
		`<javascript:{JS}>`,
		`javascript:{JS}`,
		`www.x.example/?q="><img src=x onerror={JS}>`,
		"# Title {onclick=\"{JS}\"}\n\ntext {#id onmouseover={JS}}",
		"| a | b |\n|---|---|\n| <img src=x onerror={JS}> | [x](javascript:{JS}) |",
		"- [ ] <input autofocus onfocus={JS}>\n- [x] [x](javascript:{JS})",
		"```html\n<script>{JS}</script>\n```",
		"```js\" onmouseover=\"{JS}\n{JS}\n```",
		"`<img src=x onerror={JS}>`",
		"> <script>{JS}</script>\n>> <img src=x onerror={JS}>",
		"<div>\n\n<script>{JS}</script>\n\n</div>",
		"*<img src=x onerror={JS}>*\n__<svg onload={JS}>__",
		"Text[^1]\n\n[^1]: <img src=x onerror={JS}>",
		"<details><summary>s</summary>\n\n[x](javascript:{JS})\n\n</details>",
	},
	"url": {
		`javascript:{JS}`,
		`JaVaScRiPt:{JS}`,
		` javascript:{JS}`,
		"java\tscript:{JS}",
		"\x01javascript:{JS}",
		`javascript&colon;{JS}`,
		`{URL}`,
		`data:text/html;base64,{B64}`,
		`data:text/html,<script>{JS}</script>`,
		`vbscript:{JS}`,
		`//evil.example/?{JS}`,
		`/\evil.example/?{JS}`,
		`https://evil.example/#{JS}`,
		`/%2F%2Fevil.example/{JS}`,
	},
}

// hostilePrefixes break out of the contexts a value might land in.
var hostilePrefixes = []string{"", "", "", `">`, `'>`, `</textarea>`, `</title>`, `</script>`, `-->`, `</code></pre>`, `]]>`, `</option></select>`, "\n\n", `</a>`, `</div></article>`}

// hostileMutations turn a value into a Unicode or byte-level variant.
var hostileMutations = []struct {
	class string
	f     func(r *rand.Rand, s string) string
}{
	{"unicode", func(r *rand.Rand, s string) string { return "\u202e" + s + "\u202c" }},
	{"unicode", func(r *rand.Rand, s string) string { return "\u2066" + s + "\u2069" }},
	{"unicode", func(r *rand.Rand, s string) string { return insertAt(r, s, "\u200b") }},
	{"unicode", func(r *rand.Rand, s string) string { return insertAt(r, s, "\u200d\u200c\u2060") }},
	{"unicode", func(r *rand.Rand, s string) string { return "\ufeff" + s }},
	{"unicode", func(r *rand.Rand, s string) string { return strings.ReplaceAll(s, "<", "\uff1c") }},
	{"unicode", func(r *rand.Rand, s string) string { return s + strings.Repeat("\u0301", 200) }},
	{"unicode", func(r *rand.Rand, s string) string { return strings.ReplaceAll(s, "\n", "\u2028") + "\u2029" }},
	{"unicode", func(r *rand.Rand, s string) string { return "\U0001F4A9" + s + "\U000E0041" }},
	{"bytes", func(r *rand.Rand, s string) string { return insertAt(r, s, "\x00") }},
	{"bytes", func(r *rand.Rand, s string) string { return s + "\x00" }},
	{"bytes", func(r *rand.Rand, s string) string { return insertAt(r, s, "\xff\xfe") }},
	{"bytes", func(r *rand.Rand, s string) string { return insertAt(r, s, "\xc0\xbc") }},     // overlong '<'
	{"bytes", func(r *rand.Rand, s string) string { return insertAt(r, s, "\xed\xa0\x80") }}, // lone surrogate
	{"bytes", func(r *rand.Rand, s string) string { return s + "\xe2\x82" }},                 // cut short
	{"bytes", func(r *rand.Rand, s string) string { return insertAt(r, s, "\r\nSet-Cookie: x=1\r\n") }},
	{"bytes", func(r *rand.Rand, s string) string { return insertAt(r, s, "\x1b[2J\x1b]0;PWNED\x07") }},
	{"bytes", func(r *rand.Rand, s string) string { return insertAt(r, s, "\x08\x0b\x0c\x7f\u0085") }},
}

func insertAt(r *rand.Rand, s, ins string) string {
	if s == "" {
		return ins
	}
	i := r.IntN(len(s))
	return s[:i] + ins + s[i:]
}

// fill puts an effect into a template's slots.
func fill(tmpl, js string) string {
	b64 := base64.StdEncoding.EncodeToString([]byte("<script>parent." + js + "</script>"))
	hexJS := ""
	for _, r := range js {
		hexJS += fmt.Sprintf("&#x%x;", r)
	}
	return strings.NewReplacer(
		"{JS}", js,
		"{B64}", b64,
		"{URL}", "javascript:"+url.PathEscape(js),
		"&#x{HEXJS};", hexJS,
	).Replace(tmpl)
}

// hostileCorpus is the seed file plus the generated inputs: every template
// with every effect (behind a seeded context breaker), Unicode and byte-level
// mutations of a seeded sample, and small pathological shapes. The same
// seed gives the same corpus on every run.
func hostileCorpus(t testing.TB) []hostile {
	t.Helper()
	out := readHostileSeeds(t)
	r := rand.New(rand.NewPCG(7, 2026))
	classes := []string{"xss", "hx", "svg", "html", "md", "url"}
	var generated []hostile
	for _, class := range classes {
		for _, tmpl := range hostileTemplates[class] {
			// Six of the effects per template, a different six each time.
			for k := range 6 {
				js := hostileEffects[(k+len(generated))%len(hostileEffects)]
				v := fill(tmpl, js)
				if class != "url" {
					v = hostilePrefixes[r.IntN(len(hostilePrefixes))] + v
				}
				generated = append(generated, hostile{class, v})
			}
		}
	}
	out = append(out, generated...)
	for range 200 {
		base := generated[r.IntN(len(generated))]
		m := hostileMutations[r.IntN(len(hostileMutations))]
		out = append(out, hostile{m.class, m.f(r, base.value)})
	}
	out = append(out, hostileShapes()...)
	return out
}

// hostileShapes are small pathological inputs: deep nesting and long runs
// that cost parsers superlinear time when unchecked. The big ones (megabytes)
// are hostileGiants.
func hostileShapes() []hostile {
	var out []hostile
	for _, n := range []int{100, 5000} {
		out = append(out,
			hostile{"shape", strings.Repeat(">", n) + " deep quote"},
			hostile{"shape", strings.Repeat("- ", n) + "deep list"},
			hostile{"shape", strings.Repeat("[", n) + "x" + strings.Repeat("](javascript:window.__pwned=1)", n)},
			hostile{"shape", strings.Repeat("*", n) + "x" + strings.Repeat("_", n)},
			hostile{"shape", strings.Repeat("`", n) + "x"},
			hostile{"shape", strings.Repeat("<div>", n) + "<img src=x onerror=window.__pwned=1>"},
			hostile{"shape", strings.Repeat("<a href=", n) + ">"},
			hostile{"shape", strings.Repeat("|", n) + "\n" + strings.Repeat("|-", n) + "\n" + strings.Repeat("|x", n)},
			hostile{"shape", strings.Repeat("&#", n) + "x"},
			hostile{"shape", strings.Repeat("\n", n)},
			hostile{"shape", strings.Repeat("  ", n) + "- x"},
			hostile{"shape", strings.Repeat("[x]: /\n", n) + "[x]"},
		)
	}
	out = append(out,
		hostile{"shape", strings.Repeat("a", 201)}, // one past the title limit
		hostile{"shape", strings.Repeat("\u00e9", 10001)},
		hostile{"shape", strings.Repeat("x", 64<<10)},
		hostile{"shape", ""},
		hostile{"shape", " "},
		hostile{"shape", "\t\r\n"},
	)
	return out
}

// hostileGiants are the megabyte shapes the issue names: two million empty
// lines, one 4 MB line, and Markdown nested as deep as the bytes allow
// while staying under the size the Markdown renderer accepts (quotes, and
// link brackets).
func hostileGiants() []hostile {
	return []hostile{
		{"giant", strings.Repeat("\n", 2_000_000)},
		{"giant", strings.Repeat("<img src=x onerror=window.__pwned=1>", 4<<20/36)},
		{"giant", strings.Repeat("> ", 400_000) + "<script>window.__pwned=1</script>"},
		{"giant", strings.Repeat("[", 600_000) + strings.Repeat("](x)", 100_000)},
	}
}

func readHostileSeeds(t testing.TB) []hostile {
	t.Helper()
	f, err := os.Open("testdata/hostile/seeds.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []hostile
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "q:"):
			v, err := strconv.Unquote(line[2:])
			if err != nil {
				t.Fatalf("seeds.txt:%d: %v", n, err)
			}
			line = v
		}
		out = append(out, hostile{"seed", line})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestHostileCorpusShape(t *testing.T) {
	c := hostileCorpus(t)
	if len(c) < 1000 {
		t.Fatalf("corpus has %d inputs, want at least 1000", len(c))
	}
	again := hostileCorpus(t)
	for i := range c {
		if c[i] != again[i] {
			t.Fatalf("input %d differs between runs: the corpus must be deterministic", i)
		}
	}
	classes := map[string]int{}
	for _, h := range c {
		classes[h.class]++
	}
	for _, want := range []string{"seed", "xss", "hx", "svg", "html", "md", "url", "unicode", "bytes", "shape"} {
		if classes[want] == 0 {
			t.Errorf("no %s inputs", want)
		}
	}
	t.Logf("corpus: %d inputs %v", len(c), classes)
}

package render

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	terminal "github.com/buildkite/terminal-to-html/v3"
	"golang.org/x/net/html"
)

// ANSI is the syntax key of terminal output carrying ANSI escape sequences
// (colours, styles, cursor movement): a log copied from a terminal or CI.
const ANSI = "ansi"

// TSV is the syntax key of tab-separated values (chroma has no lexer for
// it; CSV's is "csv").
const TSV = "tsv"

// maxTerminalBytes is the largest body run through the terminal emulator,
// which holds a cell per character; larger logs show their text with the
// escape sequences stripped.
const maxTerminalBytes = 1 << 20

var (
	// sgrSeq is a Select Graphic Rendition sequence (colours and styles).
	sgrSeq = regexp.MustCompile(`\x1b\[[0-9;:]*m`)
	// escSeq is any escape sequence: CSI, OSC (ended by BEL or ST, or
	// unterminated at the end of the line), APC/DCS/PM/SOS strings, and
	// two-character escapes.
	escSeq = regexp.MustCompile(`\x1b(?:\[[0-?]*[ -/]*[@-~]?|[\]_P^X][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -~]?)`)
	// ansiHint is what detection looks for: a CSI sequence.
	ansiHint = regexp.MustCompile(`\x1b\[[0-9;:?]*[A-Za-z]`)
)

// looksLikeANSI reports whether prefix is terminal output: it carries CSI
// escape sequences, which source code and prose never hold as raw bytes.
func looksLikeANSI(prefix []byte) bool {
	return bytes.IndexByte(prefix, 0x1b) >= 0 && ansiHint.Match(prefix)
}

// termLine is one line of terminal output: its markup (safe, see
// cleanTermLine) and its text, for filtering.
type termLine struct {
	html, text string
}

// terminalLines renders terminal output as lines. Carriage-return progress
// lines are collapsed first (collapseCR), 24-bit colours mapped to the
// 256-colour palette (trueTo256), then buildkite's terminal emulator plays
// the output; its markup is re-checked line by line (cleanTermLine), so no
// escape sequence can put anything but styled text and http(s) links on
// the page. Bodies over maxTerminalBytes keep their text only.
func terminalLines(text string) []termLine {
	if len(text) > maxTerminalBytes {
		plain := escSeq.ReplaceAllString(string(collapseCR([]byte(text))), "")
		lines := strings.Split(strings.TrimSuffix(plain, "\n"), "\n")
		out := make([]termLine, len(lines))
		for i, l := range lines {
			var b strings.Builder
			escapeTo(&b, l)
			out[i] = termLine{html: b.String(), text: l}
		}
		return out
	}
	b := trueTo256(collapseCR([]byte(text)))
	screen, err := terminal.NewScreen()
	if err != nil {
		return nil // cannot happen with no options
	}
	_, _ = screen.Write(b) // a Screen does not fail
	raw := screen.AsHTMLWithTimestamps(false)
	if raw == "" {
		return nil
	}
	lines := strings.Split(raw, "\n")
	out := make([]termLine, len(lines))
	for i, l := range lines {
		out[i].html, out[i].text = cleanTermLine(l)
	}
	return out
}

// firstErrorLine returns the number of the first line of body that reads
// as an error (errorLine), counting lines as RenderLines does, within
// MaxDisplayBytes; 0: none.
func (h *Highlighter) firstErrorLine(body []byte, syntax string) int {
	body = body[:runeCut(body, h.opts.MaxDisplayBytes)]
	var text string
	if key, _ := h.idx.canonical(syntax); key == ANSI {
		text = escSeq.ReplaceAllString(string(collapseCR(body)), "")
	} else {
		text = normaliseText(body)
	}
	n := 0
	for line := range strings.Lines(text) {
		n++
		if errorLine(line) {
			return n
		}
	}
	return 0
}

// collapseCR keeps, of every line rewritten in place with carriage returns
// (a progress bar), its last state: the text after its last "\r" that is
// followed by something, prefixed by the colour sequences of the states
// dropped, so that the colours in force stay in force. CRLF endings are LF.
func collapseCR(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	var out bytes.Buffer
	out.Grow(len(b))
	for len(b) > 0 {
		line, rest, nl := bytes.Cut(b, []byte("\n"))
		if i := bytes.LastIndexByte(bytes.TrimRight(line, "\r"), '\r'); i >= 0 {
			for _, sgr := range sgrSeq.FindAll(line[:i], -1) {
				out.Write(sgr)
			}
			line = line[i+1:]
		}
		out.Write(bytes.TrimRight(line, "\r"))
		if nl {
			out.WriteByte('\n')
		}
		b = rest
	}
	return out.Bytes()
}

// trueTo256 rewrites 24-bit colour parameters (38;2;r;g;b and 48;2;r;g;b)
// as the nearest colour of the xterm 256-colour palette, which has classes;
// the emulator would drop them.
func trueTo256(b []byte) []byte {
	if !bytes.Contains(b, []byte(";2;")) {
		return b
	}
	return sgrSeq.ReplaceAllFunc(b, func(seq []byte) []byte {
		params := strings.Split(string(seq[2:len(seq)-1]), ";")
		out := make([]string, 0, len(params))
		for i := 0; i < len(params); i++ {
			p := params[i]
			if (p == "38" || p == "48") && i+4 < len(params) && params[i+1] == "2" {
				var rgb [3]int
				ok := true
				for j := range rgb {
					v, err := strconv.Atoi(params[i+2+j])
					if err != nil || v < 0 || v > 255 {
						ok = false
					}
					rgb[j] = v
				}
				if ok {
					out = append(out, p, "5", strconv.Itoa(nearest256(rgb)))
					i += 4
					continue
				}
			}
			out = append(out, p)
		}
		return []byte("\x1b[" + strings.Join(out, ";") + "m")
	})
}

// cubeLevels are the six levels of the xterm colour cube's axes.
var cubeLevels = [6]int{0, 95, 135, 175, 215, 255}

// nearest256 returns the xterm palette index (16-255) nearest rgb: the best
// of the colour cube and the grey ramp.
func nearest256(rgb [3]int) int {
	var idx [3]int
	for i, v := range rgb {
		best := 0
		for j, l := range cubeLevels {
			if abs(v-l) < abs(v-cubeLevels[best]) {
				best = j
			}
		}
		idx[i] = best
	}
	cube := 16 + 36*idx[0] + 6*idx[1] + idx[2]
	cubeDist := dist(rgb, [3]int{cubeLevels[idx[0]], cubeLevels[idx[1]], cubeLevels[idx[2]]})
	avg := (rgb[0] + rgb[1] + rgb[2]) / 3
	g := min(max((avg-8+5)/10, 0), 23)
	gv := 8 + 10*g
	if dist(rgb, [3]int{gv, gv, gv}) < cubeDist {
		return 232 + g
	}
	return cube
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func dist(a, b [3]int) int {
	d0, d1, d2 := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return d0*d0 + d1*d1 + d2*d2
}

// termClass reports whether cls is one of the emulator's style classes
// ("term-fg31", "term-bgx208", "term-fg1"), styled by CSS.
func termClass(cls string) bool {
	rest, ok := strings.CutPrefix(cls, "term-")
	if !ok || rest == "" {
		return false
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// cleanTermLine re-writes one line of the emulator's markup keeping only
// spans with term-* classes and links to http(s) URLs (with rel noopener),
// every tag closed within the line; anything else (images, other schemes,
// attributes) is dropped and all text is escaped again. It returns the
// markup and the line's text.
func cleanTermLine(line string) (string, string) {
	z := html.NewTokenizer(strings.NewReader(line))
	var out, text strings.Builder
	var open []string // "span", "a", or "" for a dropped tag
	for {
		switch z.Next() {
		case html.ErrorToken:
			for i := len(open) - 1; i >= 0; i-- {
				if open[i] != "" {
					out.WriteString("</" + open[i] + ">")
				}
			}
			t := text.String()
			if t == "\u00a0" {
				// The emulator's stand-in for an empty line.
				return "", ""
			}
			return out.String(), t
		case html.TextToken:
			t := string(z.Text())
			text.WriteString(t)
			escapeTo(&out, t)
		case html.StartTagToken:
			tok := z.Token()
			switch tok.Data {
			case "span":
				var keep []string
				for _, a := range tok.Attr {
					if a.Key == "class" {
						for _, c := range strings.Fields(a.Val) {
							if termClass(c) {
								keep = append(keep, c)
							}
						}
					}
				}
				out.WriteString(`<span class="` + strings.Join(keep, " ") + `">`)
				open = append(open, "span")
			case "a":
				href := ""
				for _, a := range tok.Attr {
					if a.Key == "href" {
						href = a.Val
					}
				}
				lower := strings.ToLower(href)
				if strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://") {
					out.WriteString(`<a href="`)
					escapeTo(&out, href)
					out.WriteString(`" rel="nofollow noopener noreferrer">`)
					open = append(open, "a")
				} else {
					open = append(open, "")
				}
			}
			// Any other start tag (img, time) is dropped.
		case html.EndTagToken:
			name, _ := z.TagName()
			want := string(name)
			if want != "span" && want != "a" {
				continue
			}
			// Close the innermost open tag of that name, and those inside it.
			for i := len(open) - 1; i >= 0; i-- {
				if open[i] == want || (open[i] == "" && want == "a") {
					for j := len(open) - 1; j >= i; j-- {
						if open[j] != "" {
							out.WriteString("</" + open[j] + ">")
						}
					}
					open = open[:i]
					break
				}
			}
		}
	}
}

package render

import (
	"fmt"
	"strings"
)

// The 16 basic terminal colours (black, red, green, yellow, blue, magenta,
// cyan, white, then their bright forms) for light and dark pages: GitHub's
// terminal palettes, readable on either background.
var (
	termLight = [16]string{
		"#24292f", "#cf222e", "#116329", "#4d2d00", "#0969da", "#8250df", "#1b7c83", "#6e7781",
		"#57606a", "#a40e26", "#1a7f37", "#633c01", "#218bff", "#a475f9", "#3192aa", "#8c959f",
	}
	termDark = [16]string{
		"#484f58", "#ff7b72", "#3fb950", "#d29922", "#58a6ff", "#bc8cff", "#39c5cf", "#b1bac4",
		"#6e7681", "#ffa198", "#56d364", "#e3b341", "#79c0ff", "#d2a8ff", "#56d4dd", "#ffffff",
	}
)

// termCSS styles the classes of the terminal emulator's output (see
// terminalLines): SGR colours 30-37/90-97 and backgrounds 40-47/100-107,
// the 256-colour palette (term-fgx/term-bgx, the first 16 following the
// page's theme, the cube and grey ramp fixed), bold, faint, italic,
// underline and strike-through. Blink does not blink.
func termCSS() string {
	var b strings.Builder
	b.WriteString(".chroma .term-fg1 { font-weight: 700 }\n")
	b.WriteString(".chroma .term-fg2 { opacity: .7 }\n")
	b.WriteString(".chroma .term-fg3 { font-style: italic }\n")
	b.WriteString(".chroma .term-fg4 { text-decoration: underline }\n")
	b.WriteString(".chroma .term-fg9 { text-decoration: line-through }\n")
	b.WriteString(".chroma .term-fg4.term-fg9 { text-decoration: underline line-through }\n")
	for i := 16; i < 256; i++ {
		c := xterm256(i)
		fmt.Fprintf(&b, ".chroma .term-fgx%d { color: %s }\n.chroma .term-bgx%d { background-color: %s }\n", i, c, i, c)
	}
	b.WriteString(basicTermCSS(termLight))
	dark := basicTermCSS(termDark)
	b.WriteString(scoped(dark, `:root[data-theme="dark"] `))
	b.WriteString("@media (prefers-color-scheme: dark) {\n")
	b.WriteString(scoped(dark, `:root:not([data-theme="light"]) `))
	b.WriteString("}\n")
	return b.String()
}

// basicTermCSS is the rules of the 16 theme colours.
func basicTermCSS(p [16]string) string {
	var b strings.Builder
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&b, ".chroma .term-fg%d { color: %s }\n", 30+i, p[i])
		fmt.Fprintf(&b, ".chroma .term-fgi%d { color: %s }\n", 90+i, p[8+i])
		fmt.Fprintf(&b, ".chroma .term-bg%d { background-color: %s }\n", 40+i, p[i])
		fmt.Fprintf(&b, ".chroma .term-bgi%d { background-color: %s }\n", 100+i, p[8+i])
	}
	for i := 0; i < 16; i++ {
		fmt.Fprintf(&b, ".chroma .term-fgx%d { color: %s }\n.chroma .term-bgx%d { background-color: %s }\n", i, p[i], i, p[i])
	}
	return b.String()
}

// xterm256 is the colour of palette index i (16-255): the 6×6×6 cube, then
// the 24 greys.
func xterm256(i int) string {
	if i >= 232 {
		g := 8 + 10*(i-232)
		return fmt.Sprintf("#%02x%02x%02x", g, g, g)
	}
	i -= 16
	return fmt.Sprintf("#%02x%02x%02x", cubeLevels[i/36], cubeLevels[i/6%6], cubeLevels[i%6])
}

package render

import (
	"bytes"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// PlainText is the canonical key of plain text: no highlighting.
const PlainText = "text"

// detectPrefix is how much of a body chroma's analysers see. They
// are backtracking regexps whose cost grows faster than the input (measured:
// 7 ms for 4 KiB, 87 ms for 16 KiB), and the first lines are what identify a
// language anyway.
const detectPrefix = 4 << 10

// extraAliases are names people use that chroma does not list as aliases,
// including interpreters named on a "#!" line.
var extraAliases = map[string]string{
	"plain":      PlainText,
	"plain text": PlainText, // its label
	"txt":        PlainText,
	"node":       "javascript",
	"nodejs":     "javascript",
	"sh":         "bash",
	"zsh":        "bash",
	"python3":    "python",
	"python2":    "python2",
	"pwsh":       "powershell",
	"golang":     "go",
}

// maxFilenameLen bounds the file name Detect matches against lexer globs.
const maxFilenameLen = 255

// Syntax is one entry of the syntax list: its canonical key and the label
// to show for it.
type Syntax struct {
	Key   string
	Label string
}

// Syntaxes knows the languages the highlighter supports, over chroma's lexer
// registry. It implements paste.Syntaxes and is safe for concurrent use.
//
// Canonical keys are lowercase and URL-safe (letters, digits, '.', '_', '-'):
// the lexer's name lowercased when that is URL-safe ("go", "python",
// "javascript", "markdown"), otherwise its first URL-safe alias ("cpp" for
// C++, "csharp" for C#). Plain text is "text". Keys are stable for a given
// chroma version; every key is also accepted by Canonical.
type Syntaxes struct {
	idx *syntaxIndex
}

// syntaxIndex is the immutable lookup data shared by every Syntaxes and
// Highlighter; chroma's registry is global, so it is built once.
type syntaxIndex struct {
	lookup map[string]string       // lowercased name, alias or key -> key
	byKey  map[string]chroma.Lexer // key -> lexer
	keyOf  map[string]string       // lexer config name -> key
	labels map[string]string       // key -> label
	list   []Syntax
	// dotless are the filename globs without a dot ("Makefile",
	// "*akefile"): the only ones a name without a dot can match, so
	// Detect skips chroma's full match (thousands of globs) for titles
	// such as "notes" unless one of these matches.
	dotless []string
	// linguist maps Linguist (go-enry) language names to keys.
	linguist map[string]string
}

var sharedIndex = sync.OnceValue(buildIndex)

// NewSyntaxes returns the syntaxes known to chroma's global lexer registry.
func NewSyntaxes() *Syntaxes {
	return &Syntaxes{idx: sharedIndex()}
}

func buildIndex() *syntaxIndex {
	all := append([]chroma.Lexer(nil), lexers.GlobalLexerRegistry.Lexers...)
	sort.Slice(all, func(i, j int) bool { return all[i].Config().Name < all[j].Config().Name })

	idx := &syntaxIndex{
		lookup: map[string]string{},
		byKey:  map[string]chroma.Lexer{},
		keyOf:  map[string]string{},
		labels: map[string]string{},
	}
	for _, l := range all {
		cfg := l.Config()
		for _, g := range append(append([]string(nil), cfg.Filenames...), cfg.AliasFilenames...) {
			if !strings.Contains(g, ".") {
				idx.dotless = append(idx.dotless, g)
			}
		}
	}
	for _, l := range all {
		cfg := l.Config()
		key := chooseKey(cfg, idx.byKey)
		idx.byKey[key] = l
		idx.keyOf[cfg.Name] = key
		label := cfg.Name
		if r, size := utf8.DecodeRuneInString(label); unicode.IsLower(r) {
			label = string(unicode.ToUpper(r)) + label[size:]
		}
		if key == PlainText {
			label = "Plain text"
		}
		idx.labels[key] = label
		idx.list = append(idx.list, Syntax{Key: key, Label: label})
	}
	if _, ok := idx.byKey[PlainText]; !ok {
		// chroma always ships a plaintext lexer; keep "text" valid regardless.
		idx.labels[PlainText] = "Plain text"
		idx.list = append(idx.list, Syntax{Key: PlainText, Label: "Plain text"})
	}
	// Pastel's own syntaxes, which no chroma lexer provides: terminal
	// output (played by the terminal emulator) and TSV (shown as a table).
	for _, own := range []Syntax{{Key: ANSI, Label: "ANSI terminal output"}, {Key: TSV, Label: "TSV"}} {
		if _, ok := idx.labels[own.Key]; !ok {
			idx.labels[own.Key] = own.Label
			idx.list = append(idx.list, own)
		}
	}
	// Keys win over names, names over aliases, so that every key round-trips
	// and a name never resolves to another lexer that merely aliases it.
	for key := range idx.labels {
		idx.lookup[key] = key
	}
	for _, l := range all {
		cfg := l.Config()
		addLookup(idx.lookup, cfg.Name, idx.keyOf[cfg.Name])
	}
	for _, l := range all {
		cfg := l.Config()
		for _, a := range cfg.Aliases {
			addLookup(idx.lookup, a, idx.keyOf[cfg.Name])
		}
	}
	for alias, key := range extraAliases {
		if _, ok := idx.labels[key]; ok {
			addLookup(idx.lookup, alias, key)
		}
	}
	// File extensions come last: "yml", "h", "rb" are what people type.
	for _, l := range all {
		cfg := l.Config()
		for _, glob := range cfg.Filenames {
			if ext, ok := strings.CutPrefix(glob, "*."); ok && urlSafe(strings.ToLower(ext)) {
				addLookup(idx.lookup, ext, idx.keyOf[cfg.Name])
			}
		}
	}
	sort.SliceStable(idx.list, func(i, j int) bool {
		a, b := strings.ToLower(idx.list[i].Label), strings.ToLower(idx.list[j].Label)
		if a != b {
			return a < b
		}
		return idx.list[i].Key < idx.list[j].Key
	})
	idx.buildLinguist()
	return idx
}

func addLookup(m map[string]string, name, key string) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return
	}
	if _, taken := m[name]; !taken {
		m[name] = key
	}
}

// chooseKey picks the canonical key for a lexer, avoiding keys in taken.
func chooseKey(cfg *chroma.Config, taken map[string]chroma.Lexer) string {
	if strings.EqualFold(cfg.Name, "plaintext") {
		return PlainText
	}
	candidates := []string{strings.ToLower(cfg.Name)}
	for _, a := range cfg.Aliases {
		candidates = append(candidates, strings.ToLower(a))
	}
	for _, c := range candidates {
		if c == PlainText {
			continue
		}
		if _, dup := taken[c]; urlSafe(c) && !dup {
			return c
		}
	}
	base := slug(cfg.Name)
	key := base
	for n := 2; ; n++ {
		if _, dup := taken[key]; !dup && key != PlainText {
			return key
		}
		key = base + "-" + strconv.Itoa(n)
	}
}

// urlSafe reports whether s is a non-empty run of [a-z0-9._-] starting with
// a letter or digit.
func urlSafe(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case (c == '.' || c == '_' || c == '-') && i > 0:
		default:
			return false
		}
	}
	return true
}

// slug lowercases s and turns every run of other characters into '-'.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case r == '+':
			b.WriteString("p")
			dash = false
		case r == '#':
			b.WriteString("sharp")
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if out == "" {
		out = "lexer"
	}
	return out
}

// Canonical returns the canonical key for a syntax name, alias or key
// (case-insensitive, surrounding space ignored), and whether it is known.
// "" and "auto" are not syntaxes: the paste Service handles them.
func (s *Syntaxes) Canonical(name string) (string, bool) {
	return s.idx.canonical(name)
}

func (idx *syntaxIndex) canonical(name string) (string, bool) {
	if len(name) > 64 {
		return "", false
	}
	key, ok := idx.lookup[strings.ToLower(strings.TrimSpace(name))]
	return key, ok
}

// Detect guesses the syntax of a body. ANSI escape sequences make it ANSI
// (terminal output). A file name decides when it names a
// language (Linguist's file names and extensions, then chroma's globs);
// otherwise the content does, over a bounded prefix: an Emacs or Vim
// modeline, a "#!" line, the shape of a diff, JSON, XML or HTML document,
// then Linguist's classifier (go-enry) among the languages people paste,
// and chroma's analysers only as a last resort. Prose, logs, binary and
// input too short to tell are "text": a wrong language is worse than none.
func (s *Syntaxes) Detect(filename string, content []byte) string {
	return s.idx.detect(filename, content)
}

// mayMatch reports whether some lexer's filename glob could match base: a
// name with a dot may match any, a name without only the dot-less globs.
func (idx *syntaxIndex) mayMatch(base string) bool {
	if strings.Contains(base, ".") {
		return true
	}
	for _, g := range idx.dotless {
		if ok, _ := path.Match(g, base); ok {
			return true
		}
	}
	return false
}

// shebang resolves the interpreter of a "#!" first line ("#!/bin/sh",
// "#!/usr/bin/env python3") to a syntax key.
func (idx *syntaxIndex) shebang(content []byte) (string, bool) {
	rest, ok := bytes.CutPrefix(content, []byte("#!"))
	if !ok {
		return "", false
	}
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	fields := strings.Fields(string(line))
	if len(fields) == 0 {
		return "", false
	}
	interp := path.Base(fields[0])
	if interp == "env" {
		interp = ""
		for _, f := range fields[1:] {
			if !strings.HasPrefix(f, "-") {
				interp = f
				break
			}
		}
	}
	for _, name := range []string{interp, strings.TrimRight(interp, "0123456789.")} {
		if key, ok := idx.canonical(name); ok && name != "" && key != PlainText {
			return key, true
		}
	}
	return "", false
}

// cleanFilename returns the base name of a client-supplied path, or "" when
// there is nothing usable.
func cleanFilename(name string) string {
	name = strings.TrimSpace(strings.ReplaceAll(name, `\`, "/"))
	if name == "" || len(name) > maxFilenameLen*4 || !utf8.ValidString(name) {
		return ""
	}
	base := path.Base(name)
	if base == "." || base == "/" || base == ".." || len(base) > maxFilenameLen {
		return ""
	}
	return base
}

// List returns every syntax, plain text included, sorted by label
// (case-insensitively). The caller must not modify the returned slice.
func (s *Syntaxes) List() []Syntax {
	return s.idx.list
}

// Label returns the display label for a syntax key ("Go", "C++",
// "Plain text"), resolving names and aliases too; an unknown key is
// returned unchanged.
func (s *Syntaxes) Label(key string) string {
	if k, ok := s.idx.canonical(key); ok {
		return s.idx.labels[k]
	}
	return key
}

// lexer returns the chroma lexer for a syntax name, or nil for plain text and
// unknown names.
func (idx *syntaxIndex) lexer(name string) chroma.Lexer {
	key, ok := idx.canonical(name)
	if !ok || key == PlainText {
		return nil
	}
	return idx.byKey[key]
}

// runeCut returns the largest n <= max such that b[:n] does not end inside
// a UTF-8 sequence.
func runeCut(b []byte, max int) int {
	if max >= len(b) {
		return len(b)
	}
	n := max
	for i := 0; i < utf8.UTFMax && n > 0; i++ {
		if utf8.RuneStart(b[n]) {
			return n
		}
		n--
	}
	return max // not UTF-8 here anyway; cut where asked
}

package render

import (
	"bytes"
	"encoding/json"
	"path"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/go-enry/go-enry/v2"
	"github.com/go-enry/go-enry/v2/data"
)

// classifyPrefix is how much of a body detection reads at all (the
// classifier, the shape checks); the signals read the first detectPrefix of
// it. 8 KiB is well past what identifies a language, and bounds the cost of
// a 10 MiB body to that of 8 KiB.
const classifyPrefix = 8 << 10

// classifierCandidates are the languages the Linguist classifier may pick
// from when there is no file name: the languages people paste. Letting it
// choose among all ~700 Linguist languages makes it pick obscure ones for
// ordinary snippets ("Text" is one of them, so prose stays prose).
var classifierCandidates = []string{
	"Batchfile", "C", "C#", "C++", "CSS", "Clojure", "Dart", "Diff", "Dockerfile",
	"Elixir", "Go", "GraphQL", "Groovy", "HCL", "HTML", "Haskell", "INI",
	"JSON", "Java", "JavaScript", "Kotlin", "Lua", "Makefile", "Markdown", "Nix",
	"OCaml", "Objective-C", "PHP", "PowerShell", "Protocol Buffer", "Python",
	"R", "Ruby", "Rust", "SCSS", "SQL", "Scala", "Shell", "Swift", "TOML", "Text",
	"TypeScript", "XML", "YAML", "Zig",
}

// linguistKeys maps Linguist names whose chroma key the generic lookup
// (name, alias, extension) gets wrong or misses.
var linguistKeys = map[string]string{
	"Text":               PlainText,
	"Shell":              "bash",
	"Dockerfile":         "docker",
	"Protocol Buffer":    "protobuf",
	"Vim Script":         "vim",
	"Git Config":         "ini",
	"Ignore List":        PlainText,
	"JSON with Comments": "json",
}

// buildLinguist maps every Linguist language to a chroma key where one fits.
func (idx *syntaxIndex) buildLinguist() {
	idx.linguist = map[string]string{}
	for name, key := range linguistKeys {
		if _, ok := idx.labels[key]; ok {
			idx.linguist[name] = key
		}
	}
	for _, info := range data.LanguageInfoByID {
		if _, done := idx.linguist[info.Name]; done {
			continue
		}
		names := append([]string{info.Name}, info.Aliases...)
		for _, e := range info.Extensions {
			names = append(names, strings.TrimPrefix(e, "."))
		}
		for _, n := range names {
			if key, ok := idx.canonical(n); ok {
				idx.linguist[info.Name] = key
				break
			}
		}
	}
}

// fromLinguist returns the chroma key of the first of langs that has one.
func (idx *syntaxIndex) fromLinguist(langs []string) (string, bool) {
	for _, l := range langs {
		if key, ok := idx.linguist[l]; ok {
			return key, true
		}
	}
	return "", false
}

// detect is Detect; see there.
func (idx *syntaxIndex) detect(filename string, content []byte) string {
	prefix := content[:runeCut(content, classifyPrefix)]
	if bytes.IndexByte(prefix, 0) < 0 && looksLikeANSI(prefix) {
		// Escape sequences say terminal output whatever the file is called.
		return ANSI
	}
	if key, ok := idx.byFilename(filename, prefix); ok {
		return key
	}
	if len(bytes.TrimSpace(prefix)) == 0 || bytes.IndexByte(prefix, 0) >= 0 || enry.IsBinary(prefix) {
		return PlainText
	}
	if key, ok := idx.fromLinguist(enry.GetLanguagesByModeline("", prefix, nil)); ok {
		return key
	}
	if key, ok := idx.fromLinguist(enry.GetLanguagesByShebang("", prefix, nil)); ok {
		return key
	}
	if key, ok := idx.shebang(prefix); ok {
		return key
	}
	if key, ok := idx.byShape(prefix); ok {
		return key
	}
	if looksLikeText(prefix) {
		return PlainText
	}
	if key := signalKey(string(prefix[:runeCut(prefix, detectPrefix)])); key != "" {
		return key
	}
	if key, ok := idx.fromLinguist(enry.GetLanguagesByClassifier("", prefix, classifierCandidates)); ok {
		return key
	}
	// chroma's analysers only when the classifier had nothing to go on.
	analysed := prefix[:runeCut(prefix, detectPrefix)]
	if l := lexers.Analyse(string(bytes.ToValidUTF8(analysed, []byte("\uFFFD")))); l != nil {
		if key, ok := idx.keyOf[l.Config().Name]; ok {
			return key
		}
	}
	return PlainText
}

// byFilename resolves a file name: Linguist's exact names (Makefile,
// Dockerfile), then extensions, with Linguist's content heuristics and
// classifier between the candidates of an ambiguous extension (.h, .m,
// .pl), then chroma's globs.
func (idx *syntaxIndex) byFilename(filename string, prefix []byte) (string, bool) {
	base := cleanFilename(filename)
	if base == "" {
		return "", false
	}
	if ext := path.Ext(base); ext != "" && strings.Trim(ext[1:], "0123456789") == "" {
		// "Release 2.1" is a title, not a man page.
		return "", false
	}
	langs := enry.GetLanguagesByFilename(base, nil, nil)
	if len(langs) == 0 {
		langs = enry.GetLanguagesByExtension(base, nil, nil)
	}
	if len(langs) > 1 && len(prefix) > 0 {
		if h := enry.GetLanguagesByContent(base, prefix, langs); len(h) > 0 {
			langs = h
		}
		if len(langs) > 1 {
			langs = enry.GetLanguagesByClassifier(base, prefix, langs)
		}
	}
	if key, ok := idx.fromLinguist(langs); ok {
		return key, true
	}
	if idx.mayMatch(base) {
		if l := lexers.Match(base); l != nil {
			if key, ok := idx.keyOf[l.Config().Name]; ok {
				return key, true
			}
		}
	}
	return "", false
}

var (
	diffHeader = regexp.MustCompile(`(?m)^(diff --git a/|diff -[a-zA-Z]* |Index: |--- \S.*\n\+\+\+ \S|@@ -\d+(,\d+)? \+\d+(,\d+)? @@)`)
	xmlDecl    = regexp.MustCompile(`^<\?xml\s`)
	htmlStart  = regexp.MustCompile(`(?i)^(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])`)
)

// byShape recognises formats whose structure says what they are, before the
// classifier, which confuses them with languages that share their tokens:
// unified diffs (a `git show` starts with a commit message), JSON that
// parses, XML with a declaration, HTML documents.
func (idx *syntaxIndex) byShape(prefix []byte) (string, bool) {
	trimmed := bytes.TrimSpace(prefix)
	if loc := diffHeader.FindIndex(prefix); loc != nil && diffLines(prefix[loc[0]:]) {
		return idx.known("diff")
	}
	if (trimmed[0] == '{' || trimmed[0] == '[') && len(prefix) < classifyPrefix && json.Valid(trimmed) {
		if !bytes.ContainsRune(trimmed, '\n') && len(trimmed) < 3 {
			return "", false
		}
		return idx.known("json")
	}
	if xmlDecl.Match(trimmed) {
		return idx.known("xml")
	}
	if htmlStart.Match(trimmed) {
		return idx.known("html")
	}
	if m := markupStart.FindSubmatch(trimmed); m != nil && trimmed[len(trimmed)-1] == '>' {
		if htmlTags[strings.ToLower(string(m[1]))] {
			return idx.known("html")
		}
		return idx.known("xml")
	}
	if len(makeRule.FindAllIndex(prefix, 2)) == 2 {
		return idx.known("makefile")
	}
	if key := configShape(string(trimmed)); key != "" {
		return idx.known(key)
	}
	if markdownShape(string(trimmed)) {
		return idx.known("markdown")
	}
	return "", false
}

var (
	markupStart = regexp.MustCompile(`^<([A-Za-z][\w:.-]*)[\s>/]`)
	makeRule    = regexp.MustCompile(`(?m)^[\w.%/$()-]+( [\w.%/$()-]+)*:( [^=\n][^\n]*)?\n\t\S`)
	htmlTags    = map[string]bool{}
)

func init() {
	for _, t := range strings.Fields(`a abbr article aside audio b blockquote body br button canvas code details dialog div dl em fieldset figure footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe img input label li link main meta nav ol option p picture pre script section select small span strong style summary table tbody td template textarea tfoot th thead title tr ul video`) {
		htmlTags[t] = true
	}
}

var (
	iniSection = regexp.MustCompile(`^\[[^\]=]+\]$`)
	iniPair    = regexp.MustCompile(`^[\w.\-"* ]+\s*=\s*(.*)$`)
	tomlValue  = regexp.MustCompile(`^("[^"]*"|'[^']*'|\[.*\]?|\{.*\}|true|false|[-+]?\d[\d_.eE:+-]*|""".*)$`)
	yamlLine   = regexp.MustCompile(`^(---|\.\.\.|- .*|-$|[\w"'./${}\-]+( [\w"'./-]+)*:( .*)?)$`)
	yamlTop    = regexp.MustCompile(`^(---|[\w"'.-]+:( .*)?|- [\w"'.-]+:( .*)?)$`)
	mdHeading  = regexp.MustCompile(`(?m)^#{1,6} \S|^.+\n(=+|-+)$`)
	mdMarkup   = regexp.MustCompile("(?m)^\\s*([-*+] |\\d+\\. |> |```)|\\]\\([^)\\s]+\\)|\\*\\*\\S|^\\|.*\\|$|^\\s*[-*] \\[[ xX]\\] ")
)

// configShape recognises INI, TOML and YAML files: every line a section,
// a pair or a comment. TOML's values are typed (quoted, numbers, arrays),
// INI's are bare words.
func configShape(text string) string {
	var lines, sections, pairs, typed, yaml int
	for line := range strings.Lines(text) {
		l := strings.TrimSpace(line)
		if l == "" || l[0] == '#' || l[0] == ';' {
			continue
		}
		lines++
		if yamlLine.MatchString(l) {
			yaml++
		}
		switch {
		case iniSection.MatchString(l) || strings.HasPrefix(l, "[[") && strings.HasSuffix(l, "]]"):
			sections++
		case iniPair.MatchString(l):
			pairs++
			if tomlValue.MatchString(strings.TrimSpace(iniPair.FindStringSubmatch(l)[1])) {
				typed++
			}
		}
	}
	if lines >= 2 && sections+pairs == lines && pairs > 0 {
		if typed*10 >= pairs*8 {
			return "toml"
		}
		if sections > 0 {
			return "ini"
		}
	}
	first := ""
	for line := range strings.Lines(text) {
		if l := strings.TrimSpace(line); l != "" && l[0] != '#' {
			first = l
			break
		}
	}
	if lines >= 3 && yaml*10 >= lines*9 && yamlTop.MatchString(first) {
		return "yaml"
	}
	return ""
}

// markdownShape reports a document with Markdown headings and other
// Markdown markup (lists, links, emphasis, fences, tables).
func markdownShape(text string) bool {
	return mdHeading.MatchString(text) && len(mdMarkup.FindAllStringIndex(text, 3)) >= 2 ||
		len(mdMarkup.FindAllStringIndex(text, 4)) >= 4 && strings.Contains(text, "](")
}

// diffLines reports whether the text after a diff header has hunk lines.
func diffLines(b []byte) bool {
	return bytes.Contains(b, []byte("\n@@ ")) || bytes.HasPrefix(b, []byte("@@ "))
}

func (idx *syntaxIndex) known(key string) (string, bool) {
	_, ok := idx.labels[key]
	return key, ok
}

var (
	logLine  = regexp.MustCompile(`^\s*(\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\[?\d{2}:\d{2}:\d{2}|\[?(\w{3} +\d+ \d{2}:\d{2}:\d{2})|\[?(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL)\b|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3} - |[IWEF]\d{4} \d{2}:\d{2})`)
	codeLine = regexp.MustCompile(`[;{}]\s*$|^\s*[})\]]|^\s*(#include|import|from \S+ import|package|def|func|fn|class|public|private|return|if|for|while|let|const|var|SELECT|select|<[a-zA-Z/!?])\b|\w\(.*\)|=>|:=|==|->|^\s*[-*] |^#+ |^\s*[\w.-]+\s*[:=]`)
)

// looksLikeText reports whether a body reads as prose or a log rather than
// code: short input, or lines that are mostly words with few of the marks
// code is made of. The classifier always names a language, so this is what
// keeps a paragraph of English from coming out as one.
func looksLikeText(prefix []byte) bool {
	var lines, logs, code, words, marks, letters int
	for line := range strings.Lines(string(prefix)) {
		l := strings.TrimSpace(line)
		if l == "" {
			continue
		}
		lines++
		if logLine.MatchString(l) {
			logs++
		}
		if codeLine.MatchString(l) {
			code++
		}
		words += len(strings.Fields(l))
		for _, r := range l {
			switch {
			case unicode.IsLetter(r):
				letters++
			case strings.ContainsRune("{}[]();=<>$_|\\/*&#@%^`~\"", r):
				marks++
			}
		}
		if lines >= 200 {
			break
		}
	}
	nonSpace := len(bytes.Join(bytes.Fields(prefix), nil))
	switch {
	case lines == 0:
		return true
	case lines <= 2 && nonSpace < 24:
		return true // too little to tell; a wrong language is worse than none
	case logs*2 >= lines && lines >= 2:
		return true
	case marks == 0 && code == 0:
		return true // words and sentence punctuation only
	}
	// Prose: long word-y lines, few code marks, few code-shaped lines.
	avgWords := float64(words) / float64(lines)
	markRatio := float64(marks) / float64(max(letters, 1))
	return avgWords >= 6 && markRatio < 0.03 && code*4 < lines
}

// fileExtensions are the download extensions of common keys where the
// first Linguist or chroma extension is not the usual one.
var fileExtensions = map[string]string{
	PlainText: "txt", "bash": "sh", "markdown": "md", "python": "py", "python2": "py",
	"javascript": "js", "typescript": "ts", "yaml": "yaml", "docker": "dockerfile",
	"makefile": "mk", "cpp": "cpp", "c": "c", "go": "go", "rust": "rs", "ruby": "rb",
	"csharp": "cs", "powershell": "ps1", "diff": "diff", "json": "json", "html": "html",
}

// Extension returns the file extension (without the dot) a body of the
// syntax key would usually be saved with: "py" for python, "txt" for plain
// text and anything unknown.
func (s *Syntaxes) Extension(key string) string {
	k, ok := s.idx.canonical(key)
	if !ok {
		return "txt"
	}
	if e, ok := fileExtensions[k]; ok {
		return e
	}
	l := s.idx.byKey[k]
	if l == nil {
		return "txt"
	}
	for _, g := range l.Config().Filenames {
		if e, ok := strings.CutPrefix(g, "*."); ok && urlSafe(strings.ToLower(e)) && utf8.ValidString(e) {
			return e
		}
	}
	return "txt"
}

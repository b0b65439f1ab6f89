package diff

import (
	"strconv"
	"strings"
)

// Unified writes files as a git-style unified diff: for every file that is
// not Unchanged, a "diff --git a/old b/new" section with its new, deleted
// or rename lines, "---"/"+++" lines and its hunks, or "Binary files …
// differ". A rename without changes has no hunks, as in git.
func Unified(files []FileDiff) string {
	var b strings.Builder
	for _, f := range files {
		writeFile(&b, f)
	}
	return b.String()
}

func writeFile(b *strings.Builder, f FileDiff) {
	if f.Status == Unchanged {
		return
	}
	oldName, newName := f.OldName, f.NewName
	switch f.Status {
	case Added:
		oldName = newName
	case Deleted:
		newName = oldName
	}
	b.WriteString("diff --git ")
	b.WriteString(quote("a/" + oldName))
	b.WriteByte(' ')
	b.WriteString(quote("b/" + newName))
	b.WriteByte('\n')
	switch f.Status {
	case Added:
		b.WriteString("new file mode 100644\n")
	case Deleted:
		b.WriteString("deleted file mode 100644\n")
	case Renamed:
		b.WriteString("similarity index " + strconv.Itoa(f.Similarity) + "%\n")
		b.WriteString("rename from " + quote(f.OldName) + "\n")
		b.WriteString("rename to " + quote(f.NewName) + "\n")
	}
	from, to := quote("a/"+oldName), quote("b/"+newName)
	if f.Status == Added {
		from = "/dev/null"
	}
	if f.Status == Deleted {
		to = "/dev/null"
	}
	if f.Binary {
		b.WriteString("Binary files " + from + " and " + to + " differ\n")
		return
	}
	if len(f.Hunks) == 0 {
		return // a pure rename, or an empty file added or deleted
	}
	b.WriteString("--- " + from + "\n")
	b.WriteString("+++ " + to + "\n")
	for _, h := range f.Hunks {
		b.WriteString(h.Header())
		b.WriteByte('\n')
		for _, l := range h.Lines {
			b.WriteByte(byte(l.Op))
			b.WriteString(l.Text)
			b.WriteByte('\n')
			if l.NoEOL {
				b.WriteString("\\ No newline at end of file\n")
			}
		}
	}
}

// quote quotes a path the way git does when it holds a double quote, a
// backslash or a byte outside printable ASCII; other paths go as they are.
func quote(p string) string {
	plain := true
	for i := 0; i < len(p); i++ {
		if c := p[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		return p
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c >= 0x7f:
			b.WriteByte('\\')
			b.WriteString(strconv.FormatInt(int64(c)/64, 8))
			b.WriteString(strconv.FormatInt(int64(c)/8%8, 8))
			b.WriteString(strconv.FormatInt(int64(c)%8, 8))
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// Bounds of the data views: a tree shows at most MaxTreeNodes nodes and a
// table at most MaxTableRows rows and MaxTableColumns columns; the rest is
// counted and left out, and the page says so.
const (
	MaxTreeNodes    = 5000
	MaxTableRows    = 2000
	MaxTableColumns = 100
	// maxTreeDepth is the deepest nesting a tree is built for; deeper
	// documents show their source.
	maxTreeDepth = 256
	// openDepth is how many levels of a tree start unfolded.
	openDepth = 2
)

// errTooDeep refuses documents nested past maxTreeDepth.
var errTooDeep = errors.New("render: document nested too deeply")

// dataNode is one node of a JSON or YAML document, in document order.
type dataNode struct {
	kind  string // "object", "array", "string", "number", "bool", "null", "alias"
	value string // scalars: their text
	keys  []string
	kids  []*dataNode
}

// counter counts the nodes of a document and says whether one more may be
// kept.
type counter struct{ total, kept int }

func (c *counter) next() bool {
	c.total++
	if c.kept >= MaxTreeNodes {
		return false
	}
	c.kept++
	return true
}

// Tree is a JSON or YAML document as a folding tree.
type Tree struct {
	HTML         string
	Shown, Total int // nodes
}

// RenderTree renders content as a folding tree (nested <details>, so it
// folds without scripts): syntax "json" or "yaml". Every node carries a
// button (hidden until static/app.js shows it) whose data-copy-path is the
// node's path, such as .items[3].name. Keys and values are escaped. ok is
// false when content does not parse; a YAML stream shows each document.
func RenderTree(content []byte, syntax string) (Tree, bool) {
	var c counter
	var docs []*dataNode
	switch syntax {
	case "json":
		d := json.NewDecoder(bytes.NewReader(content))
		d.UseNumber()
		n, err := readJSON(d, &c, 0)
		if err != nil {
			return Tree{}, false
		}
		if _, err := d.Token(); err != io.EOF {
			return Tree{}, false // something after the value
		}
		docs = append(docs, n)
	case "yaml":
		d := yaml.NewDecoder(bytes.NewReader(content))
		for {
			var doc yaml.Node
			err := d.Decode(&doc)
			if err == io.EOF {
				break
			}
			if err != nil {
				return Tree{}, false
			}
			n, err := fromYAML(&doc, &c, 0)
			if err != nil {
				return Tree{}, false
			}
			docs = append(docs, n)
		}
		if len(docs) == 0 {
			return Tree{}, false
		}
	default:
		return Tree{}, false
	}
	var b strings.Builder
	b.WriteString(`<div class="data-tree" data-testid="tree">`)
	for i, n := range docs {
		if len(docs) > 1 {
			b.WriteString(`<p class="tree-doc">Document ` + strconv.Itoa(i+1) + `</p>`)
		}
		writeNode(&b, n, "", "", 0)
	}
	b.WriteString(`</div>`)
	return Tree{HTML: b.String(), Shown: c.kept, Total: c.total}, true
}

// readJSON reads one value from d; nil (but consumed) past the node cap.
func readJSON(d *json.Decoder, c *counter, depth int) (*dataNode, error) {
	if depth > maxTreeDepth {
		return nil, errTooDeep
	}
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	keep := c.next()
	var n *dataNode
	if keep {
		n = &dataNode{}
	}
	switch t := tok.(type) {
	case json.Delim:
		kind := "object"
		if t == '[' {
			kind = "array"
		}
		for d.More() {
			key := ""
			if kind == "object" {
				kt, err := d.Token()
				if err != nil {
					return nil, err
				}
				key, _ = kt.(string)
			}
			kid, err := readJSON(d, c, depth+1)
			if err != nil {
				return nil, err
			}
			if n != nil && kid != nil {
				n.keys = append(n.keys, key)
				n.kids = append(n.kids, kid)
			}
		}
		if _, err := d.Token(); err != nil { // the closing delimiter
			return nil, err
		}
		if n != nil {
			n.kind = kind
		}
	case string:
		if n != nil {
			n.kind, n.value = "string", t
		}
	case json.Number:
		if n != nil {
			n.kind, n.value = "number", t.String()
		}
	case bool:
		if n != nil {
			n.kind, n.value = "bool", strconv.FormatBool(t)
		}
	case nil:
		if n != nil {
			n.kind, n.value = "null", "null"
		}
	}
	return n, nil
}

// fromYAML converts a YAML node; aliases are shown by name, never expanded
// (so a billion laughs costs nothing).
func fromYAML(y *yaml.Node, c *counter, depth int) (*dataNode, error) {
	if depth > maxTreeDepth {
		return nil, errTooDeep
	}
	if y.Kind == yaml.DocumentNode {
		if len(y.Content) == 0 {
			return &dataNode{kind: "null", value: "null"}, nil
		}
		return fromYAML(y.Content[0], c, depth)
	}
	keep := c.next()
	var n *dataNode
	if keep {
		n = &dataNode{}
	}
	switch y.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(y.Content); i += 2 {
			kid, err := fromYAML(y.Content[i+1], c, depth+1)
			if err != nil {
				return nil, err
			}
			if n != nil && kid != nil {
				n.keys = append(n.keys, y.Content[i].Value)
				n.kids = append(n.kids, kid)
			}
		}
		if n != nil {
			n.kind = "object"
		}
	case yaml.SequenceNode:
		for _, k := range y.Content {
			kid, err := fromYAML(k, c, depth+1)
			if err != nil {
				return nil, err
			}
			if n != nil && kid != nil {
				n.keys = append(n.keys, "")
				n.kids = append(n.kids, kid)
			}
		}
		if n != nil {
			n.kind = "array"
		}
	case yaml.AliasNode:
		if n != nil {
			n.kind, n.value = "alias", "*"+y.Value
		}
	default:
		if n != nil {
			n.value = y.Value
			switch y.ShortTag() {
			case "!!int", "!!float":
				n.kind = "number"
			case "!!bool":
				n.kind = "bool"
			case "!!null":
				n.kind, n.value = "null", "null"
			default:
				n.kind = "string"
			}
		}
	}
	return n, nil
}

// childPath is the path of parent's child under key (objects) or index
// i (arrays): .name, ["odd key"], [3].
func childPath(parent string, array bool, key string, i int) string {
	if array {
		return parent + "[" + strconv.Itoa(i) + "]"
	}
	if identifier(key) {
		return parent + "." + key
	}
	return parent + "[" + quoteJSON(key) + "]"
}

// identifier reports whether key may follow a dot in a path.
func identifier(key string) bool {
	if key == "" {
		return false
	}
	for i, r := range key {
		if r != '_' && r != '$' && !unicode.IsLetter(r) && (i == 0 || !unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

// quoteJSON returns s as a JSON string, < > & as themselves (the caller
// escapes for HTML).
func quoteJSON(s string) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	_ = e.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// writeNode writes n, labelled label ("" for a root), at path.
func writeNode(b *strings.Builder, n *dataNode, label, path string, depth int) {
	shown := path
	if shown == "" {
		shown = "."
	}
	if n.kind != "object" && n.kind != "array" {
		b.WriteString(`<div class="tree-leaf">`)
		writeLabel(b, label)
		b.WriteString(`<span class="tree-v tree-` + n.kind + `">`)
		if n.kind == "string" {
			escapeTo(b, quoteJSON(n.value))
		} else {
			escapeTo(b, n.value)
		}
		b.WriteString(`</span>`)
		writeCopy(b, shown)
		b.WriteString(`</div>`)
		return
	}
	b.WriteString(`<details class="tree-node"`)
	if depth < openDepth {
		b.WriteString(` open`)
	}
	b.WriteString(`><summary>`)
	writeLabel(b, label)
	open, closing := "{", "}"
	if n.kind == "array" {
		open, closing = "[", "]"
	}
	b.WriteString(`<span class="tree-t">` + open + strconv.Itoa(len(n.kids)) + closing + `</span>`)
	writeCopy(b, shown)
	b.WriteString(`</summary><div class="tree-kids">`)
	for i, kid := range n.kids {
		kp := childPath(path, n.kind == "array", n.keys[i], i)
		kl := n.keys[i]
		if n.kind == "array" {
			kl = "[" + strconv.Itoa(i) + "]"
		}
		writeNode(b, kid, kl, kp, depth+1)
	}
	b.WriteString(`</div></details>`)
}

func writeLabel(b *strings.Builder, label string) {
	if label == "" {
		return
	}
	b.WriteString(`<span class="tree-k">`)
	escapeTo(b, label)
	b.WriteString(`</span>`)
}

func writeCopy(b *strings.Builder, path string) {
	b.WriteString(`<button type="button" class="tree-copy" hidden data-copy-path="`)
	escapeTo(b, path)
	b.WriteString(`" title="Copy path `)
	escapeTo(b, path)
	b.WriteString(`">Copy path</button>`)
}

// PrettyJSON returns a JSON document written on one line, indented, and
// true; anything else (several lines already, not JSON) is returned as it
// is, with false.
func PrettyJSON(content []byte) ([]byte, bool) {
	trimmed := bytes.TrimSpace(content)
	if len(trimmed) < 2 || bytes.IndexByte(trimmed, '\n') >= 0 || (trimmed[0] != '{' && trimmed[0] != '[') || !json.Valid(trimmed) {
		return content, false
	}
	var out bytes.Buffer
	if err := json.Indent(&out, trimmed, "", "  "); err != nil {
		return content, false
	}
	out.WriteByte('\n')
	return out.Bytes(), true
}

// Table is a CSV or TSV body as an HTML table.
type Table struct {
	HTML         string
	Shown, Total int // rows, the header not counted
}

// RenderTable renders CSV (comma ',') or TSV ('\t') as a table whose first
// row is its header (sticky in its scrolling box, see CSS); every cell is
// escaped. Rows after MaxTableRows are counted, not shown; columns after
// MaxTableColumns are left out. ok is false when content does not parse
// or has no rows.
func RenderTable(content []byte, comma rune) (Table, bool) {
	if !utf8.Valid(content) {
		content = bytes.ToValidUTF8(content, []byte("\uFFFD"))
	}
	r := csv.NewReader(bytes.NewReader(content))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	var b strings.Builder
	var t Table
	row := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Table{}, false
		}
		if len(rec) > MaxTableColumns {
			rec = rec[:MaxTableColumns]
		}
		if row == 0 {
			b.WriteString(`<div class="csv-table-wrap" data-testid="table-wrap" tabindex="0"><table class="csv-table" data-testid="data-table"><thead><tr><th class="rn" scope="col">#</th>`)
			for _, h := range rec {
				b.WriteString(`<th scope="col">`)
				escapeTo(&b, h)
				b.WriteString(`</th>`)
			}
			b.WriteString(`</tr></thead><tbody>`)
			row++
			continue
		}
		t.Total++
		row++
		if t.Total > MaxTableRows {
			continue
		}
		t.Shown++
		n := strconv.Itoa(t.Total)
		b.WriteString(`<tr id="R` + n + `"><td class="rn"><a href="#R` + n + `">` + n + `</a></td>`)
		for _, c := range rec {
			b.WriteString(`<td>`)
			escapeTo(&b, c)
			b.WriteString(`</td>`)
		}
		b.WriteString(`</tr>`)
	}
	if row == 0 {
		return Table{}, false
	}
	b.WriteString(`</tbody></table></div>`)
	t.HTML = b.String()
	return t, true
}

package searchtest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
)

// Typesense is an HTTP double of the Typesense v26 API, as much of it as
// Pastel uses: collections (create, retrieve, update, drop), documents
// import (JSONL), delete by filter, search and /health. Every request's
// shape is checked against the v26 API (method, path, X-TYPESENSE-API-KEY,
// JSON fields, query parameters); a request that real Typesense would
// reject fails the test. Searching understands words, "phrases",
// -exclusions and prefix matching of the last word, and the filter_by
// grammar Pastel emits (anything else is a 400 and a test failure).
type Typesense struct {
	*httptest.Server
	t      testing.TB
	key    string
	mu     sync.Mutex
	down   bool
	colls  map[string]*collection
	Calls  []string // "METHOD path?query" of every request
	Faults int      // requests answered 503 while down
}

type collection struct {
	schema map[string]any
	fields map[string]string
	seps   string
	docs   map[string]map[string]any
}

// NewTypesense starts the double with the given API key.
func NewTypesense(t testing.TB, key string) *Typesense {
	d := &Typesense{t: t, key: key, colls: map[string]*collection{}}
	d.Server = httptest.NewServer(http.HandlerFunc(d.serve))
	t.Cleanup(d.Close)
	return d
}

// SetDown makes every request fail with 503 (down) or work again.
func (d *Typesense) SetDown(down bool) {
	d.mu.Lock()
	d.down = down
	d.mu.Unlock()
}

// DocIDs returns the IDs in a collection.
func (d *Typesense) DocIDs(coll string) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	if c := d.colls[coll]; c != nil {
		for id := range c.docs {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

func (d *Typesense) fail(w http.ResponseWriter, status int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if status != http.StatusNotFound && status != http.StatusServiceUnavailable {
		d.t.Errorf("typesense double: %s", msg)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"message": msg})
}

func reply(w http.ResponseWriter, v any) { replyStatus(w, http.StatusOK, v) }

func replyStatus(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

var validTypes = map[string]bool{"string": true, "int32": true, "int64": true, "float": true, "bool": true, "string[]": true, "int64[]": true, "auto": true, "string*": true}

func (d *Typesense) serve(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.Calls = append(d.Calls, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery)
	if d.down {
		d.Faults++
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if r.URL.Path == "/health" && r.Method == http.MethodGet {
		reply(w, map[string]bool{"ok": true})
		return
	}
	if r.Header.Get("X-TYPESENSE-API-KEY") != d.key {
		d.fail(w, http.StatusUnauthorized, "missing or wrong X-TYPESENSE-API-KEY")
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case len(parts) == 1 && parts[0] == "collections" && r.Method == http.MethodPost:
		d.createCollection(w, r)
	case len(parts) == 2 && parts[0] == "collections":
		d.collection(w, r, parts[1])
	case len(parts) == 4 && parts[0] == "collections" && parts[2] == "documents" && parts[3] == "import" && r.Method == http.MethodPost:
		d.importDocs(w, r, parts[1])
	case len(parts) == 3 && parts[0] == "collections" && parts[2] == "documents" && r.Method == http.MethodDelete:
		d.deleteDocs(w, r, parts[1])
	case len(parts) == 4 && parts[0] == "collections" && parts[2] == "documents" && parts[3] == "search" && r.Method == http.MethodGet:
		d.search(w, r, parts[1])
	default:
		d.fail(w, http.StatusNotFound, "no route %s %s", r.Method, r.URL.Path)
	}
}

func checkFields(raw []any) (map[string]string, error) {
	out := map[string]string{}
	for _, f := range raw {
		m, ok := f.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("field is not an object")
		}
		name, _ := m["name"].(string)
		typ, _ := m["type"].(string)
		if name == "" || !validTypes[typ] {
			return nil, fmt.Errorf("field %q has bad type %q", name, typ)
		}
		for k := range m {
			switch k {
			case "name", "type", "facet", "optional", "index", "sort", "infix", "locale", "drop":
			default:
				return nil, fmt.Errorf("field %q has unknown property %q", name, k)
			}
		}
		out[name] = typ
	}
	return out, nil
}

func (d *Typesense) createCollection(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		d.fail(w, http.StatusBadRequest, "collection create: content type %q", ct)
		return
	}
	var schema map[string]any
	if err := json.NewDecoder(r.Body).Decode(&schema); err != nil {
		d.fail(w, http.StatusBadRequest, "collection create: %v", err)
		return
	}
	name, _ := schema["name"].(string)
	rawFields, _ := schema["fields"].([]any)
	fields, err := checkFields(rawFields)
	if name == "" || err != nil || len(fields) == 0 {
		d.fail(w, http.StatusBadRequest, "collection create: name %q, fields: %v", name, err)
		return
	}
	for k := range schema {
		switch k {
		case "name", "fields", "default_sorting_field", "token_separators", "symbols_to_index", "enable_nested_fields":
		default:
			d.fail(w, http.StatusBadRequest, "collection create: unknown property %q", k)
			return
		}
	}
	if dsf, ok := schema["default_sorting_field"].(string); ok {
		if typ := fields[dsf]; typ != "int32" && typ != "int64" && typ != "float" {
			d.fail(w, http.StatusBadRequest, "default_sorting_field %q must be numeric", dsf)
			return
		}
	}
	if _, ok := d.colls[name]; ok {
		d.fail(w, http.StatusConflict, "collection %q exists", name)
		return
	}
	seps := ""
	if raw, ok := schema["token_separators"].([]any); ok {
		for _, s := range raw {
			str, _ := s.(string)
			if len([]rune(str)) != 1 {
				d.fail(w, http.StatusBadRequest, "token separator %q is not one character", str)
				return
			}
			seps += str
		}
	}
	d.colls[name] = &collection{schema: schema, fields: fields, seps: seps, docs: map[string]map[string]any{}}
	replyStatus(w, http.StatusCreated, schema)
}

func (d *Typesense) collection(w http.ResponseWriter, r *http.Request, name string) {
	c := d.colls[name]
	if c == nil {
		d.fail(w, http.StatusNotFound, "collection %q not found", name)
		return
	}
	switch r.Method {
	case http.MethodGet:
		reply(w, c.schema)
	case http.MethodDelete:
		delete(d.colls, name)
		reply(w, c.schema)
	case http.MethodPatch:
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			d.fail(w, http.StatusBadRequest, "collection update: %v", err)
			return
		}
		raw, _ := body["fields"].([]any)
		fields, err := checkFields(raw)
		if err != nil {
			d.fail(w, http.StatusBadRequest, "collection update: %v", err)
			return
		}
		for k, v := range fields {
			c.fields[k] = v
		}
		reply(w, body)
	default:
		d.fail(w, http.StatusMethodNotAllowed, "method %s on collection", r.Method)
	}
}

func (d *Typesense) importDocs(w http.ResponseWriter, r *http.Request, name string) {
	c := d.colls[name]
	if c == nil {
		d.fail(w, http.StatusNotFound, "collection %q not found", name)
		return
	}
	switch a := r.URL.Query().Get("action"); a {
	case "create", "upsert", "update", "emplace":
	default:
		d.fail(w, http.StatusBadRequest, "import: bad action %q", a)
		return
	}
	if bs := r.URL.Query().Get("batch_size"); bs != "" {
		if n, err := strconv.Atoi(bs); err != nil || n <= 0 {
			d.fail(w, http.StatusBadRequest, "import: bad batch_size %q", bs)
			return
		}
	}
	sc := bufio.NewScanner(r.Body)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var results []string
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var doc map[string]any
		dec := json.NewDecoder(strings.NewReader(line))
		dec.UseNumber() // int64 fields must survive exactly
		if err := dec.Decode(&doc); err != nil {
			results = append(results, `{"success":false,"error":"bad JSON"}`)
			d.t.Errorf("typesense double: import line is not JSON: %v", err)
			continue
		}
		id, _ := doc["id"].(string)
		if id == "" {
			d.t.Errorf("typesense double: document without string id")
			results = append(results, `{"success":false,"error":"no id"}`)
			continue
		}
		for f, typ := range c.fields {
			v, ok := doc[f]
			if !ok {
				d.t.Errorf("typesense double: document %s lacks field %q", id, f)
				continue
			}
			switch typ {
			case "string":
				if _, ok := v.(string); !ok {
					d.t.Errorf("typesense double: field %q of %s is not a string", f, id)
				}
			case "int64", "int32":
				if n, ok := v.(json.Number); !ok || !isInt(n) {
					d.t.Errorf("typesense double: field %q of %s is not an integer", f, id)
				}
			case "string[]":
				if !isStrings(v) {
					d.t.Errorf("typesense double: field %q of %s is not an array of strings", f, id)
				}
			}
		}
		c.docs[id] = doc
		results = append(results, `{"success":true}`)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, strings.Join(results, "\n"))
}

var idListFilter = regexp.MustCompile("^id: ?\\[([A-Za-z0-9,`]+)\\]$")

func (d *Typesense) deleteDocs(w http.ResponseWriter, r *http.Request, name string) {
	c := d.colls[name]
	if c == nil {
		d.fail(w, http.StatusNotFound, "collection %q not found", name)
		return
	}
	m := idListFilter.FindStringSubmatch(r.URL.Query().Get("filter_by"))
	if m == nil {
		d.fail(w, http.StatusBadRequest, "delete: filter_by %q is not an id list", r.URL.Query().Get("filter_by"))
		return
	}
	n := 0
	for _, id := range strings.Split(m[1], ",") {
		id = strings.Trim(id, "`")
		if _, ok := c.docs[id]; ok {
			delete(c.docs, id)
			n++
		}
	}
	reply(w, map[string]int{"num_deleted": n})
}

var searchParams = map[string]bool{
	"q": true, "query_by": true, "filter_by": true, "sort_by": true, "prefix": true, "num_typos": true,
	"drop_tokens_threshold": true, "highlight_fields": true, "highlight_start_tag": true, "highlight_end_tag": true,
	"highlight_affix_num_tokens": true, "exclude_fields": true, "include_fields": true, "page": true, "per_page": true,
	"snippet_threshold": true, "typo_tokens_threshold": true, "min_len_1typo": true, "min_len_2typo": true,
	"facet_by": true, "max_facet_values": true,
}

func (c *collection) tokens(s string) []string {
	s = strings.ToLower(s)
	return strings.FieldsFunc(s, func(r rune) bool {
		if r == '_' {
			return false
		}
		return unicode.IsSpace(r) || strings.ContainsRune(c.seps, r) || (!unicode.IsLetter(r) && !unicode.IsDigit(r))
	})
}

type tsQuery struct {
	words, excluded []string
	phrases, exPh   [][]string
}

// parseQ reads Typesense's q syntax as far as Pastel uses it.
func (c *collection) parseQ(q string) tsQuery {
	var out tsQuery
	for len(q) > 0 {
		q = strings.TrimLeft(q, " ")
		if q == "" {
			break
		}
		neg := strings.HasPrefix(q, "-")
		if neg {
			q = q[1:]
		}
		if strings.HasPrefix(q, `"`) {
			end := strings.Index(q[1:], `"`)
			text := q[1:]
			if end >= 0 {
				text, q = q[1:1+end], q[end+2:]
			} else {
				q = ""
			}
			if neg {
				out.exPh = append(out.exPh, c.tokens(text))
			} else {
				out.phrases = append(out.phrases, c.tokens(text))
			}
			continue
		}
		end := strings.IndexByte(q, ' ')
		word := q
		if end >= 0 {
			word, q = q[:end], q[end:]
		} else {
			q = ""
		}
		if neg {
			out.excluded = append(out.excluded, c.tokens(word)...)
		} else {
			out.words = append(out.words, c.tokens(word)...)
		}
	}
	return out
}

func containsSeq(toks, seq []string) bool {
	if len(seq) == 0 {
		return false
	}
	for i := 0; i+len(seq) <= len(toks); i++ {
		ok := true
		for j := range seq {
			if toks[i+j] != seq[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func hasToken(toks []string, w string, prefix bool) bool {
	return matchToken(toks, w, prefix, typoRule{}) != ""
}

// typoRule is how many typos a search tolerates (num_typos, min_len_1typo,
// min_len_2typo).
type typoRule struct{ max, len1, len2 int }

func (r typoRule) budget(w string) int {
	n := len([]rune(w))
	switch {
	case r.max >= 2 && n >= r.len2:
		return 2
	case r.max >= 1 && n >= r.len1:
		return 1
	}
	return 0
}

// matchToken returns the token of toks that w matches (exactly, as a
// prefix, or within the typo budget), "" for none.
func matchToken(toks []string, w string, prefix bool, typos typoRule) string {
	for _, t := range toks {
		if t == w || (prefix && strings.HasPrefix(t, w)) {
			return t
		}
	}
	if b := typos.budget(w); b > 0 {
		for _, t := range toks {
			if editDistance(t, w) <= b {
				return t
			}
		}
	}
	return ""
}

// editDistance is the optimal string alignment distance (a swap of
// neighbours is one typo, as in Typesense).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// filter is one parsed clause of filter_by.
type filter func(doc map[string]any) bool

var (
	clauseRE = regexp.MustCompile("^([a-z_]+):(:?=|>|<=|<|>=)(`[^`]*`|-?[0-9]+|[A-Za-z0-9_]+)$")
)

func (c *collection) parseFilter(s string) (filter, error) {
	var clauses []filter
	for _, part := range strings.Split(s, " && ") {
		part = strings.TrimSpace(part)
		if strings.HasPrefix(part, "(") && strings.HasSuffix(part, ")") {
			var ors []filter
			for _, alt := range strings.Split(part[1:len(part)-1], " || ") {
				f, err := c.clause(strings.TrimSpace(alt))
				if err != nil {
					return nil, err
				}
				ors = append(ors, f)
			}
			clauses = append(clauses, func(doc map[string]any) bool {
				for _, f := range ors {
					if f(doc) {
						return true
					}
				}
				return false
			})
			continue
		}
		f, err := c.clause(part)
		if err != nil {
			return nil, err
		}
		clauses = append(clauses, f)
	}
	return func(doc map[string]any) bool {
		for _, f := range clauses {
			if !f(doc) {
				return false
			}
		}
		return true
	}, nil
}

func (c *collection) clause(s string) (filter, error) {
	m := clauseRE.FindStringSubmatch(s)
	if m == nil {
		return nil, fmt.Errorf("filter clause %q is not valid", s)
	}
	field, op, val := m[1], m[2], m[3]
	typ, ok := c.fields[field]
	if !ok {
		return nil, fmt.Errorf("filter on unknown field %q", field)
	}
	if typ == "string[]" {
		// An array matches when one of its strings does.
		if op != ":=" && op != "=" {
			return nil, fmt.Errorf("operator %q on string[] field %q", op, field)
		}
		val = strings.Trim(val, "`")
		return func(doc map[string]any) bool {
			vs, _ := doc[field].([]any)
			for _, v := range vs {
				if s, _ := v.(string); s == val {
					return true
				}
			}
			return false
		}, nil
	}
	if typ == "string" {
		if op != ":=" && op != "=" {
			return nil, fmt.Errorf("operator %q on string field %q", op, field)
		}
		val = strings.Trim(val, "`")
		exact := op == ":="
		return func(doc map[string]any) bool {
			v, _ := doc[field].(string)
			if exact {
				return v == val
			}
			return strings.EqualFold(v, val)
		}, nil
	}
	n, err := strconv.ParseInt(val, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("filter value %q on numeric field %q", val, field)
	}
	return func(doc map[string]any) bool {
		v := toInt(doc[field])
		switch op {
		case ">":
			return v > n
		case ">=":
			return v >= n
		case "<":
			return v < n
		case "<=":
			return v <= n
		default:
			return v == n
		}
	}, nil
}

func (d *Typesense) search(w http.ResponseWriter, r *http.Request, name string) {
	c := d.colls[name]
	if c == nil {
		d.fail(w, http.StatusNotFound, "collection %q not found", name)
		return
	}
	qs := r.URL.Query()
	for k := range qs {
		if !searchParams[k] {
			d.fail(w, http.StatusBadRequest, "search: unknown parameter %q", k)
			return
		}
	}
	if !qs.Has("q") || qs.Get("query_by") == "" {
		d.fail(w, http.StatusBadRequest, "search: q and query_by are required")
		return
	}
	queryBy := strings.Split(qs.Get("query_by"), ",")
	for _, f := range queryBy {
		if c.fields[f] != "string" {
			d.fail(w, http.StatusBadRequest, "search: query_by field %q is not a string field", f)
			return
		}
	}
	if sb := qs.Get("sort_by"); sb != "" && sb != "created_at:desc" {
		d.fail(w, http.StatusBadRequest, "search: sort_by %q unexpected", sb)
		return
	}
	typos := typoRule{max: 2, len1: 4, len2: 7}
	for name, dst := range map[string]*int{"num_typos": &typos.max, "min_len_1typo": &typos.len1, "min_len_2typo": &typos.len2} {
		if v := qs.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || (name == "num_typos" && n > 2) {
				d.fail(w, http.StatusBadRequest, "search: bad %s %q", name, v)
				return
			}
			*dst = n
		}
	}
	threshold := 1
	if v := qs.Get("typo_tokens_threshold"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			d.fail(w, http.StatusBadRequest, "search: bad typo_tokens_threshold %q", v)
			return
		}
		threshold = n
	}
	facetBy := qs.Get("facet_by")
	if facetBy != "" {
		for _, f := range strings.Split(facetBy, ",") {
			if !facetField(c.schema, f) {
				d.fail(w, http.StatusBadRequest, "search: facet_by field %q is not a facet field", f)
				return
			}
		}
	}
	match := func(map[string]any) bool { return true }
	if fb := qs.Get("filter_by"); fb != "" {
		f, err := c.parseFilter(fb)
		if err != nil {
			d.fail(w, http.StatusBadRequest, "search: %v", err)
			return
		}
		match = f
	}
	page, perPage := 1, 10
	if v := qs.Get("page"); v != "" {
		page, _ = strconv.Atoi(v)
	}
	if v := qs.Get("per_page"); v != "" {
		perPage, _ = strconv.Atoi(v)
	}
	if page < 1 || perPage < 0 || perPage > 250 {
		d.fail(w, http.StatusBadRequest, "search: bad page %d or per_page %d", page, perPage)
		return
	}
	q := c.parseQ(qs.Get("q"))
	prefix := qs.Get("prefix") != "false"
	// Typesense looks for words as typed first and tolerates typos only
	// while fewer than typo_tokens_threshold documents match.
	find := func(rule typoRule) ([]map[string]any, map[string][]string) {
		var hits []map[string]any
		matched := map[string][]string{}
		for _, doc := range c.docs {
			if !match(doc) {
				continue
			}
			var toks []string
			for _, f := range queryBy {
				s, _ := doc[f].(string)
				toks = append(toks, c.tokens(s)...)
				toks = append(toks, "\x00") // phrases do not span fields
			}
			ok := len(q.words)+len(q.phrases) > 0
			var got []string
			for i, wd := range q.words {
				m := matchToken(toks, wd, prefix && i == len(q.words)-1, rule)
				ok = ok && m != ""
				got = append(got, m)
			}
			for _, p := range q.phrases {
				ok = ok && containsSeq(toks, p)
				got = append(got, p...)
			}
			for _, wd := range q.excluded {
				ok = ok && !hasToken(toks, wd, false)
			}
			for _, p := range q.exPh {
				ok = ok && !containsSeq(toks, p)
			}
			if ok {
				hits = append(hits, doc)
				id, _ := doc["id"].(string)
				matched[id] = got
			}
		}
		return hits, matched
	}
	hits, matched := find(typoRule{})
	if typos.max > 0 && len(hits) < threshold {
		hits, matched = find(typos)
	}
	var facets []map[string]any
	if facetBy != "" {
		for _, f := range strings.Split(facetBy, ",") {
			counts := map[string]int{}
			for _, doc := range hits {
				v, _ := doc[f].(string)
				counts[v]++
			}
			var list []map[string]any
			for v, n := range counts {
				list = append(list, map[string]any{"value": v, "count": n, "highlighted": v})
			}
			sort.Slice(list, func(i, j int) bool { return list[i]["count"].(int) > list[j]["count"].(int) })
			facets = append(facets, map[string]any{"field_name": f, "counts": list, "stats": map[string]any{"total_values": len(list)}})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		return toInt(hits[i]["created_at"]) > toInt(hits[j]["created_at"])
	})
	found := len(hits)
	from := min((page-1)*perPage, len(hits))
	hits = hits[from:min(from+perPage, len(hits))]
	start, end := qs.Get("highlight_start_tag"), qs.Get("highlight_end_tag")
	if start == "" {
		start, end = "<mark>", "</mark>"
	}
	out := make([]map[string]any, 0, len(hits))
	for _, doc := range hits {
		shown := map[string]any{}
		for k, v := range doc {
			shown[k] = v
		}
		for _, f := range strings.Split(qs.Get("exclude_fields"), ",") {
			delete(shown, f)
		}
		id, _ := doc["id"].(string)
		words := matched[id]
		var highlights []map[string]any
		for _, f := range strings.Split(qs.Get("highlight_fields"), ",") {
			s, _ := doc[f].(string)
			if snip, toks, ok := snippet(c, s, words, start, end); ok {
				highlights = append(highlights, map[string]any{"field": f, "snippet": snip, "matched_tokens": toks})
			}
		}
		out = append(out, map[string]any{"document": shown, "highlights": highlights, "highlight": map[string]any{}, "text_match": 100})
	}
	answer := map[string]any{"found": found, "out_of": len(c.docs), "page": page, "hits": out, "search_time_ms": 0,
		"request_params": map[string]any{"collection_name": name, "per_page": perPage, "q": qs.Get("q")}}
	if facetBy != "" {
		answer["facet_counts"] = facets
	}
	reply(w, answer)
}

// facetField reports whether the collection's schema declares f a facet.
func facetField(schema map[string]any, f string) bool {
	fields, _ := schema["fields"].([]any)
	for _, raw := range fields {
		m, _ := raw.(map[string]any)
		if m["name"] == f {
			facet, _ := m["facet"].(bool)
			return facet
		}
	}
	return false
}

// snippet marks matched words in a window of s, as Typesense's highlight
// snippet does (whole words, original case kept), and returns the words
// it marked (matched_tokens).
func snippet(c *collection, s string, words []string, start, end string) (string, []string, bool) {
	fields := strings.Fields(s)
	first := -1
	var toks []string
	for i, f := range fields {
		for _, t := range c.tokens(f) {
			if containsWord(words, t) {
				if first < 0 {
					first = i
				}
				fields[i] = start + f + end
				toks = append(toks, f)
				break
			}
		}
	}
	if first < 0 {
		return "", nil, false
	}
	lo, hi := max(0, first-8), min(len(fields), first+9)
	return strings.Join(fields[lo:hi], " "), toks, true
}

func containsWord(words []string, t string) bool {
	for _, w := range words {
		if w == t || (w != "" && strings.HasPrefix(t, w)) {
			return true
		}
	}
	return false
}

func isInt(n json.Number) bool {
	_, err := n.Int64()
	return err == nil
}

func toInt(v any) int64 {
	n, _ := v.(json.Number)
	i, _ := n.Int64()
	return i
}

// isStrings reports whether v, decoded from JSON, is an array of strings.
func isStrings(v any) bool {
	vs, ok := v.([]any)
	if !ok {
		return false
	}
	for _, e := range vs {
		if _, ok := e.(string); !ok {
			return false
		}
	}
	return true
}

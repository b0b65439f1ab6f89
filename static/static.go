// Package static embeds Pastel's stylesheets, scripts and images and serves
// them under content-hashed paths, so browsers may cache them forever.
//
// Vendored: htmx.min.js is htmx 2.0.11 (npm htmx.org@2.0.11, dist/htmx.min.js,
// licence 0BSD); see VENDORED.md.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Prefix is the URL path under which every asset is served.
const Prefix = "/static/"

// BundleName is the logical name of the deferred script every page loads:
// htmx, then app.js, then draft.js, then crypt.js.
const BundleName = "bundle.js"

// PrefsName is the small script every page loads synchronously in <head>,
// outside the bundle: it applies the stored theme and line wrapping before
// the first paint.
const PrefsName = "prefs.js"

//go:embed app.css app.js draft.js prefs.js htmx.min.js favicon.svg icon-192.png icon-512.png icon-maskable-512.png
//go:embed crypt.js rich.js mermaid-frame.js vendor/mermaid/mermaid.min.js vendor/katex/katex.min.js vendor/katex/katex.min.css vendor/katex/fonts/*.woff2
var files embed.FS

// Logical names of the diagram and math assets (issue 17), loaded only by
// pages whose Markdown holds diagrams or math. Vendored: Mermaid 12.3.0 and
// KaTeX 0.19.1 (npm, MIT); see VENDORED.md.
const (
	RichName         = "rich.js"                       // finds the inert blocks and draws them
	MermaidFrameName = "mermaid-frame.js"              // runs inside the sandboxed diagram frame
	MermaidName      = "vendor/mermaid/mermaid.min.js" // loaded by the frame only
	KaTeXName        = "vendor/katex/katex.min.js"     // loaded by pages with math
	KaTeXCSSName     = "vendor/katex/katex.min.css"    // its fonts are rewritten to their versioned paths
	katexFontsDir    = "vendor/katex/fonts/"
)

// Asset is one servable file.
type Asset struct {
	Body        []byte
	ContentType string
	ETag        string // strong ETag, quoted
	gz          *gzipped
}

// gzipped is an asset's gzip encoding, made on first use: the vendored
// scripts are megabytes of text (Mermaid alone 5.5 MB, about 1.5 MB
// gzipped), and compressing every asset at start-up would cost every process
// start that time and the memory, even where no page draws a diagram.
type gzipped struct {
	once sync.Once
	src  []byte
	body []byte // nil: not worth sending compressed
}

// minGzip is the smallest body worth compressing.
const minGzip = 1 << 10

// Gzip returns the asset's gzip encoding and its ETag, or ok false when the
// asset is not compressible text or compression would not save a tenth.
func (a Asset) Gzip() (body []byte, etag string, ok bool) {
	if a.gz == nil {
		return nil, "", false
	}
	a.gz.once.Do(func() {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if _, err := w.Write(a.gz.src); err != nil || w.Close() != nil {
			return
		}
		if buf.Len() < len(a.gz.src)*9/10 {
			a.gz.body = buf.Bytes()
		}
		a.gz.src = nil
	})
	if a.gz.body == nil {
		return nil, "", false
	}
	return a.gz.body, strings.TrimSuffix(a.ETag, `"`) + `-gzip"`, true
}

// compressible reports whether a media type is text that gzip shrinks.
func compressible(contentType string) bool {
	return strings.HasPrefix(contentType, "text/") || strings.HasPrefix(contentType, "image/svg+xml") ||
		strings.HasPrefix(contentType, "application/json")
}

// Assets maps logical file names ("app.css") to versioned URL paths
// ("/static/app.1a2b3c4d.css") and back to their bodies. It is built once at
// start-up and is safe for concurrent use, since it is never changed after.
type Assets struct {
	paths map[string]string // logical name -> versioned URL path
	byURL map[string]Asset  // versioned URL path -> asset
}

// New builds the asset table from the embedded files, the script bundle and
// extra, which lets the application add generated files (such as
// "chroma.css"). An extra file with the name of an embedded one replaces it.
func New(extra map[string][]byte) *Assets {
	bodies := make(map[string][]byte)
	err := fs.WalkDir(files, ".", func(name string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		bodies[name] = b
		return nil
	})
	if err != nil {
		panic("static: reading embedded files: " + err.Error()) // cannot happen with go:embed
	}
	// One script tag per page: htmx first, so app.js can listen to its events;
	// draft.js (the bookmarklet's draft page) acts only where [data-draft] is.
	var bundle []byte
	bundle = append(bundle, bodies["htmx.min.js"]...)
	bundle = append(bundle, "\n;\n"...)
	bundle = append(bundle, bodies["app.js"]...)
	bundle = append(bundle, "\n;\n"...)
	bundle = append(bundle, bodies["draft.js"]...)
	// crypt.js (encrypted pastes) acts only where [data-encrypt-option] or
	// [data-envelope] is.
	bundle = append(bundle, "\n;\n"...)
	bundle = append(bundle, bodies["crypt.js"]...)
	bodies[BundleName] = bundle
	for name, b := range extra {
		bodies[name] = b
	}

	a := &Assets{
		paths: make(map[string]string, len(bodies)),
		byURL: make(map[string]Asset, len(bodies)),
	}
	// KaTeX's stylesheet names its fonts relative to itself; they are
	// served under versioned paths, so its url()s are rewritten to those
	// (after the fonts are added), and only the woff2 files are kept.
	katexCSS, hasKaTeX := bodies[KaTeXCSSName]
	delete(bodies, KaTeXCSSName)
	a.add(bodies)
	if hasKaTeX {
		a.add(map[string][]byte{KaTeXCSSName: a.katexCSS(katexCSS)})
	}
	return a
}

// katexFont matches one font source list in KaTeX's stylesheet.
var katexFont = regexp.MustCompile(`url\(fonts/([A-Za-z0-9_-]+)\.woff2\) format\("woff2"\)(,url\(fonts/[A-Za-z0-9_.-]+\) format\("[a-z]+"\))*`)

// katexCSS points KaTeX's font URLs at the versioned woff2 files.
func (a *Assets) katexCSS(css []byte) []byte {
	return katexFont.ReplaceAllFunc(css, func(m []byte) []byte {
		name := string(katexFont.FindSubmatch(m)[1])
		p := a.paths[katexFontsDir+name+".woff2"]
		if p == "" {
			return m
		}
		return []byte(`url(` + p + `) format("woff2")`)
	})
}

// add hashes bodies into the table.
func (a *Assets) add(bodies map[string][]byte) {
	for name, b := range bodies {
		sum := sha256.Sum256(b)
		h := hex.EncodeToString(sum[:])
		urlPath := versioned(name, h[:8])
		a.paths[name] = urlPath
		asset := Asset{
			Body:        b,
			ContentType: contentType(name),
			ETag:        `"` + h[:32] + `"`,
		}
		if len(b) >= minGzip && compressible(asset.ContentType) {
			asset.gz = &gzipped{src: b}
		}
		a.byURL[urlPath] = asset
	}
}

// versioned turns "app.css" and a hash into "/static/app.<hash>.css".
func versioned(name, hash string) string {
	ext := path.Ext(name)
	return Prefix + strings.TrimSuffix(name, ext) + "." + hash + ext
}

// Path returns the versioned URL path of the asset with the logical name, or
// "" when there is no such asset.
func (a *Assets) Path(name string) string {
	return a.paths[name]
}

// Names returns the logical names of all assets, sorted.
func (a *Assets) Names() []string {
	names := make([]string, 0, len(a.paths))
	for n := range a.paths {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup returns the asset served at urlPath, a versioned path as returned
// by Path. Unknown and unversioned paths are not found.
func (a *Assets) Lookup(urlPath string) (Asset, bool) {
	asset, ok := a.byURL[urlPath]
	return asset, ok
}

// contentType returns the media type for a file name. The table is fixed so
// that answers do not depend on the host's MIME configuration.
func contentType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	case ".webp":
		return "image/webp"
	case ".woff2":
		return "font/woff2"
	case ".json", ".map":
		return "application/json"
	case ".txt":
		return "text/plain; charset=utf-8"
	default:
		return "application/octet-stream"
	}
}

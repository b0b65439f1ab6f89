// Package archtest holds no code: its tests check the shape of the module,
// that every package imports only what the package table in README.md
// ("How it is built") allows. A new package, or a new import across
// packages, needs a row (or a changed row) there and in the table below.
package archtest

import (
	"bufio"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Groups of outside modules, by the system they adapt to. A prefix matches
// an import path equal to it or below it.
var (
	httpServer = []string{"github.com/gofiber/", "github.com/valyala/fasthttp", "github.com/gorilla/"}
	postgres   = []string{"github.com/jackc/pgx"}
	s3         = []string{"github.com/minio/"}
	templ      = []string{"github.com/a-h/templ"}
	prometheus = []string{"github.com/prometheus/"}
	typesense  = []string{"github.com/typesense/"}
)

func join(groups ...[]string) []string { return slices.Concat(groups...) }

// Every adapter: what the domain never imports.
var adapters = join(httpServer, postgres, s3, templ, prometheus, typesense)

// rule is what one package may import. may lists the module's packages it
// may import (module-relative paths); anything is for the wiring in cmd/web.
type rule struct {
	may      []string
	anything bool
	forbid   []string // outside import-path prefixes it must not import
	env      bool     // may read the environment (os.Getenv and friends)
}

// table is the package table of README.md ("How it is built") in code,
// derived from the style guide's table and what the code does. Where the
// code departs from the style guide the row says so.
var table = map[string]rule{
	"cmd/web": {anything: true, env: true},
	// The command-line client speaks to a server over HTTP only: it imports
	// nothing of the module and no adapter; it reads PASTEL_URL,
	// PASTEL_TOKEN and BROWSER.
	"cmd/pastel": {forbid: adapters, env: true},

	// The domain: no adapter, no net/http.
	"internal/paste": {
		// crashpoint is a leaf test hook: Here is an empty function unless
		// the binary is built with -tags crashpoints.
		may:    []string{"internal/crashpoint", "internal/clock"},
		forbid: join(adapters, []string{"net/http"}),
	},
	"internal/auth": {may: []string{"internal/clock"}, forbid: join(adapters, []string{"net/http"})},
	"internal/account": {
		may:    []string{"internal/auth", "internal/paste", "internal/clock"}, // paste: the shared domain vocabulary (errors, IDs)
		forbid: join(adapters, []string{"net/http"}),
	},
	"internal/admin": {
		may:    []string{"internal/paste", "internal/account", "internal/clock"},
		forbid: join(adapters, []string{"net/http"}),
	},

	// Leaves.
	"internal/config":     {env: true},
	"internal/crashpoint": {},
	// The one test clock: options structs take a clock.Clock (nil: the
	// real time), tests a clock.Fake's Now.
	"internal/clock": {},
	// The background task runner cmd/web gives its loops to (start, stop,
	// drain, log, count); it knows no domain.
	"internal/runner":    {forbid: adapters},
	"internal/lru":       {forbid: adapters},
	"internal/ratelimit": {may: []string{"internal/clock"}, forbid: adapters},
	"internal/logging":   {forbid: adapters},
	// Comparing sets of files: hunks and the unified text (go-udiff).
	"internal/diff": {forbid: adapters},

	// Adapters.
	"internal/store": {
		// ratelimit: the PostgreSQL implementation of its budgets. The style
		// guide's table does not list it.
		may: []string{"internal/paste", "internal/account", "internal/admin", "internal/ratelimit", "internal/clock", "internal/store/dbgen"},
		// Repositories only: no HTTP (the gorilla/sessions store over the
		// session rows is internal/web's) and no caches (internal/readcache).
		forbid: join(httpServer, []string{"net/http"}, s3, templ, prometheus, typesense),
	},
	"internal/store/dbgen": {forbid: join(httpServer, s3, templ, prometheus, typesense)},
	"internal/blob": {
		may:    []string{"internal/paste"},
		forbid: join(httpServer, postgres, templ, prometheus, typesense),
	},
	"internal/search": {
		may:    []string{"internal/paste", "internal/crashpoint", "internal/clock"},
		forbid: join(httpServer, postgres, s3, templ, prometheus),
	},
	// gitleaks' detector over the domain's secret-scanner port.
	"internal/secrets": {may: []string{"internal/paste"}, forbid: adapters},
	// SMTP (net/smtp) for password reset e-mails: account.Mailer.
	"internal/mail": {forbid: adapters},
	"internal/render": {
		// paste: render.Pages implements the domain's renderer port, as
		// blob implements its blob store. Nothing else of the domain.
		// diff: render.Diffs renders its comparisons (the differ port).
		may:    []string{"internal/paste", "internal/diff"},
		forbid: adapters,
	},
	// Every read-side cache, as decorators around the domain's read ports;
	// pgx only for its LISTEN connection.
	"internal/readcache": {
		may:    []string{"internal/paste", "internal/lru"},
		forbid: join(httpServer, s3, templ, prometheus, typesense),
	},
	// Not in the style guide's table: the Prometheus registry, reading
	// counters from the services and the search queue, and a pgx tracer.
	"internal/metrics": {
		may:    []string{"internal/paste"},
		forbid: join(httpServer, s3, templ, typesense),
	},

	// Surfaces.
	"internal/web": {
		// render: the syntax list the forms offer; readcache: the typed
		// page snapshots it keeps. The style guide's table lists domain,
		// views, static and api.
		may:    []string{"internal/paste", "internal/account", "internal/admin", "internal/ratelimit", "internal/api", "internal/render", "internal/readcache", "views", "static"},
		forbid: join(postgres, s3, prometheus, typesense),
	},
	"internal/api": {
		may:    []string{"internal/paste", "internal/account", "internal/admin", "internal/auth", "internal/ratelimit", "internal/clock"},
		forbid: join(postgres, s3, templ, prometheus, typesense, []string{"github.com/gorilla/"}),
	},
	"views": {
		may:    []string{"internal/paste", "internal/account", "internal/admin", "internal/auth"}, // domain types only
		forbid: join(httpServer, postgres, s3, prometheus, typesense),
	},
	"static": {forbid: adapters},

	// Test support, imported only by tests.
	"internal/pgtest":            {may: []string{"internal/store"}, env: true},
	"internal/browsertest":       {env: true},
	"internal/oidctest":          {env: true},
	"internal/blob/blobtest":     {may: []string{"internal/paste"}, env: true},
	"internal/search/searchtest": {may: []string{"internal/paste"}, env: true},
}

// Packages are named for what they provide.
var badNames = []string{"util", "utils", "common", "types", "models", "helpers", "misc"}

// roots are the folders whose packages the table covers.
var roots = []string{"cmd", "internal", "views", "static"}

// pkg is one package of the module as its non-test files have it.
type pkg struct {
	rel     string   // module-relative path
	name    string   // package name
	imports []string // every import of every non-test file, under any build tag
	envRead []string // positions of environment reads in the default build
}

// check returns what is wrong with p under table; modPath is the module path.
func check(table map[string]rule, modPath string, p pkg) []string {
	var bad []string
	if slices.Contains(badNames, p.name) || slices.Contains(badNames, path.Base(p.rel)) {
		bad = append(bad, fmt.Sprintf("%s: package named %q: name it for what it provides", p.rel, p.name))
	}
	r, ok := table[p.rel]
	if !ok {
		return append(bad, fmt.Sprintf("%s: not in the package table: add a row to README.md (How it is built) and to archtest's table", p.rel))
	}
	for _, imp := range p.imports {
		if imp == modPath || strings.HasPrefix(imp, modPath+"/") {
			dep := strings.TrimPrefix(strings.TrimPrefix(imp, modPath), "/")
			switch {
			case dep == "internal/store/dbgen" && p.rel != "internal/store":
				bad = append(bad, fmt.Sprintf("%s imports %s: only internal/store imports the sqlc package", p.rel, dep))
			case !r.anything && !slices.Contains(r.may, dep):
				bad = append(bad, fmt.Sprintf("%s imports %s: not allowed by the package table", p.rel, dep))
			}
			continue
		}
		for _, f := range r.forbid {
			if imp == strings.TrimSuffix(f, "/") || strings.HasPrefix(imp, strings.TrimSuffix(f, "/")+"/") ||
				(!strings.HasSuffix(f, "/") && strings.HasPrefix(imp, f)) {
				bad = append(bad, fmt.Sprintf("%s imports %s: forbidden there (%s)", p.rel, imp, f))
			}
		}
	}
	if !r.env {
		for _, at := range p.envRead {
			bad = append(bad, fmt.Sprintf("%s reads the environment: configuration is parsed in cmd/web and passed as options; test hooks use options or build tags", at))
		}
	}
	return bad
}

// moduleRoot returns the module's folder and path.
func moduleRoot(t *testing.T) (string, string) {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if m, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return dir, strings.TrimSpace(m)
		}
	}
	t.Fatal("go.mod names no module")
	return "", ""
}

// loadPackages lists every package under roots with its non-test imports.
func loadPackages(t *testing.T, dir string) []pkg {
	t.Helper()
	var pkgs []pkg
	for _, root := range roots {
		err := filepath.WalkDir(filepath.Join(dir, root), func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return err
			}
			if n := d.Name(); n == "testdata" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") {
				return filepath.SkipDir
			}
			bp, err := build.ImportDir(p, 0)
			var noGo *build.NoGoError
			if errors.As(err, &noGo) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			rel, _ := filepath.Rel(dir, p)
			pk := pkg{rel: filepath.ToSlash(rel), name: bp.Name}
			if len(bp.GoFiles)+len(bp.CgoFiles)+len(bp.IgnoredGoFiles) == 0 {
				return nil // tests only, like this package
			}
			// Imports of files for other build tags count too: a tagged
			// file is still code of this package.
			fset := token.NewFileSet()
			seen := map[string]bool{}
			for _, name := range slices.Concat(bp.GoFiles, bp.CgoFiles, bp.IgnoredGoFiles) {
				if strings.HasSuffix(name, "_test.go") {
					continue
				}
				inDefaultBuild := slices.Contains(bp.GoFiles, name) || slices.Contains(bp.CgoFiles, name)
				f, err := parser.ParseFile(fset, filepath.Join(p, name), nil, parser.SkipObjectResolution)
				if err != nil {
					return err
				}
				for _, is := range f.Imports {
					imp, _ := strconv.Unquote(is.Path.Value)
					if !seen[imp] {
						seen[imp] = true
						pk.imports = append(pk.imports, imp)
					}
				}
				if inDefaultBuild {
					for _, pos := range envReads(f) {
						at := fset.Position(pos)
						pk.envRead = append(pk.envRead, fmt.Sprintf("%s/%s:%d", pk.rel, name, at.Line))
					}
				}
			}
			sort.Strings(pk.imports)
			pkgs = append(pkgs, pk)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return pkgs
}

// envReads finds calls of os.Getenv, os.LookupEnv and os.Environ in f.
func envReads(f *ast.File) []token.Pos {
	osName := ""
	for _, is := range f.Imports {
		if is.Path.Value == `"os"` {
			osName = "os"
			if is.Name != nil {
				osName = is.Name.Name
			}
		}
	}
	if osName == "" {
		return nil
	}
	var at []token.Pos
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok && id.Name == osName {
			switch sel.Sel.Name {
			case "Getenv", "LookupEnv", "Environ", "ExpandEnv":
				at = append(at, sel.Pos())
			}
		}
		return true
	})
	return at
}

// TestImports checks every package of the module against the table.
func TestImports(t *testing.T) {
	dir, modPath := moduleRoot(t)
	pkgs := loadPackages(t, dir)
	if len(pkgs) < 10 {
		t.Fatalf("found only %d packages under %v: is the walk broken?", len(pkgs), roots)
	}
	found := map[string]bool{}
	for _, p := range pkgs {
		found[p.rel] = true
		for _, msg := range check(table, modPath, p) {
			t.Error(msg)
		}
	}
	for rel := range table {
		if !found[rel] {
			t.Errorf("%s is in the package table but has no code: remove its row here and in README.md", rel)
		}
	}
}

// TestCheckerCatchesForbiddenImports runs the checker on made-up packages,
// so a checker that passes everything cannot pass this test.
func TestCheckerCatchesForbiddenImports(t *testing.T) {
	for _, c := range []struct {
		p    pkg
		want int // number of complaints
	}{
		{pkg{rel: "internal/paste", name: "paste", imports: []string{"context", "pastel/internal/crashpoint"}}, 0},
		{pkg{rel: "internal/paste", name: "paste", imports: []string{"github.com/gofiber/fiber/v2"}}, 1},
		{pkg{rel: "internal/paste", name: "paste", imports: []string{"github.com/jackc/pgx/v5/pgxpool", "net/http"}}, 2},
		{pkg{rel: "internal/account", name: "account", imports: []string{"github.com/a-h/templ", "pastel/internal/store"}}, 2},
		{pkg{rel: "internal/admin", name: "admin", imports: []string{"github.com/minio/minio-go/v7", "github.com/prometheus/client_golang/prometheus"}}, 2},
		{pkg{rel: "internal/api", name: "api", imports: []string{"pastel/internal/web"}}, 1},
		{pkg{rel: "internal/web", name: "web", imports: []string{"pastel/internal/store/dbgen"}}, 1},
		{pkg{rel: "cmd/web", name: "main", imports: []string{"pastel/internal/store", "pastel/internal/web"}}, 0},
		{pkg{rel: "cmd/web", name: "main", imports: []string{"pastel/internal/store/dbgen"}}, 1},
		{pkg{rel: "views", name: "views", imports: []string{"github.com/a-h/templ", "pastel/internal/paste"}}, 0},
		{pkg{rel: "views", name: "views", imports: []string{"pastel/internal/store", "pastel/internal/web", "pastel/internal/api"}}, 3},
		{pkg{rel: "internal/render", name: "render", imports: []string{"pastel/internal/paste"}}, 0},
		{pkg{rel: "internal/render", name: "render", imports: []string{"pastel/internal/store", "pastel/internal/lru"}}, 2},
		{pkg{rel: "internal/readcache", name: "readcache", imports: []string{"github.com/jackc/pgx/v5", "pastel/internal/paste"}}, 0},
		{pkg{rel: "internal/readcache", name: "readcache", imports: []string{"pastel/internal/store", "github.com/gofiber/fiber/v2"}}, 2},
		{pkg{rel: "internal/store", name: "store", imports: []string{"net/http", "github.com/gorilla/sessions"}}, 2},
		{pkg{rel: "internal/blob", name: "blob", imports: []string{"pastel/internal/account"}}, 1},
		{pkg{rel: "internal/search", name: "search", imports: []string{"pastel/internal/store"}}, 1},
		{pkg{rel: "internal/util", name: "util"}, 2}, // bad name, and no row
		{pkg{rel: "internal/paste", name: "paste", envRead: []string{"internal/paste/x.go:3"}}, 1},
		{pkg{rel: "internal/config", name: "config", envRead: []string{"internal/config/config.go:9"}}, 0},
	} {
		got := check(table, "pastel", c.p)
		if len(got) != c.want {
			t.Errorf("check(%s, %v) = %q, want %d complaints", c.p.rel, c.p.imports, got, c.want)
		}
	}
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", "package x\nimport env \"os\"\nvar a, b = env.Getenv(\"X\"), env.Args\n", 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(envReads(f)); n != 1 {
		t.Errorf("envReads found %d reads, want 1", n)
	}
}

// TestReadmeTable checks that README.md's package table says what the
// table here says, so the documentation cannot drift from the rule.
func TestReadmeTable(t *testing.T) {
	dir, _ := moduleRoot(t)
	f, err := os.Open(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	code := regexp.MustCompile("`([^`]+)`")
	pkgPath := regexp.MustCompile(`^(cmd/|internal/|views$|static$)`)
	got := map[string][]string{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = line == "## How it is built"
			continue
		}
		if !in || !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		if len(cells) != 3 {
			t.Fatalf("README row %q: want three cells (package, owns, may import)", line)
		}
		var may []string
		for _, m := range code.FindAllStringSubmatch(cells[2], -1) {
			if pkgPath.MatchString(m[1]) { // other code spans are commentary
				may = append(may, m[1])
			}
		}
		if strings.TrimSpace(cells[2]) == "anything" {
			may = []string{"anything"}
		}
		sort.Strings(may)
		for _, m := range code.FindAllStringSubmatch(cells[0], -1) {
			got[m[1]] = may
		}
	}
	want := map[string][]string{}
	for rel, r := range table {
		may := slices.Clone(r.may)
		if r.anything {
			may = []string{"anything"}
		}
		sort.Strings(may)
		want[rel] = may
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("README.md's package table (How it is built) differs from archtest's table (-archtest +README):\n%s", diff)
	}
}

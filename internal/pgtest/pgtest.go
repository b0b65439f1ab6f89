// Package pgtest gives tests a real PostgreSQL: a fresh database per test,
// cloned from a migrated template. With PASTEL_TEST_DATABASE_URL set it uses
// that server (the URL must allow CREATE DATABASE); otherwise it starts a
// private cluster for the test binary with initdb and pg_ctl, through
// runuser when running as root, and stops it when the binary exits.
//
// Call Main from TestMain so the cluster is stopped after the tests.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"pastel/internal/store"
)

const templateDB = "pastel_template"

var (
	setupOnce sync.Once
	setupErr  error
	admin     string // URL of a database we may CREATE DATABASE from
	cluster   *Cluster
)

// Main runs the tests, then stops a private cluster if one was started.
func Main(m *testing.M) {
	code := m.Run()
	if cluster != nil {
		cluster.Stop()
		os.RemoveAll(cluster.dir)
	}
	os.Exit(code)
}

// ServerURL returns the admin URL of the server tests use, starting it if
// needed.
func ServerURL(t testing.TB) string {
	t.Helper()
	setupOnce.Do(setup)
	if setupErr != nil {
		t.Fatalf("pgtest: %v", setupErr)
	}
	return admin
}

// SharedCluster returns the private cluster, or nil when an external server
// is used. Fault tests stop and start it.
func SharedCluster() *Cluster { return cluster }

func setup() {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if u := os.Getenv("PASTEL_TEST_DATABASE_URL"); u != "" {
		admin = u
	} else {
		cluster, setupErr = StartCluster()
		if setupErr != nil {
			return
		}
		admin = cluster.URL("postgres")
	}
	setupErr = createTemplate(ctx)
}

func createTemplate(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return fmt.Errorf("connect %s: %w", redact(admin), err)
	}
	defer conn.Close(ctx)
	// Several test binaries may share an external server: build the template
	// under a unique name, then point to it.
	name := templateDB + "_" + randomSuffix()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	pool, err := pgxpool.New(ctx, withDB(admin, name))
	if err != nil {
		return err
	}
	err = store.Migrate(ctx, pool)
	pool.Close()
	if err != nil {
		return fmt.Errorf("migrate template: %w", err)
	}
	templateName = name
	return nil
}

var templateName string

// NewURL creates a fresh migrated database for t and returns its URL; it is
// dropped when t ends.
func NewURL(t testing.TB) string {
	t.Helper()
	server := ServerURL(t)
	ctx := context.Background()
	name := "t_" + randomSuffix()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, templateName)); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, server)
		if err != nil {
			return // the server is gone (a fault test stopped it): nothing to drop
		}
		defer c.Close(ctx)
		c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") //nolint:errcheck // best effort
	})
	return withDB(server, name)
}

// NewPool returns a pool on a fresh migrated database, closed when t ends.
func NewPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	u := NewURL(t)
	pool, err := store.Open(context.Background(), store.Options{URL: u, ConnectTimeout: 2 * time.Second})
	if err != nil {
		t.Fatalf("pgtest: open pool: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func withDB(raw, db string) string {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + db
	return u.String()
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable url)"
	}
	return u.Redacted()
}

func randomSuffix() string {
	var b [6]byte
	rand.Read(b[:]) //nolint:errcheck // never fails
	return hex.EncodeToString(b[:])
}

// Cluster is a private PostgreSQL cluster owned by the test process.
type Cluster struct {
	dir    string
	data   string
	port   int
	bindir string
	asUser string // "postgres" when running as root
	// durable keeps PostgreSQL's crash safety (fsync, synchronous commit);
	// shared test clusters trade it for speed, fault tests need it.
	durable bool
}

// URL returns the connection URL for db on the cluster.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// StartCluster initialises and starts a private cluster on a free loopback
// port, in a temporary folder, without crash safety (fast, for tests that
// never crash it).
func StartCluster() (*Cluster, error) { return startCluster(false) }

func startCluster(durable bool) (*Cluster, error) {
	bindir, err := findBinDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pastel-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, data: filepath.Join(dir, "data"), bindir: bindir, durable: durable}
	if os.Geteuid() == 0 {
		// initdb refuses to run as root: the cluster belongs to postgres.
		c.asUser = "postgres"
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root needs a postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
	}
	if out, err := c.run("initdb", "-D", c.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"); err != nil {
		return nil, fmt.Errorf("initdb: %w: %s", err, out)
	}
	if c.port, err = freePort(); err != nil {
		return nil, err
	}
	if err := c.Start(); err != nil {
		return nil, err
	}
	return c, nil
}

// Start starts the cluster (again) on its port.
func (c *Cluster) Start() error {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=200", c.port, c.dir)
	if !c.durable {
		opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	}
	if out, err := c.run("pg_ctl", "-D", c.data, "-o", opts, "-l", filepath.Join(c.dir, "log"), "-w", "-t", "30", "start"); err != nil {
		return fmt.Errorf("pg_ctl start: %w: %s", err, out)
	}
	return nil
}

// Stop stops the cluster at once (immediate mode), as a crash would.
func (c *Cluster) Stop() {
	c.run("pg_ctl", "-D", c.data, "-m", "immediate", "-w", "stop") //nolint:errcheck // stopping a stopped cluster is fine
}

func (c *Cluster) run(tool string, args ...string) ([]byte, error) {
	bin := filepath.Join(c.bindir, tool)
	var cmd *exec.Cmd
	if c.asUser != "" {
		cmd = exec.Command("runuser", append([]string{"-u", c.asUser, "--", bin}, args...)...)
	} else {
		cmd = exec.Command(bin, args...)
	}
	// Run in its own process group so a test's interrupt does not reach the
	// server before Main stops it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd.CombinedOutput()
}

func findBinDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real // the Debian links in PATH point into the versioned bin folder
		}
		return filepath.Dir(p), nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		return "", fmt.Errorf("no initdb found (install PostgreSQL server binaries, or set PASTEL_TEST_DATABASE_URL)")
	}
	sort.Slice(matches, func(i, j int) bool { return versionOf(matches[i]) > versionOf(matches[j]) })
	return filepath.Dir(matches[0]), nil
}

func versionOf(path string) int {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if p == "postgresql" && i+1 < len(parts) {
			v, _ := strconv.Atoi(parts[i+1])
			return v
		}
	}
	return 0
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// NewPoolFor returns a pool on the database at u (from NewURL), closed when
// t ends.
func NewPoolFor(t testing.TB, u string) *pgxpool.Pool {
	t.Helper()
	pool, err := store.Open(context.Background(), store.Options{URL: u, ConnectTimeout: 2 * time.Second})
	if err != nil {
		t.Fatalf("pgtest: open pool: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// NewClusterURL starts a crash-safe private cluster for t alone (stopped
// and removed when t ends), migrates a database on it and returns both.
// Fault tests stop and start it without disturbing other tests.
func NewClusterURL(t testing.TB) (*Cluster, string) {
	t.Helper()
	c, err := startCluster(true)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		c.Stop()
		os.RemoveAll(c.dir)
	})
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE pastel"); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	pool, err := pgxpool.New(ctx, c.URL("pastel"))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if err := store.Migrate(ctx, pool); err != nil {
		t.Fatalf("pgtest: migrate: %v", err)
	}
	return c, c.URL("pastel")
}

package config

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != "127.0.0.1:8080" || c.BaseURL.String() != "http://127.0.0.1:8080" ||
		c.DataDir != "./data" || c.MaxPasteBytes != 10485760 || !c.AllowAnonymous ||
		c.DatabaseURL.Reveal() != DefaultDatabaseURL || c.S3.Endpoint != "" {
		t.Fatalf("defaults wrong: %+v", c)
	}
}

func TestLoadReportsEveryBadVariable(t *testing.T) {
	_, err := Load(env(map[string]string{
		"DATABASE_URL":        "mysql://x",
		"HTTP_ADDR":           "nope",
		"BASE_URL":            "ftp://x",
		"S3_ENDPOINT":         "http://minio:9000",
		"MAX_PASTE_BYTES":     "-1",
		"ALLOW_ANONYMOUS":     "maybe",
		"TYPESENSE_URL":       "typesense:8108",
		"JWT_SECRET":          "short",
		"TRUSTED_PROXIES":     "10.0.0.0/8,bogus",
		"SESSION_KEY":         "x",
		"SESSION_KEY_FILE":    "/nonexistent",
		"TYPESENSE_API_KEY":   "",
		"DEBUG_ADDR":          "0.0.0.0:6060",
		"PASTE_CACHE_ENTRIES": "-1",
		"BODY_CACHE_BYTES":    "lots",
	}))
	if err == nil {
		t.Fatal("want error")
	}
	for _, name := range []string{"DATABASE_URL", "HTTP_ADDR", "BASE_URL", "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY", "MAX_PASTE_BYTES", "ALLOW_ANONYMOUS", "TYPESENSE_URL", "TYPESENSE_API_KEY", "JWT_SECRET", "TRUSTED_PROXIES", "SESSION_KEY", "DEBUG_ADDR", "PASTE_CACHE_ENTRIES", "BODY_CACHE_BYTES"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestSecretFileAndRedaction(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "jwt")
	val := strings.Repeat("s", 40)
	if err := os.WriteFile(path, []byte(val+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env(map[string]string{"JWT_SECRET_FILE": path}))
	if err != nil {
		t.Fatal(err)
	}
	if c.JWTSecret.Reveal() != val {
		t.Fatalf("file secret not read")
	}
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("cfg", "jwt", c.JWTSecret)
	for _, s := range []string{fmt.Sprint(c.JWTSecret), fmt.Sprintf("%v %+v %#v %s", c.JWTSecret, c, c.JWTSecret, c.JWTSecret), b.String()} {
		if strings.Contains(s, val) {
			t.Fatalf("secret leaked: %s", s)
		}
	}
}

func TestEnsureSecretsPersist(t *testing.T) {
	dir := t.TempDir()
	c1 := Config{DataDir: dir}
	if err := c1.EnsureSecrets(); err != nil {
		t.Fatal(err)
	}
	c2 := Config{DataDir: dir}
	if err := c2.EnsureSecrets(); err != nil {
		t.Fatal(err)
	}
	if c1.SessionKey == "" || c1.SessionKey != c2.SessionKey || c1.JWTSecret != c2.JWTSecret || c1.SessionKey == c1.JWTSecret {
		t.Fatal("secrets not generated once and kept")
	}
	st, err := os.Stat(filepath.Join(dir, "jwt.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secret file mode: %v %v", st.Mode(), err)
	}
}

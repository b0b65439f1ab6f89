package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// config is what the client keeps between runs, in
// os.UserConfigDir()/pastel/config.json, readable by the user alone.
type config struct {
	// Server is the server last signed in to: the default when neither
	// --server nor PASTEL_URL is given.
	Server string `json:"server,omitempty"`
	// Tokens are personal tokens by server (its normalised URL).
	Tokens map[string]string `json:"tokens,omitempty"`
	// DeleteTokens are the delete tokens of pastes this client made
	// without signing in, by paste URL, so `pastel rm` works for them.
	DeleteTokens map[string]string `json:"delete_tokens,omitempty"`
}

// configPath returns the config file's path.
func configPath(e env) (string, error) {
	dir, err := e.configDir()
	if err != nil {
		return "", fmt.Errorf("no configuration folder: %w", err)
	}
	return filepath.Join(dir, "pastel", "config.json"), nil
}

// loadConfig reads the config; a missing file is an empty config.
func loadConfig(e env) (config, error) {
	var c config
	p, err := configPath(e)
	if err != nil {
		return c, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%s: %w", p, err)
	}
	return c, nil
}

// saveConfig writes the config atomically with mode 0600 in a 0700 folder:
// it holds tokens.
func saveConfig(e env, c config) error {
	p, err := configPath(e)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".config-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// normaliseServer checks a server URL and returns it without a trailing
// slash, query or fragment.
func normaliseServer(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", usageError("server %q: want an http:// or https:// address", s)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String(), nil
}

// serverFrom picks the server: --server, then PASTEL_URL, then the
// config's.
func serverFrom(flag string, e env, c config) (string, error) {
	for _, s := range []string{flag, e.getenv("PASTEL_URL"), c.Server} {
		if s != "" {
			return normaliseServer(s)
		}
	}
	return "", usageError("no server: set PASTEL_URL or pass --server URL")
}

// tokenFor returns PASTEL_TOKEN, else the stored token for server ("" for
// none).
func tokenFor(server string, e env, c config) string {
	if t := strings.TrimSpace(e.getenv("PASTEL_TOKEN")); t != "" {
		return t
	}
	return c.Tokens[server]
}

package web_test

import (
	"sync"
	"testing"

	"pastel/internal/secrets"
)

// sharedSecrets is one secret scanner for the whole test binary: building
// one compiles gitleaks' rules.
var sharedSecrets = sync.OnceValues(func() (*secrets.Scanner, error) { return secrets.New(secrets.Options{}) })

func testSecrets(t testing.TB) *secrets.Scanner {
	t.Helper()
	s, err := sharedSecrets()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

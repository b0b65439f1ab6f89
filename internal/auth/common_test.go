package auth

import (
	"strings"
	"testing"
)

func TestCommonPasswordsRefused(t *testing.T) {
	if n := len(commonPasswords()); n != 10000 {
		t.Fatalf("%d common passwords embedded, want 10000", n)
	}
	for _, pw := range []string{
		"1234567890", "qwertyuiop", "QwErTyUiOp", "1q2w3e4r5t", "password123", // in the list
		"Password2024!", "dragon12345", "football!!!!", "letmein 2025", // a common one with digits or punctuation added
	} {
		if msg := CheckPassword(pw); msg == "" || !strings.Contains(msg, "choose another") {
			t.Errorf("CheckPassword(%q) = %q, want refused as common", pw, msg)
		}
	}
	for _, pw := range []string{
		"correct horse battery staple", "long enough password", "Tr0ub4dor&3xyz", "dragonfly meadow 7", "a1b2c3d4e5f6g7",
	} {
		if msg := CheckPassword(pw); msg != "" {
			t.Errorf("CheckPassword(%q) = %q, want accepted", pw, msg)
		}
	}
	// The length rule comes first.
	if msg := CheckPassword("dragon"); !strings.Contains(msg, "at least") {
		t.Errorf("short common password: %q", msg)
	}
}

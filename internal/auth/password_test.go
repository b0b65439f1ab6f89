package auth

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fastParams keeps most password tests quick; tests that are about the
// production cost use DefaultPasswordParams.
var fastParams = PasswordParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestDefaultPasswordParams(t *testing.T) {
	want := PasswordParams{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
	if diff := cmp.Diff(want, DefaultPasswordParams); diff != "" {
		t.Errorf("DefaultPasswordParams (-want +got):\n%s", diff)
	}
}

func TestHashPasswordFormat(t *testing.T) {
	h, err := HashPassword("correct horse battery", DefaultPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Split(h, "$")
	// "", "argon2id", "v=19", "m=19456,t=2,p=1", salt (16 bytes: 22 chars), key (32 bytes: 43 chars)
	got := []any{len(fields), fields[0], fields[1], fields[2], fields[3], len(fields[4]), len(fields[5])}
	want := []any{6, "", "argon2id", "v=19", "m=19456,t=2,p=1", 22, 43}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("PHC fields of %q (-want +got):\n%s", h, diff)
	}
	h2, err := HashPassword("correct horse battery", DefaultPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	if h == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

func TestHashPasswordRejectsParams(t *testing.T) {
	bad := []PasswordParams{
		{},
		{Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32},
		{Memory: 7, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 8},
	}
	for _, p := range bad {
		if _, err := HashPassword("whatever12", p); err == nil {
			t.Errorf("HashPassword(%+v) succeeded", p)
		}
	}
}

func TestVerifyPassword(t *testing.T) {
	const pw = "correct horse battery staple"
	def, err := HashPassword(pw, DefaultPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	weak, err := HashPassword(pw, fastParams)
	if err != nil {
		t.Fatal(err)
	}
	moreThreads := DefaultPasswordParams
	moreThreads.Threads = 2
	threads, err := HashPassword(pw, moreThreads)
	if err != nil {
		t.Fatal(err)
	}
	longerKey := DefaultPasswordParams
	longerKey.KeyLen = 64
	key64, err := HashPassword(pw, longerKey)
	if err != nil {
		t.Fatal(err)
	}

	type result struct{ OK, NeedsRehash bool }
	tests := []struct {
		name, password, encoded string
		want                    result
	}{
		{"default params", pw, def, result{true, false}},
		{"wrong password", pw + "!", def, result{false, false}},
		{"empty password", "", def, result{false, false}},
		{"case differs", strings.ToUpper(pw), def, result{false, false}},
		{"weaker params match", pw, weak, result{true, true}},
		{"weaker params wrong", "nope nope nope", weak, result{false, false}},
		{"other threads", pw, threads, result{true, true}},
		{"other key length", pw, key64, result{true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := VerifyPassword(tt.password, tt.encoded)
			if err != nil {
				t.Fatalf("VerifyPassword: %v", err)
			}
			if diff := cmp.Diff(tt.want, result{ok, rehash}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	good, err := HashPassword("password123", fastParams)
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Split(good, "$")
	salt, key := fields[4], fields[5]
	phc := func(v, params, s, k string) string { return "$argon2id$" + v + "$" + params + "$" + s + "$" + k }

	tests := []struct{ name, encoded string }{
		{"empty", ""},
		{"garbage", "not a hash"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", strings.Replace(good, "argon2id", "argon2i", 1)},
		{"argon2d", strings.Replace(good, "argon2id", "argon2d", 1)},
		{"version 16", phc("v=16", "m=64,t=1,p=1", salt, key)},
		{"version missing", "$argon2id$m=64,t=1,p=1$" + salt + "$" + key},
		{"too few fields", phc("v=19", "m=64,t=1,p=1", salt, "")[:len(good)-len(key)-1]},
		{"too many fields", good + "$extra"},
		{"params reordered", phc("v=19", "t=1,m=64,p=1", salt, key)},
		{"param missing", phc("v=19", "m=64,t=1", salt, key)},
		{"extra param", phc("v=19", "m=64,t=1,p=1,k=2", salt, key)},
		{"param empty", phc("v=19", "m=,t=1,p=1", salt, key)},
		{"param not a number", phc("v=19", "m=lots,t=1,p=1", salt, key)},
		{"param negative", phc("v=19", "m=-64,t=1,p=1", salt, key)},
		{"param plus sign", phc("v=19", "m=+64,t=1,p=1", salt, key)},
		{"param leading zero", phc("v=19", "m=064,t=1,p=1", salt, key)},
		{"param overflow", phc("v=19", "m=99999999999999999999,t=1,p=1", salt, key)},
		{"time zero", phc("v=19", "m=64,t=0,p=1", salt, key)},
		{"threads zero", phc("v=19", "m=64,t=1,p=0", salt, key)},
		{"threads 256", phc("v=19", "m=4096,t=1,p=256", salt, key)},
		{"memory too small", phc("v=19", "m=7,t=1,p=1", salt, key)},
		{"memory huge", phc("v=19", "m=4294967295,t=1,p=1", salt, key)},
		{"time huge", phc("v=19", "m=64,t=4294967295,p=1", salt, key)},
		{"salt not base64", phc("v=19", "m=64,t=1,p=1", "!!!!", key)},
		{"salt padded", phc("v=19", "m=64,t=1,p=1", salt+"==", key)},
		{"salt url alphabet", phc("v=19", "m=64,t=1,p=1", "-_-_-_-_-_-_-_-_-_-_-_", key)},
		{"salt too short", phc("v=19", "m=64,t=1,p=1", "AAAA", key)},
		{"salt empty", phc("v=19", "m=64,t=1,p=1", "", key)},
		{"key empty", phc("v=19", "m=64,t=1,p=1", salt, "")},
		{"key too short", phc("v=19", "m=64,t=1,p=1", salt, "AAAAAAAA")},
		{"key not base64", phc("v=19", "m=64,t=1,p=1", salt, strings.Repeat("*", 43))},
		{"trailing newline", good + "\n"},
		{"newline in salt", phc("v=19", "m=64,t=1,p=1", salt[:4]+"\n"+salt[4:], key)},
		{"non-canonical key bits", phc("v=19", "m=64,t=1,p=1", salt, setPadBit(key))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := VerifyPassword("password123", tt.encoded)
			if !errors.Is(err, ErrMalformedHash) {
				t.Fatalf("err = %v, want ErrMalformedHash", err)
			}
			if ok || rehash {
				t.Errorf("ok, needsRehash = %v, %v with an error", ok, rehash)
			}
		})
	}
}

// setPadBit sets the lowest bit of the last character of an unpadded
// base64 string of a 32-byte value, one of the two bits that must be zero.
func setPadBit(s string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	i := strings.IndexByte(alphabet, s[len(s)-1])
	return s[:len(s)-1] + string(alphabet[i|1])
}

func TestLongPasswordNotTruncated(t *testing.T) {
	// Multi-byte runes make the password 3 KiB, far past bcrypt's 72 bytes.
	full := strings.Repeat("€", MaxPasswordLen)
	prefix := strings.Repeat("€", MaxPasswordLen-1)
	if msg := CheckPassword(full); msg != "" {
		t.Fatalf("CheckPassword(1024 chars) = %q", msg)
	}
	h, err := HashPassword(full, DefaultPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, err := VerifyPassword(full, h); !ok || err != nil {
		t.Fatalf("1024-char password: ok=%v err=%v", ok, err)
	}
	if ok, _, err := VerifyPassword(prefix, h); ok || err != nil {
		t.Fatalf("1023-char prefix: ok=%v err=%v, want false, nil", ok, err)
	}
	// The same at the 72-byte bcrypt boundary: only the 73rd byte differs.
	a, b := strings.Repeat("a", 72)+"X", strings.Repeat("a", 72)+"Y"
	ha, err := HashPassword(a, fastParams)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := VerifyPassword(b, ha); ok {
		t.Fatal("passwords differing after byte 72 verified as equal")
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name, pw string
		ok       bool
	}{
		{"empty", "", false},
		{"9 chars", "123456789", false},
		{"10 chars", "k3y-9x!q2z", true},
		{"10 chars, a common password", "1234567890", false},
		{"10 multibyte chars", strings.Repeat("é", 10), true},
		{"9 multibyte chars (18 bytes)", strings.Repeat("é", 9), false},
		{"1024 chars", strings.Repeat("x", 1024), true},
		{"1025 chars", strings.Repeat("x", 1025), false},
		{"1024 4-byte chars", strings.Repeat("🔑", 1024), true},
		{"1025 4-byte chars", strings.Repeat("🔑", 1025), false},
		{"NUL", "password\x00123", false},
		{"invalid UTF-8", "password\xff123", false},
		{"spaces count", "          ", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := CheckPassword(tt.pw)
			if (msg == "") != tt.ok {
				t.Errorf("CheckPassword = %q, want ok=%v", msg, tt.ok)
			}
		})
	}
}

// TestDummyVerifyTiming checks that an unknown user costs about what a
// wrong password does. Each side takes its fastest of several runs, which
// filters scheduler noise; the bound is the brief's 2x either way.
func TestDummyVerifyTiming(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	h, err := HashPassword("the real password", DefaultPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	fastest := func(f func()) time.Duration {
		best := time.Duration(1<<63 - 1)
		for range 5 {
			start := time.Now()
			f()
			best = min(best, time.Since(start))
		}
		return best
	}
	real := fastest(func() { _, _, _ = VerifyPassword("a wrong password", h) })
	dummy := fastest(func() { DummyVerify("a wrong password") })
	t.Logf("verify %v, dummy %v", real, dummy)
	if dummy > 2*real || real > 2*dummy {
		t.Errorf("DummyVerify took %v, a real verify %v: not within 2x", dummy, real)
	}
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("correct horse battery staple", DefaultPasswordParams); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPassword(b *testing.B) {
	h, err := HashPassword("correct horse battery staple", DefaultPasswordParams)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_, _, _ = VerifyPassword("wrong horse battery staple", h)
	}
}

func BenchmarkDummyVerify(b *testing.B) {
	for b.Loop() {
		DummyVerify("wrong horse battery staple")
	}
}

func ExampleHashPassword() {
	h, _ := HashPassword("correct horse battery", DefaultPasswordParams)
	ok, needsRehash, err := VerifyPassword("correct horse battery", h)
	fmt.Println(strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$"), ok, needsRehash, err)
	// Output: true true false <nil>
}

package auth

import (
	"errors"
	"testing"
)

// FuzzParseAccess feeds arbitrary strings to ParseAccess and ParseRefresh:
// they must never panic, must fail only with ErrInvalidToken, and anything
// accepted must be internally consistent.
func FuzzParseAccess(f *testing.F) {
	tk, _ := newTestTokens(f, nil)
	access, _, err := tk.IssueAccess(42)
	if err != nil {
		f.Fatal(err)
	}
	refresh, _, err := tk.IssueRefresh(42, "")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(access)
	f.Add(refresh)
	f.Add("")
	f.Add("..")
	f.Add(craft(f, map[string]any{"alg": "none", "typ": "JWT"}, validPayload(), nil))
	f.Add(craft(f, hs256Header, validPayload(), signHS256(testSecret)))
	f.Fuzz(func(t *testing.T, s string) {
		for typ, parse := range map[string]func(string) (Claims, error){
			TypeAccess:  tk.ParseAccess,
			TypeRefresh: tk.ParseRefresh,
		} {
			c, err := parse(s)
			if err != nil {
				if !errors.Is(err, ErrInvalidToken) {
					t.Fatalf("error %v is not ErrInvalidToken", err)
				}
				continue
			}
			if c.UserID <= 0 || c.ID == "" || c.Type != typ || (typ == TypeRefresh) != (c.Family != "") {
				t.Fatalf("accepted inconsistent claims %+v for %s", c, typ)
			}
		}
	})
}

// FuzzVerifyPassword feeds arbitrary encodings to VerifyPassword: it must
// never panic, and any error must be ErrMalformedHash.
func FuzzVerifyPassword(f *testing.F) {
	good, err := HashPassword("password123", fastParams)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("password123", good)
	f.Add("wrong", good)
	f.Add("", "")
	f.Add("x", "$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("x", "$argon2id$v=19$m=0,t=0,p=0$$")
	f.Fuzz(func(t *testing.T, password, encoded string) {
		// Valid but costly parameters are in range by design (up to 1 GiB,
		// 64 passes); derive only cheap ones so the fuzzer explores the
		// parser rather than spending minutes in argon2.
		if p, _, _, err := decodeHash(encoded); err == nil && uint64(p.Memory)*uint64(p.Time) > 1<<16 {
			return // costly parameters: not what this target explores
		}
		ok, rehash, err := VerifyPassword(password, encoded)
		if err != nil {
			if !errors.Is(err, ErrMalformedHash) {
				t.Fatalf("error %v is not ErrMalformedHash", err)
			}
			if ok || rehash {
				t.Fatalf("ok=%v needsRehash=%v with error", ok, rehash)
			}
		}
		if rehash && !ok {
			t.Fatal("needsRehash without a match")
		}
	})
}

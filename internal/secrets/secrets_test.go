package secrets

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"pastel/internal/paste"
)

func newScanner(t testing.TB, o Options) *Scanner {
	t.Helper()
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Credentials of every kind the issue names are found on their lines;
// ordinary code, placeholders and URLs without passwords are not.
func TestScanFindsCredentialsByLine(t *testing.T) {
	s := newScanner(t, Options{})
	text := strings.Join([]string{
		"package main",                       // 1
		"",                                   // 2
		`const key = "AKIAIOSFODNN7EXAMPLQ"`, // 3: AWS
		`dsn := "postgres://app:Tr0ub4dor3@db:5432/x"`, // 4: URL password
		`url := "https://example.com/a?b=c"`,           // 5: no userinfo
		`tpl := "postgres://app:${DB_PASS}@db/x"`,      // 6: placeholder
		"-----BEGIN RSA PRIVATE KEY-----",              // 7: private key
		"MIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB",
		"aSVp8wXVYHhKtCUnFcH4hzkI+1xwQeEYq5dZl1oBlN2JqlV2k/e3cGhYGhVkbJxP",
		"-----END RSA PRIVATE KEY-----",
		`gh := "ghp_1234567890abcdefghijABCDEFGHIJ123456"`, // 11: GitHub token
		"fmt.Println(\"hello\")",
	}, "\n") + "\n"
	findings, complete := s.Scan(context.Background(), []byte(text))
	if !complete {
		t.Fatal("a short text was not scanned in full")
	}
	got := map[int]string{}
	for _, f := range findings {
		got[f.Line] = f.Rule
		if strings.Contains(f.Description, "AKIA") || strings.Contains(f.Description, "Tr0ub4dor3") {
			t.Errorf("a finding carries the secret: %+v", f)
		}
	}
	want := map[int]string{3: "aws-access-token", 4: urlPasswordRule, 7: "private-key", 11: "github-pat"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings by line (-want +got):\n%s", diff)
	}
}

// A budget stops a long scan and says so; lines counted across chunks stay
// right.
func TestScanBudgetAndChunks(t *testing.T) {
	s := newScanner(t, Options{ChunkBytes: 1 << 10})
	filler := strings.Repeat("x := compute(a, b) // nothing here\n", 200) // ~7 KiB: several chunks
	text := filler + "aws = \"AKIAIOSFODNN7EXAMPLQ\"\n"
	findings, complete := s.Scan(context.Background(), []byte(text))
	if !complete || len(findings) != 1 || findings[0].Line != 201 {
		t.Fatalf("findings %+v complete %v; want one on line 201", findings, complete)
	}
	tight := newScanner(t, Options{Budget: time.Nanosecond, ChunkBytes: 1 << 10})
	if _, complete := tight.Scan(context.Background(), []byte(text)); complete {
		t.Error("a scan past its budget said it was complete")
	}
	small := newScanner(t, Options{MaxBytes: 1 << 10})
	if f, complete := small.Scan(context.Background(), []byte(text)); complete || len(f) != 0 {
		t.Errorf("a scan cut at MaxBytes: findings %v complete %v", f, complete)
	}
}

func TestRemoveLines(t *testing.T) {
	got := paste.RemoveLines("a\nb\nc\nd\ne", []paste.SecretFinding{{Line: 2, EndLine: 3}, {Line: 5}})
	if got != "a\nd\n" {
		t.Errorf("RemoveLines = %q", got)
	}
}

// BenchmarkScan measures a normal 4 KiB paste, 10 MiB of ordinary code, and
// 10 MiB whose every line names a key, token and password (the rules'
// keywords: the worst case, cut by the default 500 ms budget). The
// figure is what a create pays at most.
func BenchmarkScan(b *testing.B) {
	s := newScanner(b, Options{})
	code := "func handle(w http.ResponseWriter, r *http.Request) {\n\tid := r.URL.Query().Get(\"id\")\n\tif err := store.Load(ctx, id); err != nil {\n\t\thttp.Error(w, err.Error(), 500)\n\t}\n}\n"
	keywords := "cfg.token = load(key, password) // api_key secret auth bearer\n"
	for _, c := range []struct {
		name, line string
		n          int
	}{{"4KiB", code, 4 << 10}, {"10MiB", code, 10 << 20}, {"10MiB-keywords", keywords, 10 << 20}} {
		text := []byte(strings.Repeat(c.line, c.n/len(c.line)+1)[:c.n])
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(c.n))
			incomplete := 0
			for range b.N {
				if _, complete := s.Scan(context.Background(), text); !complete {
					incomplete++
				}
			}
			b.ReportMetric(float64(incomplete)/float64(b.N), "cut/op")
		})
	}
}

// A private key block that straddles two chunks is still found, once; a
// long line far from any keyword costs little.
func TestScanOverlapAndLongLines(t *testing.T) {
	s := newScanner(t, Options{ChunkBytes: 8 << 10, Budget: time.Minute}) // -race is slow
	key := "-----BEGIN RSA PRIVATE KEY-----\n" + strings.Repeat("MIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\n", 20) + "-----END RSA PRIVATE KEY-----\n"
	filler := strings.Repeat("x := compute(a, b) // nothing here\n", 220) // ~7.7 KiB: the key crosses 8 KiB
	findings, complete := s.Scan(context.Background(), []byte(filler+key+filler))
	if !complete || len(findings) != 1 || findings[0].Line != 221 || findings[0].Rule != "private-key" {
		t.Errorf("findings %+v complete %v; want one private key on line 221", findings, complete)
	}
	long := strings.Repeat("x", 64<<10) + "\naws = \"AKIAIOSFODNN7EXAMPLQ\"\n"
	start := time.Now()
	findings, complete = newScanner(t, Options{}).Scan(context.Background(), []byte(long))
	if !complete || len(findings) != 1 || findings[0].Line != 2 {
		t.Errorf("findings %+v complete %v; want the key on line 2", findings, complete)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("a 64 KiB line took %v", d)
	}
}

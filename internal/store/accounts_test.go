package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"pastel/internal/account"
	"pastel/internal/auth"
	"pastel/internal/paste"
	"pastel/internal/store"
)

var fastPasswords = auth.PasswordParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

type accountEnv struct {
	svc    *account.Service
	st     *store.Store
	tokens *auth.Tokens
	now    *time.Time
}

func newAccounts(t *testing.T) accountEnv {
	t.Helper()
	_, st := newRepo(t)
	now := time.Now().UTC()
	clock := func() time.Time { return now }
	tokens, err := auth.NewTokens(auth.TokenOptions{Secret: []byte(strings.Repeat("s", 40)), Issuer: "test", Audience: "test/api", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	svc := account.NewService(st.Accounts(), account.Options{Tokens: tokens, Now: clock, PasswordParams: fastPasswords})
	return accountEnv{svc: svc, st: st, tokens: tokens, now: &now}
}

func TestRegisterRules(t *testing.T) {
	e := newAccounts(t)
	ctx := context.Background()
	if _, err := e.svc.Register(ctx, "Alice", "alice@example.org", "long enough password"); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, user, email, pw, field string }{
		{"taken any case", "aLiCe", "", "long enough password", "username"},
		{"short name", "al", "", "long enough password", "username"},
		{"bad chars", "al ice", "", "long enough password", "username"},
		{"reserved", "admin", "", "long enough password", "username"},
		{"short password", "bob", "", "short", "password"},
		{"bad email", "bob", "not-an-email", "long enough password", "email"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.Register(ctx, tc.user, tc.email, tc.pw)
			var verr *paste.ValidationError
			if !errors.As(err, &verr) || verr.Fields[tc.field] == "" {
				t.Fatalf("err %v, want a validation error on %s", err, tc.field)
			}
		})
	}
	// A 1024-character password is accepted whole: its 1023-character
	// prefix does not sign in.
	long := strings.Repeat("p", 1023) + "q"
	if _, err := e.svc.Register(ctx, "carol", "", long); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Authenticate(ctx, "carol", long[:1023], "ip"); !errors.Is(err, account.ErrBadCredentials) {
		t.Fatalf("prefix of a long password signed in: %v", err)
	}
	if _, err := e.svc.Authenticate(ctx, "CAROL", long, "ip"); err != nil {
		t.Fatalf("case-insensitive sign-in: %v", err)
	}
}

func TestAuthenticateSameAnswerAndRateLimits(t *testing.T) {
	e := newAccounts(t)
	ctx := context.Background()
	if _, err := e.svc.Register(ctx, "dave", "", "the right password"); err != nil {
		t.Fatal(err)
	}
	_, unknown := e.svc.Authenticate(ctx, "nobody", "whatever password", "1.1.1.1")
	_, wrong := e.svc.Authenticate(ctx, "dave", "the wrong password", "1.1.1.2")
	if !errors.Is(unknown, account.ErrBadCredentials) || !errors.Is(wrong, account.ErrBadCredentials) || unknown.Error() != wrong.Error() {
		t.Fatalf("unknown user %v and wrong password %v must answer alike", unknown, wrong)
	}
	// Per account: after 5 failures even the right password waits.
	for i := 0; i < 4; i++ {
		e.svc.Authenticate(ctx, "dave", "wrong again", "10.0.0."+string(rune('a'+i)))
	}
	_, err := e.svc.Authenticate(ctx, "dave", "the right password", "10.9.9.9")
	var rl *account.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter <= 0 || rl.RetryAfter > 15*time.Minute {
		t.Fatalf("after 5 failures: %v, want a rate limit", err)
	}
	*e.now = e.now.Add(16 * time.Minute)
	if _, err := e.svc.Authenticate(ctx, "dave", "the right password", "10.9.9.9"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	// Per address: 20 attempts from one address, whatever the accounts.
	for i := 0; i < 20; i++ {
		e.svc.Authenticate(ctx, "user"+string(rune('a'+i)), "x password", "6.6.6.6")
	}
	if _, err := e.svc.Authenticate(ctx, "dave", "the right password", "6.6.6.6"); !errors.As(err, &rl) {
		t.Fatalf("address past its limit: %v", err)
	}
}

func TestRefreshRotationAndReuse(t *testing.T) {
	e := newAccounts(t)
	ctx := context.Background()
	u, _ := e.svc.Register(ctx, "erin", "", "the right password")
	p1, err := e.svc.IssueTokens(ctx, u.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Bearer(ctx, p1.AccessToken); err != nil {
		t.Fatalf("fresh access token: %v", err)
	}
	if _, _, err := e.svc.Bearer(ctx, p1.RefreshToken); !errors.Is(err, account.ErrInvalidToken) {
		t.Fatalf("refresh token used as access token: %v", err)
	}
	if _, err := e.svc.Refresh(ctx, p1.AccessToken); !errors.Is(err, account.ErrInvalidToken) {
		t.Fatalf("access token used to refresh: %v", err)
	}
	p2, err := e.svc.Refresh(ctx, p1.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	// The old refresh token is spent; presenting it again is theft: the
	// whole family, the new token included, is revoked.
	if _, err := e.svc.Refresh(ctx, p1.RefreshToken); !errors.Is(err, account.ErrInvalidToken) {
		t.Fatalf("reused refresh token: %v", err)
	}
	if _, err := e.svc.Refresh(ctx, p2.RefreshToken); !errors.Is(err, account.ErrInvalidToken) {
		t.Fatalf("family not revoked after reuse: %v", err)
	}
	// Concurrent refreshes with one token: exactly one wins.
	p3, _ := e.svc.IssueTokens(ctx, u.ID, "")
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.svc.Refresh(ctx, p3.RefreshToken); err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d concurrent refreshes succeeded, want 1", wins)
	}
}

func TestPasswordChangeEndsTokensAndSessions(t *testing.T) {
	e := newAccounts(t)
	ctx := context.Background()
	u, _ := e.svc.Register(ctx, "frank", "", "the old password")
	before, _ := e.svc.IssueTokens(ctx, u.ID, "")
	*e.now = e.now.Add(time.Second)
	if err := e.svc.ChangePassword(ctx, u.ID, "not the old one", "the new password", nil); err == nil {
		t.Fatal("wrong old password accepted")
	}
	if err := e.svc.ChangePassword(ctx, u.ID, "the old password", "the new password", nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Bearer(ctx, before.AccessToken); !errors.Is(err, account.ErrInvalidToken) {
		t.Fatalf("access token from before the change: %v", err)
	}
	if _, err := e.svc.Refresh(ctx, before.RefreshToken); !errors.Is(err, account.ErrInvalidToken) {
		t.Fatalf("refresh token from before the change: %v", err)
	}
	*e.now = e.now.Add(10 * time.Millisecond)
	after, _ := e.svc.IssueTokens(ctx, u.ID, "")
	if _, _, err := e.svc.Bearer(ctx, after.AccessToken); err != nil {
		t.Fatalf("token issued after the change: %v", err)
	}
	if _, err := e.svc.Authenticate(ctx, "frank", "the old password", "ip"); !errors.Is(err, account.ErrBadCredentials) {
		t.Fatal("old password still works")
	}
}

func TestAPITokensAndRevocation(t *testing.T) {
	e := newAccounts(t)
	ctx := context.Background()
	u, _ := e.svc.Register(ctx, "gina", "", "the right password")
	tok, meta, err := e.svc.CreateAPIToken(ctx, u.ID, "ci")
	if err != nil || !strings.HasPrefix(tok, account.APITokenPrefix) || !strings.HasPrefix(tok, meta.Prefix) {
		t.Fatalf("token %q %+v %v", tok, meta, err)
	}
	v, _, err := e.svc.Bearer(ctx, tok)
	if err != nil || v.UserID != u.ID {
		t.Fatalf("API token: %+v %v", v, err)
	}
	list, _ := e.svc.APITokens(ctx, u.ID)
	if len(list) != 1 || list[0].LastUsedAt == nil {
		t.Fatalf("listed %+v: last use not recorded", list)
	}
	if err := e.svc.RevokeAPIToken(ctx, u.ID, meta.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Bearer(ctx, tok); !errors.Is(err, account.ErrInvalidToken) {
		t.Fatalf("revoked API token: %v", err)
	}
	// Revoking through the API ends the access token presented too.
	pair, _ := e.svc.IssueTokens(ctx, u.ID, "")
	_, claims, err := e.svc.Bearer(ctx, pair.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Revoke(ctx, u.ID, claims); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Bearer(ctx, pair.AccessToken); !errors.Is(err, account.ErrInvalidToken) {
		t.Fatalf("revoked access token: %v", err)
	}
	if _, err := e.svc.Refresh(ctx, pair.RefreshToken); !errors.Is(err, account.ErrInvalidToken) {
		t.Fatalf("revoked refresh token: %v", err)
	}
}

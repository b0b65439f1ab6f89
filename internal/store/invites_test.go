package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"pastel/internal/account"
	"pastel/internal/auth"
	"pastel/internal/paste"
	"pastel/internal/pgtest"
	"pastel/internal/store"
)

// inviteAccounts is an account service under REGISTRATION=invite over a
// fresh database, with a clock the test moves.
func inviteAccounts(t *testing.T) (*account.Service, *time.Time) {
	t.Helper()
	_, st := newRepo(t)
	now := time.Now().UTC()
	tokens, err := auth.NewTokens(auth.TokenOptions{Secret: []byte(strings.Repeat("s", 40)), Issuer: "test", Audience: "test/api", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	svc := account.NewService(st.Accounts(), account.Options{
		Tokens: tokens, Now: func() time.Time { return now }, PasswordParams: fastPasswords,
		Registration: account.RegistrationInvite,
	})
	return svc, &now
}

func inviteField(err error) bool {
	var verr *paste.ValidationError
	return errors.As(err, &verr) && verr.Fields["invite"] != ""
}

func TestInviteIsUsedOnceEvenConcurrently(t *testing.T) {
	svc, _ := inviteAccounts(t)
	ctx := context.Background()
	token, _, err := svc.CreateInvite(ctx, 0, 0, "for the team")
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = svc.SignUp(ctx, account.SignUp{Username: fmt.Sprintf("racer%d", i), Password: "long enough password", Invite: token})
		}()
	}
	wg.Wait()
	made := 0
	for _, err := range errs {
		switch {
		case err == nil:
			made++
		case !inviteField(err):
			t.Errorf("a losing sign-up got %v, want the invite field error", err)
		}
	}
	if made != 1 {
		t.Fatalf("%d accounts from one invite, want 1", made)
	}
	list, err := svc.Invites(ctx, 10)
	if err != nil || len(list) != 1 || list[0].UsedByName == "" || !strings.HasPrefix(list[0].UsedByName, "racer") || list[0].Note != "for the team" {
		t.Fatalf("invites = %+v, %v; want one, used by its racer", list, err)
	}
}

func TestInviteRules(t *testing.T) {
	svc, now := inviteAccounts(t)
	ctx := context.Background()
	pw := "long enough password"

	if _, err := svc.SignUp(ctx, account.SignUp{Username: "noinvite", Password: pw}); !errors.Is(err, account.ErrInviteRequired) {
		t.Fatalf("no invite: %v, want ErrInviteRequired", err)
	}
	if _, err := svc.SignUp(ctx, account.SignUp{Username: "guess", Password: pw, Invite: "AAAAAAAAAAAAAAAAAAAAAA"}); !inviteField(err) {
		t.Fatalf("unknown invite: %v", err)
	}

	// A refused account leaves the invite for a second try.
	token, _, err := svc.CreateInvite(ctx, 0, time.Hour, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SignUp(ctx, account.SignUp{Username: "x", Password: pw, Invite: token}); err == nil || inviteField(err) {
		t.Fatalf("bad username: %v", err)
	}
	if ok, _ := svc.InviteUsable(ctx, token); !ok {
		t.Fatal("invite spent by a refused sign-up")
	}
	if _, err := svc.SignUp(ctx, account.SignUp{Username: "first", Password: pw, Invite: token}); err != nil {
		t.Fatal(err)
	}
	// A taken username rolls back the consume too.
	token2, _, _ := svc.CreateInvite(ctx, 0, time.Hour, "")
	if _, err := svc.SignUp(ctx, account.SignUp{Username: "FIRST", Password: pw, Invite: token2}); err == nil || inviteField(err) {
		t.Fatalf("taken username: %v", err)
	}
	if ok, _ := svc.InviteUsable(ctx, token2); !ok {
		t.Fatal("invite spent by a sign-up refused for a taken name")
	}
	if _, err := svc.SignUp(ctx, account.SignUp{Username: "second", Password: pw, Invite: token}); !inviteField(err) {
		t.Fatalf("used invite: %v", err)
	}

	// Expired: an hour and a second later.
	*now = now.Add(time.Hour + time.Second)
	if _, err := svc.SignUp(ctx, account.SignUp{Username: "late", Password: pw, Invite: token2}); !inviteField(err) {
		t.Fatalf("expired invite: %v", err)
	}

	// Revoked.
	token3, inv, _ := svc.CreateInvite(ctx, 0, 0, "")
	if err := svc.RevokeInvite(ctx, inv.ID); err != nil {
		t.Fatal(err)
	}
	if err := svc.RevokeInvite(ctx, inv.ID); !errors.Is(err, paste.ErrNotFound) {
		t.Fatalf("second revoke: %v", err)
	}
	if _, err := svc.SignUp(ctx, account.SignUp{Username: "revoked", Password: pw, Invite: token3}); !inviteField(err) {
		t.Fatalf("revoked invite: %v", err)
	}
	if _, _, err := svc.CreateInvite(ctx, 0, 200*24*time.Hour, ""); err == nil {
		t.Fatal("an invite for 200 days was made")
	}

	states := map[string]int{}
	list, _ := svc.Invites(ctx, 10)
	for _, i := range list {
		states[i.State(*now)]++
	}
	if states["used"] != 1 || states["expired"] != 1 || states["revoked"] != 1 || states["open"] != 0 {
		t.Fatalf("states = %v", states)
	}
}

func TestInvitesStoredHashed(t *testing.T) {
	pool := pgtest.NewPool(t)
	svc := account.NewService(store.New(pool).Accounts(), account.Options{Registration: account.RegistrationInvite, PasswordParams: fastPasswords})
	token, _, err := svc.CreateInvite(context.Background(), 0, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	var stored []byte
	if err := pool.QueryRow(context.Background(), `SELECT token_hash FROM invites`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(token))
	if !bytes.Equal(stored, sum[:]) || bytes.Contains(stored, []byte(token)) {
		t.Fatalf("stored %x, want the SHA-256 of the token only", stored)
	}
}

func TestRegistrationClosed(t *testing.T) {
	_, st := newRepo(t)
	svc := account.NewService(st.Accounts(), account.Options{Registration: account.RegistrationClosed, PasswordParams: fastPasswords})
	if _, err := svc.Register(context.Background(), "nobody", "", "long enough password"); !errors.Is(err, account.ErrRegistrationClosed) {
		t.Fatalf("closed: %v", err)
	}
}

func TestCommonPasswordRefusedOnEverySurfaceOfTheDomain(t *testing.T) {
	e := newAccounts(t)
	ctx := context.Background()
	var verr *paste.ValidationError
	if _, err := e.svc.Register(ctx, "commoner", "", "Password123!"); !errors.As(err, &verr) || !strings.Contains(verr.Fields["password"], "common") {
		t.Fatalf("register with a common password: %v", err)
	}
	u, err := e.svc.Register(ctx, "commoner", "", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ChangePassword(ctx, u.ID, "long enough password", "qwertyuiop", nil); !errors.As(err, &verr) || verr.Fields["new_password"] == "" {
		t.Fatalf("change to a common password: %v", err)
	}
}

func TestExternalAccountWithoutPassword(t *testing.T) {
	e := newAccounts(t)
	ctx := context.Background()
	u, created, err := e.svc.SignInExternal(ctx, account.Identity{Issuer: "https://idp.example", Subject: "42"}, account.ExternalProfile{PreferredUsername: "Zoë Q. Public"}, "")
	if err != nil || !created || u.Username != "Zo-Q-Public" {
		t.Fatalf("first sign-in: %+v created=%v %v", u, created, err)
	}
	again, created, err := e.svc.SignInExternal(ctx, account.Identity{Issuer: "https://idp.example", Subject: "42"}, account.ExternalProfile{}, "")
	if err != nil || created || again.ID != u.ID {
		t.Fatalf("second sign-in: %+v created=%v %v", again, created, err)
	}
	// Another issuer's subject 42 is another person.
	other, created, err := e.svc.SignInExternal(ctx, account.Identity{Issuer: "https://other.example", Subject: "42"}, account.ExternalProfile{PreferredUsername: "Zoë Q. Public"}, "")
	if err != nil || !created || other.ID == u.ID || other.Username != "Zo-Q-Public-2" {
		t.Fatalf("other issuer: %+v created=%v %v", other, created, err)
	}
	var verr *paste.ValidationError
	if err := e.svc.CheckPassword(ctx, u.ID, ""); !errors.As(err, &verr) || verr.Fields["password"] == "" {
		t.Fatalf("CheckPassword on an account without one: %v", err)
	}
	if _, err := e.svc.Authenticate(ctx, u.Username, "", "192.0.2.1"); !errors.Is(err, account.ErrBadCredentials) {
		t.Fatalf("empty password sign-in: %v", err)
	}
}

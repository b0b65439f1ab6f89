package config

import (
	"strings"
	"testing"
)

func TestRegistrationPolicy(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.Registration != "open" {
		t.Fatalf("default = %q, %v; want open", c.Registration, err)
	}
	for _, v := range []string{"open", "invite", "closed"} {
		c, err := Load(env(map[string]string{"REGISTRATION": v}))
		if err != nil || c.Registration != v {
			t.Errorf("REGISTRATION=%s: %q, %v", v, c.Registration, err)
		}
	}
	for _, v := range []string{"Open", "invites", "no", "true"} {
		_, err := Load(env(map[string]string{"REGISTRATION": v}))
		if err == nil || !strings.Contains(err.Error(), "REGISTRATION must be open, invite or closed") {
			t.Errorf("REGISTRATION=%s: %v, want the variable named with its values", v, err)
		}
	}
}

func TestOIDCSettings(t *testing.T) {
	c, err := Load(env(map[string]string{
		"OIDC_ISSUER": "https://login.example.org/realms/x", "OIDC_CLIENT_ID": "pastel", "OIDC_CLIENT_SECRET": "s3cret",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.OIDC.Issuer != "https://login.example.org/realms/x" || c.OIDC.ClientID != "pastel" || c.OIDC.ClientSecret.Reveal() != "s3cret" {
		t.Fatalf("OIDC = %+v", c.OIDC)
	}
	for _, tc := range []struct {
		env  map[string]string
		name string
	}{
		{map[string]string{"OIDC_ISSUER": "login.example.org", "OIDC_CLIENT_ID": "x"}, "OIDC_ISSUER"},
		{map[string]string{"OIDC_ISSUER": "https://login.example.org"}, "OIDC_CLIENT_ID"},
		{map[string]string{"OIDC_CLIENT_ID": "x"}, "OIDC_ISSUER"},
	} {
		_, err := Load(env(tc.env))
		if err == nil || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%v: %v, want %s named", tc.env, err, tc.name)
		}
	}
}

func TestSMTPSettings(t *testing.T) {
	c, err := Load(env(map[string]string{"SMTP_HOST": "mail.example.org", "SMTP_FROM": "pastel@example.org", "SMTP_PASSWORD": "pw"}))
	if err != nil || c.SMTP.Port != 587 || c.SMTP.Password.Reveal() != "pw" || c.SMTP.From != "pastel@example.org" {
		t.Fatalf("SMTP = %+v, %v", c.SMTP, err)
	}
	for _, tc := range []struct {
		env  map[string]string
		name string
	}{
		{map[string]string{"SMTP_HOST": "mail.example.org"}, "SMTP_FROM"},
		{map[string]string{"SMTP_HOST": "mail.example.org", "SMTP_FROM": "a@b", "SMTP_PORT": "70000"}, "SMTP_PORT"},
		{map[string]string{"SMTP_HOST": "mail.example.org", "SMTP_FROM": "a@b", "SMTP_PORT": "smtp"}, "SMTP_PORT"},
	} {
		if _, err := Load(env(tc.env)); err == nil || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%v: %v, want %s named", tc.env, err, tc.name)
		}
	}
}

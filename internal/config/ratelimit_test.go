package config

import (
	"strings"
	"testing"
)

func TestAPIRateLimits(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.APIRateLimit != 0 || c.APICreateRateLimit != 0 {
		t.Fatalf("defaults: %d %d", c.APIRateLimit, c.APICreateRateLimit)
	}
	c, err = Load(env(map[string]string{"API_RATE_LIMIT": "5000", "API_CREATE_RATE_LIMIT": " 900 "}))
	if err != nil {
		t.Fatal(err)
	}
	if c.APIRateLimit != 5000 || c.APICreateRateLimit != 900 {
		t.Fatalf("settings: %d %d", c.APIRateLimit, c.APICreateRateLimit)
	}
	_, err = Load(env(map[string]string{"API_RATE_LIMIT": "lots", "API_CREATE_RATE_LIMIT": "0"}))
	if err == nil {
		t.Fatal("bad limits accepted")
	}
	for _, name := range []string{"API_RATE_LIMIT", "API_CREATE_RATE_LIMIT"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestRenderCacheBytes(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.RenderCacheBytes != DefaultRenderCacheBytes {
		t.Fatalf("default: %d %v", c.RenderCacheBytes, err)
	}
	if c, err = Load(env(map[string]string{"RENDER_CACHE_BYTES": "8388608"})); err != nil || c.RenderCacheBytes != 8<<20 {
		t.Fatalf("set: %d %v", c.RenderCacheBytes, err)
	}
	for _, bad := range []string{"-1", "lots", "99999999999999"} {
		if _, err := Load(env(map[string]string{"RENDER_CACHE_BYTES": bad})); err == nil || !strings.Contains(err.Error(), "RENDER_CACHE_BYTES") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestRegistrationRateLimit(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.RegistrationRateLimit != DefaultRegistrationRateLimit || DefaultRegistrationRateLimit != 5 {
		t.Fatalf("default: %d %v", c.RegistrationRateLimit, err)
	}
	if c, err = Load(env(map[string]string{"REGISTRATION_RATE_LIMIT": " 20 "})); err != nil || c.RegistrationRateLimit != 20 {
		t.Fatalf("set: %d %v", c.RegistrationRateLimit, err)
	}
	for _, bad := range []string{"0", "-3", "many", "1.5"} {
		_, err := Load(env(map[string]string{"REGISTRATION_RATE_LIMIT": bad, "API_CREATE_RATE_LIMIT": "0"}))
		if err == nil || !strings.Contains(err.Error(), "REGISTRATION_RATE_LIMIT") || !strings.Contains(err.Error(), "API_CREATE_RATE_LIMIT") {
			t.Errorf("%q: %v (want one error naming both bad variables)", bad, err)
		}
	}
}

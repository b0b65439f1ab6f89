package config

import (
	"strings"
	"testing"
	"time"
)

func TestSweepIntervals(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.ExpirySweepInterval != time.Minute || c.OrphanSweepInterval != time.Hour || c.OrphanGrace != time.Hour {
		t.Fatalf("sweep defaults: %v %v %v", c.ExpirySweepInterval, c.OrphanSweepInterval, c.OrphanGrace)
	}
	c, err = Load(env(map[string]string{"EXPIRY_SWEEP_INTERVAL": "200ms", "ORPHAN_SWEEP_INTERVAL": "5s", "ORPHAN_GRACE": "2s"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.ExpirySweepInterval != 200*time.Millisecond || c.OrphanSweepInterval != 5*time.Second || c.OrphanGrace != 2*time.Second {
		t.Fatalf("sweep settings: %v %v %v", c.ExpirySweepInterval, c.OrphanSweepInterval, c.OrphanGrace)
	}
	_, err = Load(env(map[string]string{"EXPIRY_SWEEP_INTERVAL": "soon", "ORPHAN_SWEEP_INTERVAL": "0s", "ORPHAN_GRACE": "-1h"}))
	if err == nil {
		t.Fatal("bad durations accepted")
	}
	for _, name := range []string{"EXPIRY_SWEEP_INTERVAL", "ORPHAN_SWEEP_INTERVAL", "ORPHAN_GRACE"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

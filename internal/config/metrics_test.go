package config

import (
	"strings"
	"testing"
)

func TestMetricsAddr(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string // "" : accepted
	}{
		{env: map[string]string{}},
		{env: map[string]string{"METRICS_ADDR": "127.0.0.1:9090"}},
		{env: map[string]string{"METRICS_ADDR": "0.0.0.0:9090"}},
		{env: map[string]string{"METRICS_ADDR": ":9090"}},
		{env: map[string]string{"METRICS_ADDR": "[::1]:9090"}},
		{env: map[string]string{"METRICS_ADDR": "9090"}, want: "must be host:port"},
		{env: map[string]string{"METRICS_ADDR": "localhost:metrics"}, want: "must be host:port"},
		{env: map[string]string{"METRICS_ADDR": "127.0.0.1:70000"}, want: "must be host:port"},
		{env: map[string]string{"METRICS_ADDR": "127.0.0.1:0"}, want: "must be host:port"},
		{env: map[string]string{"METRICS_ADDR": "127.0.0.1:8080"}, want: "must differ from HTTP_ADDR"},
		{env: map[string]string{"METRICS_ADDR": "10.0.0.1:8081", "HTTP_ADDR": "10.0.0.1:8081"}, want: "must differ from HTTP_ADDR"},
	} {
		c, err := Load(env(tc.env))
		if tc.want == "" {
			if err != nil {
				t.Errorf("%v: %v", tc.env, err)
			} else if c.MetricsAddr != tc.env["METRICS_ADDR"] {
				t.Errorf("%v: MetricsAddr = %q", tc.env, c.MetricsAddr)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "METRICS_ADDR") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want METRICS_ADDR %s", tc.env, err, tc.want)
		}
	}
}

package web_test

import (
	"testing"

	"pastel/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

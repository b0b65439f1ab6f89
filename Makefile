# Pastel: `make run` serves on http://127.0.0.1:8080, `make test` runs everything.
SHELL := /bin/bash
GO ?= go
TOOL := $(GO) tool -modfile=tools/go.mod
BIN := $(CURDIR)/bin
export PATH := $(BIN):$(PATH)
VERSITYGW_VERSION := v1.8.0
# The Go release everything is built and tested with. Go 1.26.8, on these
# machines, has standard-library vulnerabilities fixed in later releases
# (see make vuln); the go command fetches this one through the module
# proxy. `make GOTOOLCHAIN=local …` uses whatever go is installed.
GOTOOLCHAIN ?= go1.27.3
export GOTOOLCHAIN


.PHONY: cli admin-grant admin-revoke devdb-stop devdb-remove run test generate check-generate lint bench bench-go bench-http soak vuln fuzz tools devdb help
FUZZTIME ?= 5s

help:
	@echo "make run | cli | test | generate | check-generate | lint | vuln | bench | soak | fuzz | tools"

## run: serve on 127.0.0.1:8080; without DATABASE_URL a private PostgreSQL is started in the background. Ctrl-C stops the server (the database keeps running: make devdb-stop)
run:
	@if [ -z "$$DATABASE_URL" ]; then url="$$(tools/devdb.sh)" || exit 1; export DATABASE_URL="$$url"; fi; \
	$(GO) build -o $(BIN)/web ./cmd/web || exit 1; \
	echo "Pastel: open $${BASE_URL:-http://$${HTTP_ADDR:-127.0.0.1:8080}}  (Ctrl-C stops it)"; \
	exec $(BIN)/web

## cli: the command-line client, bin/pastel (see /cli on a running server)
cli:
	$(GO) build -o $(BIN)/pastel ./cmd/pastel

## admin-grant / admin-revoke: make USER=alice an admin (or not), on the database make run uses
admin-grant admin-revoke:
	@if [ "$(origin USER)" != "command line" ]; then echo "usage: make $@ USER=username"; exit 2; fi; \
	if [ -z "$$DATABASE_URL" ]; then url="$$(tools/devdb.sh)" || exit 1; export DATABASE_URL="$$url"; fi; \
	$(GO) run ./cmd/web admin $(subst admin-,,$@) "$(USER)"

## devdb-stop / devdb-remove: stop the private database of make run, or remove it with every paste in it
devdb-stop:
	@tools/devdb.sh stop

devdb-remove:
	@tools/devdb.sh remove

## devdb: start (or reuse) the private development database and print its URL
devdb:
	@tools/devdb.sh

## tools: test-time servers that a fresh machine lacks (the real S3 server)
tools: $(BIN)/versitygw

$(BIN)/versitygw:
	GOBIN=$(BIN) $(GO) install github.com/versity/versitygw/cmd/versitygw@$(VERSITYGW_VERSION)

## test: the whole suite, race detector on, real PostgreSQL, real S3, headless Chromium
test: tools
	$(GO) test -race -count=1 -timeout 20m ./...

generate:
	$(TOOL) templ generate
	$(TOOL) sqlc generate

## check-generate: generated code must be what the generators produce now
check-generate: generate
	@git diff --exit-code -- views internal/store/dbgen || (echo "generated code is stale: run make generate and commit" && exit 1)
	@test -z "$$(git status --porcelain --untracked-files=all -- views internal/store/dbgen)" || (git status --porcelain -- views internal/store/dbgen; echo "generated files not committed" && exit 1)

## lint: gofmt, go vet (also with the crashpoints tag), go.mod and go.sum tidy (both modules), staticcheck (pinned in tools/go.mod; staticcheck.conf files narrow it per folder); the package import rules are a test (internal/archtest)
lint:
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt: $$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags crashpoints ./internal/crashpoint
	$(GO) mod tidy -diff
	cd tools && $(GO) mod tidy -diff
	$(TOOL) staticcheck ./...

## fuzz: every fuzz target for FUZZTIME each (the seed corpora also run in make test)
fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' internal); do \
		pkg=./$$(dirname $$f); \
		for name in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' $$f | sed 's/^func //'); do \
			echo "fuzz $$pkg $$name"; \
			$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg > /tmp/pastel-fuzz.log 2>&1 || { cat /tmp/pastel-fuzz.log; exit 1; }; \
		done; \
	done

## bench: Go benchmarks (search at 1M pastes, lists, rendering), then Pastel beside nginx under wrk
bench: bench-go bench-http

bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

## bench-http: Pastel and nginx serving the same bytes, side by side (needs wrk and nginx)
bench-http:
	bench/compare.sh

## soak: SOAK_DURATION (10m) of open-loop mixed load at SOAK_RATE (200/s): zero errors, flat memory
soak:
	bench/soak.sh

## helm-check: helm lint and helm template of deploy/helm/pastel, with production values and with settings it must refuse
# helm is built once from its Go module at a pinned version into bin/ (not
# in tools/go.mod: its Kubernetes dependencies would move the generators').
HELM_VERSION := v3.22.0
HELM := $(BIN)/helm-$(HELM_VERSION)
.PHONY: helm-check
helm-check: $(HELM)
	HELM=$(HELM) deploy/helm/check.sh

$(HELM):
	GOBIN=$(BIN)/.helm-build $(GO) install -ldflags="-X helm.sh/helm/v3/internal/version.version=$(HELM_VERSION)" helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)
	mv $(BIN)/.helm-build/helm $@ && rmdir $(BIN)/.helm-build

## vuln: govulncheck against an offline copy of the Go vulnerability database
vuln:
	tools/vulncheck.sh

#!/usr/bin/env bash
# Runs govulncheck on the project against an offline copy of the Go
# vulnerability database: the OSV files of golang.org/x/vulndb, fetched
# through the Go module proxy and indexed with its own indexdb command, so
# the check needs no network access beyond the module proxy. The copy is
# kept in bin/vulndb-<version>; bump VULNDB_VERSION to refresh it.
set -euo pipefail
cd "$(dirname "$0")/.."
VULN_VERSION="${VULN_VERSION:-v1.9.0}"
VULNDB_VERSION="${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}"
db="$PWD/bin/vulndb-$VULNDB_VERSION"
if [ ! -f "$db/index/db.json" ]; then
  src="$(go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$src/data/osv" ] || { echo "vulncheck: no OSV data in golang.org/x/vulndb@$VULNDB_VERSION" >&2; exit 1; }
  rm -rf "$db.tmp"
  GOFLAGS=-mod=mod go run "golang.org/x/vulndb/cmd/indexdb@$VULNDB_VERSION" -vulns "$src/data/osv" -out "$db.tmp"
  mv "$db.tmp" "$db"
fi
echo "vulncheck: $(go version | cut -d' ' -f3), database golang.org/x/vulndb@$VULNDB_VERSION"
exec go run "golang.org/x/vuln/cmd/govulncheck@$VULN_VERSION" -db "file://$db" ./...

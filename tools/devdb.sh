#!/usr/bin/env bash
# Starts, once, a private PostgreSQL cluster for `make run` and prints its URL.
# The cluster persists between runs, so pastes survive a restart.
set -euo pipefail
# One cluster per checkout, on a port derived from its path, so two
# checkouts on one machine do not collide.
sum="$(printf '%s' "$PWD" | cksum | cut -d' ' -f1)"
port="${PASTEL_DEV_PG_PORT:-$((50000 + sum % 10000))}"
bindir=""
if command -v initdb >/dev/null 2>&1; then
  bindir="$(dirname "$(readlink -f "$(command -v initdb)")")"
else
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "devdb: no PostgreSQL server binaries found; install PostgreSQL or set DATABASE_URL" >&2
  exit 1
fi
as=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses root: the cluster belongs to the postgres user, in its home.
  as=(runuser -u postgres --)
  home="$(getent passwd postgres | cut -d: -f6)"
  dir="$home/pastel-dev-$sum"
else
  dir="$PWD/.dev/pg"
fi
case "${1:-}" in
  stop)
    if [ -f "$dir/data/PG_VERSION" ]; then "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true; fi
    echo "devdb: stopped ($dir)"; exit 0 ;;
  remove)
    if [ -f "$dir/data/PG_VERSION" ]; then "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"; echo "devdb: removed $dir"; exit 0 ;;
  "") ;;
  *) echo "usage: tools/devdb.sh [stop|remove]" >&2; exit 2 ;;
esac
if [ ! -f "$dir/data/PG_VERSION" ]; then
  mkdir -p "$dir"
  if [ ${#as[@]} -gt 0 ]; then chown postgres: "$dir"; fi
  "${as[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 >"$dir/../pastel-initdb.log" 2>&1 || {
    echo "devdb: initdb failed, see $dir/../pastel-initdb.log" >&2; exit 1; }
fi
if ! "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null || {
    echo "devdb: PostgreSQL did not start; its log:" >&2; tail -n 20 "$dir/log" >&2; exit 1; }
fi
url="postgres://postgres@127.0.0.1:$port"
if ! "${as[@]}" "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'pastel'" | grep -q 1; then
  "${as[@]}" "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE pastel" >/dev/null
fi
echo "$url/pastel?sslmode=disable"

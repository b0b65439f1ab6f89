# bench/lib.sh is sourced by the benchmark scripts: a work folder, a fresh
# database on the server `make run` uses (or DATABASE_URL's), and the app
# built and started on a free port with generous API rate limits (the load
# comes from one address). It sets work, app (base URL) and app_pid, and
# removes everything on exit.
set -euo pipefail

# The work folder (the app's DATA_DIR among it) sits in the checkout's
# ignored tmp/, on the file system `make run` keeps ./data on, rather than
# in /tmp: on the machines this was measured on, creating a file in /tmp
# cost 260 µs of kernel time against 20 µs in the checkout, which would
# measure the machine's /tmp instead of Pastel.
mkdir -p tmp
work="$(mktemp -d "$PWD/tmp/pastel-bench.XXXXXX")"
chmod 755 "$work"
app_pid="" extra_pids=()
bench_base_url="${DATABASE_URL:-$(tools/devdb.sh)}"
bench_db="pastel_bench_$$"
bench_cleanup() {
  for p in $app_pid "${extra_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$bench_base_url" -qc "DROP DATABASE IF EXISTS $bench_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap bench_cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$app_pid/status"; }

start_app() {
  psql "$bench_base_url" -qc "CREATE DATABASE $bench_db" >/dev/null
  local db_url port
  db_url="$(printf '%s' "$bench_base_url" | sed -E "s#/[^/?]+(\?|$)#/$bench_db\1#")"
  go build -o "$work/web" ./cmd/web
  port="$(free_port)"
  app="http://127.0.0.1:$port"
  DATABASE_URL="$db_url" HTTP_ADDR="127.0.0.1:$port" DATA_DIR="$work/data" LOG_LEVEL="${BENCH_LOG_LEVEL:-info}" \
    API_RATE_LIMIT=100000000 API_CREATE_RATE_LIMIT=100000000 REGISTRATION_RATE_LIMIT=100000000 MAX_CONNS_PER_IP=-1 MAX_PASTE_BYTES=$((11 << 20)) \
    "$work/web" >"$work/app.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 100); do curl -fs "$app/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  cat "$work/app.log" >&2
  return 1
}

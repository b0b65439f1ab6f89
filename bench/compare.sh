#!/usr/bin/env bash
# bench/compare.sh runs Pastel and nginx side by side, serving the same
# bytes, and prints requests per second, p99 latency and the ratios the
# project targets (issue 7). It is `make bench-http`; it needs wrk and nginx
# (Debian packages of those names) and PostgreSQL as for `make run`.
#
#   BENCH_DURATION (10s)  BENCH_CONNECTIONS (64)  BENCH_THREADS (2)
#   BENCH_ONLY ("raw page cold creates big lists search")  BENCH_LOG_LEVEL (info, the default of the app)
#   BENCH_SEARCH_CONNECTIONS (16)  BENCH_LIST_PASTES (2000, the pastes lists and search run over)
#
# Both servers run on this machine with wrk, so the figures are what one
# box does, not a cluster; compare ratios, not absolute numbers, between
# machines.
set -euo pipefail
cd "$(dirname "$0")/.."

dur="${BENCH_DURATION:-10s}"
# BENCH_ONLY picks scenarios: any of raw page cold creates big lists search
# (all by default).
only="${BENCH_ONLY:-raw page cold creates big lists search}"
want() { [[ " $only " == *" $1 "* ]]; }
conns="${BENCH_CONNECTIONS:-64}"
threads="${BENCH_THREADS:-2}"
for tool in wrk nginx curl psql; do
  command -v "$tool" >/dev/null || { echo "compare: $tool is not installed" >&2; exit 1; }
done

source bench/lib.sh
start_app
idle_rss="$(rss_kib)"

# The pastes: text of realistic shape, highlighted as Go.
mkdir -p "$work/www"
declare -A id
for size in 1024 4096 102400 10485760; do
  go run ./bench/corpus -bytes "$size" >"$work/body-$size"
  id[$size]="$(curl -fsS -H 'Accept: text/plain' -H 'Content-Type: text/plain' \
    --data-binary @"$work/body-$size" "$app/api/v1/pastes?syntax=go&visibility=public" | sed 's#.*/##')"
  cp "$work/body-$size" "$work/www/raw-$size"
  curl -fsS "$app/${id[$size]}" -o "$work/www/page-$size.html"
done

nginx_port="$(free_port)"
cat >"$work/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { text/html html; text/plain txt; }
  default_type text/plain;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
  }
}
EOF
as_root=()
# As root, nginx's workers would run as nobody, who may not read $work.
[ "$(id -u)" = 0 ] && as_root=(-g "user root;")
nginx -p "$work" -c "$work/nginx.conf" "${as_root[@]}" &
extra_pids+=($!)
ngx="http://127.0.0.1:$nginx_port"
for _ in $(seq 50); do curl -fs "$ngx/raw-1024" >/dev/null 2>&1 && break; sleep 0.1; done

# run URL -> "rps p99_ms"
run() {
  local out rps p99
  out="$(wrk -t"$threads" -c"$conns" -d"$dur" --timeout "${2:-2s}" --latency "$1")"
  if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then echo "compare: errors from $1" >&2; echo "$out" >&2; exit 1; fi
  rps="$(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  echo "$rps $(to_ms "$p99")"
}
to_ms() { # wrk prints 812.00us, 3.21ms, 1.02s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

printf '%-30s %12s %9s %12s %9s %7s\n' scenario pastel_rps p99_ms nginx_rps p99_ms ratio
line() { # name pastel_url nginx_url [wrk timeout]
  read -r prps pp99 <<<"$(run "$2" "${4:-2s}")"
  read -r nrps np99 <<<"$(run "$3" "${4:-2s}")"
  printf '%-30s %12.0f %9s %12.0f %9s %7s\n' "$1" "$prps" "$pp99" "$nrps" "$np99" "$(ratio "$prps" "$nrps")"
}
if want lists || want search; then
  # Lists and search (issue 19) run over BENCH_LIST_PASTES public pastes of
  # 2 KiB, titled from the corpus' words; one in 500 has a rare word in
  # its title. nginx serves a copy of each answer.
  n="${BENCH_LIST_PASTES:-2000}"
  mkdir -p "$work/seed"
  go build -o "$work/corpus" ./bench/corpus
  for i in $(seq "$n"); do
    title="handler cache $i"
    [ $((i % 500)) = 0 ] && title="zebraquartz cache $i"
    go_body="$work/seed/$((i % 50)).go"
    [ -f "$go_body" ] || "$work/corpus" -bytes 2048 -seed "$((i % 50))" >"$go_body"
    printf '%s|%s\n' "$title" "$go_body"
  done | xargs -P 4 -d '\n' -n 1 sh -c 'curl -fsS -o /dev/null -H "Content-Type: text/plain" --data-binary @"${1#*|}" \
    "$0/api/v1/pastes?syntax=go&visibility=public&title=$(printf %s "${1%%|*}" | sed "s/ /%20/g")"' "$app"
  # The cursor of page 20 of the API's recent list (about 600 pastes deep).
  deep=""
  for _ in $(seq 20); do
    deep="$(curl -fsS "$app/api/v1/pastes?limit=30${deep:+&cursor=$deep}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"])')"
  done
  curl -fsS "$app/explore" -o "$work/www/explore.html"
  curl -fsS "$app/api/v1/pastes?limit=30" -o "$work/www/list.json"
  curl -fsS "$app/api/v1/pastes?limit=30&cursor=$deep" -o "$work/www/deep.json"
  for q in handler ctx.Err zebraquartz hadnler; do
    curl -fsS "$app/api/v1/search?q=$q" -o "$work/www/search-$q.json"
  done
fi
if want raw; then
  for size in 1024 4096 102400 10485760; do
    # 64 clients each fetching 10 MiB share ~1 GB/s: a fetch takes about
    # a second, over wrk's 2 s timeout at the tail.
    line "raw $((size / 1024)) KiB" "$app/raw/${id[$size]}" "$ngx/raw-$size" "$([ "$size" -gt 1048576 ] && echo 20s || echo 2s)"
  done
fi
if want page; then
  for size in 1024 4096 102400; do
    line "page $((size / 1024)) KiB (hot)" "$app/${id[$size]}" "$ngx/page-$size.html"
  done

fi
if want lists; then
  line "explore (30 recent)" "$app/explore" "$ngx/explore.html"
  line "api list ?limit=30" "$app/api/v1/pastes?limit=30" "$ngx/list.json"
  line "api list, page 21 (cursor)" "$app/api/v1/pastes?limit=30&cursor=$deep" "$ngx/deep.json"
fi
if want search; then
  # Search at BENCH_SEARCH_CONNECTIONS (issue 19's p99 goal is at 16).
  saved_conns="$conns"
  conns="${BENCH_SEARCH_CONNECTIONS:-16}"
  line "search common (handler) c$conns" "$app/api/v1/search?q=handler" "$ngx/search-handler.json"
  line "search ident (ctx.Err) c$conns" "$app/api/v1/search?q=ctx.Err" "$ngx/search-ctx.Err.json"
  line "search rare c$conns" "$app/api/v1/search?q=zebraquartz" "$ngx/search-zebraquartz.json"
  line "search typo (hadnler) c$conns" "$app/api/v1/search?q=hadnler" "$ngx/search-hadnler.json"
  conns="$saved_conns"
fi
if want cold; then
  # Cold pages: the first view of fresh pastes, before the render cache has them.
  cold_total=0 cold_max=0
  for i in $(seq 20); do
    cid="$(curl -fsS -H 'Accept: text/plain' -H 'Content-Type: text/plain' \
      --data-binary @"$work/body-4096" "$app/api/v1/pastes?syntax=go&title=cold$i" | sed 's#.*/##')"
    t="$(curl -fsS -o /dev/null -w '%{time_total}' "$app/$cid")"
    cold_total="$(awk -v a="$cold_total" -v b="$t" 'BEGIN{print a+b}')"
    cold_max="$(awk -v a="$cold_max" -v b="$t" 'BEGIN{print (b>a)?b:a}')"
  done
  printf 'page 4 KiB (cold)              mean %.1f ms, max %.1f ms over 20 fresh pastes\n' \
    "$(awk -v t="$cold_total" 'BEGIN{print t*1000/20}')" "$(awk -v t="$cold_max" 'BEGIN{print t*1000}')"

fi
if want creates; then
  # Creates on the local store.
  cat >"$work/create.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/plain"
wrk.headers["Accept"] = "text/plain"
local body = string.rep("package main // benchmark paste\n", 128)
request = function()
  return wrk.format(nil, "/api/v1/pastes?syntax=go", nil, body)
end
EOF
  out="$(wrk -t"$threads" -c"$conns" -d"$dur" --latency -s "$work/create.lua" "$app")"
  if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then echo "$out" >&2; exit 1; fi
  printf 'creates 4 KiB                  %.0f/s, p99 %s ms\n' "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")" \
    "$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")"

fi
if want big; then
  # 10 MiB in and out, streamed: RSS growth over the idle figure.
  any_alive() { local p; for p in "$@"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
  before="$(rss_kib)"
  peak="$before"
  for i in 1 2 3; do
    pids=()
    curl -fsS -o /dev/null -H 'Content-Type: text/plain' --data-binary @"$work/body-10485760" "$app/api/v1/pastes?title=big$i" & pids+=($!)
    curl -fsS -o /dev/null "$app/raw/${id[10485760]}" & pids+=($!)
    curl -fsS -o /dev/null "$app/dl/${id[10485760]}" & pids+=($!)
    while any_alive "${pids[@]}"; do
      r="$(rss_kib)"
      if [ "$r" -gt "$peak" ]; then peak="$r"; fi
      sleep 0.02
    done
    for p in "${pids[@]}"; do wait "$p" || { echo "compare: a 10 MiB transfer failed" >&2; exit 1; }; done
  done
  printf 'rss idle %.1f MiB; 10 MiB pastes in and out x3: peak %.1f MiB, growth %.1f MiB\n' \
    "$(awk -v k="$idle_rss" 'BEGIN{print k/1024}')" "$(awk -v k="$peak" 'BEGIN{print k/1024}')" \
    "$(awk -v a="$peak" -v b="$before" 'BEGIN{print (a-b)/1024}')"
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); wrk -t$threads -c$conns -d$dur"

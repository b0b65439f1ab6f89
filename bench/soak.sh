#!/usr/bin/env bash
# bench/soak.sh is `make soak`: the app under SOAK_DURATION (10m) of
# open-loop mixed load at SOAK_RATE (200) requests per second; it fails on
# any error, on memory growth (first to last minute) and on a p99 that
# drifts (bench/soak).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
# The render cache (64 MiB by default) fills with the pages of new pastes
# and would look like growth for the whole run; a small one is full within
# the first minute, so what grows after that is not a cache.
export RENDER_CACHE_BYTES="${SOAK_RENDER_CACHE_BYTES:-4194304}"
# The same for the read caches: bounded so they are full early on.
export PASTE_CACHE_ENTRIES="${SOAK_PASTE_CACHE_ENTRIES:-500}"
export BODY_CACHE_BYTES="${SOAK_BODY_CACHE_BYTES:-1048576}"
# SOAK_DEBUG_ADDR (127.0.0.1:6060, say) serves the profiler during the run.
[ -n "${SOAK_DEBUG_ADDR:-}" ] && export DEBUG_ADDR="$SOAK_DEBUG_ADDR"
start_app
go build -o "$work/soak" ./bench/soak
"$work/soak" -url "$app" -pid "$app_pid" -duration "${SOAK_DURATION:-10m}" -rate "${SOAK_RATE:-200}"

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
export RENDER_CACHE_BYTES="${SOAK_RENDER_CACHE_BYTES:-8388608}"
start_app
go build -o "$work/soak" ./bench/soak
"$work/soak" -url "$app" -pid "$app_pid" -duration "${SOAK_DURATION:-10m}" -rate "${SOAK_RATE:-200}"

#!/usr/bin/env bash
# bench/soak.sh is `make soak`: the app under SOAK_DURATION (10m) of
# open-loop mixed load at SOAK_RATE (200) requests per second; it fails on
# any error, on memory growth and on a p99 that drifts (bench/soak).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
start_app
go build -o "$work/soak" ./bench/soak
"$work/soak" -url "$app" -pid "$app_pid" -duration "${SOAK_DURATION:-10m}" -rate "${SOAK_RATE:-200}"

#!/usr/bin/env bash
# Runs a command RUNS times and prints each wall time in microseconds, one per line.
# Timed in bash with $EPOCHREALTIME (no fork around the measurement), like bench/supervisor.sh,
# so pmx and PM2 pay the same and smallest overhead.
#   time-cmd.sh RUNS command [args...]
set -uo pipefail
runs=$1; shift
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }
"$@" >/dev/null 2>&1   # warm the page cache once
for ((i = 0; i < runs; i++)); do
  a=$(now_us); "$@" >/dev/null 2>&1; b=$(now_us)
  echo $((b - a))
done

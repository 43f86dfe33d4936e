#!/usr/bin/env bash
# pmx against PM2 on this machine: the same express app (samples/node-express), the same policy
# (4 cluster instances, wait_ready, listen_timeout 10 s, kill_signal SIGINT, kill_timeout 5 s).
#   bench/run.sh            writes bench/results/latest.{md,json} and bench/results/reload.svg
# Scenarios: CLI latency, daemon memory, start, reload under load (fresh connections, keep-alive,
# 2 s requests in flight), throughput (wrk), kill -9 of a worker, and the manager with 1..500 idle
# processes. Runs alternate pmx/PM2, BENCH_REPS times (default 3); the report shows medians.
# Only 127.0.0.1 is ever a target; every process started here is killed on exit, even on failure.
# Needs node and npm; installs pm2 (pinned below) into bench/.work, and wrk with apt when missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
. bench/lib/pm2.sh
work=$root/bench/.work
results=$root/bench/results
mkdir -p "$work" "$results"

say() { printf 'bench: %s\n' "$*" >&2; }

command -v node >/dev/null || { say "node not found; install Node.js >= 18"; exit 2; }
if [ ! -x artifacts/pmx ]; then say "artifacts/pmx missing; building it"; ./build.sh; fi
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "installing wrk with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
  fi
  command -v wrk >/dev/null || { say "wrk not found; install it (apt-get install wrk)"; exit 2; }
fi
ensure_pm2 "$work"
if [ ! -d samples/node-express/node_modules/express ]; then
  say "installing the sample's dependencies (npm ci)"
  (cd samples/node-express && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

export PMX_BIN=$root/artifacts/pmx PM2_BIN=$work/node_modules/pm2/bin/pm2
export BENCH_APP=$root/samples/node-express/server.js
export BENCH_PMX_HOME BENCH_PM2_HOME
BENCH_PMX_HOME=$(mktemp -d /tmp/pmx-bench-XXXXXX)
BENCH_PM2_HOME=$(mktemp -d /tmp/pm2-bench-XXXXXX)
cleanup() {
  PMX_HOME=$BENCH_PMX_HOME "$PMX_BIN" kill >/dev/null 2>&1 || true
  PM2_HOME=$BENCH_PM2_HOME "$PM2_BIN" kill >/dev/null 2>&1 || true
  rm -rf "$BENCH_PMX_HOME" "$BENCH_PM2_HOME"
}
trap cleanup EXIT

started=$SECONDS
node bench/lib/bench.js "$results/latest.json"
node bench/lib/report.js "$results/latest.json" > "$results/latest.md"
node bench/lib/svg.js "$results/latest.json" > "$results/reload.svg"
say "done in $((SECONDS - started)) s: bench/results/latest.md, latest.json, reload.svg"

#!/usr/bin/env bash
# The CLI at its floor, pmx against itself and against PM2, in one run: `pmx --version` (a
# process that starts and exits: the floor), `pmx list` and `pm2 list`, each manager supervising
# the same 4 idle `sleep` workers; and both daemons' memory.
#   bench/cli.sh [RUNS]      (default 200 runs per command; run ./build.sh first; needs node/npm for PM2, python3)
# Runs interleave (version, list, pm2 list, version, ...) so a change of load on the machine hits
# all three alike; the report shows medians. Targets (issue 12): `pmx list` at most 1 ms slower
# than `pmx --version`, at least 30x faster than `pm2 list`; pmx daemon RSS at most 1/4 of PM2's.
# Every process started here is killed on exit, even on failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-200}"
workers=4
root=$PWD
pmx=${PMX_BIN:-$root/artifacts/pmx}   # PMX_BIN: measure another build (e.g. the one before a change)
work=$root/bench/.work
. bench/lib/pm2.sh
[ -x "$pmx" ] || { echo "bench: $pmx not found; run ./build.sh first" >&2; exit 2; }
command -v node >/dev/null || { echo "bench: node not found; PM2 needs Node.js >= 18" >&2; exit 2; }
mkdir -p "$work"
ensure_pm2 "$work"
pm2=$work/node_modules/pm2/bin/pm2

export PMX_HOME PM2_HOME
PMX_HOME=$(mktemp -d /tmp/pmx-cli-XXXXXX)
PM2_HOME=$(mktemp -d /tmp/pm2-cli-XXXXXX)
cleanup() {
  "$pmx" kill >/dev/null 2>&1 || true
  "$pm2" kill >/dev/null 2>&1 || true
  rm -rf "$PMX_HOME" "$PM2_HOME"
}
trap cleanup EXIT

cat > "$PMX_HOME/idle.toml" <<TOML
[[apps]]
name = "idle"
script = "sleep"
args = ["100000"]
interpreter = "none"
instances = $workers
TOML
cat > "$PM2_HOME/idle.config.js" <<JS
module.exports = { apps: [{ name: 'idle', script: 'sleep', args: '100000', interpreter: 'none', instances: $workers, exec_mode: 'fork' }] };
JS

"$pmx" up -c "$PMX_HOME/idle.toml" >/dev/null
"$pm2" start "$PM2_HOME/idle.config.js" >/dev/null 2>&1
[ "$("$pmx" list | grep -c ' online ')" -eq $workers ] || { echo "bench: pmx did not bring $workers workers online" >&2; exit 1; }
pm2_online() { "$pm2" jlist 2>/dev/null | grep -o '"status":"online"' | wc -l; }
for _ in $(seq 100); do [ "$(pm2_online)" -ge $workers ] && break; sleep 0.1; done
[ "$(pm2_online)" -ge $workers ] || { echo "bench: PM2 did not bring $workers workers online" >&2; exit 1; }

command -v python3 >/dev/null || { echo "bench: python3 not found (it times the runs)" >&2; exit 2; }
times=$(python3 bench/lib/cli-times.py "$runs" \
  1 version -- "$pmx" --version \
  1 list -- "$pmx" list \
  10 pm2 -- "$pm2" list)
field() { awk -v k="$1" -v f="$2" '$1 == k {print $f}' <<<"$times"; }
v=$(field version 2) l=$(field list 2) p=$(field pm2 2)
vc=$(field version 3) lc=$(field list 3) pc=$(field pm2 3)

rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }
pmx_rss=$(rss_kb "$(cat "$PMX_HOME/daemon.pid")")
pm2_rss=$(rss_kb "$(cat "$PM2_HOME/pm2.pid")")

ok() { awk "BEGIN{print ($1) ? \"ok\" : \"MISSED\"}"; }   # $1: an awk expression of numbers
printf 'pmx %s: the CLI at its floor, %d idle workers per manager, medians of %d interleaved runs (pm2: %d)\n' \
  "$("$pmx" --version)" $workers "$runs" "$(field pm2 4)"
printf '| | wall | CPU (user+sys) | target | |\n|---|---|---|---|---|\n'
awk -v v="$v" -v c="$vc" 'BEGIN{printf "| `pmx --version` | %.2f ms | %.2f ms | | |\n", v/1000, c/1000}'
awk -v l="$l" -v c="$lc" 'BEGIN{printf "| `pmx list` | %.2f ms | %.2f ms | | |\n", l/1000, c/1000}'
awk -v p="$p" -v c="$pc" 'BEGIN{printf "| `pm2 list` | %.1f ms | %.1f ms | | |\n", p/1000, c/1000}'
awk -v l="$l" -v v="$v" -v lc="$lc" -v vc="$vc" -v r="$(ok "($l - $v) <= 1000")" \
  'BEGIN{printf "| `pmx list` - `pmx --version` | %.2f ms | %.2f ms | <= 1 ms (wall) | %s |\n", (l-v)/1000, (lc-vc)/1000, r}'
awk -v l="$l" -v p="$p" -v lc="$lc" -v pc="$pc" -v r="$(ok "$p >= 30 * $l")" \
  'BEGIN{printf "| `pm2 list` / `pmx list` | %.0fx | %.0fx | >= 30x (wall) | %s |\n", p/l, pc/lc, r}'
awk -v a="$pmx_rss" -v b="$pm2_rss" -v r="$(ok "$pm2_rss >= 4 * $pmx_rss")" \
  'BEGIN{printf "| daemon RSS: pmx / PM2 | %.1f MB / %.1f MB (%.1fx) | | PM2 >= 4x | %s |\n", a/1024, b/1024, b/a, r}'
echo "Wall time is what the targets are about; on a busy machine it also measures the scheduler, CPU time does not."

#!/usr/bin/env bash
# The CLI at its floor, pmx against itself and against PM2, in one run: `pmx --version` (a
# process that starts and exits: the floor), `pmx list` and `pm2 list`, each manager supervising
# the same 4 idle `sleep` workers; and both daemons' memory.
#   bench/cli.sh [RUNS]      (default 200 runs per command; run ./build.sh first; needs node/npm for PM2)
# Runs interleave (version, list, pm2 list, version, ...) so a change of load on the machine hits
# all three alike; the report shows medians. Targets (issue 12): `pmx list` at most 1 ms slower
# than `pmx --version`, at least 30x faster than `pm2 list`; pmx daemon RSS at most 1/4 of PM2's.
# Every process started here is killed on exit, even on failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-200}"
workers=4
root=$PWD
pmx=$root/artifacts/pmx
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

now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }
median() { sort -n | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }

# Warm the page cache and both daemons once, then interleave.
"$pmx" --version >/dev/null; "$pmx" list >/dev/null; "$pm2" list >/dev/null 2>&1
version=() list=() pm2list=()
for ((i = 0; i < runs; i++)); do
  a=$(now_us); "$pmx" --version >/dev/null; b=$(now_us); version+=($((b - a)))
  a=$(now_us); "$pmx" list >/dev/null; b=$(now_us); list+=($((b - a)))
  # PM2 is ~30x slower: a tenth of the runs gives as steady a median.
  if ((i % 10 == 0)); then a=$(now_us); "$pm2" list >/dev/null 2>&1; b=$(now_us); pm2list+=($((b - a))); fi
done
v=$(printf '%s\n' "${version[@]}" | median)
l=$(printf '%s\n' "${list[@]}" | median)
p=$(printf '%s\n' "${pm2list[@]}" | median)

rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }
pmx_rss=$(rss_kb "$(cat "$PMX_HOME/daemon.pid")")
pm2_rss=$(rss_kb "$(cat "$PM2_HOME/pm2.pid")")

ok() { awk -v c="$1" 'BEGIN{print (c) ? "ok" : "MISSED"}'; }
printf 'pmx %s: the CLI at its floor, %d idle workers per manager, medians of %d interleaved runs (pm2: %d)\n' \
  "$("$pmx" --version)" $workers "$runs" "${#pm2list[@]}"
printf '| | measured | target | |\n|---|---|---|---|\n'
awk -v v="$v" 'BEGIN{printf "| `pmx --version` | %.2f ms | | |\n", v/1000}'
awk -v l="$l" 'BEGIN{printf "| `pmx list` | %.2f ms | | |\n", l/1000}'
awk -v p="$p" 'BEGIN{printf "| `pm2 list` | %.1f ms | | |\n", p/1000}'
awk -v l="$l" -v v="$v" -v r="$(ok "($l - $v) <= 1000")" 'BEGIN{printf "| `pmx list` - `pmx --version` | %.2f ms | <= 1 ms | %s |\n", (l-v)/1000, r}'
awk -v l="$l" -v p="$p" -v r="$(ok "$p >= 30 * $l")" 'BEGIN{printf "| `pm2 list` / `pmx list` | %.0fx | >= 30x | %s |\n", p/l, r}'
awk -v a="$pmx_rss" -v b="$pm2_rss" -v r="$(ok "$pm2_rss >= 4 * $pmx_rss")" \
  'BEGIN{printf "| daemon RSS: pmx / PM2 | %.1f MB / %.1f MB (%.1fx) | PM2 >= 4x | %s |\n", a/1024, b/1024, b/a, r}'

#!/usr/bin/env bash
# What the daemon costs while it supervises: its memory with N idle workers, and how fast
# `pmx list` answers. Targets (10 workers): daemon RSS < 15 MB, `list` median < 10 ms.
#   bench/supervisor.sh [WORKERS] [RUNS]     (defaults 10 and 50; run ./build.sh first)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
workers="${1:-10}"
runs="${2:-50}"
pmx="$PWD/artifacts/pmx"
[ -x "$pmx" ] || { echo "bench: $pmx not found; run ./build.sh first" >&2; exit 2; }

export PMX_HOME
PMX_HOME=$(mktemp -d /tmp/pmx-bench-XXXXXX)
trap '"$pmx" kill >/dev/null 2>&1 || true; rm -rf "$PMX_HOME"' EXIT

cat > "$PMX_HOME/bench.toml" <<TOML
[[apps]]
name = "idle"
script = "sleep"
args = ["100000"]
interpreter = "none"
instances = $workers
TOML

now_us() {
  if [ -n "${EPOCHREALTIME:-}" ]; then local t=${EPOCHREALTIME/[.,]/}; echo "$t"
  else echo $(( $(date +%s%N) / 1000 )); fi
}
median() { sort -n | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }

t0=$(now_us)
"$pmx" up -c "$PMX_HOME/bench.toml" >/dev/null
t1=$(now_us)
online=$("$pmx" list --json | grep -o '"status":"online"' | wc -l)
[ "$online" -eq "$workers" ] || { echo "bench: only $online of $workers workers online" >&2; exit 1; }

daemon=$(cat "$PMX_HOME/daemon.pid")
# Let the daemon settle (its first resource sample, lazily started threads) before reading memory.
"$pmx" list >/dev/null; "$pmx" describe idle >/dev/null
rss_kb=$(awk '/^VmRSS:/{print $2}' "/proc/$daemon/status")
pss_kb=$(awk '/^Pss:/{print $2}' "/proc/$daemon/smaps_rollup" 2>/dev/null || echo 0)

times=()
for ((i = 0; i < runs; i++)); do
  a=$(now_us); "$pmx" list >/dev/null; b=$(now_us)
  times+=($((b - a)))
done
list_ms=$(printf '%s\n' "${times[@]}" | median | awk '{printf "%.1f", $1/1000}')

t2=$(now_us)
"$pmx" down >/dev/null
t3=$(now_us)

printf '| pmx supervising %d idle workers | measured | target |\n|---|---|---|\n' "$workers"
awk -v k="$rss_kb" 'BEGIN{printf "| daemon RSS | %.1f MB | < 15 MB |\n", k/1024}'
awk -v k="$pss_kb" 'BEGIN{printf "| daemon PSS | %.1f MB | |\n", k/1024}'
printf '| `pmx list` median of %d | %s ms | < 10 ms |\n' "$runs" "$list_ms"
printf '| `pmx up` until every worker is online | %d ms | |\n' $(((t1 - t0) / 1000))
printf '| `pmx down` until every worker stopped | %d ms | |\n' $(((t3 - t2) / 1000))

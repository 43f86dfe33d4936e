#!/usr/bin/env bash
# Start-up time and peak memory of the published binary, the two numbers a CLI that runs on every
# keystroke of a deploy script has to keep small. Targets: <10 ms median, <12 MB peak RSS.
#   bench/startup.sh [RUNS]     (default 50 runs per command; run ./build.sh first)
# Timing uses bash's $EPOCHREALTIME when present (no fork around the measurement), else
# `date +%s%N`, which adds the start-up of `date` itself (about 1 ms) to every sample.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-50}"
pmx=artifacts/pmx
[ -x "$pmx" ] || { echo "bench: $pmx not found; run ./build.sh first" >&2; exit 2; }

now_us() {
  if [ -n "${EPOCHREALTIME:-}" ]; then local t=${EPOCHREALTIME/[.,]/}; echo "$t"
  else echo $(( $(date +%s%N) / 1000 )); fi
}

# Peak RSS needs the kernel's rusage of the finished child: GNU time reports it, python3's
# resource module can read it; /proc cannot, because the process is gone before it can be read.
rss_tool=""
if [ -x /usr/bin/time ]; then rss_tool=time
elif command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] \
     && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null 2>&1 && [ -x /usr/bin/time ]; then rss_tool=time
elif command -v python3 >/dev/null 2>&1; then rss_tool=python
fi

peak_rss_kb() { # command... -> KB on stdout
  case "$rss_tool" in
    time) /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n1 ;;
    python) python3 -c 'import resource,subprocess,sys
subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@" ;;
    *) echo 0 ;;
  esac
}

median() { sort -n | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }

bench() { # label command...
  local label=$1; shift
  local times=() rss=() i t0 t1
  "$@" >/dev/null 2>&1 || true   # warm the page cache once
  for ((i = 0; i < runs; i++)); do
    t0=$(now_us); "$@" >/dev/null 2>&1 || true; t1=$(now_us)
    times+=($((t1 - t0)))
  done
  for ((i = 0; i < runs; i++)); do rss+=("$(peak_rss_kb "$@")"); done
  local ms kb
  ms=$(printf '%s\n' "${times[@]}" | median | awk '{printf "%.1f", $1/1000}')
  kb=$(printf '%s\n' "${rss[@]}" | median)
  local mb; mb=$(awk -v k="$kb" 'BEGIN{printf "%.1f", k/1024}')
  local t_ok r_ok
  t_ok=$(awk -v v="$ms" 'BEGIN{print (v < 10) ? "ok" : "OVER"}')
  r_ok=$(awk -v v="$mb" 'BEGIN{print (v < 12) ? "ok" : "OVER"}')
  [ "$rss_tool" = "" ] && { mb="n/a"; r_ok="-"; }
  printf '%-42s %8s ms  %-4s  %7s MB  %-4s\n' "$label" "$ms" "$t_ok" "$mb" "$r_ok"
}

printf 'pmx start-up, median of %d runs (%s)\n' "$runs" "$("$pmx" --version)"
printf '%-42s %11s  %-4s  %10s  %-4s\n' "command" "time" "<10" "peak RSS" "<12"
bench "pmx --version" "$pmx" --version
bench "pmx check -c ecosystem.toml.example" "$pmx" check -c ecosystem.toml.example
[ -n "$rss_tool" ] || echo "bench: no /usr/bin/time or python3; peak RSS not measured" >&2

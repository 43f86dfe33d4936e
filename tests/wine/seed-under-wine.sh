#!/usr/bin/env bash
# The seed's express app (samples/node-express/app.js, unchanged) under Wine with Windows node.exe
# and the foreground supervisor: 4 cluster workers share port 8080 through pmx's socket hand-off
# (WSADuplicateSocketW over Node's IPC pipe), a reload under load from a Linux client fails no
# request, and a stop (SIGINT to pmx) leaves no worker behind.
# The reload is the one cron_restart starts (the foreground run has no control channel on this
# branch); it is the same ReloadApp path `pmx reload` takes.
#
# Needs: wine (8.0), a prefix to copy (WINE_TEMPLATE_PREFIX), Windows node.exe (NODE_WIN_DIR),
# samples/node-express/node_modules, and a win-x64 folder publish of pmx (PMX_WIN_DIR):
#   dotnet publish src/Pmx/Pmx.csproj -c Release -r win-x64 --self-contained -p:PublishAot=false -o "$PMX_WIN_DIR"
# Usage: tests/wine/seed-under-wine.sh   (exit 0 = every check passed)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
PMX_WIN_DIR=${PMX_WIN_DIR:-$root/artifacts/windows}
NODE_WIN_DIR=${NODE_WIN_DIR:-/work/wine-cache/node/package/bin}
WINE_TEMPLATE_PREFIX=${WINE_TEMPLATE_PREFIX:-/work/wine-cache/prefix}
PORT=${PORT:-8080}

work=$(mktemp -d /tmp/pmx-wine-seed.XXXXXX)
export WINEDEBUG=-all WINEPREFIX=$work/prefix
# The JIT (non-AOT) pmx under Wine 8 crashes in a finalizer freeing dynamic-method code with W^X on.
export DOTNET_EnableWriteXorExecute=0
export PMX_HOME="Z:${work//\//\\}\\home" WINEPATH="Z:${NODE_WIN_DIR//\//\\}"
cp -a "$WINE_TEMPLATE_PREFIX" "$WINEPREFIX"
mkdir -p "$work/home"
cleanup() { wineserver -k 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

cat > "$work/pmx.toml" <<TOML
[[apps]]
name = "app"
script = "$root/samples/node-express/app.js"
cwd = "$root/samples/node-express"
instances = 4
exec_mode = "cluster"
wait_ready = true
listen_timeout = 50000
kill_timeout = 5000
cron_restart = "0 * * * * *"
TOML

log=$work/pmx.log
wine "$PMX_WIN_DIR/pmx.exe" up --no-daemon -c "Z:${work//\//\\}\\pmx.toml" >"$log" 2>&1 &
wine_pid=$!

wait_for() { # wait_for <what> <seconds> <command…>
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 "$seconds"); do "$@" && return 0; sleep 1; done
  echo "FAIL: $what within ${seconds}s"; tail -40 "$log"; exit 1
}
count() { grep -c "$1" "$log" || true; }
# node.exe processes of this prefix only: other Wine prefixes on the machine may run node.exe too.
node_count() {
  local n=0 pid
  for pid in $(pgrep -f 'node.exe' || true); do
    if { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qx "WINEPREFIX=$WINEPREFIX"; then n=$((n + 1)); fi
  done
  echo "$n"
}

wait_for "4 workers online" 90 bash -c "[ \$(grep -c ' online' '$log') -ge 4 ]"
echo "ok: 4 workers online"

# Load from Linux, one new connection per request, until the cron reload has replaced all 4.
requests=0 failures=0
deadline=$((SECONDS + 150))
while [ "$(count 'exited 0 after SIGINT')" -lt 4 ]; do
  [ $SECONDS -lt $deadline ] || { echo "FAIL: no complete reload within 150 s"; tail -40 "$log"; exit 1; }
  code=$(curl -s -o /dev/null -m 10 -w '%{http_code}' "http://127.0.0.1:$PORT/" || true)
  requests=$((requests + 1))
  [ "$code" = 200 ] || failures=$((failures + 1))
done
echo "reload under load: $requests requests, $failures failed"
[ "$failures" -eq 0 ] || { echo "FAIL: failed requests during the reload"; exit 1; }
[ "$(count 'started as pid')" -ge 8 ] || { echo "FAIL: the reload did not start 4 new workers"; exit 1; }

running=$(node_count)
[ "$running" -ge 4 ] || { echo "FAIL: expected 4 node.exe workers of this prefix, found $running"; exit 1; }
kill -INT "$wine_pid"
wait_for "pmx to exit" 60 bash -c "! kill -0 $wine_pid 2>/dev/null"
left=$(node_count)
[ "$left" -eq 0 ] || { echo "FAIL: $left node.exe of this prefix still running"; exit 1; }
grep -q "daemon exiting with code 0" "$log" || { echo "FAIL: pmx did not exit cleanly"; tail -20 "$log"; exit 1; }
echo "ok: stopped, no worker left"
grep -E "started as pid|is ready|exited|reload" "$log" | cut -c1-160

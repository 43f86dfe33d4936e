#!/usr/bin/env bash
# Builds the native pmx binary into artifacts/ and, on request, runs it or the tests.
#   ./build.sh          publish artifacts/pmx (and the samples the example config serves)
#   ./build.sh run      publish, then `pmx up -c ecosystem.toml.example`
#   ./build.sh test     publish, then run every test (unit and end-to-end)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf 'build.sh: %s\n' "$*" >&2; }

# Native AOT links with a C toolchain (clang, else gcc). Install one only when neither is there.
ensure_native_toolchain() {
  if command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1; then return; fi
  say "no C compiler found; Native AOT needs one to link. Installing gcc with apt (build-essential)."
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends build-essential
}

publish() { # project output-dir
  dotnet publish "$1" -c Release -r linux-x64 -o "$2" -p:DebugType=none -nologo -clp:NoSummary -v:quiet
  rm -f "$2"/*.dbg "$2"/*.xml
}

build() {
  ensure_native_toolchain
  say "publishing artifacts/pmx (Native AOT)"
  publish src/Pmx/Pmx.csproj artifacts
  build_samples
}

# The apps ecosystem.toml.example runs. Framework-dependent: the SDK already ships ASP.NET Core.
build_samples() {
  say "publishing artifacts/samples/dotnet-web (the example's ASP.NET Core app)"
  publish samples/dotnet-web/dotnet-web.csproj artifacts/samples/dotnet-web
}

build_test_fixtures() {
  say "publishing artifacts/testworker (the end-to-end fixture)"
  publish tests/Pmx.TestWorker/Pmx.TestWorker.csproj artifacts/testworker.d
  cp artifacts/testworker.d/testworker artifacts/testworker
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
  run)
    build
    artifacts/pmx up -c ecosystem.toml.example
    say "running: try 'curl http://127.0.0.1:8080/', 'artifacts/pmx list', 'artifacts/pmx reload web'; stop with 'artifacts/pmx down'"
    ;;
  test)
    build
    build_test_fixtures
    install_sample_dependencies
    say "running the tests"
    dotnet test --solution pmx.slnx -c Release
    ;;
  *) say "unknown command '$1' (expected: build, run, test)"; exit 2 ;;
esac

# Sourced by bench scripts: installs the pinned PM2 into bench/.work (ignored by git) when missing.
PM2_VERSION=7.0.4

ensure_pm2() { # work-dir
  local work=$1 installed
  installed=$(node -pe 'require(process.argv[1]).version' "$work/node_modules/pm2/package.json" 2>/dev/null || true)
  [ "$installed" = "$PM2_VERSION" ] && return
  printf 'bench: installing pm2@%s into bench/.work\n' "$PM2_VERSION" >&2
  npm install --prefix "$work" --no-save --no-audit --no-fund --loglevel=error "pm2@$PM2_VERSION" >/dev/null
}

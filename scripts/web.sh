#!/usr/bin/env bash
# Builds the web UI (web/ → web/dist) with the machine's Node.js and npm.
#   scripts/web.sh          install packages if package-lock.json changed, build if
#                           any source is newer than the last build
#   scripts/web.sh --force  always build
# Packages come from package-lock.json only (npm ci), never from a fresh resolve.
set -euo pipefail
cd "$(dirname "$0")/../web"

if ! command -v npm >/dev/null; then
  echo "web: npm not found; run scripts/setup.sh" >&2
  exit 1
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== web: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
stamp=dist/index.html
if [ "${1:-}" = "--force" ] || [ ! -f "$stamp" ] || \
   [ -n "$(find src scripts index.html package.json vite.config.* tsconfig*.json public ../docs/openapi.json -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  echo "== web: build"
  npm run build --silent
fi

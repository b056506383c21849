#!/usr/bin/env bash
# System packages the tests need, installed only when missing (quick when all is there):
#   - Debian's Chromium, driven by Playwright in tests/browser/ (Playwright's own
#     browser download cannot be used: only package registries are reachable);
#   - axe-core from npm (package.json / package-lock.json), for the accessibility audit.
# Run from anywhere; works on the repository that holds this script.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "install-system: installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
  if ! command -v npm >/dev/null; then
    echo "install-system: installing Debian's nodejs and npm"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq nodejs npm >/dev/null
  fi
  echo "install-system: npm ci (axe-core)"
  npm ci --no-audit --no-fund --loglevel=error
fi

/usr/bin/chromium --version 2>/dev/null || true
echo "install-system: axe-core $(node -p "require('./node_modules/axe-core/package.json').version")"

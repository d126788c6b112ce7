#!/usr/bin/env bash
# Every check of the web app, in the order a failure is cheapest to find: install, generated API types
# up to date, lint, type check, unit tests, build, then the browser tests against a real `seedbed serve`.
# Needs Node >= 20 with npm, Debian's `chromium` package (/usr/bin/chromium, or set CHROMIUM) and, for
# readable screenshots, a CJK font (fonts-wqy-microhei or fonts-noto-cjk).
set -euo pipefail
cd "$(dirname "$0")"

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$CHROMIUM" ]]; then
  echo "web/check.sh: $CHROMIUM not found; install Debian's package: apt-get install -y chromium" >&2
  exit 1
fi

echo "== npm ci"
npm ci --no-audit --no-fund

echo "== API types match openapi/openapi.json"
generated="$(mktemp --suffix=.d.ts)"
trap 'rm -f "$generated"' EXIT
npx openapi-typescript ../openapi/openapi.json -o "$generated" >/dev/null
if ! diff -q "$generated" src/api/schema.d.ts >/dev/null; then
  echo "src/api/schema.d.ts is older than openapi/openapi.json: run 'npm run gen:api' in web/ and commit it" >&2
  exit 1
fi

echo "== eslint"
npm run lint

echo "== vue-tsc --noEmit"
npm run typecheck

echo "== vitest"
npm test

echo "== vite build"
npm run build

echo "== browser tests"
if [[ ! -x ../.venv/bin/seedbed ]]; then
  make -C .. .venv/.deps-run
fi
CHROMIUM="$CHROMIUM" npm run test:browser

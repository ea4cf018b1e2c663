#!/usr/bin/env bash
# Everything the tests need on a fresh Debian machine, then every test: Chromium from apt when it is
# missing, the npm packages (which also copies the models), then typecheck, lint, unit and e2e.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "test-all: installing Chromium from Debian's packages"
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi

npm ci --no-audit --no-fund
npm test

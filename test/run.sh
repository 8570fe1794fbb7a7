#!/usr/bin/env bash
# The whole test suite (npm test, and CI through .ci/run): build, unit tests, then the
# end-to-end tests, which build the lab of real target hosts themselves (Debian packages,
# a cached debootstrap base, systemd-nspawn containers) and tear it down at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export NO_COLOR=1
# GNU time measures the memory and CPU bounds of the hostile-input tests; a fresh machine lacks it.
if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null 2>&1; } \
    || echo "warning: could not install GNU time; hostile-input memory bounds are not measured"
fi
# OpenSSH's ssh -G is the oracle of the ssh-config tests (test/support/openssh.ts installs it too).
if ! command -v ssh >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-client >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-client >/dev/null 2>&1; } \
    || echo "warning: could not install openssh-client; the ssh-config tests will fail"
fi
start=$(date +%s)
npx tsc -p tsconfig.json
node scripts/bundle.mjs
# Reliability figures (faults, lockouts, secrets, …) add up across both mocha runs and are printed
# as one summary block at the end (test/unit/reliability/summary-hooks.ts).
export SPARKBOOK_FIGURES="$(mktemp)"
trap 'rm -f "$SPARKBOOK_FIGURES"' EXIT
echo "== unit tests"
npx mocha 'dist/test/unit/**/*.test.js'
echo "== end-to-end tests (local connection and the lab)"
npx mocha --require dist/test/lab/mocha-hooks.js --require dist/test/unit/reliability/summary-hooks.js --timeout 900000 'dist/test/e2e/**/*.test.js'
echo "== test suite done in $(( $(date +%s) - start )) s"

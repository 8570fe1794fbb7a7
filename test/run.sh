#!/usr/bin/env bash
# The whole test suite: build, unit tests, then end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.json
npx mocha 'dist/test/unit/**/*.test.js' 'dist/test/e2e/**/*.test.js'

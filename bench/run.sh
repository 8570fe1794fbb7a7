#!/bin/bash
# The benchmark: sparkbook against ansible-playbook on the same lab hosts (see docs/benchmarks.md).
# Usage: bench/run.sh [--hosts 1,10,30] [--runs 3] [--tools sparkbook,ansible-default,ansible-tuned] [--lab NAME] [--keep-lab]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's ansible-core; its sysctl module lives in ansible.posix, which Debian ships in the `ansible` package.
need=()
command -v ansible-playbook >/dev/null || need+=(ansible-core)
[ -d /usr/lib/python3/dist-packages/ansible_collections/ansible/posix ] || need+=(ansible)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "[bench] installing ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >&2
fi

# Ansible's apt module needs python3-apt on the target; the lab hosts reach no mirror, so the .debs go from here.
BENCH_DEBS=${BENCH_DEBS:-/var/cache/sparkbook-bench/debs}
if ! ls "$BENCH_DEBS"/python3-apt_*.deb >/dev/null 2>&1; then
  mkdir -p "$BENCH_DEBS"
  (cd "$BENCH_DEBS" && apt-get download python3-apt python-apt-common distro-info-data >&2)
fi
export BENCH_DEBS

npx tsc -p tsconfig.json >/dev/null || true   # emits even when unrelated files have type errors
[ -f dist/bench/main.js ] || { echo "bench: dist/bench/main.js was not built" >&2; exit 1; }
export SPARKBOOK_LAB_QUIET=1
exec node dist/bench/main.js "$@"

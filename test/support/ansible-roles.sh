#!/bin/sh
# Regenerates test/fixtures/ansible/roles/expected.json: what ansible-core prints for the fixture
# roles, so test/unit/runner/load/roles.test.ts can compare without Ansible installed:
#  - `precedence`: task name and debug message of each debug task of precedence/site.yml, run locally
#    with -e extra_over_all=extra (which level wins for each variable);
#  - `siteTasks`: the task names and tags `ansible-playbook --list-tasks` lists for site.yml;
#  - `includes`: task name and debug message of each debug task of includes/site.yml (include_tasks
#    looping over a template).
# Needs ansible-core (Debian: apt-get install --no-install-recommends ansible-core) and python3.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
dir="$here/test/fixtures/ansible/roles"
out="$dir/expected.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$dir/precedence" && ANSIBLE_STDOUT_CALLBACK=json ANSIBLE_ROLES_PATH=/nonexistent ansible-playbook -i inventory.yml site.yml -e extra_over_all=extra) > "$work/precedence.json"
(cd "$dir" && ANSIBLE_ROLES_PATH=/nonexistent ansible-playbook -i localhost, site.yml --list-tasks) > "$work/site.txt"
(cd "$dir/includes" && ANSIBLE_STDOUT_CALLBACK=json ansible-playbook -i localhost, -c local site.yml) > "$work/includes.json"
version=$(ansible-playbook --version | sed -n 1p)
python3 - "$work/precedence.json" "$work/site.txt" "$version" "$work/includes.json" > "$out" <<'PY'
import json, re, sys
def messages(file):
    run = json.load(open(file))
    return [
        {"task": t["task"]["name"], "msg": t["hosts"]["localhost"]["msg"]}
        for play in run["plays"] for t in play["tasks"]
        if "msg" in t["hosts"]["localhost"] and "results" not in t["hosts"]["localhost"]
    ]
precedence = messages(sys.argv[1])
includes = messages(sys.argv[4])
site = []
for line in open(sys.argv[2]):
    m = re.match(r"^\s{6}(.+?)\tTAGS: \[(.*)\]$", line.rstrip("\n"))
    if m:
        site.append({"task": m.group(1), "tags": [t for t in m.group(2).split(", ") if t]})
print(json.dumps({"recordedWith": sys.argv[3], "precedence": precedence, "siteTasks": site, "includes": includes}, indent=2))
PY
echo "wrote $out"

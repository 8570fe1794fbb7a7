#!/bin/sh
# Regenerates test/fixtures/ansible/yaml11.json: how Ansible's YAML (1.1) reads each scalar below.
# Needs ansible-core (Debian: apt-get install --no-install-recommends ansible-core). Each case is
# put in a vars file read through vars_files (the same loader as -e @file, group_vars, host_vars),
# and a local play writes back its Python type (type_debug) and its text (| string).
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
out="$here/test/fixtures/ansible/yaml11.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/cases.txt" <<'CASES'
yes
Yes
YES
yEs
no
No
NO
on
On
ON
off
Off
OFF
true
True
TRUE
tRue
false
False
FALSE
y
Y
n
N
'yes'
"no"
0644
0o644
0755
0
00
-0644
0x1F
0x_1F
0b101
-0b101
1_000
1,000
+12
-12
012345
08
09
1:20
-1:20
1:20:30
190:20:30
1:20.5
1:60
.inf
-.inf
+.inf
.Inf
.INF
.nan
.NaN
.NAN
inf
1.5
1.
.5
1_000.5
1e3
1.0e3
1.0e+3
1.0E-3
6.8523015e+5
~
null
Null
NULL
nULL
2001-12-14
2001-12-14t21:59:43.10-05:00
12:30
1.2.3
0.0.0.0
22
00022
abc
CASES
n=0
: > "$work/vars.yml"
while IFS= read -r line; do
  printf 'c%d: %s\n' "$n" "$line" >> "$work/vars.yml"
  n=$((n + 1))
done < "$work/cases.txt"
cat > "$work/play.yml" <<EOF2
- hosts: localhost
  connection: local
  gather_facts: false
  vars_files: [vars.yml]
  tasks:
    - copy:
        dest: "$work/seen.json"
        content: "{% for i in range($n) %}{{ {'type': lookup('vars', 'c' ~ i) | type_debug, 'text': lookup('vars', 'c' ~ i) | string} | to_json }}\n{% endfor %}"
EOF2
ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 ansible-playbook -i localhost, "$work/play.yml" > "$work/log" 2>&1 || { cat "$work/log"; exit 1; }
version=$(ansible --version | head -1)
python3 - "$work/cases.txt" "$work/seen.json" "$version" > "$out" <<'PY'
import json, sys
cases = open(sys.argv[1]).read().split('\n')[:-1]
seen = [json.loads(l) for l in open(sys.argv[2]).read().split('\n') if l]
assert len(cases) == len(seen)
doc = {'made_by': 'test/support/ansible-yaml11.sh', 'ansible': sys.argv[3],
       'cases': [{'yaml': c, 'type': s['type'], 'text': s['text']} for c, s in zip(cases, seen)]}
print(json.dumps(doc, indent=2))
PY
echo "wrote $out ($n cases)"

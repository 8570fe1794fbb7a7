#!/usr/bin/env python3
# Regenerates test/fixtures/ansible/template-statements.json: what Ansible's `template` module
# (ansible-core 2.14, its defaults: trim_blocks on, lstrip_blocks off, trailing newlines kept)
# writes for each template below, byte for byte. Needs ansible-core on PATH. Each case becomes
# templates/<n>.j2 rendered by one local play; the file it writes is read back as the expectation.
# test/unit/runner/template/statements-oracle.test.ts replays the recorded answers.
import json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures', 'ansible', 'template-statements.json')
VARS = {
    'xs': ['a', 'b', 'c'],
    'empty': [],
    'ports': [22, 80, 443],
    'd': {'one': 1, 'two': 2},
    'flag': True,
    'off': False,
    'n': 3,
    'name': 'spark',
    'peers': [{'name': 'p1', 'ip': '10.0.0.1'}, {'name': 'p2', 'ip': '10.0.0.2'}],
}
CASES = [
    ('plain text and a trailing newline', 'hello\n'),
    ('no trailing newline', 'hello'),
    ('two trailing newlines', 'hello\n\n'),
    ('an expression', 'name={{ name }}\n'),
    ('if true', '{% if flag %}\nyes\n{% endif %}\n'),
    ('if false with else', '{% if off %}\nyes\n{% else %}\nno\n{% endif %}\n'),
    ('elif chain', '{% if n == 1 %}one{% elif n == 3 %}three{% else %}other{% endif %}\n'),
    ('inline if keeps the newline after text', 'a{% if flag %}b{% endif %}\nc\n'),
    ('for with trim_blocks', '{% for x in xs %}\n{{ x }}\n{% endfor %}\n'),
    ('for on one line', '{% for x in xs %}{{ x }},{% endfor %}\n'),
    ('loop variables', '{% for x in xs %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.length }} {{ "first" if loop.first }} {{ "last" if loop.last }} {{ loop.revindex }}/{{ loop.revindex0 }}\n{% endfor %}'),
    ('for else on an empty list', '{% for x in empty %}\n{{ x }}\n{% else %}\nnone\n{% endfor %}\n'),
    ('for over a dict iterates keys', '{% for k in d %}{{ k }};{% endfor %}\n'),
    ('for with tuple unpacking over items()', '{% for k, v in d.items() %}\n{{ k }}={{ v }}\n{% endfor %}\n'),
    ('for over the items filter', '{% for k, v in d | items %}{{ k }}:{{ v }} {% endfor %}\n'),
    ('set from a loop over keys and values()', '{% set total = d.values() | sum %}{% for k in d.keys() %}{{ k }} {% endfor %}{{ total }}\n'),
    ('set with a filter in a for body', '{% for p in peers %}{% set label = p.name | upper %}{{ label }}={{ p.ip }}\n{% endfor %}'),
    ('if inside for with trim', '{% for x in xs %}\n{% if x != "b" %}\n{{ x }}\n{% endif %}\n{% endfor %}\n'),
    ('for with a filter clause', '{% for p in ports if p > 22 %}{{ p }}{% if not loop.last %},{% endif %}{% endfor %}\n'),
    ('nested loops and outer loop', '{% for a in [1, 2] %}{% for b in xs %}{{ a }}{{ b }} {% endfor %}\n{% endfor %}'),
    ('for over a list of dicts', '{% for p in peers %}\n[Peer]\nName = {{ p.name }}\nIP = {{ p.ip }}\n\n{% endfor %}'),
    ('set', '{% set greeting = "hi " ~ name %}\n{{ greeting }}\n'),
    ('set inside a loop does not leak', '{% set c = 0 %}{% for x in xs %}{% set c = loop.index %}{% endfor %}{{ c }}\n'),
    ('set with a tuple', '{% set a, b = 1, 2 %}{{ a }}-{{ b }}\n'),
    ('comment', 'a{# a comment #}b\n'),
    ('comment on its own line', 'a\n{# a comment #}\nb\n'),
    ('multi-line comment', 'a\n{# one\ntwo #}\nb\n'),
    ('whitespace control minus on blocks', 'a\n  {%- if flag -%}\n  b\n  {%- endif %}\nc\n'),
    ('whitespace control minus on expressions', 'a  {{- name -}}  b\n'),
    ('indented block tags keep their indentation (lstrip_blocks off)', 'x:\n  {% for x in xs %}\n  - {{ x }}\n  {% endfor %}\nend\n'),
    ('plus disables trim_blocks', '{% if flag +%}\nyes\n{% endif %}\n'),
    ('raw block', '{% raw %}{{ not }} {% evaluated %}{% endraw %}\n'),
    ('expression then newline is kept', '{{ name }}\n{{ name }}\n'),
    ('block at end of file without newline', 'a\n{% if flag %}b{% endif %}'),
    ('crlf in the template', 'a\r\n{% if flag %}\r\nb\r\n{% endif %}\r\n'),
    ('if with a test and filters', '{% if xs is defined and xs | length > 2 %}{{ xs | join(",") }}{% endif %}\n'),
    ('undefined guarded by default', '{{ missing | default("dflt") }}\n'),
    ('loop.cycle is not needed: modulo', '{% for x in xs %}{{ "odd" if loop.index is odd else "even" }} {% endfor %}\n'),
    ('range', '{% for i in range(3) %}{{ i }}{% endfor %}\n'),
    ('only whitespace between blocks', '{% if flag %}\n\n{% endif %}\n'),
    ('trailing newline after the last block only', 'line\n{% for x in xs %}{{ x }}\n{% endfor %}'),
    ('comment with trim', 'a\n{#- c -#}\nb\n'),
    ('elif with trim', '{% if off %}\nA\n{% elif flag %}\nB\n{% endif %}\n'),
]

def main():
    work = tempfile.mkdtemp()
    os.mkdir(os.path.join(work, 'templates'))
    os.mkdir(os.path.join(work, 'out'))
    tasks = []
    for i, (_, text) in enumerate(CASES):
        with open(os.path.join(work, 'templates', f'{i}.j2'), 'w', newline='') as f:
            f.write(text)
        tasks.append({'template': {'src': f'{i}.j2', 'dest': os.path.join(work, 'out', str(i))}})
    play = [{'hosts': 'localhost', 'connection': 'local', 'gather_facts': False, 'vars': VARS, 'tasks': tasks}]
    with open(os.path.join(work, 'play.yml'), 'w') as f:
        json.dump(play, f)
    subprocess.run(['ansible-playbook', '-i', 'localhost,', 'play.yml'], cwd=work, check=True, stdout=subprocess.DEVNULL)
    cases = []
    for i, (name, text) in enumerate(CASES):
        with open(os.path.join(work, 'out', str(i)), newline='') as f:
            cases.append({'name': name, 'template': text, 'output': f.read()})
    with open(OUT, 'w') as f:
        json.dump({'source': 'test/support/ansible-template-statements.py (ansible-core template module, default options)',
                   'vars': VARS, 'cases': cases}, f, indent=2)
        f.write('\n')

main()

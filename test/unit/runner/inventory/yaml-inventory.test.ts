// Tests of the YAML inventory format: structure, vars, locations and errors.
import assert from 'node:assert/strict';
import { InputError } from '../../../../runner/errors.js';
import { thrown, yamlInventory } from './inline.js';

describe('YAML inventory', () => {
  const inv = yamlInventory(`all:
  hosts:
    loose:
  vars:
    ansible_user: nvidia
  children:
    sparks:
      hosts:
        spark-[01:02]:
          ansible_host: 10.0.0.1
        spark-03:2222:
      children:
        gpu:
          hosts:
            spark-01:
              cuda: 12
    lab:
      hosts: bench-01
`);

  it('keeps hosts in file order, first declaration first', () => {
    assert.deepEqual([...inv.hosts.keys()], ['loose', 'spark-01', 'spark-02', 'spark-03', 'bench-01']);
  });

  it('records direct hosts, children and parents of each group', () => {
    const sparks = inv.groups.get('sparks');
    assert.deepEqual(sparks?.hosts, ['spark-01', 'spark-02', 'spark-03']);
    assert.deepEqual(sparks?.children, ['gpu']);
    assert.deepEqual(sparks?.parents, ['all']);
    assert.deepEqual(inv.groups.get('gpu')?.parents, ['sparks']);
    assert.deepEqual(inv.groups.get('all')?.children, ['ungrouped', 'sparks', 'lab']);
  });

  it('accepts a single host name as a string for hosts:', () => {
    assert.deepEqual(inv.groups.get('lab')?.hosts, ['bench-01']);
  });

  it("puts hosts that are only in 'all' into 'ungrouped' as Ansible does", () => {
    assert.deepEqual(inv.groups.get('ungrouped')?.hosts, ['loose']);
    assert.deepEqual(inv.hosts.get('loose')?.groups, ['all', 'ungrouped']);
  });

  it('lists every group of a host, ancestors and all included, parents before children', () => {
    assert.deepEqual(inv.hosts.get('spark-01')?.groups, ['all', 'sparks', 'gpu']);
  });

  it('merges host vars from every place the host is listed, with group vars underneath', () => {
    assert.deepEqual(inv.hosts.get('spark-01')?.vars, { ansible_user: 'nvidia', ansible_host: '10.0.0.1', cuda: 12 });
    assert.deepEqual(inv.hosts.get('spark-02')?.vars, { ansible_user: 'nvidia', ansible_host: '10.0.0.1' });
  });

  it('turns a name:port suffix into ansible_port', () => {
    assert.equal(inv.hosts.get('spark-03')?.vars['ansible_port'], 2222);
  });

  it('records where each host was first declared', () => {
    assert.deepEqual(inv.hosts.get('spark-01')?.where, { file: 'inline.yml', line: 9, col: 9 });
    assert.deepEqual(inv.hosts.get('bench-01')?.where, { file: 'inline.yml', line: 18, col: 14 });
  });

  it('treats a group declared at the top level as a child of all', () => {
    const top = yamlInventory('sparks:\n  hosts:\n    s1:\ngpu:\n  hosts:\n    s1:\n');
    assert.deepEqual(top.groups.get('all')?.children, ['ungrouped', 'sparks', 'gpu']);
    assert.deepEqual(top.hosts.get('s1')?.groups, ['all', 'gpu', 'sparks']);
  });

  it('reads YAML 1.1 as Ansible does: yes is a boolean, 0755 is octal', () => {
    const v = yamlInventory('all:\n  vars:\n    a: yes\n    b: true\n    c: 0755\n').groups.get('all')?.vars;
    assert.deepEqual(v, { a: true, b: true, c: 493 });
  });

  it('follows aliases and merge keys in vars', () => {
    const i = yamlInventory('all:\n  vars:\n    base: &b {x: 1}\n    more:\n      <<: *b\n      y: 2\n');
    assert.deepEqual(i.groups.get('all')?.vars['more'], { x: 1, y: 2 });
  });

  it('warns about an empty file instead of failing', () => {
    const i = yamlInventory('# nothing yet\n');
    assert.equal(i.hosts.size, 0);
    assert.equal(i.warnings.length, 1);
  });

  const cases: [string, string, number, number, RegExp][] = [
    ['unknown group key', 'all:\n  childs:\n    a:\n', 2, 3, /unknown key 'childs' in group 'all'.*did you mean 'children'/],
    ['host mapped to a list', 'all:\n  hosts:\n    h: [1]\n', 3, 8, /host 'h' must map to its vars/],
    ['children as a list', 'all:\n  children:\n    - a\n', 3, 5, /children of group 'all' must be a mapping/],
    ['a cycle through three groups', 'a:\n  children:\n    b:\n      children:\n        c:\n          children:\n            a:\n', 7, 13, /group 'a' would be its own ancestor: a → b → c → a/],
    ['all as a child', 'x:\n  children:\n    all:\n', 3, 5, /cannot be a child of 'x'/],
    ['a duplicate child group', 'all:\n  children:\n    a:\n    a:\n', 4, 5, /group 'a' is listed twice in the children of 'all' \(first at line 3\)/],
    ['a group name with a space', '"my group":\n  hosts:\n    h:\n', 1, 1, /invalid group name "my group"/],
    ['ansible_host with a space', 'all:\n  hosts:\n    h:\n      ansible_host: "10.0.0.1 x"\n', 4, 21, /ansible_host must be a host name or address/],
    ['a YAML syntax error', 'all:\n  hosts: [\n', 3, 1, /^invalid YAML: /],
    ['two YAML documents', 'all:\n---\nb:\n', 2, 1, /^invalid YAML: /],
  ];
  for (const [what, text, line, col, message] of cases) {
    it(`rejects ${what} at ${line}:${col}`, () => {
      const e = thrown(() => yamlInventory(text));
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.kind, 'inventory');
      assert.match(e.message, message);
      assert.deepEqual(e.where, { file: 'inline.yml', line, col });
    });
  }

  it('accepts templated connection vars without checking them', () => {
    const i = yamlInventory('all:\n  hosts:\n    h:\n      ansible_port: "{{ ssh_port }}"\n');
    assert.equal(i.hosts.get('h')?.vars['ansible_port'], '{{ ssh_port }}');
  });
});

describe('YAML inventory host names that look like numbers', () => {
  it('keeps the name as written', () => {
    const inv = yamlInventory('all:\n  hosts:\n    1e3:\n    0x10:\n    10.0.0.1:\n');
    assert.deepEqual([...inv.hosts.keys()], ['1e3', '0x10', '10.0.0.1']);
  });
});

// Tests of the INI inventory format: sections, typed values, locations and errors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { InputError } from '../../../../runner/errors.js';
import { fixture, iniInventory, thrown } from './inline.js';

describe('INI inventory', () => {
  const inv = iniInventory(readFileSync(fixture('inventory', 'basic.ini'), 'utf8'), 'basic.ini');

  it('puts hosts before any section into ungrouped, in file order', () => {
    assert.deepEqual(inv.groups.get('ungrouped')?.hosts, ['localhost', 'bastion']);
    assert.deepEqual([...inv.hosts.keys()], ['localhost', 'bastion', 'spark-01', 'spark-02', 'spark-04', 'bench-01']);
  });

  it('reads name:port and key=value host vars', () => {
    assert.equal(inv.hosts.get('bastion')?.vars['ansible_port'], 2200);
    assert.equal(inv.hosts.get('bastion')?.vars['ansible_user'], 'ops');
  });

  it('expands ranges on host lines', () => {
    assert.deepEqual(inv.groups.get('sparks')?.hosts, ['spark-01', 'spark-02', 'spark-04']);
    assert.equal(inv.hosts.get('spark-02')?.vars['ansible_user'], 'nvidia');
  });

  it('types host values with Python literal rules, like Ansible', () => {
    const v = inv.hosts.get('spark-04')?.vars ?? {};
    assert.equal(v['weight'], 3);
    assert.equal(v['enabled'], true);
    assert.equal(v['ratio'], 1.5);
    assert.equal(v['name'], 'two words');
    assert.equal(v['literal'], '007');
    assert.deepEqual(v['list'], [1, 'a']);
    assert.equal(v['raw'], 'yes');
    assert.equal(v['zero'], '007');
    assert.equal(v['trailing'], undefined);
  });

  it('reads [group:vars] as key = value with the same literal rules, comments included in the value', () => {
    assert.deepEqual(inv.groups.get('sparks')?.vars, {
      ntp: 'pool.ntp.org',
      count: 5,
      flag: 'true',
      quoted: 'hello # not a comment',
    });
  });

  it('links [group:children] even when the child section comes later', () => {
    assert.deepEqual(inv.groups.get('fleet')?.children, ['sparks', 'lab']);
    assert.deepEqual(inv.hosts.get('bench-01')?.groups, ['all', 'fleet', 'lab']);
  });

  it('applies [all:vars] to every host under the other groups', () => {
    assert.equal(inv.hosts.get('spark-01')?.vars['ansible_python_interpreter'], '/usr/bin/python3');
    assert.equal(inv.hosts.get('spark-01')?.vars['count'], 5);
  });

  it('gives the implicit-localhost connection to a listed localhost without one', () => {
    assert.equal(inv.hosts.get('localhost')?.vars['ansible_connection'], 'local');
    assert.equal(inv.hosts.get('bastion')?.vars['ansible_connection'], undefined);
  });

  it('leaves ansible_connection alone when localhost sets it', () => {
    assert.equal(iniInventory('localhost ansible_connection=ssh\n').hosts.get('localhost')?.vars['ansible_connection'], 'ssh');
  });

  it('records the host token as where the host was declared', () => {
    assert.deepEqual(inv.hosts.get('spark-04')?.where, { file: 'basic.ini', line: 8, col: 1 });
  });

  it('allows [group:vars] before the [group] section', () => {
    const i = iniInventory('[g:vars]\nx=1\n[g]\nh\n');
    assert.equal(i.hosts.get('h')?.vars['x'], 1);
  });

  const cases: [string, string, number, number, RegExp][] = [
    ['an unclosed section', 'h\n  [sparks\n', 2, 3, /no closing '\]'/],
    ['an unknown section type', '[g:hosts]\n[g:foo]\n', 2, 4, /unknown type 'foo'/],
    ['a host var without =', '[g]\nh  a=1 b\n', 2, 8, /expected key=value after host 'h', found 'b'/],
    ['an empty var name', '[g]\nh =1\n', 2, 3, /missing variable name/],
    ['an unclosed quote', '[g]\nh a="x\n', 2, 5, /no closing quotation/],
    ['a bad port value', '[g]\nh ansible_port=abc\n', 2, 16, /ansible_port must be a port number/],
    ['a children line that is not a name', '[g]\nh\n[p:children]\ng x\n', 4, 1, /expected a group name in \[p:children\]/],
    ['a group that contains itself', '[g:children]\ng\n[g]\n', 2, 1, /group 'g' would be its own ancestor: g → g/],
  ];
  for (const [what, text, line, col, message] of cases) {
    it(`rejects ${what} at ${line}:${col}`, () => {
      const e = thrown(() => iniInventory(text));
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.kind, 'inventory');
      assert.match(e.message, message);
      assert.deepEqual(e.where, { file: 'inline.ini', line, col });
    });
  }
});

// Tests of loadInventory: implicit localhost, files, directories, host lists, format sniffing.
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { InputError } from '../../../../runner/errors.js';
import { inventoryFormat, loadInventory } from '../../../../runner/inventory/load.js';
import { fixture, ROOT } from './inline.js';

describe('loadInventory', () => {
  it('without a path, holds only localhost, local connection, in all and ungrouped', async () => {
    const inv = await loadInventory(undefined);
    assert.equal(inv.source, null);
    assert.deepEqual([...inv.hosts.keys()], ['localhost']);
    assert.deepEqual(inv.hosts.get('localhost')?.vars, { ansible_connection: 'local' });
    assert.deepEqual(inv.hosts.get('localhost')?.groups, ['all', 'ungrouped']);
    assert.deepEqual([...inv.groups.keys()], ['all', 'ungrouped']);
  });

  it('loads every inventory file of a directory in name order, skipping READMEs and dotfiles', async () => {
    const dir = fixture('inventory', 'precedence');
    const inv = await loadInventory(dir);
    assert.equal(inv.source, dir);
    assert.deepEqual([...inv.hosts.keys()], ['spark-01', 'spark-02', 'spark-03']);
    assert.equal(inv.hosts.get('spark-03')?.vars['ansible_port'], 2222);
    assert.equal(relative(ROOT, inv.hosts.get('spark-03')?.where?.file ?? ''), 'test/fixtures/inventory/precedence/more.ini');
  });

  it('reads group_vars/ next to a single inventory file too', async () => {
    const inv = await loadInventory(fixture('inventory', 'precedence', 'hosts.yml'));
    assert.deepEqual([...inv.hosts.keys()], ['spark-01', 'spark-02']);
    assert.equal(inv.hosts.get('spark-01')?.vars['v8'], 'hv-file');
  });

  it('loads the example inventory shipped in inventory/', async () => {
    const inv = await loadInventory(`${ROOT}/inventory`);
    assert.ok(inv.groups.has('sparks'));
    assert.ok((inv.groups.get('sparks')?.hosts.length ?? 0) >= 2);
    for (const h of inv.groups.get('sparks')?.hosts ?? []) {
      assert.match(h, /^spark-\d\d$/);
      assert.equal(typeof inv.hosts.get(h)?.vars['ansible_host'], 'string');
    }
    assert.deepEqual(inv.warnings, []);
  });

  it('reads a comma-separated host list when no such file exists', async () => {
    const inv = await loadInventory('spark-01,spark-02:2222,');
    assert.deepEqual([...inv.hosts.keys()], ['spark-01', 'spark-02']);
    assert.equal(inv.hosts.get('spark-02')?.vars['ansible_port'], 2222);
  });

  it('fails with a located-free inventory error for a missing path', async () => {
    await assert.rejects(loadInventory(fixture('inventory', 'nope.yml')), (e: unknown) => {
      return e instanceof InputError && e.kind === 'inventory' && /no such file or directory/.test(e.message) && e.where === undefined;
    });
  });
});

describe('inventoryFormat', () => {
  it('goes by extension first', () => {
    assert.equal(inventoryFormat('a.yml', '[x]'), 'yaml');
    assert.equal(inventoryFormat('a.yaml', ''), 'yaml');
    assert.equal(inventoryFormat('a.json', '{}'), 'yaml');
    assert.equal(inventoryFormat('a.ini', 'all:'), 'ini');
  });

  it('sniffs the first meaningful line of a file without a known extension', () => {
    assert.equal(inventoryFormat('hosts', '# c\n\nall:\n  hosts:\n'), 'yaml');
    assert.equal(inventoryFormat('hosts', '---\n'), 'yaml');
    assert.equal(inventoryFormat('hosts', '; c\n[sparks]\nspark-01\n'), 'ini');
    assert.equal(inventoryFormat('hosts', 'spark-01 ansible_host=10.0.0.1\n'), 'ini');
    assert.equal(inventoryFormat('hosts', 'spark-01:2222\n'), 'ini');
    assert.equal(inventoryFormat('hosts', 'localhost\n'), 'ini');
  });
});

// Tests of group_vars/ and host_vars/ and Ansible's inventory variable precedence.
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { loadInventory } from '../../../../runner/inventory/load.js';
import { readVarsFile } from '../../../../runner/inventory/vars-files.js';
import { fixture, ROOT } from './inline.js';

// The fixture sets each vN at two adjacent levels of Ansible's inventory precedence.
describe('inventory variable precedence (group_vars/ and host_vars/)', () => {
  const loaded = loadInventory(fixture('inventory', 'precedence'));

  const cases: [string, string, string][] = [
    ['v1', 'inv-all', 'all group vars in the inventory file are the base'],
    ['v2', 'inv-sparks', 'a group overrides all in the inventory file'],
    ['v3', 'inv-gpu', 'a child group overrides its parent in the inventory file'],
    ['v4', 'gv-all', 'group_vars/all overrides every group var of the inventory file'],
    ['v5', 'gv-sparks', 'group_vars/<group> overrides group_vars/all'],
    ['v6', 'gv-gpu-b', 'a child group_vars directory overrides the parent, its files merge in name order'],
    ['v7', 'inv-host', 'host vars in the inventory file override every group var'],
    ['v8', 'hv-file', 'host_vars/<host> overrides host vars of the inventory file'],
  ];
  for (const [name, expected, why] of cases) {
    it(`${why} (${name} = ${expected})`, async () => {
      const inv = await loaded;
      assert.equal(inv.hosts.get('spark-01')?.vars[name], expected);
    });
  }

  it('orders groups of equal depth by ansible_group_priority, then by name (later wins)', async () => {
    const inv = await loaded;
    const h = inv.hosts.get('spark-02');
    assert.deepEqual(h?.groups, ['all', 'bbb', 'sparks', 'yyy', 'zzz', 'aaa', 'gpu']);
    assert.equal(h?.vars['tie'], 'aaa');
    assert.equal(h?.vars['byname'], 'yyy');
  });

  it('reads <group>.yaml and lets it override [group:vars] of an INI file', async () => {
    const inv = await loaded;
    assert.equal(inv.hosts.get('spark-03')?.vars['site'], 'edge-file');
    assert.equal(inv.groups.get('edge')?.vars['site'], 'edge-file');
  });

  it("keeps a host's own vars apart from inherited ones", async () => {
    const inv = await loaded;
    assert.deepEqual(inv.hosts.get('spark-01')?.ownVars, { v7: 'inv-host', v8: 'hv-file' });
  });

  it('ignores <group>.yml when a <group>/ directory exists, as Ansible does', async () => {
    const inv = await loaded;
    assert.notEqual(inv.groups.get('gpu')?.vars['v6'], 'not-loaded');
  });

  it('warns about group_vars files for groups the inventory does not have, and only those', async () => {
    const inv = await loaded;
    assert.equal(inv.warnings.length, 1);
    assert.match(inv.warnings[0]?.message ?? '', /no group 'ghost'/);
    assert.equal(relative(ROOT, inv.warnings[0]?.where?.file ?? ''), 'test/fixtures/inventory/precedence/group_vars/ghost.yml');
  });

  it('reads a single vars file as a mapping', async () => {
    assert.deepEqual(await readVarsFile(fixture('inventory', 'precedence', 'group_vars', 'sparks.yml')), { v5: 'gv-sparks', v6: 'gv-sparks' });
  });
});

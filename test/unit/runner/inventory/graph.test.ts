// Tests of the --graph and --list views against ansible-inventory's output.
import assert from 'node:assert/strict';
import { InputError } from '../../../../runner/errors.js';
import { listInventory, renderGraph, renderList } from '../../../../runner/inventory/graph.js';
import { thrown, yamlInventory } from './inline.js';

describe('inventory graph and list', () => {
  const inv = yamlInventory(`all:
  hosts:
    loose:
  vars:
    ansible_user: nvidia
  children:
    alpha:
      children:
        zeta:
          hosts:
            spark-02:
              ansible_host: 10.0.0.2
            spark-01:
      vars:
        flag: true
`);

  it('draws the tree like ansible-inventory --graph, children and hosts sorted by name', () => {
    assert.equal(
      renderGraph(inv),
      ['@all:', '  |--@alpha:', '  |  |--@zeta:', '  |  |  |--spark-01', '  |  |  |--spark-02', '  |--@ungrouped:', '  |  |--loose'].join('\n'),
    );
  });

  it('starts at a given group and shows vars like --graph --vars', () => {
    assert.equal(
      renderGraph(inv, { group: 'alpha', vars: true }),
      [
        '@alpha:',
        '  |--@zeta:',
        '  |  |--spark-01',
        '  |  |  |--{ansible_user = nvidia}',
        '  |  |  |--{flag = True}',
        '  |  |--spark-02',
        '  |  |  |--{ansible_host = 10.0.0.2}',
        '  |  |  |--{ansible_user = nvidia}',
        '  |  |  |--{flag = True}',
        '  |--{flag = True}',
      ].join('\n'),
    );
  });

  it('rejects --graph of a group that does not exist', () => {
    const e = thrown(() => renderGraph(inv, { group: 'nope' }));
    assert.ok(e instanceof InputError);
    assert.equal(e.kind, 'usage');
  });

  it('lists groups and merged hostvars like ansible-inventory --list', () => {
    assert.deepEqual(listInventory(inv), {
      all: { children: ['alpha', 'ungrouped'] },
      alpha: { children: ['zeta'] },
      zeta: { hosts: ['spark-01', 'spark-02'] },
      ungrouped: { hosts: ['loose'] },
      _meta: {
        hostvars: {
          loose: { ansible_user: 'nvidia' },
          'spark-02': { ansible_user: 'nvidia', flag: true, ansible_host: '10.0.0.2' },
          'spark-01': { ansible_user: 'nvidia', flag: true },
        },
      },
    });
  });

  it('with export, puts group vars on groups and only own vars in hostvars', () => {
    const out = listInventory(inv, { export: true });
    assert.deepEqual(out['all'], { children: ['alpha', 'ungrouped'], vars: { ansible_user: 'nvidia' } });
    assert.deepEqual(out['alpha'], { children: ['zeta'], vars: { flag: true } });
    assert.deepEqual(out['_meta'], { hostvars: { 'spark-02': { ansible_host: '10.0.0.2' } } });
  });

  it('prints the list as JSON with sorted keys and 4-space indents', () => {
    const text = renderList(inv);
    assert.deepEqual(JSON.parse(text), listInventory(inv));
    assert.deepEqual(Object.keys(JSON.parse(text) as object), ['_meta', 'all', 'alpha', 'ungrouped', 'zeta']);
    assert.match(text, /^\{\n {4}"_meta": \{\n {8}"hostvars"/);
  });
});

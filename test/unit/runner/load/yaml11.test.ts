// Differential test: our YAML loaders against Ansible's reading of the same scalars.
// The expected values were made ONCE by running the real ansible-playbook (ansible-core 2.14,
// Debian) through test/support/ansible-yaml11.sh, which writes test/fixtures/ansible/yaml11.json;
// rerun it to refresh the fixture. Ansible is not needed to run this test.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseYaml } from '../../../../runner/load/yaml.js';
import { readVarsFile } from '../../../../runner/inventory/vars-files.js';
import { loadInventory } from '../../../../runner/inventory/load.js';
import { REPO_ROOT } from '../../../support/run-cli.js';

interface Case {
  readonly yaml: string;
  /** Python's type name (type_debug); AnsibleUnsafeText is a str. */
  readonly type: string;
  /** Python's str() of the value. */
  readonly text: string;
}

const fixture = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/ansible/yaml11.json'), 'utf8')) as { cases: Case[] };

/**
 * Dates are the one deliberate difference: PyYAML makes date objects, we keep the text, which
 * templates the same in the ISO form users write (docs/decisions.md, "YAML 1.1 scalars").
 */
const KEPT_AS_TEXT = new Set(['date', 'datetime']);

/** Whether our value is the Python value Ansible saw. */
function agrees(c: Case, ours: unknown): boolean {
  switch (c.type) {
    case 'bool':
      return ours === (c.text === 'True');
    case 'NoneType':
      return ours === null;
    case 'int':
      return typeof ours === 'number' && Number.isInteger(ours) && ours === Number(c.text);
    case 'float':
      if (c.text === 'nan') return typeof ours === 'number' && Number.isNaN(ours);
      if (c.text === 'inf' || c.text === '-inf') return ours === (c.text === 'inf' ? Infinity : -Infinity);
      // JavaScript has one number type: Python's 1.0 is our 1.
      return typeof ours === 'number' && ours === Number(c.text);
    case 'str':
    case 'AnsibleUnsafeText':
      return ours === c.text;
    default:
      return KEPT_AS_TEXT.has(c.type) && ours === c.yaml;
  }
}

describe('YAML 1.1 scalars, as Ansible reads them (recorded from ansible-core)', () => {
  const cases = fixture.cases;
  const varsText = cases.map((c, i) => `c${i}: ${c.yaml}\n`).join('');
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-yaml11-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has a fixture worth the name', () => {
    assert.ok(cases.length >= 70, `${cases.length} cases`);
    assert.ok(cases.some((c) => c.yaml === 'yes' && c.type === 'bool'));
  });

  const check = (label: string, values: Record<string, unknown>): void => {
    const wrong = cases
      .map((c, i) => ({ c, ours: values[`c${i}`] }))
      .filter(({ c, ours }) => !agrees(c, ours))
      .map(({ c, ours }) => `${label}: ${c.yaml} → Ansible ${c.type} ${c.text}, ours ${typeof ours} ${String(ours)}`);
    assert.deepEqual(wrong, []);
  };

  it('the playbook loader (playbooks, task files, vars_files, -e @file) agrees on every case', () => {
    check('playbook loader', parseYaml(varsText, 'vars.yml').value as Record<string, unknown>);
  });

  it('group_vars/host_vars files agree on every case', async () => {
    const file = join(dir, 'vars.yml');
    writeFileSync(file, varsText);
    check('vars file', await readVarsFile(file));
  });

  it('a YAML inventory agrees on every case', async () => {
    const file = join(dir, 'hosts.yml');
    writeFileSync(file, `all:\n  hosts:\n    h1:\n  vars:\n${varsText.replace(/^/gm, '    ')}`);
    const inventory = await loadInventory(file);
    check('inventory', inventory.hosts.get('h1')?.vars ?? {});
  });

  it('reads become: yes in a play as true, and keeps y a string (PyYAML does too)', () => {
    const v = parseYaml('- hosts: all\n  become: yes\n  gather_facts: Off\n  vars: { a: y, mode: 0644 }\n', 'p.yml').value as [Record<string, unknown>];
    assert.equal(v[0].become, true);
    assert.equal(v[0].gather_facts, false);
    assert.deepEqual(v[0].vars, { a: 'y', mode: 420 });
  });

  it('keeps host names as written, even when they read as numbers or booleans', async () => {
    const file = join(dir, 'names.yml');
    writeFileSync(file, 'all:\n  hosts:\n    yes:\n    0644:\n    1_000:\n');
    const inventory = await loadInventory(file);
    assert.deepEqual([...inventory.hosts.keys()], ['yes', '0644', '1_000']);
  });
});

// The undefined-variable check knows Ansible's fact names and magic variables (docs/variables.md).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadPlaybook } from '../../../../runner/load/playbook.js';
import { findUndefinedVariables } from '../../../../runner/load/semantics.js';
import { FAKE_MODULES, writeTree } from './support.js';

async function undefinedIn(text: string): Promise<string[]> {
  const dir = await writeTree({ 'pb.yml': text });
  const pb = await loadPlaybook(join(dir, 'pb.yml'), { modules: FAKE_MODULES });
  return findUndefinedVariables(pb, new Set(), FAKE_MODULES).map((e) => e.message);
}

describe('runner/load/semantics: Ansible names', () => {
  it('accepts every Ansible fact name and magic variable sparkbook defines', async () => {
    const names = [
      'ansible_facts.distribution', 'ansible_distribution_release', 'ansible_default_ipv4.interface', 'ansible_enP7s7.ipv4.address',
      'inventory_hostname', 'inventory_hostname_short', 'groups.all', 'group_names', 'hostvars[inventory_hostname].ansible_host',
      'play_hosts', 'ansible_play_hosts', 'ansible_play_hosts_all', 'ansible_check_mode', 'ansible_diff_mode', 'playbook_dir',
      'ansible_forks', 'ansible_version.full',
    ];
    const text = `- hosts: all\n  tasks:\n${names.map((n) => `    - check: { that: "${n} is not none" }\n`).join('')}`;
    assert.deepEqual(await undefinedIn(text), []);
  });

  it('still reports a misspelt name that is not Ansible-shaped', async () => {
    assert.deepEqual(await undefinedIn('- hosts: all\n  tasks:\n    - check: { that: "inventory_hostnam == 1" }\n'), ["undefined variable 'inventory_hostnam' (did you mean 'inventory_hostname'?)"]);
  });
});

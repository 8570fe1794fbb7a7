// Which fact groups a play gathers when it reads Ansible's fact names (runner/facts/ansible.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { playFactGroups, withFactGroupsOf } from '../../../../runner/executor/fact-needs.js';
import { ALL_FACT_GROUPS } from '../../../../runner/facts/groups.js';
import { loadPlaybook } from '../../../../runner/load/playbook.js';
import { findModule } from '../../../../modules/index.js';

let dir: string;

async function groupsOfPlay(tasks: string, vars = '{}'): Promise<string[] | 'all'> {
  const file = join(dir, 'play.yml');
  writeFileSync(file, `- name: p\n  hosts: all\n  vars: ${vars}\n  tasks:\n${tasks}`);
  const play = (await loadPlaybook(file)).plays[0]!;
  const groups = playFactGroups(play, findModule);
  return groups === ALL_FACT_GROUPS ? 'all' : [...groups].sort();
}

describe('fact needs: Ansible names', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-needs-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gathers base alone for ansible_distribution, and network for ansible_default_ipv4', async () => {
    assert.deepEqual(await groupsOfPlay(`    - name: t\n      command: { argv: [echo, "{{ ansible_distribution }}"] }\n`), ['base']);
    assert.deepEqual(await groupsOfPlay(`    - name: t\n      command: { argv: [echo, "{{ ansible_default_ipv4.interface }}"] }\n      when: ansible_facts.os_family == 'Debian'\n`), ['base', 'network']);
    assert.deepEqual(await groupsOfPlay(`    - name: t\n      command: { argv: [echo, "{{ lan }}"] }\n`, '{ lan: "{{ ansible_facts[\'default_ipv4\'].network }}" }'), ['base', 'network']);
  });

  it("counts what a template file reads, and gathers every group when the template's name is templated", async () => {
    writeFileSync(join(dir, 'net.j2'), 'iface {{ ansible_default_ipv4.interface }}\n');
    writeFileSync(join(dir, 'plain.j2'), 'hello\n');
    assert.deepEqual(await groupsOfPlay(`    - name: t\n      template: { src: net.j2, dest: /tmp/x }\n`), ['base', 'network']);
    assert.deepEqual(await groupsOfPlay(`    - name: t\n      template: { src: plain.j2, dest: /tmp/x }\n`), ['base']);
    assert.equal(await groupsOfPlay(`    - name: t\n      template: { src: "{{ which }}.j2", dest: /tmp/x }\n`), 'all');
  });

  it('gathers every group for ansible_facts read as a whole', async () => {
    assert.equal(await groupsOfPlay(`    - name: t\n      command: { argv: [echo, "{{ ansible_facts | to_json }}"] }\n`), 'all');
  });

  it('reads inventory vars: ansible_host and friends need nothing, a fact name its group', () => {
    assert.deepEqual([...withFactGroupsOf(new Set(['base']), { ansible_host: '10.0.0.5', ansible_user: 'nvidia', ansible_port: 22 })], ['base']);
    assert.deepEqual([...withFactGroupsOf(new Set(['base']), { wan_if: '{{ ansible_default_ipv6.interface }}' })].sort(), ['base', 'network']);
  });
});

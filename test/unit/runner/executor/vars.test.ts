// A host's scope for a play: Ansible's fact names and magic variables beside our own `facts`,
// what gather_facts: no leaves of them, hostvars across hosts, and what shadows what.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANSIBLE_VERSION, hostScope, type HostScopeInput } from '../../../../runner/executor/vars.js';
import { emptyFacts, type Facts } from '../../../../runner/facts/facts.js';
import { parseFacts } from '../../../../runner/facts/parse-facts.js';
import { loadInventory, type Inventory } from '../../../../runner/inventory/index.js';
import { evaluateExpression, renderString } from '../../../../runner/template/render.js';
import { scriptFixture } from '../facts/script-fixtures.js';

let dir: string;
let inventory: Inventory;
let spark: Facts;

const INVENTORY = `all:
  hosts:
    spark-01.lan: { ansible_host: 192.168.1.50, lan_cidr: 192.168.1.0/24 }
    spark-02.lan: { ansible_host: 192.168.1.51, ansible_distribution: Mine }
  children:
    sparks:
      hosts: { spark-01.lan: {}, spark-02.lan: {} }
`;

function scopeOf(host: string, more: Partial<HostScopeInput> = {}): Record<string, unknown> {
  return hostScope({
    host: inventory.hosts.get(host)!,
    inventory,
    playVars: {},
    extraVars: {},
    facts: spark,
    check: false,
    playHosts: ['spark-01.lan', 'spark-02.lan'],
    ...more,
  });
}

describe('host scope: Ansible names', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-vars-'));
    writeFileSync(join(dir, 'hosts.yml'), INVENTORY);
    inventory = await loadInventory(join(dir, 'hosts.yml'));
    const f = scriptFixture('ubuntu-2404-dgx-spark');
    spark = parseFacts(f.stdout, f.connection);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has the facts under ansible_facts and as top-level ansible_* beside facts', () => {
    const s = scopeOf('spark-01.lan');
    assert.equal(renderString('{{ ansible_distribution }} {{ ansible_distribution_release }}', s), 'Ubuntu noble');
    assert.equal(renderString("{{ ansible_facts.distribution }} {{ ansible_facts['architecture'] }}", s), 'Ubuntu aarch64');
    assert.equal(renderString('{{ ansible_default_ipv4.interface }}', s), spark.defaultRoute!.interface);
    assert.equal(renderString('{{ facts.os.codename }}', s), 'noble');
    assert.equal(evaluateExpression("ansible_os_family == 'Debian' and ansible_distribution_major_version | int >= 24", s), true);
  });

  it('has the magic variables: inventory names, groups, play hosts, modes, version, playbook_dir', () => {
    const s = scopeOf('spark-01.lan', { check: true, diff: true, forks: 7, playbookFile: 'playbooks/secure.yml' });
    assert.equal(s['inventory_hostname'], 'spark-01.lan');
    assert.equal(s['inventory_hostname_short'], 'spark-01');
    assert.deepEqual(s['group_names'], ['sparks']);
    assert.deepEqual((s['groups'] as Record<string, string[]>)['sparks'], ['spark-01.lan', 'spark-02.lan']);
    for (const n of ['play_hosts', 'ansible_play_hosts', 'ansible_play_hosts_all']) assert.deepEqual(s[n], ['spark-01.lan', 'spark-02.lan'], n);
    assert.equal(s['ansible_check_mode'], true);
    assert.equal(s['ansible_diff_mode'], true);
    assert.equal(s['ansible_forks'], 7);
    assert.equal(s['playbook_dir'], join(process.cwd(), 'playbooks'));
    assert.deepEqual(s['ansible_version'], ANSIBLE_VERSION);
    assert.equal(renderString('{{ ansible_version.major }}.{{ ansible_version.minor }}', s), '2.14');
  });

  it('with gather_facts: no, has no Ansible facts (ansible_facts is empty) but every magic variable', () => {
    const s = scopeOf('spark-01.lan', { facts: emptyFacts(spark.connection) });
    assert.deepEqual(s['ansible_facts'], {});
    assert.equal(s['ansible_distribution'], undefined);
    assert.equal(s['ansible_interfaces'], undefined);
    assert.equal(renderString("{{ ansible_distribution | default('unknown') }}", s), 'unknown');
    assert.equal(s['inventory_hostname'], 'spark-01.lan');
    assert.equal(s['ansible_check_mode'], false);
    assert.equal(s['ansible_diff_mode'], false);
  });

  it('shows in hostvars each host its inventory vars, and its facts once it has gathered them', async () => {
    const own = join(dir, 'own.yml');
    writeFileSync(own, INVENTORY);
    inventory = await loadInventory(own);
    const before = scopeOf('spark-01.lan');
    assert.equal(renderString("{{ hostvars['spark-02.lan'].ansible_host }}", before), '192.168.1.51');
    assert.equal(renderString("{{ hostvars['spark-02.lan'].ansible_hostname | default('not yet') }}", before), 'not yet');
    assert.equal(renderString('{{ hostvars[inventory_hostname].lan_cidr }}', before), '192.168.1.0/24');
    scopeOf('spark-02.lan', { facts: { ...spark, hostname: 'spark-02' } });
    assert.equal(renderString("{{ hostvars['spark-02.lan'].ansible_hostname }}", before), 'spark-02');
    assert.equal(renderString("{{ hostvars['spark-02.lan'].ansible_facts.hostname }}", before), 'spark-02');
    assert.deepEqual(renderString("{{ hostvars['spark-02.lan'].group_names }}", before), ['sparks']);
  });

  it('lets any variable shadow an Ansible fact name, as our facts never shadow a variable', () => {
    const s = scopeOf('spark-02.lan', { playVars: { ansible_os_family: 'Play' } });
    assert.equal(s['ansible_distribution'], 'Mine');
    assert.equal(s['ansible_os_family'], 'Play');
    assert.equal((s['ansible_facts'] as Record<string, unknown>)['distribution'], 'Ubuntu');
  });
});

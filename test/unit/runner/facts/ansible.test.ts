// Ansible's fact names against Ansible itself: each machine recorded by
// scripts/record-ansible-facts.mjs (test/fixtures/ansible/facts/NAME/) has both our facts script's
// output and `ansible -m setup`'s; our aliases of the first must equal the second, name by name.
// Also: the aliases on the recorded DGX Spark (test/fixtures/facts/script/), and which fact
// groups a read of each Ansible name gathers.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ANSIBLE_FACT_ALIASES, ansibleFacts, gatheredGroupsOf } from '../../../../runner/facts/ansible.js';
import { emptyFacts } from '../../../../runner/facts/facts.js';
import { ALL_FACT_GROUPS, type FactGroup } from '../../../../runner/facts/groups.js';
import { scanForFactGroups } from '../../../../runner/facts/scan-groups.js';
import { parseFacts } from '../../../../runner/facts/parse-facts.js';
import { ROOT } from './fixtures.js';
import { scriptFixture } from './script-fixtures.js';

const ORACLE = resolve(ROOT, 'test/fixtures/ansible/facts');

/**
 * Names recorded from Ansible that we knowingly may not match (docs/decisions.md says why): they
 * are compared too, but only reported. Every other recorded name must be equal.
 */
const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {
  ansible_distribution_version: "Ansible reads /etc/debian_version on Debian (12.11); we give os-release's VERSION_ID (12), as on Ubuntu",
  ansible_fqdn: "Ansible asks Python's resolver (socket.getfqdn: 'localhost' from /etc/hosts here); we give `hostname -f`",
  ansible_domain: 'follows fqdn (equal here: both have no dot)',
  ansible_processor_count: 'sockets: our facts script does not read /proc/cpuinfo; not aliased',
  ansible_kernel_version: '`uname -v`: not in our facts script; not aliased',
  ansible_distribution_minor_version: 'from /etc/debian_version: not aliased',
};

/** Lists Ansible builds from an unordered directory listing: compared as sets. */
const UNORDERED = new Set(['ansible_interfaces', 'ansible_all_ipv4_addresses', 'ansible_all_ipv6_addresses']);

function oracleMachines(): string[] {
  return readdirSync(ORACLE, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

function ours(machine: string): Record<string, unknown> {
  const stdout = readFileSync(resolve(ORACLE, machine, 'sparkbook.txt'), 'utf8');
  const facts = parseFacts(stdout, { transport: 'local', address: 'localhost', port: 0, user: 'root' });
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ansibleFacts(facts, ALL_FACT_GROUPS))) out[`ansible_${k}`] = v;
  return out;
}

function groupsOf(value: unknown): string[] | 'all' {
  const into = new Set<FactGroup>();
  return scanForFactGroups(value, into) ? [...into].sort() : 'all';
}

describe('Ansible fact names', () => {
  for (const machine of oracleMachines()) {
    it(`equal what ansible-core's setup module recorded on ${machine}, name by name`, () => {
      const recorded = (JSON.parse(readFileSync(resolve(ORACLE, machine, 'ansible.json'), 'utf8')) as { ansible_facts: Record<string, unknown> }).ansible_facts;
      const mine = ours(machine);
      const equal: string[] = [];
      const differ: string[] = [];
      for (const [name, theirs] of Object.entries(recorded)) {
        const norm = (v: unknown): unknown => (UNORDERED.has(name) && Array.isArray(v) ? [...v].sort() : v);
        let same = true;
        try {
          assert.deepEqual(norm(mine[name]), norm(theirs));
        } catch {
          same = false;
        }
        if (same) equal.push(name);
        else {
          if (!(name in KNOWN_DIFFERENCES)) assert.deepEqual(norm(mine[name]), norm(theirs), name);
          differ.push(name);
        }
      }
      // Everything we alias was recorded and compared (a per-interface dict is one name each).
      for (const name of Object.keys(ANSIBLE_FACT_ALIASES)) {
        if (mine[`ansible_${name}`] !== undefined) assert.ok(`ansible_${name}` in recorded, `ansible_${name} was not recorded on ${machine}`);
      }
      assert.ok(equal.length >= 25, `only ${equal.length} names equal: ${equal.join(' ')}`);
      if (process.env['SPARKBOOK_ORACLE_REPORT']) console.log(`${machine}: ${equal.length} equal: ${equal.join(' ')}\n  differ: ${differ.join(' ')}`);
    });
  }

  it('come out as Ansible names them on the recorded DGX Spark (Ubuntu 24.04, aarch64)', () => {
    const spark = scriptFixture('ubuntu-2404-dgx-spark');
    const f = ansibleFacts(parseFacts(spark.stdout, spark.connection), ALL_FACT_GROUPS);
    assert.equal(f['architecture'], 'aarch64');
    assert.equal(f['machine'], 'aarch64');
    assert.equal(f['system'], 'Linux');
    assert.equal(f['distribution'], 'Ubuntu');
    assert.equal(f['distribution_version'], '24.04');
    assert.equal(f['distribution_major_version'], '24');
    assert.equal(f['distribution_release'], 'noble');
    assert.equal(f['os_family'], 'Debian');
    assert.equal(f['hostname'], 'spark-01');
    assert.equal(f['nodename'], 'spark-01');
    assert.equal(f['pkg_mgr'], 'apt');
    assert.equal(f['service_mgr'], 'systemd');
    assert.equal(f['kernel'], '6.11.0-1016-nvidia');
    assert.equal(f['user_id'], spark.expected.user.name);
    assert.equal(f['memtotal_mb'], spark.expected.memoryMb);
    assert.equal(f['processor_nproc'], spark.expected.cpus);
    const route = spark.expected.defaultRoute!;
    const v4 = f['default_ipv4'] as Record<string, unknown>;
    assert.equal(v4['interface'], route.interface);
    assert.equal(v4['gateway'], route.gateway);
    assert.equal(v4['address'], route.address);
    assert.equal(`${String(v4['network'])}/${String(v4['prefix'])}`, route.cidr);
    assert.equal(typeof v4['prefix'], 'string', 'Ansible prints prefixes as strings');
    assert.deepEqual(f['interfaces'], spark.expected.interfaces.map((i) => i.name));
    for (const i of spark.expected.interfaces) {
      const own = f[i.name.replace(/[-.:]/g, '_')] as Record<string, unknown>;
      assert.equal(own['device'], i.name);
      assert.equal(own['active'], i.up);
    }
    assert.equal((f['tailscale0'] as Record<string, unknown>)['type'], 'tunnel', "Ansible's name for link type 65534");
    assert.equal((f['lo'] as Record<string, unknown>)['type'], 'loopback');
    const all4 = f['all_ipv4_addresses'] as string[];
    assert.ok(!all4.some((a) => a.startsWith('127.')), 'Ansible leaves loopback addresses out');
  });

  it('are absent for groups that were not gathered, and all absent without gather_facts', () => {
    const spark = scriptFixture('ubuntu-2404-dgx-spark');
    const facts = parseFacts(spark.stdout, spark.connection);
    const base = ansibleFacts(facts, new Set<FactGroup>(['base']));
    assert.equal(base['distribution'], 'Ubuntu');
    assert.equal(base['default_ipv4'], undefined);
    assert.equal(base['interfaces'], undefined);
    const none = emptyFacts(spark.connection);
    assert.deepEqual([...gatheredGroupsOf(none)], []);
    assert.deepEqual(ansibleFacts(none, gatheredGroupsOf(none)), {});
    assert.deepEqual([...gatheredGroupsOf(facts)].sort(), ['base', 'network']);
  });

  it('gather the group each name reads: top level, in ansible_facts, through hostvars', () => {
    assert.deepEqual(groupsOf('{{ ansible_distribution }}'), ['base']);
    assert.deepEqual(groupsOf('{{ ansible_default_ipv4.interface }}'), ['network']);
    assert.deepEqual(groupsOf("ansible_facts['distribution_release'] == 'noble'"), ['base']);
    assert.deepEqual(groupsOf('{{ ansible_facts.all_ipv6_addresses }}'), ['network']);
    assert.deepEqual(groupsOf('{{ ansible_enP7s7.ipv4.address }}'), ['network'], 'an interface dict');
    assert.deepEqual(groupsOf("{{ hostvars['spark-02'].ansible_default_ipv4.address }}"), ['network']);
    assert.deepEqual(groupsOf("{{ hostvars[inventory_hostname]['ansible_hostname'] }}"), ['base']);
    assert.deepEqual(groupsOf("{{ hostvars[h].ansible_host }} {{ hostvars[h].lan_cidr }}"), []);
    assert.deepEqual(groupsOf({ ansible_host: '10.0.0.1', ansible_user: 'nvidia', ansible_ssh_private_key_file: 'k', ansible_become_pass: 'x' }), []);
    assert.deepEqual(groupsOf('{{ ansible_check_mode }} {{ ansible_version.full }} {{ ansible_play_hosts_all }}'), []);
  });

  it('read as a whole, or through hostvars in a way the scan cannot follow, gather every group', () => {
    for (const text of ['{{ ansible_facts }}', '{{ ansible_facts | to_json }}', "{{ ansible_facts[key] }}", '{{ hostvars }}', "{{ hostvars[groups['sparks'][0]].ansible_default_ipv4 }}", '{{ hostvars[h].facts.ufw }}', '{{ hostvars[h].ansible_facts.distribution }}']) {
      assert.equal(groupsOf(text), 'all', text);
    }
  });
});

// Tests test/lab/inventory.ts: the lab's YAML and INI inventories load to the same hosts, groups and vars
// through sparkbook's own inventory loader, and known_hosts names every host on both lab ports.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../../../runner/inventory/index.js';
import { renderIni, renderKnownHosts, renderYaml, type InventoryInput } from '../../lab/inventory.js';
import { planHosts } from '../../lab/variants.js';

const input: InventoryInput = {
  lab: 'sbltest',
  hosts: planHosts('10.77.9', 4, 1),
  privateKey: '/var/lib/sparkbook-lab/labs/sbltest/id_ed25519',
  knownHosts: '/var/lib/sparkbook-lab/labs/sbltest/known_hosts',
  repoBase: 'http://10.77.9.1:8080',
};

describe('lab inventory', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sbl-inventory-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function load(name: string, text: string) {
    const sub = mkdtempSync(join(dir, 'x'));
    writeFileSync(join(sub, name), text);
    return loadInventory(join(sub, name));
  }

  it('loads from YAML and INI to the same hosts, groups and merged vars', async () => {
    const yaml = await load('inventory.yml', renderYaml(input));
    const ini = await load('inventory.ini', renderIni(input));
    assert.deepEqual([...yaml.hosts.keys()], ['ct01', 'ct02', 'ct03', 'ct04', 'vm01']);
    assert.deepEqual([...ini.hosts.keys()].sort(), [...yaml.hosts.keys()].sort());
    for (const [name, h] of yaml.hosts) {
      const other = ini.hosts.get(name);
      assert.ok(other);
      assert.deepEqual([...other.groups].sort(), [...h.groups].sort(), name);
      assert.deepEqual(other.vars, h.vars, name);
    }
  });

  it('gives every host its address, port, user and the lab key, and spark hosts the sudo password', async () => {
    const inv = await load('inventory.yml', renderYaml(input));
    for (const p of input.hosts) {
      const v = inv.hosts.get(p.name)?.vars ?? {};
      assert.equal(v['ansible_host'], p.address);
      assert.equal(v['ansible_port'], p.port);
      assert.equal(v['ansible_user'], p.user);
      assert.equal(v['ansible_ssh_private_key_file'], input.privateKey);
      assert.equal(v['ansible_become_password'], p.user === 'spark' ? 'spark-pass' : undefined);
      assert.equal(v['lab_known_hosts_file'], input.knownHosts);
    }
  });

  it('puts hosts in the variant groups under lab', async () => {
    const inv = await load('inventory.yml', renderYaml(input));
    const members = (g: string) => [...inv.hosts.values()].filter((h) => h.groups.includes(g)).map((h) => h.name);
    assert.deepEqual(members('lab'), ['ct01', 'ct02', 'ct03', 'ct04', 'vm01']);
    assert.deepEqual(members('containers'), ['ct01', 'ct02', 'ct03', 'ct04']);
    assert.deepEqual(members('vms'), ['vm01']);
    assert.deepEqual(members('socket_activated'), ['ct02']);
    assert.deepEqual(members('ufw_active'), ['ct03']);
    assert.deepEqual(members('alt_port'), ['ct03']);
    assert.deepEqual(members('user_root'), ['ct01', 'ct04']);
  });

  it('loads an empty lab (no hosts) without error', async () => {
    const inv = await load('inventory.yml', renderYaml({ ...input, hosts: [] }));
    assert.equal(inv.hosts.size, 0);
    assert.ok(inv.groups.has('containers'));
  });

  it('lists each host key under the address on port 22 and as [address]:2222', () => {
    const text = renderKnownHosts([
      { address: '10.77.9.11', keys: ['ssh-ed25519 AAAAC3Nza root@ct01', 'ecdsa-sha2-nistp256 AAAAE2V root@ct01'] },
      { address: '10.77.9.12', keys: ['ssh-ed25519 AAAAC3Nzb root@ct02'] },
    ]);
    assert.equal(
      text,
      '10.77.9.11,[10.77.9.11]:2222 ssh-ed25519 AAAAC3Nza\n' +
        '10.77.9.11,[10.77.9.11]:2222 ecdsa-sha2-nistp256 AAAAE2V\n' +
        '10.77.9.12,[10.77.9.12]:2222 ssh-ed25519 AAAAC3Nzb\n',
    );
  });
});

// `sparkbook facts` and the lab's Ansible INI inventory end to end, on real sshd hosts of a lab of its own:
// the inventory works unchanged, facts are right on every host, and facts take one connection and one channel.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { labExec, labSsh, sshdLog, acceptedLogins } from '../lab/api.js';
import { LAB_BOOT_MS, useLab } from '../support/lab.js';
import { settledCount, sleep } from '../support/lab-hosts.js';
import { FLEET_PLAYBOOK, FLEET_CHANGING_TASKS, FLEET_TASKS } from '../support/lab-inputs.js';
import { recapRows } from '../support/output.js';
import { runCli } from '../support/run-cli.js';

const LAB = 'sbfa';

interface HostFacts {
  arch: string | null;
  os: { id: string | null; version: string | null; codename: string | null };
  hostname: string | null;
  defaultRoute: { interface: string; address: string | null } | null;
  sshd: { ports: number[] } | null;
  connection: { address: string; port: number; user: string };
}

/** sshd's "Starting session: command for USER ..." lines (LogLevel VERBOSE): one per exec channel. */
const execChannels = (lines: readonly string[]): number => lines.filter((l) => l.startsWith('Starting session: command for ')).length;

describe('sparkbook facts on the lab (e2e)', function () {
  this.timeout(90_000);
  const lab = useLab({ name: LAB, containers: 3 });

  before(async function () {
    this.timeout(LAB_BOOT_MS); // as long as the lab's own boot: reloads and logins on a loaded machine
    // VERBOSE makes sshd log each exec channel ("Starting session: command ..."); socket-activated
    // hosts read it per connection, the others on reload.
    for (const h of lab.hosts) {
      const r = await labExec(lab, h.name, ['sh', '-c', 'echo "LogLevel VERBOSE" > /etc/ssh/sshd_config.d/00-e2e-verbose.conf && if systemctl is-active -q ssh.service; then systemctl reload ssh.service; fi']);
      assert.equal(r.exitCode, 0, r.stderr);
    }
    for (const h of lab.hosts) {
      let ok = false;
      for (let i = 0; i < 30 && !ok; i++) {
        ok = (await labSsh(lab, h.name, 'true')).exitCode === 0;
        if (!ok) await sleep(100);
      }
      assert.ok(ok, `${h.name}: sshd did not come back after the reload`);
    }
  });

  it('reads the lab INI inventory, written for Ansible, unchanged for facts and for run', async () => {
    const facts = await runCli(['facts', '-i', lab.inventoryIni, '--json', '--become']);
    assert.equal(facts.code, 0, facts.stderr + facts.stdout);
    const parsed = JSON.parse(facts.stdout) as Record<string, HostFacts>;
    assert.deepEqual(Object.keys(parsed).sort(), lab.hosts.map((h) => h.name).sort());

    const run = await runCli(['run', FLEET_PLAYBOOK, '-i', lab.inventoryIni, '--output', 'plain', '--retry-file', join(lab.scratch, 'retry')]);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const rows = recapRows(run.stdout);
    assert.deepEqual(rows.map((r) => r.host), lab.hosts.map((h) => h.name));
    for (const r of rows) {
      assert.equal(r.changed, FLEET_CHANGING_TASKS, `${r.host}: ${run.stdout}`);
      assert.equal(r.ok + r.changed, FLEET_TASKS);
      assert.equal(r.failed + r.unreachable, 0);
    }
  });

  it('reports the architecture, OS, default-route NIC enP7s7 and sshd port of every host', async () => {
    const r = await runCli(['facts', '-i', lab.inventoryYaml, '--json', '--become']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const all = JSON.parse(r.stdout) as Record<string, HostFacts>;
    for (const h of lab.hosts) {
      const f = all[h.name];
      assert.ok(f, `no facts for ${h.name}`);
      const truth = await labExec(lab, h.name, ['sh', '-c', '. /etc/os-release; uname -m; echo "$ID"; echo "$VERSION_ID"; echo "$VERSION_CODENAME"; hostname']);
      const [arch, id, version, codename, hostname] = truth.stdout.trim().split('\n');
      assert.equal(f.arch, arch, h.name);
      assert.deepEqual({ id: f.os.id, version: f.os.version, codename: f.os.codename }, { id, version, codename }, h.name);
      assert.equal(f.hostname, hostname);
      assert.equal(f.defaultRoute?.interface, 'enP7s7', h.name);
      assert.equal(f.defaultRoute?.address, h.address, h.name);
      assert.deepEqual(f.sshd?.ports, [h.port], h.name);
      assert.deepEqual(f.connection, { address: h.address, port: h.port, user: h.user, transport: 'ssh' } as HostFacts['connection']);
    }
    assert.ok(lab.hosts.some((h) => h.port === 2222), 'the lab has a host on a non-default port');
  });

  it('gathers facts over one SSH connection and one exec channel per host', async () => {
    const before = await Promise.all(lab.hosts.map(async (h) => sshdLog(lab, h.name)));
    const r = await runCli(['facts', '-i', lab.inventoryIni, '--become']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    for (const [i, h] of lab.hosts.entries()) {
      const logins0 = acceptedLogins(before[i]!);
      const channels0 = execChannels(before[i]!);
      const logins = await settledCount(async () => acceptedLogins(await sshdLog(lab, h.name)), logins0 + 1);
      const channels = execChannels(await sshdLog(lab, h.name));
      assert.equal(logins - logins0, 1, `${h.name}: SSH logins during facts`);
      assert.equal(channels - channels0, 1, `${h.name}: exec channels during facts (sudo included)`);
    }
  });

  it('prints a readable summary per host without --json, with the sshd port only under --become', async () => {
    const plain = await runCli(['facts', '-i', lab.inventoryIni]);
    assert.equal(plain.code, 0, plain.stderr);
    const become = await runCli(['facts', '-i', lab.inventoryIni, '--become']);
    assert.equal(become.code, 0, become.stderr);
    for (const h of lab.hosts) {
      assert.match(plain.stdout, new RegExp(`^${h.name}\\n(  .*\\n)*  default route: enP7s7 via `, 'm'));
      assert.match(become.stdout, new RegExp(`^${h.name}\\n(  .*\\n)*  sshd: port ${h.port},`, 'm'));
    }
    const spark = lab.hosts.find((h) => h.user === 'spark');
    assert.ok(spark);
    assert.match(plain.stdout, new RegExp(`^${spark.name}\\n(  .*\\n)*  sshd: unknown \\(needs root\\)`, 'm'), 'a non-root login cannot read sshd -T');
  });
});

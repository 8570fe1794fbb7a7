// secure.yml end to end on fresh lab hosts (ssh.service, ssh.socket, ufw + port 2222): --check
// lists every change and leaves /etc byte-for-byte as it was; the apply converges, a second apply
// changes nothing, and `sparkbook facts --become` shows the new port, ufw, forwarding and wg0.
import assert from 'node:assert/strict';
import { useLab } from '../support/lab.js';
import { assertFreshLogin, etcSnapshot, freshLogin, snapshotDiff } from '../support/lab-hosts.js';
import { labInventory, runArgs, standinRepo, varsFile } from '../support/lab-inputs.js';
import { changesOf, recapOf } from '../support/output.js';
import { runCli } from '../support/run-cli.js';

const LAB = 'sbpb';
const NEW_PORT = 2200;
const RUN_MS = 300_000;

describe('secure.yml on fresh lab hosts (e2e)', function () {
  this.timeout(RUN_MS);
  const lab = useLab({ name: LAB, containers: 3 });
  let vars: string;
  const env = { TS_AUTHKEY: '' };

  before(() => {
    vars = varsFile(lab.scratch, 'lab-vars.yml', {
      tailscale_repo_url: standinRepo(lab),
      wireguard_packages: ['wireguard-tools', 'wireguard-go'],
      ssh_port: NEW_PORT,
    });
  });

  it('--check exits 0, lists every change per host, and leaves every /etc byte-for-byte unchanged', async () => {
    const before = await Promise.all(lab.hosts.map((h) => etcSnapshot(lab, h.name)));
    const r = await runCli(['run', 'playbooks/secure.yml', ...runArgs(lab, lab.inventoryYaml), '-e', vars, '--check', '--diff'], { env, timeoutMs: RUN_MS });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /check mode: nothing was changed/);
    for (const h of lab.hosts) {
      const c = changesOf(r.stdout, h.name);
      assert.match(c, /\+ \/etc\/apt\/sources\.list\.d\/tailscale\.list: new file/, `${h.name}:\n${c}`);
      assert.match(c, /\+ apt tailscale/, `${h.name}:\n${c}`);
      assert.match(c, new RegExp(`move SSH ${h.port} → ${NEW_PORT}`), `${h.name}:\n${c}`);
      assert.match(c, /\+ ufw allow from 10\.77\.\d+\.0\/24 \(sparkbook: LAN\)/, `${h.name}:\n${c}`);
      assert.match(c, /\+ \/etc\/wireguard\/wg0\.conf: new file, mode 0600/, `${h.name}:\n${c}`);
      assert.match(c, /\+ \/etc\/sysctl\.d\/60-sparkbook-forwarding\.conf: new file/, `${h.name}:\n${c}`);
      if (h.variant === 'ufw-altport') {
        assert.doesNotMatch(c, /ufw enable/, 'ufw is already active there');
        assert.match(c, /- ufw allow 2222\/tcp/, 'the old port rule goes after the move');
      } else {
        assert.match(c, /\+ ufw allow 22\/tcp .*\[lockout guard\]/, `${h.name}:\n${c}`);
        assert.match(c, /! ufw enable/, `${h.name}:\n${c}`);
      }
      if (h.variant === 'socket') assert.match(c, /ssh\.socket\.d\/50-sparkbook-port\.conf/);
      assert.equal(recapOf(r.stdout, h.name).failed, 0);
    }
    assert.match(r.stdout, /TS_AUTHKEY is empty/);
    const after = await Promise.all(lab.hosts.map((h) => etcSnapshot(lab, h.name)));
    lab.hosts.forEach((h, i) => assert.deepEqual(snapshotDiff(before[i] ?? '', after[i] ?? ''), [], `${h.name}: /etc changed in check mode`));
  });

  it('converges on the first apply, changes nothing on the second, and facts show port, ufw, forwarding and wg0', async () => {
    const first = await runCli(['run', 'playbooks/secure.yml', ...runArgs(lab, lab.inventoryYaml), '-e', vars, '--diff'], { env, timeoutMs: RUN_MS });
    assert.equal(first.code, 0, first.stdout + first.stderr);
    for (const h of lab.hosts) {
      const recap = recapOf(first.stdout, h.name);
      assert.equal(recap.failed + recap.unreachable, 0, h.name);
      assert.ok(recap.changed > 0, `${h.name} changed nothing`);
    }
    // The hosts now answer on NEW_PORT only: the inventory says so from now on.
    const moved = labInventory(lab, lab.scratch, { ports: Object.fromEntries(lab.hosts.map((h) => [h.name, NEW_PORT])) });
    const second = await runCli(['run', 'playbooks/secure.yml', ...runArgs(lab, moved), '-e', vars, '--diff'], { env, timeoutMs: RUN_MS });
    assert.equal(second.code, 0, second.stdout + second.stderr);
    for (const h of lab.hosts) assert.equal(recapOf(second.stdout, h.name).changed, 0, `${h.name} changed on the second apply:\n${second.stdout}`);

    const check = await runCli(['run', 'playbooks/secure.yml', ...runArgs(lab, moved), '-e', vars, '--check', '--detailed-exitcode'], { env, timeoutMs: RUN_MS });
    assert.equal(check.code, 0, `--check --detailed-exitcode on converged hosts:\n${check.stdout}`);

    const facts = await runCli(['facts', '-i', moved, '--known-hosts', lab.knownHosts, '--become', '--json'], { timeoutMs: 120_000 });
    assert.equal(facts.code, 0, facts.stderr);
    const all = JSON.parse(facts.stdout) as Record<string, {
      sshd: { ports: number[] } | null;
      ufw: { active: boolean; rules: string[]; defaults: { incoming: string | null } | null } | null;
      sysctl: { ipv4Forward: number | null };
      wireguard: { interfaces: string[]; configs: string[] } | null;
    }>;
    for (const h of lab.hosts) {
      const f = all[h.name];
      assert.ok(f, `no facts for ${h.name}`);
      assert.deepEqual(f.sshd?.ports, [NEW_PORT]);
      assert.equal(f.ufw?.active, true);
      assert.equal(f.ufw?.defaults?.incoming, 'deny');
      const rules = (f.ufw?.rules ?? []).join('\n');
      assert.match(rules, new RegExp(`^${NEW_PORT}/tcp ALLOW IN Anywhere`, 'm'));
      assert.match(rules, new RegExp(`^${NEW_PORT}/tcp on tailscale0 ALLOW IN Anywhere`, 'm'));
      assert.match(rules, /^Anywhere ALLOW IN 10\.77\.\d+\.0\/24/m);
      assert.match(rules, /^51820\/udp ALLOW IN Anywhere/m);
      assert.match(rules, /\(v6\)/, 'IPv6 rules exist too');
      assert.doesNotMatch(rules, new RegExp(`^${h.port}/tcp `, 'm'), 'the old port rule is gone');
      assert.equal(f.sysctl.ipv4Forward, 1);
      assert.deepEqual(f.wireguard?.interfaces, ['wg0']);
      assert.deepEqual(f.wireguard?.configs, ['wg0']);
      await assertFreshLogin(lab, h.name, NEW_PORT);
      assert.notEqual((await freshLogin(lab, h.name, h.port)).exitCode, 0, `${h.name} still answers on ${h.port}`);
    }
  });
});

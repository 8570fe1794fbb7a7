// Lockout cases of sshd-port.yml and ufw-baseline.yml on real systemd hosts, on both sshd
// variants at once (ct01: ssh.service, root; ct02: ssh.socket as on Ubuntu 24.04, spark + sudo).
// Every case ends with a FRESH OpenSSH login: an open session proves nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { labExec, type LabInfo } from '../lab/api.js';
import { execArgv } from '../lab/exec.js';
import { labHost, sshArgv } from '../lab/ssh.js';
import { useLab } from '../support/lab.js';
import { assertFreshLogin, etcSnapshot, listeningPorts, mustExec, snapshotDiff } from '../support/lab-hosts.js';
import { labInventory, runArgs } from '../support/lab-inputs.js';
import { recapOf } from '../support/output.js';
import { CLI, REPO_ROOT, runCli } from '../support/run-cli.js';

const LAB = 'sblk';
const RUN_MS = 120_000;

/** The /etc/ssh part of an /etc snapshot. */
function sshFiles(snapshot: string): string {
  return snapshot
    .split('\n')
    .filter((l) => / \/etc\/ssh\//.test(l) && !/ssh_host_/.test(l))
    .join('\n');
}

/** systemd and sshd lines that a reload, restart or socket restart would add to the journal. */
async function sshdLifecycle(lab: LabInfo, host: string): Promise<string[]> {
  const r = await labExec(lab, host, ['journalctl', '--no-pager', '-o', 'cat', '-u', 'ssh.service', '-u', 'ssh.socket']);
  return r.stdout.split('\n').filter((l) => /Received SIGHUP|Server listening|Reload|Stopp|Starting|Started|Listening on|Closed|Deactivated/.test(l));
}

/** A fresh login that must FAIL quickly (3 s connect timeout): the negative control. */
async function loginRefusedOrDropped(lab: LabInfo, host: string, port: number): Promise<boolean> {
  const argv = sshArgv(lab, labHost(lab, host), 'true', { port }).map((a) => (a === 'ConnectTimeout=15' ? 'ConnectTimeout=3' : a));
  const r = await execArgv(argv, { timeoutMs: 15_000 });
  return r.exitCode !== 0;
}

describe('lockout cases on ssh.service and ssh.socket hosts (e2e)', function () {
  this.timeout(RUN_MS);
  const lab = useLab({ name: LAB, containers: 2 });
  let hosts: string[];

  before(() => {
    hosts = lab.hosts.map((h) => h.name);
    assert.deepEqual(lab.hosts.map((h) => h.variant), ['service', 'socket']);
  });

  it('(a) an injected invalid sshd setting never reloads sshd, leaves /etc as it was, and port 22 still logs in', async () => {
    const etc = await Promise.all(hosts.map((h) => etcSnapshot(lab, h)));
    const life = await Promise.all(hosts.map((h) => sshdLifecycle(lab, h)));
    const r = await runCli(
      ['run', 'playbooks/sshd-port.yml', ...runArgs(lab, lab.inventoryYaml), '-e', 'ssh_port=2201', '-e', '{"ssh_settings": {"LogLevel": "VERBOSEX"}}'],
      { timeoutMs: RUN_MS },
    );
    assert.equal(r.code, 4, r.stdout + r.stderr);
    for (const [i, h] of hosts.entries()) {
      assert.equal(recapOf(r.stdout, h).failed, 1);
      assert.deepEqual(snapshotDiff(etc[i] ?? '', await etcSnapshot(lab, h)), [], `${h}: /etc changed`);
      assert.deepEqual(await sshdLifecycle(lab, h), life[i], `${h}: sshd was reloaded or restarted`);
      assert.ok(!(await listeningPorts(lab, h)).includes(2201));
      await assertFreshLogin(lab, h, 22);
    }
    assert.match(r.stdout, /the candidate was refused, nothing was changed/);
    assert.match(r.stdout, /VERBOSEX/);
  });

  it('(b) a new port blocked by a firewall rule is rolled back, and port 22 still logs in', async () => {
    const ssh = await Promise.all(hosts.map(async (h) => sshFiles(await etcSnapshot(lab, h))));
    await Promise.all(hosts.map((h) => mustExec(lab, h, ['iptables', '-I', 'INPUT', '-p', 'tcp', '--dport', '2202', '-j', 'REJECT', '--reject-with', 'tcp-reset'])));
    try {
      const r = await runCli(['run', 'playbooks/sshd-port.yml', ...runArgs(lab, lab.inventoryYaml), '-e', 'ssh_port=2202', '-e', 'ssh_confirm_timeout=30'], { timeoutMs: RUN_MS });
      assert.equal(r.code, 4, r.stdout + r.stderr);
      assert.match(r.stdout, /restored the previous config/);
      for (const [i, h] of hosts.entries()) {
        assert.equal(recapOf(r.stdout, h).failed, 1);
        assert.equal(sshFiles(await etcSnapshot(lab, h)), ssh[i], `${h}: /etc/ssh not restored`);
        assert.deepEqual(await listeningPorts(lab, h).then((p) => p.filter((x) => x === 22 || x === 2202)), [22]);
        await assertFreshLogin(lab, h, 22);
      }
    } finally {
      await Promise.all(hosts.map((h) => labExec(lab, h, ['iptables', '-D', 'INPUT', '-p', 'tcp', '--dport', '2202', '-j', 'REJECT', '--reject-with', 'tcp-reset'])));
    }
  });

  it('(c) ufw-baseline on hosts reached on a non-default port keeps that port open (fresh logins on 2203)', async () => {
    const move = await runCli(['run', 'playbooks/sshd-port.yml', ...runArgs(lab, lab.inventoryYaml), '-e', 'ssh_port=2203'], { timeoutMs: RUN_MS });
    assert.equal(move.code, 0, move.stdout + move.stderr);
    const inv = labInventory(lab, lab.scratch, { ports: { ct01: 2203, ct02: 2203 } });
    for (const h of hosts) await assertFreshLogin(lab, h, 2203);
    // The LAN rule must not be what keeps the controller in: a LAN that is not ours, no tailscale0 rule.
    const r = await runCli(
      ['run', 'playbooks/ufw-baseline.yml', ...runArgs(lab, inv), '-e', 'lan_cidr=192.0.2.0/24', '-e', 'ufw_tailscale_ssh=false'],
      { timeoutMs: RUN_MS },
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\+ ufw allow 2203\/tcp .*\[lockout guard\]/);
    for (const h of hosts) {
      const status = await mustExec(lab, h, ['ufw', 'status']);
      assert.match(status, /^Status: active$/m);
      assert.match(status, /^2203\/tcp\s+ALLOW\s+Anywhere/m);
      await assertFreshLogin(lab, h, 2203);
    }
    // Negative control: without that rule, a fresh login is refused (while open sessions would live on).
    await Promise.all(hosts.map((h) => mustExec(lab, h, ['ufw', 'delete', 'allow', '2203/tcp'])));
    try {
      for (const h of hosts) assert.ok(await loginRefusedOrDropped(lab, h, 2203), `${h}: the detector cannot see a closed port`);
    } finally {
      await Promise.all(hosts.map((h) => mustExec(lab, h, ['ufw', 'allow', '2203/tcp'])));
    }
    for (const h of hosts) await assertFreshLogin(lab, h, 2203);
  });

  it('(d) a controller killed between activation and confirmation: the hosts roll themselves back within the timer', async () => {
    const inv = labInventory(lab, lab.scratch, { ports: { ct01: 2203, ct02: 2203 } });
    const ssh = await Promise.all(hosts.map(async (h) => sshFiles(await etcSnapshot(lab, h))));
    // Fresh connections to 2204 hang (DROP), so the controller is still waiting for its proof when it dies.
    await Promise.all(hosts.map((h) => mustExec(lab, h, ['iptables', '-I', 'INPUT', '-p', 'tcp', '--dport', '2204', '-j', 'DROP'])));
    try {
      const child = spawn(process.execPath, [CLI, 'run', 'playbooks/sshd-port.yml', ...runArgs(lab, inv), '-e', 'ssh_port=2204', '-e', 'ssh_confirm_timeout=10'], {
        cwd: REPO_ROOT,
        stdio: 'ignore',
      });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      const t0 = Date.now();
      // Activation: sshd listens on old and new ports on both hosts.
      for (;;) {
        const both = await Promise.all(hosts.map(async (h) => (await listeningPorts(lab, h)).includes(2204)));
        if (both.every(Boolean)) break;
        assert.ok(Date.now() - t0 < 60_000, 'sshd never listened on 2204');
        await new Promise((r) => setTimeout(r, 200));
      }
      const killedAt = Date.now();
      child.kill('SIGKILL');
      await exited;
      // The on-host timer (10 s) restores the previous config and makes it live again.
      for (const [i, h] of hosts.entries()) {
        for (;;) {
          const restored = !(await listeningPorts(lab, h)).includes(2204) && sshFiles(await etcSnapshot(lab, h)) === ssh[i];
          if (restored) break;
          assert.ok(Date.now() - killedAt < 25_000, `${h} did not roll back within 25 s`);
          await new Promise((r) => setTimeout(r, 500));
        }
        await assertFreshLogin(lab, h, 2203);
      }
      const log = await Promise.all(hosts.map((h) => labExec(lab, h, ['journalctl', '--no-pager', '-o', 'cat', '-t', 'sparkbook'])));
      for (const l of log) assert.match(l.stdout, /sshd change \w+ rolled back/);
    } finally {
      await Promise.all(hosts.map((h) => labExec(lab, h, ['iptables', '-D', 'INPUT', '-p', 'tcp', '--dport', '2204', '-j', 'DROP'])));
    }
    for (const h of hosts) await assertFreshLogin(lab, h, 2203);
  });
});

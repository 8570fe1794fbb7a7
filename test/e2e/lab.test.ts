// The test lab itself, end to end: real OpenSSH on real systemd hosts, isolation between hosts and this machine,
// and a `down` that leaves nothing behind. Uses the run's shared lab (test/lab/api.ts sharedLab()).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { destroyLab, ensureLab, labExec, sshdLog, acceptedLogins } from '../lab/api.js';
import { execArgv } from '../lab/exec.js';
import { footprint, liveNamespaces } from '../lab/footprint.js';
import { labSsh } from '../lab/ssh.js';
import { useLab } from '../support/lab.js';

describe('test lab (e2e)', function () {
  this.timeout(120_000);
  const lab = useLab({ shared: true });

  it('has hosts of every variant: ssh.service, ssh.socket, and ufw with sshd on 2222', () => {
    const variants = new Set(lab.hosts.map((h) => h.variant));
    assert.deepEqual([...variants].sort(), ['service', 'socket', 'ufw-altport']);
    assert.ok(lab.hosts.some((h) => h.port === 2222));
  });

  it('runs systemd as PID 1 on every host, reached over OpenSSH with strict host key checking', async () => {
    const results = await Promise.all(lab.hosts.map((h) => labSsh(lab, h.name, 'ps -p 1 -o comm=')));
    for (const [i, r] of results.entries()) {
      assert.equal(r.exitCode, 0, `${lab.hosts[i]?.name}: ${r.stderr}`);
      assert.equal(r.stdout.trim(), 'systemd');
    }
  });

  it('gives every host its own hostname, machine-id, host key and a Spark-like NIC enP7s7 at its address', async () => {
    const seen = await Promise.all(
      lab.hosts.map(async (h) => {
        const r = await labSsh(lab, h.name, 'hostname; cat /etc/machine-id; ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub; ip -br -4 addr show enP7s7');
        assert.equal(r.exitCode, 0, r.stderr);
        const [hostname, machineId, fingerprint, nic] = r.stdout.trim().split('\n');
        assert.equal(hostname, h.name);
        assert.match(nic ?? '', new RegExp(`^enP7s7\\S*\\s+UP\\s+${h.address.replace(/\./g, '\\.')}/24`));
        return { machineId, fingerprint };
      }),
    );
    assert.equal(new Set(seen.map((s) => s.machineId)).size, lab.hosts.length);
    assert.equal(new Set(seen.map((s) => s.fingerprint)).size, lab.hosts.length);
  });

  it('sets up each variant as its group says', async () => {
    const socket = lab.hosts.find((h) => h.variant === 'socket');
    const ufw = lab.hosts.find((h) => h.variant === 'ufw-altport');
    assert.ok(socket && ufw);
    const s = await labExec(lab, socket.name, ['systemctl', 'is-enabled', 'ssh.socket', 'ssh.service']);
    assert.deepEqual(s.stdout.trim().split('\n'), ['enabled', 'disabled']);
    const u = await labExec(lab, ufw.name, ['sh', '-c', 'ufw status; ss -Hltn']);
    assert.match(u.stdout, /^Status: active$/m);
    assert.match(u.stdout, /^2222\/tcp\s+ALLOW\s+Anywhere/m);
    assert.match(u.stdout, /:2222\s/);
    assert.doesNotMatch(u.stdout, /:22\s/);
  });

  it('lets spark use sudo with the inventory password, and not without it', async () => {
    const spark = lab.hosts.find((h) => h.user === 'spark');
    assert.ok(spark);
    const ok = await labSsh(lab, spark.name, "sudo -S -p '' id -u", { input: 'spark-pass\n' });
    assert.equal(ok.stdout.trim(), '0', ok.stderr);
    const no = await labSsh(lab, spark.name, 'sudo -n id -u');
    assert.notEqual(no.exitCode, 0);
  });

  it('logs each accepted ssh login in the host journal (sshdLog)', async () => {
    const host = lab.hosts[0];
    assert.ok(host);
    const before = acceptedLogins(await sshdLog(lab, host.name));
    for (let i = 0; i < 2; i++) assert.equal((await labSsh(lab, host.name, 'true')).exitCode, 0);
    // journald may take a moment to store the last line
    let after = before;
    for (let i = 0; i < 20 && after < before + 2; i++) {
      after = acceptedLogins(await sshdLog(lab, host.name));
      if (after < before + 2) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(after, before + 2);
  });

  it('installs packages from the lab apt repo (the hosts reach no other mirror)', async () => {
    const host = lab.hosts.find((h) => h.user === 'root') ?? lab.hosts[0];
    assert.ok(host);
    const r = await labSsh(lab, host.name, 'apt-get update 2>&1 && apt-cache policy wireguard-go hello | grep -c Candidate: && grep -rh ^deb /etc/apt/sources.list /etc/apt/sources.list.d/', { user: 'root' });
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^2$/m);
    const sources = r.stdout.split('\n').filter((l) => l.startsWith('deb '));
    assert.deepEqual(sources, [`deb [signed-by=/usr/share/keyrings/sparkbook-lab.gpg] ${lab.repoBase}/debian ./`]);
  });

  it('isolates hosts: /etc, iptables and net sysctls changed on one host are unchanged on the others and here', async () => {
    const [a, ...others] = lab.hosts;
    assert.ok(a && others.length > 0);
    const tag = `sbl-iso-${randomBytes(4).toString('hex')}`;
    const hereForward = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
    const change = await labSsh(
      lab,
      a.name,
      `set -e; echo ${tag} > /etc/${tag}; iptables -A INPUT -p tcp --dport 9 -m comment --comment ${tag} -j ACCEPT; sysctl -qw net.ipv4.ip_forward=1; cat /proc/sys/net/ipv4/ip_forward; iptables -S INPUT | grep -c ${tag}`,
      { user: 'root' },
    );
    try {
      assert.equal(change.exitCode, 0, change.stderr);
      assert.deepEqual(change.stdout.trim().split('\n'), ['1', '1']);
      for (const o of others) {
        const r = await labSsh(lab, o.name, `test -e /etc/${tag} && echo file; iptables -S | grep -c ${tag}; cat /proc/sys/net/ipv4/ip_forward`, { user: 'root' });
        assert.deepEqual(r.stdout.trim().split('\n'), ['0', '0'], `${o.name}: ${r.stdout}${r.stderr}`);
      }
      assert.equal(existsSync(`/etc/${tag}`), false);
      assert.equal(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim(), hereForward);
      const here = await execArgv(['iptables-save']);
      assert.equal(here.exitCode, 0, here.stderr);
      assert.equal(here.stdout.includes(tag), false);
    } finally {
      await labSsh(lab, a.name, `rm -f /etc/${tag}; iptables -D INPUT -p tcp --dport 9 -m comment --comment ${tag} -j ACCEPT; sysctl -qw net.ipv4.ip_forward=0`, { user: 'root' });
    }
  });

  it('keeps this machine from forwarding: root-namespace ip_forward stays 0', () => {
    assert.equal(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim(), '0');
  });

  it('`down` leaves no link, mount, process, namespace or cgroup of the lab behind', async function () {
    this.timeout(300_000);
    const name = `sbd${randomBytes(2).toString('hex')}`;
    const before = await footprint(name);
    assert.deepEqual(before, { links: [], mounts: [], pids: [], namespaces: [], cgroups: [] });
    const small = await ensureLab({ containers: 1, name });
    try {
      const r = await labSsh(small, 'ct01', 'ps -p 1 -o comm=');
      assert.equal(r.stdout.trim(), 'systemd', r.stderr);
      const during = await footprint(name);
      assert.ok(during.links.includes(`${name}-br`) && during.links.includes(`${name}-ct01`), `links: ${during.links.join(' ')}`);
      assert.ok(during.mounts.length >= 1, 'the overlay is mounted');
      assert.ok(during.pids.length >= 3, `processes: ${during.pids.length}`);
      assert.ok(during.namespaces.length >= 2, 'the host has its own net and mount namespaces');
      assert.ok(during.cgroups.length >= 1);
      assert.equal(await destroyLab(name), true);
      const after = await footprint(name);
      assert.deepEqual(after, before);
      const live = liveNamespaces();
      assert.deepEqual(during.namespaces.filter((n) => live.has(n)), []);
    } finally {
      await destroyLab(name);
    }
  });
});

describe('test lab arm64 VM (e2e)', function () {
  this.timeout(300_000);
  // A fresh machine builds the VM image first: debootstrap's second stage under qemu-user (3-4 min idle,
  // 13 min seen on a machine loaded 20x), then a TCG boot (25 s idle, 2 min loaded).
  const lab = useLab({ name: `sbv${randomBytes(2).toString('hex')}`, containers: 0, vms: 1, bootMs: 40 * 60_000 });

  it('boots a real arm64 Debian with systemd as PID 1, reached over OpenSSH as spark', async () => {
    const r = await labSsh(lab, 'vm01', 'uname -m; dpkg --print-architecture; ps -p 1 -o comm=; hostname', { timeoutMs: 120_000 });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['aarch64', 'arm64', 'systemd', 'vm01']);
  });

  it('names the VM NIC enP7s7 at its lab address and has kernel WireGuard', async () => {
    const vm = lab.hosts.find((h) => h.name === 'vm01');
    assert.ok(vm && vm.kind === 'vm');
    const r = await labExec(lab, 'vm01', ['sh', '-c', 'ip -br -4 addr show enP7s7; ip link add sblwg0 type wireguard && ip link del sblwg0 && echo wireguard-ok']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^enP7s7\\s+UP\\s+${vm.address.replace(/\./g, '\\.')}/24`, 'm'));
    assert.match(r.stdout, /^wireguard-ok$/m);
  });

  it('installs arm64 packages from the lab apt repo', async () => {
    const r = await labSsh(lab, 'vm01', 'apt-get update >/dev/null 2>&1 && apt-cache show --no-all-versions wireguard-tools | grep ^Architecture:', {
      user: 'root',
      timeoutMs: 240_000,
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'Architecture: arm64');
  });
});

// Tests of parseFacts on whole recorded outputs of the facts script: full equality with the
// expected Facts, the facts that matter checked by hand, and partial or odd outputs.
import assert from 'node:assert/strict';
import { emptyFacts } from '../../../../runner/facts/facts.js';
import { parseFacts } from '../../../../runner/facts/parse-facts.js';
import { scriptFixture, scriptFixtures } from './script-fixtures.js';

const conn = { transport: 'ssh', address: '192.0.2.9', port: 22, user: 'ops' } as const;

describe('parseFacts', () => {
  describe('on every recorded whole-script output', () => {
    for (const f of scriptFixtures()) {
      it(`equals the expected facts: ${f.name}`, () => {
        assert.ok(f.source.length > 40, 'each fixture says how it was made');
        assert.deepEqual(parseFacts(f.stdout, f.connection), f.expected);
      });
    }
  });

  describe('a DGX Spark on Ubuntu 24.04 (root, through become)', () => {
    const f = scriptFixture('ubuntu-2404-dgx-spark');
    const facts = parseFacts(f.stdout, f.connection);

    it('reads architecture, OS and kernel', () => {
      assert.deepEqual([facts.arch, facts.dpkgArch, facts.kernel], ['aarch64', 'arm64', '6.11.0-1016-nvidia']);
      assert.deepEqual(facts.os, { id: 'ubuntu', version: '24.04', codename: 'noble', pretty: 'Ubuntu 24.04.3 LTS' });
      assert.deepEqual([facts.hostname, facts.fqdn], ['spark-01', 'spark-01']);
    });

    it('finds the default-route NIC, its gateway, address and LAN', () => {
      assert.deepEqual(facts.defaultRoute, { interface: 'enP7s7', gateway: '192.168.1.1', cidr: '192.168.1.0/24', address: '192.168.1.50' });
      assert.deepEqual(facts.defaultRoute6, { interface: 'enP7s7', gateway: 'fe80::1' });
    });

    it('flags the global IPv6 addresses of the NIC, the privacy one as temporary', () => {
      const nic = facts.interfaces.find((i) => i.name === 'enP7s7');
      const v6 = nic?.addresses.filter((a) => a.family === 'inet6' && a.global) ?? [];
      assert.deepEqual(v6.map((a) => [a.address, a.temporary, a.ula]), [
        ['2001:db8:4a1c:5600:e0c4:9b2a:51f7:3d10', true, false],
        ['2001:db8:4a1c:5600:1f3e:8a62:c0d4:77b2', false, false],
      ]);
      assert.deepEqual(facts.interfaces.map((i) => i.name), ['lo', 'enp1s0f0np0', 'enp1s0f1np1', 'enP7s7', 'wlP9s9', 'docker0', 'tailscale0']);
    });

    it("reads sshd's effective settings and sees it socket-activated", () => {
      assert.deepEqual(facts.sshd?.ports, [22]);
      assert.equal(facts.sshd?.passwordAuthentication, 'yes');
      assert.equal(facts.sshd?.permitRootLogin, 'without-password');
      assert.equal(facts.sshd?.socketActivated, true);
      assert.deepEqual(facts.sshUnits?.socket?.listen, ['[::]:22']);
      assert.equal(facts.sshUnits?.service?.unitFileState, 'disabled');
      assert.equal(facts.sshUnits?.generatorListen, null);
    });

    it('reads ufw inactive, forwarding off, tailscale waiting for login and no WireGuard', () => {
      assert.deepEqual([facts.ufw?.active, facts.ufw?.source], [false, 'status']);
      assert.deepEqual(facts.sysctl, { ipv4Forward: 0, ipv6Forward: 0 });
      assert.deepEqual(facts.tailscale, { version: '1.76.6', backendState: 'NeedsLogin' });
      assert.equal(facts.wireguard, null);
    });

    it('knows it is a DGX Spark with a GB10 GPU', () => {
      assert.deepEqual([facts.isDgxSpark, facts.productName, facts.gpus], [true, 'NVIDIA DGX Spark', ['NVIDIA GB10']]);
      assert.deepEqual([facts.initSystem, facts.packageManager, facts.cpus, facts.memoryMb], ['systemd', 'apt', 20, 122567]);
      assert.deepEqual(facts.user, { name: 'root', uid: 0 });
    });
  });

  describe('a minimal Debian 12 host (unprivileged)', () => {
    const f = scriptFixture('debian-12-minimal');
    const facts = parseFacts(f.stdout, f.connection);

    it('makes every missing or unreadable tool a null fact', () => {
      assert.deepEqual([facts.sshd, facts.ufw, facts.tailscale, facts.wireguard, facts.defaultRoute6], [null, null, null, null, null]);
      assert.deepEqual([facts.gpus, facts.isDgxSpark], [[], false]);
    });

    it('still reads the OS, the route and an ssh.service that is not socket-activated', () => {
      assert.deepEqual([facts.arch, facts.os.id, facts.os.version, facts.os.codename], ['x86_64', 'debian', '12', 'bookworm']);
      assert.deepEqual(facts.defaultRoute, { interface: 'ens3', gateway: '203.0.113.1', cidr: '203.0.113.0/24', address: '203.0.113.10' });
      assert.deepEqual([facts.sshUnits?.socket?.activeState, facts.sshUnits?.service?.activeState], ['inactive', 'active']);
      assert.deepEqual(facts.listening?.map((l) => `${l.address}:${l.port}`), ['0.0.0.0:22', ':::22']);
      assert.deepEqual(facts.user, { name: 'admin', uid: 1000 });
    });
  });

  describe('partial and odd outputs', () => {
    it('reads empty output as the facts of a host that answered nothing', () => {
      assert.deepEqual(parseFacts('', conn), emptyFacts(conn));
    });

    it('parses a run cut off by a timeout up to where it stopped', () => {
      const { stdout } = scriptFixture('ubuntu-2404-dgx-spark');
      const facts = parseFacts(stdout.slice(0, stdout.indexOf('@@sparkbook:sshd-t')), conn);
      assert.equal(facts.arch, 'aarch64');
      assert.equal(facts.defaultRoute?.interface, 'enP7s7');
      assert.deepEqual([facts.sshd, facts.memoryMb, facts.isDgxSpark], [null, null, false]);
    });

    it('falls back to ufw.conf when ufw status needs root', () => {
      const { stdout } = scriptFixture('debian-12-minimal');
      const patched = stdout.replace('@@sparkbook:ufw-status missing\n@@sparkbook:ufw-conf rc=2\n', '@@sparkbook:ufw-status rc=1\n@@sparkbook:ufw-conf rc=0\nENABLED=yes\n');
      assert.notEqual(patched, stdout);
      assert.deepEqual(parseFacts(patched, conn).ufw, { active: true, rules: [], source: 'conf', logging: null, defaults: null, ruleTable: [] });
    });

    it('reads the text forms of ip when the host has no `ip -j`', () => {
      const text = [
        '@@sparkbook:ip-addr-text rc=0',
        '2: eth0    inet 10.0.2.15/24 brd 10.0.2.255 scope global eth0\\       valid_lft forever preferred_lft forever',
        '@@sparkbook:ip-link-text rc=0',
        '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP qlen 1000\\    link/ether 52:54:00:ab:cd:ef brd ff:ff:ff:ff:ff:ff',
        '@@sparkbook:ip-route4-text rc=0',
        'default via 10.0.2.2 dev eth0',
        '@@sparkbook:ip-route6-text rc=0',
        '',
      ].join('\n');
      const facts = parseFacts(text, conn);
      assert.deepEqual(facts.defaultRoute, { interface: 'eth0', gateway: '10.0.2.2', cidr: '10.0.2.0/24', address: '10.0.2.15' });
      assert.equal(facts.interfaces[0]?.mac, '52:54:00:ab:cd:ef');
      assert.equal(facts.defaultRoute6, null);
    });

    it('sees WireGuard from its links and configs even without wireguard-tools', () => {
      const text = '@@sparkbook:wg-show missing\n@@sparkbook:wg-links rc=0\n5: wg0: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1420\n@@sparkbook:wg-conf rc=0\nwg0.conf\nprivatekey\n';
      assert.deepEqual(parseFacts(text, conn).wireguard, { interfaces: ['wg0'], configs: ['wg0'], toolsInstalled: false });
    });
  });
});

// WireGuard for real: wireguard-server.yml on one lab host behind an active ufw, a client made on
// the controller with `sparkbook wg client`, brought up on a second host, and a ping across the
// tunnel (wireguard-go: the lab kernel has no WireGuard module).
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { labExec } from '../lab/api.js';
import { useLab } from '../support/lab.js';
import { mustExec } from '../support/lab-hosts.js';
import { runArgs, varsFile } from '../support/lab-inputs.js';
import { recapOf } from '../support/output.js';
import { runCli } from '../support/run-cli.js';

const LAB = 'sbwg';
const RUN_MS = 180_000;

describe('wireguard-server.yml: a real tunnel between two lab hosts (e2e)', function () {
  this.timeout(RUN_MS);
  const lab = useLab({ name: LAB, containers: 2 });

  it('brings up a tunnel from a sparkbook-made client config, and a ping crosses it', async () => {
    const [server, client] = lab.hosts;
    const dir = lab.scratch;
    assert.ok(server && client);
    const args = [...runArgs(lab, lab.inventoryYaml), '--limit', server.name];
    const pkgs = varsFile(dir, 'pkgs.yml', { wireguard_packages: ['wireguard-tools', 'wireguard-go'] });
    // A firewall that lets in nothing from the client but SSH (the guard) and the WireGuard port.
    const fw = await runCli(['run', 'playbooks/ufw-baseline.yml', ...args, '-e', 'lan_cidr=192.0.2.0/24'], { timeoutMs: RUN_MS });
    assert.equal(fw.code, 0, fw.stdout + fw.stderr);

    const first = await runCli(['run', 'playbooks/wireguard-server.yml', ...args, '-e', pkgs], { timeoutMs: RUN_MS });
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const shown = await runCli(['run', 'playbooks/wireguard-server.yml', ...args, '-e', pkgs, '--check'], { timeoutMs: RUN_MS });
    const serverKey = /wg0 public key: (\S{44})/.exec(shown.stdout)?.[1];
    assert.ok(serverKey, `the playbook did not print the server public key:\n${shown.stdout}`);

    const clientConf = join(dir, 'laptop.conf');
    const made = await runCli([
      'wg', 'client', 'laptop', '--server-public-key', serverKey, '--endpoint', `${server.address}:51820`, '--address', '10.8.0.2/32', '-o', clientConf,
    ]);
    assert.equal(made.code, 0, made.stderr);
    assert.equal(statSync(clientConf).mode & 0o777, 0o600);
    const clientPublic = /public_key: (\S{44})/.exec(made.stdout)?.[1];
    assert.ok(clientPublic, made.stdout);

    const peers = varsFile(dir, 'peers.yml', { wireguard_peers: [{ name: 'laptop', public_key: clientPublic, allowed_ips: ['10.8.0.2/32'] }] });
    const withPeer = await runCli(['run', 'playbooks/wireguard-server.yml', ...args, '-e', pkgs, '-e', peers, '--diff'], { timeoutMs: RUN_MS });
    assert.equal(withPeer.code, 0, withPeer.stdout + withPeer.stderr);
    assert.match(withPeer.stdout, new RegExp(`\\+PublicKey = ${clientPublic.replace(/[+/=]/g, '\\$&')}`));
    const again = await runCli(['run', 'playbooks/wireguard-server.yml', ...args, '-e', pkgs, '-e', peers], { timeoutMs: RUN_MS });
    assert.equal(recapOf(again.stdout, server.name).changed, 0, again.stdout);

    // The server side: no key in the config, owner-only modes, a running interface with the peer.
    const conf = await mustExec(lab, server.name, ['cat', '/etc/wireguard/wg0.conf']);
    assert.doesNotMatch(conf, /PrivateKey/);
    assert.match(conf, /^PostUp = wg set %i private-key \/etc\/wireguard\/wg0\.key$/m);
    assert.match(conf, /MASQUERADE/);
    assert.equal((await mustExec(lab, server.name, ['stat', '-c', '%a %U', '/etc/wireguard', '/etc/wireguard/wg0.conf', '/etc/wireguard/wg0.key'])).trim(), '700 root\n600 root\n600 root');
    assert.equal((await mustExec(lab, server.name, ['systemctl', 'is-active', 'wg-quick@wg0'])).trim(), 'active');

    // The client: the generated config as is, on the second host.
    await mustExec(lab, client.name, ['sh', '-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wireguard-tools wireguard-go iputils-ping >/dev/null']);
    await mustExec(lab, client.name, ['sh', '-c', 'umask 077 && mkdir -p /etc/wireguard && cat > /etc/wireguard/laptop.conf'], readFileSync(clientConf, 'utf8'));
    await mustExec(lab, client.name, ['wg-quick', 'up', 'laptop']);
    const ping = await labExec(lab, client.name, ['ping', '-c', '3', '-W', '2', '10.8.0.1']);
    assert.equal(ping.exitCode, 0, ping.stdout + ping.stderr);
    assert.match(ping.stdout, /3 received/);
    const handshake = await mustExec(lab, server.name, ['wg', 'show', 'wg0', 'latest-handshakes']);
    assert.match(handshake, new RegExp(`^${clientPublic.replace(/[+/=]/g, '\\$&')}\\s+[1-9]\\d*$`, 'm'));
    // And back: the server reaches the client's tunnel address.
    const back = await labExec(lab, server.name, ['ping', '-c', '2', '-W', '2', '10.8.0.2']);
    assert.equal(back.exitCode, 0, back.stdout + back.stderr);
  });
});

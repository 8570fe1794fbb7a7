// The CLI contract without any host: help, doc, schema, inventory, validate, wg client, exit codes.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runCli } from '../../support/run-cli.js';

describe('sparkbook CLI', function () {
  this.timeout(30_000);

  it('lists every subcommand in --help and exits 0', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    for (const c of ['run', 'validate', 'facts', 'inventory', 'schema', 'doc', 'report merge', 'wg client']) assert.match(r.stdout, new RegExp(`\\n  ${c}`));
  });

  it('exits 2 with a one-line message for an unknown command or option', async () => {
    const a = await runCli(['frobnicate']);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /^unknown command 'frobnicate'/);
    const b = await runCli(['run', '--no-such-flag', 'x.yml']);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /Unknown option '--no-such-flag'/);
  });

  it('documents a module from its schema, with parameters and an example task', async () => {
    const r = await runCli(['doc', 'sysctl']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^sysctl — /);
    assert.match(r.stdout, /\n {2}name {2}\(string; required\)/);
    assert.match(r.stdout, /Examples:\n {2}- name: Example of sysctl\n {4}sysctl:/);
    const list = await runCli(['doc']);
    for (const m of ['apt', 'command', 'file', 'line', 'service', 'sysctl', 'ufw', 'sshd_config', 'wireguard', 'tailscale', 'assert', 'debug', 'set_fact', 'meta']) assert.match(list.stdout, new RegExp(`^${m} `, 'm'));
    const bad = await runCli(['doc', 'fiel']);
    assert.equal(bad.code, 2);
  });

  it('prints the playbook schema, which names every module', async () => {
    const r = await runCli(['schema']);
    assert.equal(r.code, 0);
    const text = r.stdout;
    JSON.parse(text);
    for (const m of ['sshd_config', 'ufw', 'wireguard', 'tailscale']) assert.ok(text.includes(`"${m}"`), m);
  });

  it('validates every shipped playbook against the example inventory', async () => {
    const r = await runCli(['validate', 'playbooks/secure.yml', 'playbooks/ip-forward.yml', 'playbooks/ufw-baseline.yml', 'playbooks/sshd-port.yml', 'playbooks/wireguard-server.yml', 'playbooks/tailscale-install.yml', '-i', 'inventory']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 6);
  });

  it('draws the example inventory as a graph', async () => {
    const r = await runCli(['inventory', '-i', 'inventory', '--graph']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /@all:/);
    assert.match(r.stdout, /spark-01/);
    assert.ok(r.stdout.endsWith('\n'), 'the graph ends with a newline, so a shell prompt does not follow it on its line');
  });

  it('lists the modules with doc -l and suggests the near name of a misspelt one', async () => {
    const list = await runCli(['doc', '-l']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^ufw +\S/m);
    const bad = await runCli(['doc', 'uwf']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown module 'uwf' \(did you mean 'ufw'\?\)/);
  });

  it('writes a WireGuard client config mode 0600 and prints only the public key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparkbook-wg-'));
    try {
      const serverKey = randomBytes(32).toString('base64');
      const out = join(dir, 'laptop.conf');
      const r = await runCli(['wg', 'client', 'laptop', '--server-public-key', serverKey, '--endpoint', 'spark-01:51820', '--address', '10.8.0.2/32', '-o', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(statSync(out).mode & 0o777, 0o600);
      const conf = readFileSync(out, 'utf8');
      const priv = /PrivateKey = (\S+)/.exec(conf)?.[1];
      assert.ok(priv && priv.length === 44);
      assert.ok(!r.stdout.includes(priv) && !r.stderr.includes(priv), 'the private key is only in the file');
      assert.match(conf, new RegExp(`PublicKey = ${serverKey.replace(/[+/]/g, '\\$&')}`));
      const again = await runCli(['wg', 'client', 'laptop', '--server-public-key', serverKey, '--endpoint', 'spark-01:51820', '--address', '10.8.0.2/32', '-o', out]);
      assert.equal(again.code, 2, 'never overwrites');
      assert.equal(readFileSync(out, 'utf8'), conf);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

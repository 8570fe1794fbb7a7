// SshConnection against a real OpenSSH sshd on loopback: one connection per host, host-key policies, timeouts, reconnect, ProxyJump.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Socket, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostError } from '../../../../runner/errors.js';
import { fingerprint, knownHostLine } from '../../../../runner/connection/known-hosts.js';
import type { ConnectionSettings } from '../../../../runner/connection/settings.js';
import { SshConnection } from '../../../../runner/connection/ssh.js';
import { sh } from '../../../../runner/shell/script.js';
import { Secret } from '../../../../runner/shell/secret.js';
import { ensureSshd, generateKey, startSshd, type TestSshd } from './sshd-support.js';

/** Command lines of the live (non-zombie) processes on this machine, read from /proc. */
function runningCommandLines(): string[] {
  const lines: string[] = [];
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      if (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z')) continue;
      lines.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim());
    } catch {
      // The process ended while we looked.
    }
  }
  return lines;
}

describe('SshConnection (real sshd on 127.0.0.1)', function () {
  this.timeout(30_000);
  let dir: string;
  let clientKey: string;
  let hostKeyA: string;
  let hostKeyB: string;
  let sshd: TestSshd;
  let sshdSameKey: TestSshd;
  let sshdOtherKey: TestSshd;
  const open: SshConnection[] = [];

  before(async function () {
    this.timeout(300_000);
    ensureSshd();
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-ssh-'));
    clientKey = join(dir, 'client_ed25519');
    hostKeyA = join(dir, 'host_a');
    hostKeyB = join(dir, 'host_b');
    generateKey(clientKey);
    generateKey(hostKeyA);
    generateKey(hostKeyB);
    copyFileSync(`${clientKey}.pub`, join(dir, 'authorized_keys'));
    const common = { dir, authorizedKeysFile: join(dir, 'authorized_keys') };
    [sshd, sshdSameKey, sshdOtherKey] = await Promise.all([
      startSshd({ ...common, hostKeyFile: hostKeyA }),
      startSshd({ ...common, hostKeyFile: hostKeyA }),
      startSshd({ ...common, hostKeyFile: hostKeyB }),
    ]);
  });

  after(async () => {
    await Promise.all(open.map((c) => c.close()));
    await Promise.all([sshd, sshdSameKey, sshdOtherKey].filter((s) => s !== undefined).map((s) => s.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let knownCounter = 0;
  /** A fresh known_hosts path per test; `entries` are written into it. */
  function knownHosts(entries: readonly string[] | null): string {
    const file = join(dir, `known_hosts_${++knownCounter}`);
    if (entries !== null) writeFileSync(file, entries.map((e) => `${e}\n`).join(''), { mode: 0o600 });
    return file;
  }

  function trusted(server: TestSshd): string {
    return knownHosts([knownHostLine(`[127.0.0.1]:${server.port}`, server.hostKey)]);
  }

  function settings(port: number, overrides: Partial<ConnectionSettings> = {}): ConnectionSettings {
    return {
      host: 'spark-test',
      transport: 'ssh',
      address: '127.0.0.1',
      port,
      user: 'root',
      identityFiles: [clientKey],
      identitiesOnly: true,
      knownHostsFiles: [join(dir, 'unused_known_hosts')],
      globalKnownHostsFiles: [],
      hostKeyPolicy: 'strict',
      hostKeyAliases: [],
      connectTimeoutMs: 5000,
      keepaliveIntervalMs: 15000,
      keepaliveCountMax: 3,
      maxSessions: 10,
      proxyJump: [],
      become: { enabled: false, user: 'root' },
      notes: [],
      ...overrides,
    };
  }

  async function connect(s: ConnectionSettings): Promise<SshConnection> {
    const c = await SshConnection.connect(s);
    open.push(c);
    return c;
  }

  async function refusal(promise: Promise<unknown>): Promise<HostError> {
    try {
      await promise;
    } catch (e) {
      assert.ok(e instanceof HostError, `expected a HostError, got ${String(e)}`);
      return e;
    }
    assert.fail('expected the connection to be refused');
  }

  it('runs a script as `sh -s` over an exec channel and reports stdout, stderr and the exit code', async () => {
    const c = await connect(settings(sshd.port, { knownHostsFiles: [trusted(sshd)] }));
    const r = await c.run(sh`echo ${'hello world'}; echo oops >&2; exit 3`);
    assert.equal(r.stdout, 'hello world\n');
    assert.equal(r.stderr, 'oops\n');
    assert.equal(r.exitCode, 3);
    assert.equal(r.timedOut, false);
    assert.deepEqual(c.endpoint, { transport: 'ssh', address: '127.0.0.1', port: sshd.port, user: 'root' });
  });

  it('runs 20 scripts (concurrently, ≤ MaxSessions channels) over ONE authenticated connection', async () => {
    const before = sshd.acceptedLogins();
    const c = await connect(settings(sshd.port, { knownHostsFiles: [trusted(sshd)] }));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => c.run(sh`echo ${`run-${i}`}`)));
    results.forEach((r, i) => assert.equal(r.stdout, `run-${i}\n`));
    assert.equal(sshd.acceptedLogins() - before, 1);
  });

  it('refuses an unknown host key under strict, naming the fingerprint, before authenticating, and writes nothing', async () => {
    const file = knownHosts([]);
    const before = sshd.acceptedLogins();
    const err = await refusal(connect(settings(sshd.port, { knownHostsFiles: [file] })));
    assert.equal(err.kind, 'hostkey');
    assert.equal(
      err.message,
      `host key for spark-test (127.0.0.1:${sshd.port}) is not known: ${fingerprint(sshd.hostKey)} (ed25519). Add it to known_hosts or use --host-key-policy accept-new`,
    );
    assert.equal(readFileSync(file, 'utf8'), '');
    assert.equal(sshd.acceptedLogins(), before);
  });

  it('records an unknown host key under accept-new (file created 0600, [host]:port form) and trusts it strictly afterwards', async () => {
    const file = knownHosts(null);
    const c = await connect(settings(sshd.port, { knownHostsFiles: [file], hostKeyPolicy: 'accept-new' }));
    assert.equal((await c.run(sh`echo in`)).stdout, 'in\n');
    assert.equal(readFileSync(file, 'utf8'), `${knownHostLine(`[127.0.0.1]:${sshd.port}`, sshd.hostKey)}\n`);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const again = await connect(settings(sshd.port, { knownHostsFiles: [file] }));
    assert.equal((await again.run(sh`echo again`)).stdout, 'again\n');
  });

  for (const policy of ['strict', 'accept-new'] as const) {
    it(`refuses a changed host key under ${policy}, naming expected and presented fingerprints, without altering known_hosts`, async () => {
      const otherKey = sshdOtherKey.hostKey;
      const file = knownHosts([knownHostLine(`[127.0.0.1]:${sshd.port}`, otherKey)]);
      const before = readFileSync(file);
      const err = await refusal(connect(settings(sshd.port, { knownHostsFiles: [file], hostKeyPolicy: policy })));
      assert.equal(err.kind, 'hostkey');
      assert.match(err.message, /has CHANGED/);
      assert.ok(err.message.includes(`expected ${fingerprint(otherKey)}`), err.message);
      assert.ok(err.message.includes(`presented ${fingerprint(sshd.hostKey)}`), err.message);
      assert.deepEqual(readFileSync(file), before);
    });
  }

  it('finds the key under an alias (the inventory name) as well as the address', async () => {
    const file = knownHosts([knownHostLine(`[spark-test]:${sshd.port}`, sshd.hostKey)]);
    const c = await connect(settings(sshd.port, { knownHostsFiles: [file], hostKeyAliases: ['spark-test'] }));
    assert.equal((await c.run(sh`echo alias`)).stdout, 'alias\n');
  });

  it('reports unreachable within the connect timeout when the port accepts TCP but never speaks SSH', async () => {
    const sockets: Socket[] = [];
    const blackhole: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', () => r()));
    const port = (blackhole.address() as { port: number }).port;
    const started = Date.now();
    try {
      const err = await refusal(connect(settings(port, { connectTimeoutMs: 700 })));
      const elapsed = Date.now() - started;
      assert.equal(err.kind, 'unreachable');
      assert.ok(err.message.includes(`spark-test (127.0.0.1:${port})`), err.message);
      assert.ok(elapsed >= 600 && elapsed < 9000, `took ${elapsed} ms (without the timeout it would hang)`);
    } finally {
      sockets.forEach((s) => s.destroy());
      blackhole.close();
    }
  });

  it('reports unreachable, naming the address, when nothing listens on the port', async () => {
    const err = await refusal(connect(settings(1, { connectTimeoutMs: 2000 })));
    assert.equal(err.kind, 'unreachable');
    assert.match(err.message, /spark-test \(127\.0\.0\.1:1\)/);
  });

  it('fails authentication with kind auth and lists what was tried', async () => {
    const stranger = join(dir, `stranger_${Date.now()}`);
    generateKey(stranger);
    const err = await refusal(connect(settings(sshd.port, { knownHostsFiles: [trusted(sshd)], identityFiles: [stranger] })));
    assert.equal(err.kind, 'auth');
    assert.ok(err.message.includes(stranger), err.message);
  });

  it('uses an encrypted key with the passphrase given, and names the key it could not open without one', async () => {
    const locked = join(dir, 'locked_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'open sesame', '-C', '', '-f', locked], { stdio: 'ignore' });
    writeFileSync(join(dir, 'authorized_keys'), `${readFileSync(`${clientKey}.pub`, 'utf8')}${readFileSync(`${locked}.pub`, 'utf8')}`);
    const known = trusted(sshd);
    const c = await connect(settings(sshd.port, { knownHostsFiles: [known], identityFiles: [locked], keyPassphrase: new Secret('open sesame') }));
    assert.equal((await c.run(sh`echo unlocked`)).stdout, 'unlocked\n');
    const err = await refusal(connect(settings(sshd.port, { knownHostsFiles: [known], identityFiles: [locked] })));
    assert.equal(err.kind, 'auth');
    assert.ok(err.message.includes(`${locked} (encrypted; set SPARKBOOK_KEY_PASSPHRASE)`), err.message);
  });

  it('reports timedOut for a command that outlives its timeout, the remote timeout kills it within a second, and the next script runs in a new session', async () => {
    const c = await connect(settings(sshd.port, { knownHostsFiles: [trusted(sshd)] }));
    const marker = 4000 + Math.floor(Math.random() * 1000);
    const started = Date.now();
    const r = await c.run(sh`sleep ${String(marker)}`, { timeoutMs: 400 });
    assert.equal(r.timedOut, true);
    assert.ok(Date.now() - started < 20_000, "the command ran far past its timeout");
    // The remote sleep is on this machine. The session's `timeout` (its own process group) kills
    // it ceil((400 + 500) / 1000) = 1 s after it started; sshd's signal cannot reach that group.
    let alive = true;
    for (let waited = 0; alive && waited < 3000; waited += 100) {
      await new Promise((res) => setTimeout(res, 100));
      alive = runningCommandLines().includes(`sleep ${marker}`);
    }
    assert.ok(!alive, 'the remote sleep still runs 3 s after the timeout');
    assert.equal((await c.run(sh`echo still-up`)).stdout, 'still-up\n');
  });

  it('throws unreachable when the transport drops in the middle of a run', async () => {
    const c = await connect(settings(sshd.port, { knownHostsFiles: [trusted(sshd)] }));
    const running = c.run(sh`sleep 5`);
    await new Promise((r) => setTimeout(r, 300));
    sshd.dropSessions();
    const err = await refusal(running);
    assert.equal(err.kind, 'unreachable');
    assert.match(err.message, /was lost/);
  });

  it('reports a host whose network goes silent mid-script as unreachable shortly after the timeout, not as a timed-out command', async () => {
    // A TCP relay to the real sshd that can stop passing bytes both ways: a cable pulled, not a reset.
    let frozen = false;
    const sockets: Socket[] = [];
    const relay: Server = createServer((inbound) => {
      const outbound = new Socket();
      sockets.push(inbound, outbound);
      outbound.connect(sshd.port, '127.0.0.1');
      inbound.on('data', (d: Buffer) => { if (!frozen) outbound.write(d); });
      outbound.on('data', (d: Buffer) => { if (!frozen) inbound.write(d); });
      for (const x of [inbound, outbound]) x.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const port = (relay.address() as { port: number }).port;
    try {
      const c = await connect(settings(port, { knownHostsFiles: [knownHosts([knownHostLine(`[127.0.0.1]:${port}`, sshd.hostKey)])], keepaliveIntervalMs: 1000, keepaliveCountMax: 30 }));
      assert.equal((await c.run(sh`echo before`)).stdout, 'before\n');
      const running = c.run(sh`sleep 30`, { timeoutMs: 800 });
      await new Promise((r) => setTimeout(r, 200));
      frozen = true;
      const started = Date.now();
      const err = await refusal(running);
      assert.equal(err.kind, 'unreachable');
      assert.match(err.message, /stopped answering/);
      // The keepalives alone (30 × 1 s) would have taken 30 s to say so.
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
      await assert.rejects(c.run(sh`echo after`), (e: unknown) => e instanceof HostError && e.kind === 'unreachable');
    } finally {
      for (const x of sockets) x.destroy();
      relay.close();
    }
  });

  it('reconnects to another port presenting the same host key, adopts it and records [host]:port', async () => {
    const file = trusted(sshd);
    const c = await connect(settings(sshd.port, { knownHostsFiles: [file] }));
    const before = sshdSameKey.acceptedLogins();
    const endpoint = await c.reconnect({ port: sshdSameKey.port, adopt: true });
    assert.deepEqual(endpoint, { transport: 'ssh', address: '127.0.0.1', port: sshdSameKey.port, user: 'root' });
    assert.equal(c.endpoint.port, sshdSameKey.port);
    assert.equal((await c.run(sh`echo moved`)).stdout, 'moved\n');
    assert.equal(sshdSameKey.acceptedLogins() - before, 1);
    assert.ok(readFileSync(file, 'utf8').includes(knownHostLine(`[127.0.0.1]:${sshdSameKey.port}`, sshd.hostKey)));
  });

  it('refuses to reconnect to a port that presents a different host key, and keeps the old connection', async () => {
    const c = await connect(settings(sshd.port, { knownHostsFiles: [trusted(sshd)] }));
    const err = await refusal(c.reconnect({ port: sshdOtherKey.port, adopt: true }));
    assert.equal(err.kind, 'hostkey');
    assert.ok(err.message.includes(fingerprint(sshdOtherKey.hostKey)), err.message);
    assert.equal(c.endpoint.port, sshd.port);
    assert.equal((await c.run(sh`echo stayed`)).stdout, 'stayed\n');
  });

  it('reaches a host through a ProxyJump hop (forwardOut), verifying each hop against its own name', async () => {
    const file = knownHosts([knownHostLine(`[127.0.0.1]:${sshd.port}`, sshd.hostKey), knownHostLine(`[127.0.0.1]:${sshdOtherKey.port}`, sshdOtherKey.hostKey)]);
    const hop = { spec: `root@127.0.0.1:${sshd.port}`, name: '127.0.0.1', address: '127.0.0.1', port: sshd.port, user: 'root', identityFiles: [clientKey], identitiesOnly: true };
    const jumpLogins = sshd.acceptedLogins();
    const targetLogins = sshdOtherKey.acceptedLogins();
    const c = await connect(settings(sshdOtherKey.port, { knownHostsFiles: [file], proxyJump: [hop] }));
    assert.equal((await c.run(sh`echo via-jump`)).stdout, 'via-jump\n');
    assert.equal(sshd.acceptedLogins() - jumpLogins, 1);
    assert.equal(sshdOtherKey.acceptedLogins() - targetLogins, 1);

    // The hop's own key is checked: an unknown jump host stops the chain.
    const onlyTarget = knownHosts([knownHostLine(`[127.0.0.1]:${sshdOtherKey.port}`, sshdOtherKey.hostKey)]);
    const err = await refusal(connect(settings(sshdOtherKey.port, { knownHostsFiles: [onlyTarget], proxyJump: [hop] })));
    assert.equal(err.kind, 'hostkey');
    assert.match(err.message, /jump host 127\.0\.0\.1:\d+/);
  });
});

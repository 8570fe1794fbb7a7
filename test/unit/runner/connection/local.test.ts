// LocalConnection for real: `/bin/sh -s` with the script on stdin, exit codes, timeouts, output cap, sudo through a fake sudo.
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { HostError } from '../../../../runner/errors.js';
import { LocalConnection } from '../../../../runner/connection/local.js';
import { sh } from '../../../../runner/shell/script.js';
import { Secret } from '../../../../runner/shell/secret.js';

describe('LocalConnection', function () {
  this.timeout(10_000);
  const conn = new LocalConnection();

  it('runs a script on stdin and returns stdout, stderr and the exit code as values', async () => {
    const r = await conn.run(sh`printf '%s\n' ${"it's quoted"}; echo to-err >&2; exit 7`);
    assert.equal(r.stdout, "it's quoted\n");
    assert.equal(r.stderr, 'to-err\n');
    assert.equal(r.exitCode, 7);
    assert.equal(r.signal, null);
    assert.equal(r.timedOut, false);
    assert.ok(r.durationMs >= 0);
  });

  it('reports exit 0 and empty output for an empty script', async () => {
    const r = await conn.run(sh``);
    assert.deepEqual({ code: r.exitCode, out: r.stdout, err: r.stderr }, { code: 0, out: '', err: '' });
  });

  it('describes itself as a local endpoint for the current user', () => {
    assert.deepEqual(conn.endpoint, { transport: 'local', address: 'localhost', port: 0, user: userInfo().username });
    assert.equal(conn.host, 'localhost');
  });

  it('never puts the script in argv: the shell is `/bin/sh -s`', async () => {
    const canary = `canary-${process.pid}-${Date.now()}`;
    const r = await conn.run(sh`tr '\\000' ' ' < /proc/$$/cmdline; echo; : ${canary}`);
    assert.equal(r.stdout.trim(), '/bin/sh -s');
    assert.ok(!r.stdout.includes(canary));
  });

  it('kills the whole process group on timeout and says timedOut', async () => {
    const started = Date.now();
    const r = await conn.run(sh`sleep 30 & echo $!; wait`, { timeoutMs: 300 });
    assert.equal(r.timedOut, true);
    assert.equal(r.signal, 'SIGKILL');
    assert.ok(Date.now() - started < 20_000, "sleep 30 outlived its timeout");
    const child = Number(r.stdout.trim());
    assert.ok(child > 0);
    // The background sleep was in the same process group: it is gone too (or a zombie being reaped).
    await new Promise((res) => setTimeout(res, 100));
    const state = existsSync(`/proc/${child}/stat`) ? readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone';
    assert.ok(state === 'gone' || state === 'Z', `the background sleep is still ${state}`);
  });

  it('caps the output it keeps and says how much it dropped', async () => {
    const small = new LocalConnection({ maxOutputBytes: 1000 });
    const r = await small.run(sh`i=0; while [ $i -lt 100 ]; do printf '%050d\n' 0; i=$((i + 1)); done`);
    assert.equal(r.stdout.length, 1000);
    assert.match(r.stderr, /4100 bytes of stdout dropped beyond 1000 bytes/);
    assert.equal(r.exitCode, 0);
  });

  it('runs without sudo when the become user is the login user', async () => {
    const r = await conn.run(sh`id -un`, { becomeUser: userInfo().username });
    assert.equal(r.stdout.trim(), userInfo().username);
  });

  describe('become through sudo (a fake sudo on PATH)', () => {
    const PASSWORD = 'canary-local-become-5e2a';
    let dir: string;
    let env: NodeJS.ProcessEnv;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'sparkbook-sudo-'));
      copyFileSync(join(process.cwd(), 'test/fixtures/connection/fake-sudo'), join(dir, 'sudo'));
      chmodSync(join(dir, 'sudo'), 0o755);
      writeFileSync(join(dir, 'password'), `${PASSWORD}\n`);
      env = { PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`, FAKE_SUDO_PASSWORD_FILE: join(dir, 'password'), FAKE_SUDO_LOG: join(dir, 'log') };
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('sends the password on stdin, then the script; output shows neither prompt nor marker', async () => {
      const c = new LocalConnection({ env, becomePassword: new Secret(PASSWORD) });
      const r = await c.run(sh`echo ran as requested; echo warn >&2; exit 4`, { becomeUser: 'someone-else' });
      assert.deepEqual({ out: r.stdout, err: r.stderr, code: r.exitCode }, { out: 'ran as requested\n', err: 'warn\n', code: 4 });
      const log = readFileSync(join(dir, 'log'), 'utf8');
      assert.match(log, /argv: -H -S -p \[sparkbook-become-[0-9a-f]+\] password: -u someone-else -- sh -c echo SPARKBOOK-BECOME-SUCCESS-/);
      assert.ok(!log.includes(PASSWORD), 'the password reached sudo through argv or env');
    });

    it('fails the host with kind become when the password is refused, without leaking it', async () => {
      const c = new LocalConnection({ env, becomePassword: new Secret('a-wrong-password') });
      await assert.rejects(
        c.run(sh`echo must not run`, { becomeUser: 'someone-else' }),
        (e: unknown) => e instanceof HostError && e.kind === 'become' && e.message === 'become password for someone-else on localhost was refused' && !e.message.includes('a-wrong-password'),
      );
    });

    it('asks for -K when sudo wants a password and none is configured', async () => {
      const c = new LocalConnection({ env });
      await assert.rejects(c.run(sh`true`, { becomeUser: 'someone-else' }), /sudo needs a password: use -K or SPARKBOOK_BECOME_PASS/);
    });

    it('fails as become, quoting sudo, when sudo is missing or gives up', async () => {
      const c = new LocalConnection({ env: { PATH: dir }, becomePassword: new Secret(PASSWORD) });
      writeFileSync(join(dir, 'sudo'), '#!/bin/sh\necho "someone is not in the sudoers file." >&2\nexit 1\n');
      await assert.rejects(c.run(sh`echo never`, { becomeUser: 'someone-else' }), /become someone-else on localhost failed: someone is not in the sudoers file\./);
    });
  });
});


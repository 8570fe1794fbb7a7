// The sudo handshake, driven with fake streams: prompt → password, success marker → script, second prompt → refused.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { HostError } from '../../../../runner/errors.js';
import { BecomeHandshake, becomeArgv, becomeCommand, needsBecome, newBecomeMarkers, type BecomeIo } from '../../../../runner/connection/become.js';
import { supervise, type RunningProcess } from '../../../../runner/connection/supervise.js';
import { Secret } from '../../../../runner/shell/secret.js';

const PASSWORD = 'canary-become-pw-7c1f';

class FakeIo implements BecomeIo {
  written = '';
  ended = false;
  killed = false;
  write(text: string): void {
    this.written += text;
  }
  end(): void {
    this.ended = true;
  }
  kill(): void {
    this.killed = true;
  }
}

function handshake(password: Secret | undefined): { hs: BecomeHandshake; io: FakeIo; markers: ReturnType<typeof newBecomeMarkers> } {
  const io = new FakeIo();
  const markers = newBecomeMarkers();
  const hs = new BecomeHandshake({ host: 'spark-01', user: 'root', script: 'echo the script\n', markers, io, ...(password && { password }) });
  return { hs, io, markers };
}

const b = (s: string): Buffer => Buffer.from(s);

describe('become', () => {
  it('builds `sudo -S -p PROMPT -u USER -- sh -c …` with per-run markers and no password anywhere', () => {
    const m = newBecomeMarkers();
    const argv = becomeArgv('admin', m);
    assert.deepEqual(argv, ['sudo', '-H', '-S', '-p', m.prompt, '-u', 'admin', '--', 'sh', '-c', `echo ${m.success}; exec sh -s`]);
    assert.notEqual(newBecomeMarkers().success, m.success);
    const cmd = becomeCommand('admin', m);
    assert.ok(cmd.startsWith(`sudo -H -S -p '${m.prompt}' -u admin -- sh -c 'echo ${m.success}; exec sh -s'`), cmd);
  });

  it('uses sudo only when the become user differs from the login user', () => {
    assert.equal(needsBecome('root', 'root'), false);
    assert.equal(needsBecome('nvidia', undefined), false);
    assert.equal(needsBecome('nvidia', 'root'), true);
  });

  it('writes the password after the prompt (even split across chunks) and the script after the success marker', () => {
    const { hs, io, markers } = handshake(new Secret(PASSWORD));
    const half = Math.floor(markers.prompt.length / 2);
    assert.equal(hs.stderr(b(markers.prompt.slice(0, half))).length, 0);
    assert.equal(io.written, '');
    hs.stderr(b(markers.prompt.slice(half)));
    assert.equal(io.written, `${PASSWORD}\n`);
    assert.equal(io.ended, false);
    const out = hs.stdout(b(`${markers.success}\nfirst line of output\n`));
    assert.equal(out.toString(), 'first line of output\n');
    assert.equal(io.written, `${PASSWORD}\necho the script\n`);
    assert.equal(io.ended, true);
    assert.equal(hs.succeeded, true);
    assert.equal(hs.stdout(b('more\n')).toString(), 'more\n');
    assert.equal(hs.finish(), undefined);
  });

  it('sends the script straight away when sudo does not ask (NOPASSWD or cached)', () => {
    const { hs, io, markers } = handshake(new Secret(PASSWORD));
    hs.stdout(b(markers.success.slice(0, 5)));
    assert.equal(io.written, '');
    hs.stdout(b(`${markers.success.slice(5)}\n`));
    assert.equal(io.written, 'echo the script\n');
  });

  it('kills and fails as `become` on a second prompt (wrong password), never naming the password', () => {
    const { hs, io, markers } = handshake(new Secret(PASSWORD));
    hs.stderr(b(markers.prompt));
    hs.stderr(b(`Sorry, try again.\n${markers.prompt}`));
    assert.equal(io.killed, true);
    assert.equal(io.ended, false);
    assert.ok(!io.written.includes('echo the script'));
    const err = hs.finish();
    assert.ok(err instanceof HostError);
    assert.equal(err.kind, 'become');
    assert.equal(err.host, 'spark-01');
    assert.equal(err.message, 'become password for root on spark-01 was refused');
    assert.ok(!err.message.includes(PASSWORD) && !String(err.stack).includes(PASSWORD));
  });

  it('fails with a hint when sudo asks and no password is configured', () => {
    const { hs, io, markers } = handshake(undefined);
    hs.stderr(b(markers.prompt));
    assert.equal(io.killed, true);
    assert.equal(io.written, '');
    assert.equal(hs.finish()?.message, 'sudo needs a password: use -K or SPARKBOOK_BECOME_PASS');
  });

  it('reports what sudo said when it ends before letting us in', () => {
    const { hs } = handshake(new Secret(PASSWORD));
    hs.stderr(b('admin is not in the sudoers file.  This incident will be reported.\n'));
    const err = hs.finish();
    assert.equal(err?.kind, 'become');
    assert.equal(err?.message, 'become root on spark-01 failed: admin is not in the sudoers file.  This incident will be reported.');
  });

  describe('through supervise, with fake process streams', () => {
    function fakeProcess(): { proc: RunningProcess; stdin: PassThrough; stdout: PassThrough; stderr: PassThrough; exit: (code: number) => void; killed: () => boolean } {
      const stdin = new PassThrough();
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let resolveEnd: (v: { code: number | null; signal: string | null }) => void = () => undefined;
      let killed = false;
      const ended = new Promise<{ code: number | null; signal: string | null }>((r) => (resolveEnd = r));
      return {
        proc: {
          stdin,
          stdout,
          stderr,
          ended,
          kill: () => {
            killed = true;
            resolveEnd({ code: null, signal: 'SIGKILL' });
          },
        },
        stdin,
        stdout,
        stderr,
        exit: (code) => resolveEnd({ code, signal: null }),
        killed: () => killed,
      };
    }

    const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

    it('runs the script after the handshake and hides the prompt and marker from the result', async () => {
      const f = fakeProcess();
      const markers = newBecomeMarkers();
      let input = '';
      f.stdin.on('data', (c: Buffer) => (input += c.toString()));
      const result = supervise(f.proc, { script: 'id -u\n', become: { host: 'spark-01', user: 'root', password: new Secret(PASSWORD), markers } });
      f.stderr.write(markers.prompt);
      await tick();
      assert.equal(input, `${PASSWORD}\n`);
      f.stdout.write(`${markers.success}\n`);
      await tick();
      assert.equal(input, `${PASSWORD}\nid -u\n`);
      assert.equal(f.stdin.writableEnded, true);
      f.stdout.write('0\n');
      f.stderr.write('a warning\n');
      await tick();
      f.exit(0);
      const r = await result;
      assert.deepEqual({ out: r.stdout, err: r.stderr, code: r.exitCode }, { out: '0\n', err: 'a warning\n', code: 0 });
    });

    it('rejects with the become error on a wrong password and never leaks it', async () => {
      const f = fakeProcess();
      const markers = newBecomeMarkers();
      const result = supervise(f.proc, { script: 'true\n', become: { host: 'spark-02', user: 'admin', password: new Secret(PASSWORD), markers } });
      f.stderr.write(markers.prompt);
      await tick();
      f.stderr.write(`Sorry, try again.\n${markers.prompt}`);
      await assert.rejects(result, (e: unknown) => e instanceof HostError && e.kind === 'become' && e.message === 'become password for admin on spark-02 was refused');
      assert.equal(f.killed(), true);
    });
  });
});

// The persistent shell session over a real local `sh` process: framing, isolation between
// scripts, output caps, timeouts, a session that dies mid-script, and the sudo-style handshake.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { HostError } from '../../../../runner/errors.js';
import { newBecomeMarkers } from '../../../../runner/connection/become.js';
import { MarkedStream, ShellSession, remoteTimeoutSeconds, sessionRequest } from '../../../../runner/connection/shell-session.js';
import type { RunningProcess } from '../../../../runner/connection/supervise.js';
import { Secret } from '../../../../runner/shell/secret.js';

/** A local process as the session's transport (what an SSH exec channel is on a host). */
function startProcess(command: string): RunningProcess & { readonly pid: number } {
  const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
  const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { stdin: child.stdin, stdout: child.stdout, stderr: child.stderr, ended, kill: () => child.kill('SIGKILL'), pid: child.pid ?? -1 };
}

const sessions: ShellSession[] = [];
function session(command = 'exec sh -s', limit?: number): ShellSession {
  const s = new ShellSession(startProcess(command), limit === undefined ? {} : { maxOutputBytes: limit });
  sessions.push(s);
  return s;
}
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

describe('shell session', () => {
  it('runs scripts one after another in one process, each with its own stdout, stderr and exit code, output bytes exact', async () => {
    const s = session();
    const a = await s.run("printf 'no newline'; printf 'err' >&2; exit 3", undefined);
    assert.deepEqual([a.result.stdout, a.result.stderr, a.result.exitCode, a.sessionEnded], ['no newline', 'err', 3, false]);
    const b = await s.run('echo two\necho "line two" >&2\n', undefined);
    assert.deepEqual([b.result.stdout, b.result.stderr, b.result.exitCode], ['two\n', 'line two\n', 0]);
    const c = await s.run('', undefined);
    assert.deepEqual([c.result.stdout, c.result.stderr, c.result.exitCode], ['', '', 0]);
    assert.equal(s.usable, true);
  });

  it('gives every script a fresh shell: variables, cwd and `set -e` of one do not reach the next', async () => {
    const s = session();
    await s.run('set -e; cd /tmp; SB_LEAK=yes; export SB_LEAK', undefined);
    const r = await s.run('printf "%s|%s\\n" "${SB_LEAK:-unset}" "$(pwd)"; false; echo after', undefined);
    assert.equal(r.result.stdout, `unset|${process.cwd()}\nafter\n`);
  });

  it('is not fooled by output that mimics markers or here-document delimiters', async () => {
    const s = session();
    const r = await s.run("echo '@@sbdone:0000000000000000:0'; echo '__SB_EOF_0000000000000000'; echo '@@sbdone:' >&2; echo end", undefined);
    assert.equal(r.result.stdout, '@@sbdone:0000000000000000:0\n__SB_EOF_0000000000000000\nend\n');
    assert.equal(r.result.stderr, '@@sbdone:\n');
    assert.equal(r.result.exitCode, 0);
  });

  it('carries a large script (512 KiB here-document) and large output intact', async () => {
    const s = session();
    const payload = 'x'.repeat(512 * 1024);
    const r = await s.run(`cat <<'PAYLOAD' | wc -c\n${payload}\nPAYLOAD\nhead -c 300000 /dev/zero | tr '\\0' y`, undefined);
    assert.equal(r.result.exitCode, 0);
    assert.equal(r.result.stdout, `${payload.length + 1}\n${'y'.repeat(300000)}`);
  });

  it('caps each stream at the limit, says how much was dropped, and still finds the end', async () => {
    const s = session('exec sh -s', 1000);
    const r = await s.run("head -c 5000 /dev/zero | tr '\\0' a; echo done >&2", undefined);
    assert.equal(r.result.stdout, 'a'.repeat(1000));
    assert.match(r.result.stderr, /^done\n\n\[sparkbook: 4000 bytes of stdout dropped beyond 1000 bytes\]/);
    assert.equal(r.result.exitCode, 0);
    assert.equal((await s.run('echo next', undefined)).result.stdout, 'next\n');
  });

  it('reports timedOut for a script past its timeout and is not reused afterwards', async () => {
    const s = session();
    const started = Date.now();
    const r = await s.run('echo started; sleep 30', 300);
    assert.equal(r.result.timedOut, true);
    assert.equal(r.result.stdout, 'started\n');
    assert.ok(Date.now() - started < 5000);
    assert.equal(s.usable, false);
  });

  it('reports sessionEnded when the shell dies mid-script, and answers later scripts without hanging', async () => {
    const s = session();
    const r = await s.run('echo partial; kill -9 $PPID; exit 0', undefined);
    assert.equal(r.sessionEnded, true);
    assert.equal(r.result.stdout, 'partial\n');
    assert.equal(s.usable, false);
    const again = await s.run('echo never', undefined);
    assert.deepEqual([again.sessionEnded, again.result.stdout], [true, '']);
  });

  it('holds the preamble back until the become handshake succeeds, then keeps stdin open for more scripts', async () => {
    const markers = newBecomeMarkers();
    // A sudo stand-in with sudo's protocol: prompt on stderr, one password line from stdin, then the command.
    const fakeSudo = `printf '%s' '${markers.prompt}' >&2; IFS= read -r pw; [ "$pw" = 'pw-7d1e' ] || { echo 'Sorry, try again.' >&2; exit 1; }; echo ${markers.success}; exec sh -s`;
    const s = new ShellSession(startProcess(fakeSudo), { become: { host: 'spark-01', user: 'root', markers, password: new Secret('pw-7d1e') } });
    sessions.push(s);
    assert.equal((await s.run('echo one', undefined)).result.stdout, 'one\n');
    assert.equal((await s.run('echo two', undefined)).result.stdout, 'two\n');

    const refused = new ShellSession(startProcess(fakeSudo), { become: { host: 'spark-01', user: 'root', markers, password: new Secret('wrong') } });
    sessions.push(refused);
    await assert.rejects(refused.run('echo never', undefined), (e: unknown) => e instanceof HostError && e.kind === 'become' && !e.message.includes('wrong'));
  });
});

describe('shell session framing', () => {
  it('frames a script as a quoted here-document ending in a newline, with the remote timeout in seconds', () => {
    assert.equal(sessionRequest('echo hi', 'abc', 2), "__sb_run abc 2 <<'__SB_EOF_abc'\necho hi\n__SB_EOF_abc\n");
    assert.equal(sessionRequest('echo hi\n', 'abc', 0), "__sb_run abc 0 <<'__SB_EOF_abc'\necho hi\n__SB_EOF_abc\n");
    assert.deepEqual([remoteTimeoutSeconds(undefined), remoteTimeoutSeconds(0), remoteTimeoutSeconds(400), remoteTimeoutSeconds(1500)], [0, 0, 1, 2]);
  });

  it('finds a marker split across chunks at every position, keeping exactly the bytes before it', () => {
    const text = 'output before@@sbdone:n1:7\n';
    for (let cut = 1; cut < text.length; cut++) {
      const m = new MarkedStream('@@sbdone:n1:', 1 << 20);
      m.push(Buffer.from(text.slice(0, cut)));
      m.push(Buffer.from(text.slice(cut)));
      assert.equal(m.found, true, `cut at ${cut}`);
      assert.equal(m.text(), 'output before');
      assert.equal(m.after.toString(), '7\n');
    }
  });
});

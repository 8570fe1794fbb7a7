// The engine end to end on this machine (local connection): first run changes, second run is
// ok, check mode leaves the disk as it was, diffs are unified, handlers run once when notified.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, statSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { recapCounts } from '../support/output.js';
import { runCli } from '../support/run-cli.js';

const PLAYBOOK = 'test/fixtures/local/scratch.yml';

function treeHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      h.update(`${p}\0${st.mode}\0`);
      if (st.isDirectory()) walk(p);
      else h.update(readFileSync(p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return h.digest('hex');
}

describe('a playbook on the local connection', function () {
  this.timeout(60_000);
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'sparkbook-local-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('changes every task on the first run and none on the second', async () => {
    const first = await runCli(['run', PLAYBOOK, '-e', `scratch=${scratch}`, '--output', 'plain']);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.deepEqual(recapCounts(first.stdout, 'localhost'), { ok: 0, changed: 6, failed: 0, skipped: 0, unreachable: 0 });
    assert.equal(statSync(join(scratch, 'conf/app.conf')).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(scratch, 'conf/app.conf'), 'utf8'), 'listen = 0.0.0.0\n');
    assert.equal(readFileSync(join(scratch, 'conf/99-forward.conf'), 'utf8'), 'net.ipv4.ip_forward = 1\n');
    assert.equal(readFileSync(join(scratch, 'conf/motd'), 'utf8'), 'Managed by sparkbook\nhost localhost\n');
    assert.deepEqual(readdirSync(join(scratch, 'conf')).filter((n) => n.startsWith('.')), [], 'no temp files left behind');

    const second = await runCli(['run', PLAYBOOK, '-e', `scratch=${scratch}`, '--output', 'plain']);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(recapCounts(second.stdout, 'localhost'), { ok: 5, changed: 0, failed: 0, skipped: 0, unreachable: 0 });
  });

  it('runs a notified handler once per host at the end of the play, and not when nothing changed', async () => {
    await runCli(['run', PLAYBOOK, '-e', `scratch=${scratch}`, '--output', 'plain']);
    assert.equal(readFileSync(join(scratch, 'handler.log'), 'utf8'), 'ran\n', 'two notifying tasks, one handler run');
    await runCli(['run', PLAYBOOK, '-e', `scratch=${scratch}`, '--output', 'plain']);
    assert.equal(readFileSync(join(scratch, 'handler.log'), 'utf8'), 'ran\n', 'nothing changed: the handler did not run');
  });

  it('in check mode reports the same changes and leaves the disk byte for byte unchanged', async () => {
    writeFileSync(join(scratch, 'keep'), 'untouched\n');
    const before = treeHash(scratch);
    const check = await runCli(['run', PLAYBOOK, '-e', `scratch=${scratch}`, '--check', '--diff', '--output', 'plain', '--detailed-exitcode']);
    assert.equal(check.code, 8, check.stderr + check.stdout);
    assert.equal(recapCounts(check.stdout, 'localhost').changed, 6, "the five tasks and the notified handler are pending");
    assert.equal(treeHash(scratch), before);
    assert.match(check.stdout, /^\s*\+\+\+ .*motd/m, 'a unified diff header');
    assert.match(check.stdout, /^\s*\+Managed by sparkbook$/m, 'a unified diff line');
  });

  it('exits 0 in check mode with --detailed-exitcode once nothing is pending', async () => {
    await runCli(['run', PLAYBOOK, '-e', `scratch=${scratch}`, '--output', 'plain']);
    const check = await runCli(['run', PLAYBOOK, '-e', `scratch=${scratch}`, '--check', '--output', 'plain', '--detailed-exitcode']);
    assert.equal(check.code, 0, check.stdout);
  });
});

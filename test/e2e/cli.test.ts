// The run command's contract on a small lab of its own: bad input exits 2 before any host is contacted,
// any_errors_fatal and a play's own serial stop a rollout legibly, --tags/--skip-tags/--start-at-task pick
// tasks on real hosts, and a reader that goes away (| head) does not break a run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { acceptedLogins, labExec, sshdLog } from '../lab/api.js';
import { useLab } from '../support/lab.js';
import { resetFleetWorkload, sleep } from '../support/lab-hosts.js';
import { FLEET_PLAYBOOK } from '../support/lab-inputs.js';
import { readReport, recapOf, resultLines } from '../support/output.js';
import { CLI, REPO_ROOT, runCli } from '../support/run-cli.js';

const LAB = 'sbcl';

describe('sparkbook run: CLI contract on the lab (e2e)', function () {
  this.timeout(90_000);
  const lab = useLab({ name: LAB, containers: 3, scratch: 'test' });
  let names: string[];

  before(() => {
    names = lab.hosts.map((h) => h.name);
  });

  beforeEach(() => resetFleetWorkload(lab));

  const logins = (): Promise<number[]> => Promise.all(names.map(async (n) => acceptedLogins(await sshdLog(lab, n))));

  it('exits 2 on an invalid playbook or --limit, and contacts no host', async () => {
    const before = await logins();
    const bad = await runCli(['run', 'test/fixtures/bad/playbook-undefined-variable.yml', '-i', lab.inventoryIni]);
    assert.equal(bad.code, 2, bad.stderr + bad.stdout);
    assert.match(bad.stderr, /playbook-undefined-variable\.yml:\d+:\d+: /, 'the error names file:line:col');
    const limit = await runCli(['run', FLEET_PLAYBOOK, '-i', lab.inventoryIni, '--limit', 'no-such-host']);
    assert.equal(limit.code, 2, limit.stderr);
    const usage = await runCli(['run', FLEET_PLAYBOOK, '-i', lab.inventoryIni, '--shard', '4/3']);
    assert.equal(usage.code, 2, usage.stderr);
    await sleep(500);
    assert.deepEqual(await logins(), before, 'no SSH login happened');
  });

  it('stops every host under any_errors_fatal and says which were stopped part way', async () => {
    const failing = names[1]!;
    const report = join(lab.scratch, 'report.json');
    const r = await runCli(['run', 'test/fixtures/e2e/fatal.yml', '-i', lab.inventoryIni, '-e', `fail_host=${failing}`, '--output', 'plain', '--report', report, '--retry-file', join(lab.scratch, 'retry')]);
    assert.equal(r.code, 4, r.stderr + r.stdout);
    assert.equal(recapOf(r.stdout, failing).failed, 1);
    for (const n of names.filter((x) => x !== failing)) {
      assert.match(recapOf(r.stdout, n).note, /^stopped \(any_errors_fatal: another host failed\)$|^skipped \(rollout stopped: any_errors_fatal\)$/, n);
      assert.equal(resultLines(r.stdout, n).filter((l) => l.includes('Must not run after a fatal error')).length, 0, `${n} ran no task after the failure`);
      const touched = await labExec(lab, n, ['test', '-e', '/etc/sparkbook-e2e-fatal']);
      assert.notEqual(touched.exitCode, 0, `${n}: the last task did not run`);
    }
    const hosts = readReport(report).hosts;
    assert.equal(hosts.filter((h) => h.note !== undefined).length, names.length - 1, 'the report carries the notes');
  });

  it('rolls out one host at a time with serial and max_fail_percentage written in the play', async () => {
    const [first, failing, last] = names as [string, string, string];
    await labExec(lab, last, ['rm', '-f', '/etc/sparkbook-e2e-serial']);
    const r = await runCli(['run', 'test/fixtures/e2e/serial-play.yml', '-i', lab.inventoryIni, '-e', `fail_host=${failing}`, '--output', 'plain', '--retry-file', join(lab.scratch, 'retry')]);
    assert.equal(r.code, 4, r.stderr + r.stdout);
    assert.equal(recapOf(r.stdout, first).failed, 0);
    assert.equal(recapOf(r.stdout, failing).failed, 1);
    assert.match(recapOf(r.stdout, last).note, /^skipped \(rollout stopped: 1 of 1 hosts failed, over max_fail_percentage 0\)$/);
    assert.equal((await labExec(lab, last, ['test', '-e', '/etc/sparkbook-e2e-serial'])).exitCode, 1, `${last} was never touched`);
    // The first host finished before the second started: batches are barriers.
    const lines = r.stdout.split('\n');
    const lastOfFirst = lines.map((l, i) => (l.includes(` ${first} | `) ? i : -1)).filter((i) => i >= 0).pop()!;
    const firstOfFailing = lines.findIndex((l) => l.includes(` ${failing} | `));
    assert.ok(lastOfFirst < firstOfFailing, r.stdout);
  });

  it('runs only the tasks --tags, --skip-tags and --start-at-task select', async () => {
    const host = names[0]!;
    const tasksRun = async (...args: string[]): Promise<string[]> => {
      const r = await runCli(['run', FLEET_PLAYBOOK, '-i', lab.inventoryIni, '--limit', host, '--check', '--output', 'plain', '--retry-file', join(lab.scratch, 'retry'), ...args]);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      return resultLines(r.stdout, host).map((l) => l.replace(/^\S+\s+\S+ \| [^|]+ \| /, '').replace(/:.*$/, ''));
    };
    assert.deepEqual(await tasksRun('--tags', 'kernel'), ['Gathering Facts', 'Persist forwarding']);
    assert.deepEqual(await tasksRun('--tags', 'files,kernel'), ['Gathering Facts', 'Create the e2e directory', 'Write the banner', 'Persist forwarding']);
    assert.deepEqual(await tasksRun('--skip-tags', 'kernel'), ['Gathering Facts', 'Refuse the host picked to fail', 'Create the e2e directory', 'Write the banner', 'Set the listen line', 'Record the first apply']);
    assert.deepEqual(await tasksRun('--start-at-task', 'Persist forwarding'), ['Gathering Facts', 'Persist forwarding', 'Record the first apply']);
  });

  it('finishes the run, its report and exit code when the reader of its output goes away (| head)', async () => {
    const report = join(lab.scratch, 'report.json');
    const child = spawn(process.execPath, [CLI, 'run', FLEET_PLAYBOOK, '-i', lab.inventoryIni, '--output', 'json', '--report', report, '--retry-file', join(lab.scratch, 'retry')], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read the first line, then close our end of the pipe as `head -1` would.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /EPIPE|internal error/);
    assert.ok(existsSync(report), 'the report was written');
    const hosts = readReport(report).hosts;
    assert.deepEqual(hosts.map((h) => [h.host, h.changed, h.failed]), names.map((n) => [n, 5, 0]));
    for (const n of names) assert.equal((await labExec(lab, n, ['test', '-s', '/etc/sparkbook-e2e/applied'])).exitCode, 0, `${n} was configured`);
  });
});

// One run over the most lab hosts this machine holds cheaply (50 containers; SPARKBOOK_E2E_SCALE_HOSTS to change),
// on a lab of its own: every host is reported, and the controller's peak RSS is measured and printed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useLab } from '../support/lab.js';
import { FLEET_CHANGING_TASKS, FLEET_PLAYBOOK, FLEET_TASKS } from '../support/lab-inputs.js';
import { readReport, recapRows } from '../support/output.js';
import { CLI, REPO_ROOT } from '../support/run-cli.js';

const LAB = 'sbsc';
const HOSTS = Number(process.env['SPARKBOOK_E2E_SCALE_HOSTS'] ?? '50');
/** What a run over this many hosts may cost the controller; well above what it takes (about 120 MB at 50 hosts). */
const RSS_LIMIT_KB = 400 * 1024;

interface MeasuredRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly peakRssKb: number;
  readonly wallMs: number;
  readonly how: string;
}

/** Runs the CLI and measures its peak RSS: GNU time's %M when installed, else the last VmHWM read from /proc. */
function runMeasured(args: readonly string[]): Promise<MeasuredRun> {
  const gnuTime = existsSync('/usr/bin/time');
  const rssFile = join(tmpdir(), `sparkbook-rss-${process.pid}-${Date.now()}`);
  const argv = gnuTime ? ['/usr/bin/time', '-f', '%M', '-o', rssFile, process.execPath, CLI, ...args] : [process.execPath, CLI, ...args];
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hwm = 0;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const poll = setInterval(() => {
      try {
        const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]));
      } catch {
        // exited
      }
    }, 100);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5 * 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      let peak = hwm;
      if (gnuTime && existsSync(rssFile)) {
        peak = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
        rmSync(rssFile, { force: true });
      }
      resolve({ code, stdout, stderr, peakRssKb: peak, wallMs: Date.now() - t0, how: gnuTime ? 'GNU time %M' : '/proc VmHWM' });
    });
  });
}

describe(`a run over ${HOSTS} lab hosts (e2e)`, function () {
  this.timeout(5 * 60_000);
  const lab = useLab({ name: LAB, containers: HOSTS, teardownMs: 180_000 });

  before(() => {
    process.stdout.write(`      lab of ${lab.hosts.length} containers up in ${(lab.upMs / 1000).toFixed(1)} s\n`);
  });

  it(`applies the fleet playbook to all ${HOSTS} hosts, reports every one, and keeps the controller's peak RSS bounded`, async () => {
    const report = join(lab.scratch, 'report.json');
    const r = await runMeasured(['run', FLEET_PLAYBOOK, '-i', lab.inventoryIni, '--output', 'plain', '--report', report, '--retry-file', join(lab.scratch, 'retry')]);
    process.stdout.write(`      ${HOSTS} hosts × ${FLEET_TASKS} tasks: exit ${r.code} in ${(r.wallMs / 1000).toFixed(1)} s, controller peak RSS ${(r.peakRssKb / 1024).toFixed(1)} MB (${r.how})\n`);
    assert.equal(r.code, 0, r.stderr + r.stdout.slice(-3000));
    const rows = recapRows(r.stdout);
    assert.deepEqual(rows.map((x) => x.host), lab.hosts.map((h) => h.name), 'one recap row per host, in inventory order');
    for (const row of rows) assert.deepEqual([row.changed, row.ok + row.changed, row.failed, row.unreachable], [FLEET_CHANGING_TASKS, FLEET_TASKS, 0, 0], row.host);
    const results = readReport(report).results;
    assert.equal(results.length, HOSTS * FLEET_TASKS, 'every host×task is in the report');
    assert.ok(r.peakRssKb > 10 * 1024, `a plausible measurement: ${r.peakRssKb} kB`);
    assert.ok(r.peakRssKb < RSS_LIMIT_KB, `peak RSS ${r.peakRssKb} kB`);
  });
});

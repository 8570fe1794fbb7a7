// The benchmark driver: one lab, then for each host count, runs alternating tools through check, first apply and
// second apply, plus the OpenSSH floor, and prints one table (also bench/results/<timestamp>.json and .md).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { destroyLab, ensureLab, type LabInfo } from '../test/lab/api.js';
import { parseArgs, UsageError, type BenchArgs, type Tool } from './args.js';
import { countDelta, prepareHosts, resetHosts, sshdCounts } from './hosts.js';
import { measure } from './proc.js';
import { markdownTable, summarize, textTable, type Sample, type Subject } from './report.js';
import { floorInvocation, MODES, parseOutcome, toolInvocation, type FloorKind, type Invocation, type Mode } from './tools.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

const say = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

/** Asks every ssh master left in dir to exit (ansible's ControlPersist), so none outlives its run. */
async function closeMasters(dir: string): Promise<void> {
  let socks: string[] = [];
  try {
    socks = readdirSync(dir);
  } catch {
    return;
  }
  await Promise.all(
    socks.map(
      (s) =>
        new Promise<void>((resolve) => {
          const c = spawn('ssh', ['-o', `ControlPath=${join(dir, s)}`, '-O', 'exit', 'bench-master'], { stdio: 'ignore' });
          c.on('close', () => resolve());
          c.on('error', () => resolve());
        }),
    ),
  );
  rmSync(dir, { recursive: true, force: true });
}

interface Ctx {
  readonly lab: LabInfo;
  readonly logDir: string;
  readonly samples: Sample[];
}

async function timed(ctx: Ctx, n: number, mode: Mode | '-', subject: Subject, run: number, inv: Invocation): Promise<Sample> {
  const names = ctx.lab.hosts.slice(0, n).map((h) => h.name);
  const before = await sshdCounts(ctx.lab, names);
  const log = join(ctx.logDir, `${n}-${mode.replace(' ', '-')}-${subject.replace(/[: ]+/g, '-')}-${run}.log`);
  const load1Before = loadavg()[0] ?? 0;
  const m = await measure(inv.argv, { env: inv.env, logFile: log });
  const { output, ...measured } = m;
  const load1 = Math.max(load1Before, loadavg()[0] ?? 0);
  const after = await sshdCounts(ctx.lab, names);
  const d = countDelta(before, after);
  const outcome = subject.startsWith('floor') ? undefined : parseOutcome(subject as Tool, output);
  const sample: Sample = {
    hosts: n,
    mode,
    subject,
    run,
    ...measured,
    ...d,
    changed: outcome?.changed ?? null,
    failed: outcome?.failed ?? null,
    load1,
    log,
  };
  ctx.samples.push(sample);
  const bad = m.exitCode !== 0 || (outcome?.failed ?? 0) > 0 ? `  FAILED (exit ${m.exitCode}, see ${log})` : '';
  say(`${n} hosts  ${mode.padEnd(12)} ${subject.padEnd(15)} run ${run}: ${(m.wallMs / 1000).toFixed(2)} s, ${(m.maxRssKiB / 1024).toFixed(0)}/${(m.treeRssKiB / 1024).toFixed(0)} MB, CPU ${(m.controllerCpuMs / 1000).toFixed(2)}/${(m.machineCpuMs / 1000).toFixed(2)} s, ${d.loginsPerHost} conn/host, ${d.sessionsPerHost} chan/host, changed ${outcome?.changed ?? '-'}, load ${load1.toFixed(1)}${bad}`);
  return sample;
}

async function runTool(ctx: Ctx, tool: Tool, n: number, run: number): Promise<void> {
  const names = ctx.lab.hosts.slice(0, n).map((h) => h.name);
  await resetHosts(ctx.lab, names);
  for (const mode of MODES) {
    const controlDir = mkdtempSync(join(tmpdir(), 'bench-cp-'));
    try {
      await timed(ctx, n, mode, tool, run, toolInvocation(tool, mode, ctx.lab, n, repo, controlDir));
    } finally {
      await closeMasters(controlDir);
    }
  }
}

async function runFloor(ctx: Ctx, kind: FloorKind, n: number, run: number): Promise<void> {
  await timed(ctx, n, '-', kind, run, floorInvocation(kind, ctx.lab, ctx.lab.hosts.slice(0, n), ctx.logDir));
}

async function bench(args: BenchArgs): Promise<number> {
  const maxHosts = Math.max(...args.hosts);
  say(`lab ${args.labName}: ${args.labSize} containers`);
  const lab = await ensureLab({ containers: args.labSize, name: args.labName, log: (l) => say(`lab: ${l}`) });
  const names = lab.hosts.slice(0, maxHosts).map((h) => h.name);
  await prepareHosts(lab, names, args.debsDir);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const resultsDir = join(repo, 'bench', 'results');
  const logDir = join(resultsDir, stamp);
  mkdirSync(logDir, { recursive: true });
  const ctx: Ctx = { lab, logDir, samples: [] };
  const started = Date.now();
  try {
    for (const n of args.hosts) {
      for (let run = 1; run <= args.runs; run++) {
        // Alternate: each run starts with a different tool, and the floor moves through the order too.
        const order: (Tool | 'floor')[] = [...args.tools, 'floor'];
        const k = (run - 1) % order.length;
        for (const t of [...order.slice(k), ...order.slice(0, k)]) {
          if (t === 'floor') {
            await runFloor(ctx, 'floor: connect', n, run);
            await runFloor(ctx, 'floor: session', n, run);
          } else await runTool(ctx, t, n, run);
        }
      }
    }
  } finally {
    if (!args.keepLab) await destroyLab(lab.name);
  }
  const rows = summarize(ctx.samples);
  const table = textTable(rows);
  process.stdout.write(table + '\n');
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memMB: Math.round(totalmem() / 2 ** 20), node: process.version };
  const meta = { started: new Date(started).toISOString(), durationS: Math.round((Date.now() - started) / 1000), args, machine };
  writeFileSync(join(resultsDir, `${stamp}.json`), JSON.stringify({ ...meta, rows, samples: ctx.samples }, null, 2) + '\n');
  const cmd = `bench/run.sh --hosts ${args.hosts.join(',')} --runs ${args.runs}`;
  const loads = ctx.samples.map((s) => s.load1);
  const loadNote = loads.length > 0 ? ` Machine load (1-min average) during the runs: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}.` : '';
  writeFileSync(
    join(resultsDir, `${stamp}.md`),
    `# Benchmark ${meta.started}\n\n\`${cmd}\` on ${machine.cpus} × ${machine.cpuModel}, ${machine.memMB} MB, Node ${machine.node}; ${meta.durationS} s in all.${loadNote}\n\n` +
      markdownTable(rows) +
      '\n',
  );
  say(`results: bench/results/${stamp}.json, .md (logs in bench/results/${stamp}/)`);
  // As the table's fail column: a run that exited 0 with failed tasks in its recap failed too.
  return ctx.samples.some((s) => s.exitCode !== 0 || (s.failed ?? 0) > 0) ? 1 : 0;
}

try {
  process.exitCode = await bench(parseArgs(process.argv.slice(2), process.env));
} catch (e) {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = e instanceof UsageError ? 2 : 1;
}

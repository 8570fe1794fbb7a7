// Runs one controller command and measures it: wall time, the largest process's peak RSS (/usr/bin/time %M),
// the peak of the whole process tree's RSS sum, sampled every 50 ms through /proc/PID/task/PID/children, the
// controller's CPU time (%U + %S) and the whole machine's busy CPU time over the run (/proc/stat: the lab's
// hosts share this machine's cores, so that is the work the run caused everywhere).
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measured {
  readonly exitCode: number;
  readonly wallMs: number;
  /** Peak RSS of the largest single process of the tree (GNU time's %M), in KiB. */
  readonly maxRssKiB: number;
  /** Peak of the sum of RSS over the live process tree, sampled every 50 ms, in KiB (daemonised ssh masters escape it). */
  readonly treeRssKiB: number;
  /** User + system CPU of the controller and the children it waited for (GNU time), in ms. */
  readonly controllerCpuMs: number;
  /** Busy CPU of the whole machine during the run (all cores, every process, kernel included), in ms. */
  readonly machineCpuMs: number;
  readonly output: string;
}

/** Busy CPU time of the machine so far, in ms: every field of /proc/stat's cpu line but idle and iowait. */
export function machineBusyMs(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const busy = [0, 1, 2, 5, 6, 7].reduce((sum, i) => sum + (fields[i] ?? 0), 0);
  return (busy * 1000) / 100;
}

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((s) => s.length > 0)
      .map(Number);
  } catch {
    return [];
  }
}

function rssKiB(pid: number): number {
  try {
    // VmRSS is in kB whatever the page size (arm64 kernels may use 64 KiB pages).
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** RSS sum of the descendants of `root` (not `root` itself: it is /usr/bin/time). Threads share the process's RSS. */
function treeRss(root: number): number {
  let sum = 0;
  const stack = children(root);
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    sum += rssKiB(pid);
    stack.push(...children(pid));
  }
  return sum;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly logFile: string;
  readonly input?: string;
}

/** Runs argv under /usr/bin/time, output to logFile; never throws on a non-zero exit. */
export function measure(argv: readonly string[], opts: RunOptions): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
  const timeFile = join(dir, 'rss');
  const log = openSync(opts.logFile, 'w');
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const busy0 = machineBusyMs();
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, ...argv], {
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', log, log],
      env: opts.env ?? process.env,
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    let peak = 0;
    const pid = child.pid;
    const timer = setInterval(() => {
      if (pid !== undefined) peak = Math.max(peak, treeRss(pid));
    }, 50);
    child.on('error', (e) => {
      clearInterval(timer);
      closeSync(log);
      reject(e);
    });
    child.on('close', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const machineCpuMs = machineBusyMs() - busy0;
      clearInterval(timer);
      closeSync(log);
      let maxRssKiB = 0;
      let controllerCpuMs = 0;
      try {
        const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
        const [rss, user, sys] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
        maxRssKiB = rss || 0;
        controllerCpuMs = ((user || 0) + (sys || 0)) * 1000;
      } catch {
        // time writes nothing when the child could not start; the exit code says why
      }
      rmSync(dir, { recursive: true, force: true });
      const output = readFileSync(opts.logFile, 'utf8');
      resolve({ exitCode: code ?? (signal ? 128 : 1), wallMs, maxRssKiB, treeRssKiB: Math.max(peak, maxRssKiB), controllerCpuMs, machineCpuMs, output });
    });
  });
}

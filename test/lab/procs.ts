// Processes the lab started, identified by PID plus start time so a recycled PID is never signalled.
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcRef {
  readonly pid: number;
  /** Field 22 of /proc/PID/stat (start time in clock ticks since boot). */
  readonly start: string;
}

export function procStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

export function refOf(pid: number): ProcRef | undefined {
  const start = procStart(pid);
  return start === undefined ? undefined : { pid, start };
}

export function isAlive(ref: ProcRef | undefined): ref is ProcRef {
  return ref !== undefined && procStart(ref.pid) === ref.start;
}

/** Sends a signal only if `ref` still names the same process; false when it is gone. */
export function signal(ref: ProcRef | undefined, sig: NodeJS.Signals): boolean {
  if (!isAlive(ref)) return false;
  try {
    process.kill(ref.pid, sig);
    return true;
  } catch {
    return false;
  }
}

export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // gone: no children
  }
  return out;
}

export async function waitGone(refs: readonly (ProcRef | undefined)[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!refs.some((r) => isAlive(r))) return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

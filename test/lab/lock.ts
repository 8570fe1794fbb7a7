// A lock between processes on this machine: a directory that exists while it is held (mkdir is atomic), with
// the holder's PID and start time inside, so a lock left by a process that died is broken at once.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LabError } from './lab-error.js';
import { isAlive, refOf, sleep, type ProcRef } from './procs.js';

function holderGone(path: string, staleMs: number): boolean {
  try {
    const owner = JSON.parse(readFileSync(join(path, 'owner'), 'utf8')) as ProcRef;
    return !isAlive(owner);
  } catch {
    // No owner file yet (just created) or unreadable: only age tells.
    try {
      return Date.now() - statSync(path).mtimeMs > staleMs;
    } catch {
      return false;
    }
  }
}

/** Runs fn while holding `path`, waiting up to waitMs for a live holder to finish. */
export async function withDirLock<T>(path: string, waitMs: number, staleMs: number, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, 'owner'), JSON.stringify(refOf(process.pid) ?? { pid: process.pid, start: '' }));
      break;
    } catch {
      if (holderGone(path, staleMs)) rmSync(path, { recursive: true, force: true });
      if (Date.now() > deadline) throw new LabError('timeout', `lock ${path} held for over ${Math.round(waitMs / 1000)} s`);
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}

// Machine-wide settings every lab needs (inotify limits, a tmpfs on /run/systemd/nspawn), reference-counted across
// labs: the first lab up records the original values and applies them; the last lab down restores them.
import { existsSync, mkdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mustRun } from './exec.js';
import { labRoot } from './paths.js';
import { withDirLock } from './lock.js';
import { readState } from './state.js';

/** Below these, hosts beyond about the 20th fail with "Failed to create inotify object" (research/lab.md §4). */
const SYSCTLS: Readonly<Record<string, number>> = {
  'fs.inotify.max_user_instances': 8192,
  'fs.inotify.max_user_watches': 1048576,
};
/** /run is on disk here: without a tmpfs, every nspawn exit complains about "disk file system under /run/systemd/nspawn". */
export const NSPAWN_RUN = '/run/systemd/nspawn';

interface SharedRecord {
  holders: string[];
  /** sysctl key -> the value before the first lab raised it. */
  sysctl: Record<string, string>;
  mountedNspawnTmpfs: boolean;
  /** Directories the lab had to create for that mount, deepest last. */
  createdDirs: string[];
}

function recordPath(): string {
  return join(labRoot(), 'shared.json');
}

function readRecord(): SharedRecord {
  try {
    return JSON.parse(readFileSync(recordPath(), 'utf8')) as SharedRecord;
  } catch {
    return { holders: [], sysctl: {}, mountedNspawnTmpfs: false, createdDirs: [] };
  }
}

function withLock<T>(fn: () => Promise<T>): Promise<T> {
  return withDirLock(join(labRoot(), 'shared.lock'), 60_000, 120_000, fn);
}

function sysctlPath(key: string): string {
  return '/proc/sys/' + key.replace(/\./g, '/');
}

export function isMountPoint(path: string): boolean {
  const lines = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  return lines.some((l) => l.split(' ')[4] === path);
}

/** Takes this lab's reference on the shared settings, applying them if it is the first. */
export async function acquireShared(lab: string): Promise<void> {
  await withLock(async () => {
    const rec = readRecord();
    // Labs whose state is gone (removed by hand, crashed before recording) no longer hold anything.
    rec.holders = rec.holders.filter((h) => h !== lab && readState(h) !== undefined);
    for (const [key, want] of Object.entries(SYSCTLS)) {
      const now = readFileSync(sysctlPath(key), 'utf8').trim();
      if (Number(now) < want) {
        if (!(key in rec.sysctl)) rec.sysctl[key] = now;
        writeFileSync(sysctlPath(key), String(want));
      }
    }
    if (!isMountPoint(NSPAWN_RUN)) {
      for (const dir of ['/run/systemd', NSPAWN_RUN]) {
        if (!existsSync(dir)) {
          mkdirSync(dir, { mode: 0o755 });
          rec.createdDirs.push(dir);
        }
      }
      await mustRun(['mount', '-t', 'tmpfs', '-o', 'mode=755,size=64m', 'sparkbook-lab', NSPAWN_RUN]);
      rec.mountedNspawnTmpfs = true;
    }
    rec.holders.push(lab);
    writeFileSync(recordPath(), JSON.stringify(rec, null, 2) + '\n');
  });
}

/** Drops this lab's reference; the last one out restores what the first one changed. */
export async function releaseShared(lab: string): Promise<void> {
  await withLock(async () => {
    const rec = readRecord();
    rec.holders = rec.holders.filter((h) => h !== lab && readState(h) !== undefined);
    if (rec.holders.length > 0) {
      writeFileSync(recordPath(), JSON.stringify(rec, null, 2) + '\n');
      return;
    }
    for (const [key, old] of Object.entries(rec.sysctl)) writeFileSync(sysctlPath(key), old);
    if (rec.mountedNspawnTmpfs && isMountPoint(NSPAWN_RUN)) await mustRun(['umount', NSPAWN_RUN]);
    for (const dir of [...rec.createdDirs].reverse()) {
      try {
        rmdirSync(dir);
      } catch {
        /* someone else put something there: leave it */
      }
    }
    rmSync(recordPath(), { force: true });
  });
}

// The retry file (.sparkbook/retry): the hosts that failed or were unreachable, one per line,
// so `sparkbook run … --limit @.sparkbook/retry` re-runs only them.
import { rm } from 'node:fs/promises';
import type { HostRecap } from '../executor/events.js';
import { writeFileAtomic } from './atomic-write.js';

export const DEFAULT_RETRY_FILE = '.sparkbook/retry';

/** Hosts of the recap with a failed task or unreachable, in recap order. */
export function retryHosts(recap: readonly HostRecap[]): string[] {
  return recap.filter((h) => h.failed > 0 || h.unreachable > 0).map((h) => h.host);
}

/**
 * Writes the hosts (deduplicated, in the order given) atomically. With no host the file is
 * removed instead, so a stale list from an earlier run never re-runs healthy hosts.
 * Returns whether a file was written.
 */
export async function writeRetryFile(path: string, hosts: readonly string[]): Promise<boolean> {
  const unique = [...new Set(hosts)];
  if (unique.length === 0) {
    await rm(path, { force: true });
    return false;
  }
  await writeFileAtomic(path, unique.map((h) => `${h}\n`).join(''), 0o644);
  return true;
}

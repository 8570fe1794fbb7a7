// The retry file after a run: the failed hosts are written; after a clean apply, the hosts that now
// succeeded leave an earlier list, so `--limit @FILE` never re-runs hosts that are done.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { HostRecap } from '../executor/events.js';
import { writeRetryFile } from '../report/retry.js';

export type RetryFileUpdate = 'written' | 'pruned' | 'removed' | 'unchanged';

export async function updateRetryFile(path: string, recap: readonly HostRecap[], failedHosts: readonly string[], check: boolean): Promise<RetryFileUpdate> {
  if (failedHosts.length > 0) {
    await mkdir(dirname(path), { recursive: true });
    await writeRetryFile(path, failedHosts);
    return 'written';
  }
  // A clean check run proves nothing about an apply that failed: keep the list.
  if (check) return 'unchanged';
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return 'unchanged';
  }
  const done = new Set(recap.filter((h) => h.note === undefined && h.failed === 0 && h.unreachable === 0).map((h) => h.host));
  const rest = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !done.has(l));
  return (await writeRetryFile(path, rest)) ? 'pruned' : 'removed';
}

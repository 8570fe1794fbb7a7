// Batched probes (DESIGN.md §4): while nothing has been applied on a host in this play, the
// probes of its coming tasks travel in ONE channel, each in its own subshell with its own
// stdout, stderr and exit code. The first apply invalidates the batch: from then on, probes run
// just in time, so no plan is ever made from stale state.
import { randomBytes } from 'node:crypto';
import type { Connection, RunOptions, RunResult } from '../connection/connection.js';
import { joinScripts, rawShell, sh, type Script } from '../shell/script.js';

/** A probe wanted in the batch: its script and the become user it must run as. */
export interface PlannedProbe {
  readonly script: Script;
  readonly becomeUser: string | undefined;
}

function keyOf(script: Script, becomeUser: string | undefined): string {
  return `${becomeUser ?? ''}\0${script.raw()}`;
}

/** The one script that runs every probe and frames its outputs between nonce-tagged markers. */
export function batchScript(probes: readonly Script[], nonce: string): Script {
  const parts: Script[] = [sh`__sb_err=$(mktemp) || exit 97`, sh`${rawShell(`trap 'rm -f "$__sb_err"' EXIT`)}`];
  probes.forEach((probe, i) => {
    const tag = `@@sbprobe:${nonce}:${i}`;
    parts.push(
      sh`printf '%s\n' ${`${tag}:out`}`,
      // A subshell: a probe's `exit` or `set -e` ends only itself; /dev/null: it cannot eat the batch.
      joinScripts([sh`(`, probe, sh`) </dev/null 2>"$__sb_err"`]),
      sh`__sb_rc=$?`,
      sh`printf '\n%s\n' ${`${tag}:err`}`,
      // Most probes say nothing on stderr: no `cat` process for them.
      sh`if [ -s "$__sb_err" ]; then cat "$__sb_err"; fi`,
      sh`printf '\n%s %s\n' ${`${tag}:rc`} "$__sb_rc"`,
    );
  });
  return joinScripts(parts);
}

/** Splits a batch's stdout back into one RunResult per probe; a probe whose frame is incomplete is absent. */
export function parseBatch(stdout: string, count: number, nonce: string, durationMs: number): (RunResult | undefined)[] {
  const results: (RunResult | undefined)[] = [];
  for (let i = 0; i < count; i++) {
    const tag = `@@sbprobe:${nonce}:${i}`;
    const start = stdout.indexOf(`${tag}:out\n`);
    const errMark = stdout.indexOf(`\n${tag}:err\n`, start);
    const rcMark = stdout.indexOf(`\n${tag}:rc `, errMark);
    if (start < 0 || errMark < 0 || rcMark < 0) {
      results.push(undefined);
      continue;
    }
    const rcEnd = stdout.indexOf('\n', rcMark + 1 + tag.length + 4);
    const rc = Number(stdout.slice(rcMark + tag.length + 5, rcEnd < 0 ? undefined : rcEnd));
    results.push({
      exitCode: Number.isInteger(rc) ? rc : null,
      signal: null,
      stdout: stdout.slice(start + tag.length + 5, errMark),
      stderr: stdout.slice(errMark + tag.length + 6, rcMark),
      durationMs,
      timedOut: false,
    });
  }
  return results;
}

/** One host's batch of prefetched probe results, valid until the host is changed. */
export class ProbeBatch {
  readonly #results = new Map<string, RunResult>();

  /** Runs every probe (grouped by become user: one channel per group) and keeps the answers. */
  async prefetch(conn: Connection, probes: readonly PlannedProbe[], options: Pick<RunOptions, 'timeoutMs'>): Promise<void> {
    // become user → probe key → probe: identical probes (two lines in one file) run once.
    const groups = new Map<string, Map<string, PlannedProbe>>();
    for (const p of probes) {
      const group = groups.get(p.becomeUser ?? '') ?? new Map<string, PlannedProbe>();
      group.set(keyOf(p.script, p.becomeUser), p);
      groups.set(p.becomeUser ?? '', group);
    }
    for (const [user, byKey] of groups) {
      // A batch of one saves nothing: that probe runs just in time.
      if (byKey.size < 2) continue;
      const keys = [...byKey.keys()];
      const group = [...byKey.values()];
      const nonce = randomBytes(8).toString('hex');
      const result = await conn.run(batchScript(group.map((p) => p.script), nonce), {
        ...(user ? { becomeUser: user } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      });
      if (result.timedOut) continue;
      parseBatch(result.stdout, group.length, nonce, result.durationMs).forEach((r, i) => {
        if (r) this.#results.set(keys[i] as string, r);
      });
    }
  }

  /**
   * The prefetched answer to exactly this probe. Two tasks with the same probe (two lines in one
   * file) share it: nothing was applied since, so the host reads the same.
   */
  take(script: Script, becomeUser: string | undefined): RunResult | undefined {
    return this.#results.get(keyOf(script, becomeUser));
  }

  /** Something was applied on the host: every prefetched answer may be stale. */
  invalidate(): void {
    this.#results.clear();
  }
}

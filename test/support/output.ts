// Reading what the CLI printed and wrote in e2e tests: the plain recap table, per-host result lines and
// change lists, the JSON report, and timing-free forms of output for comparing two runs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

export interface RecapCounts {
  readonly ok: number;
  readonly changed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly unreachable: number;
}

export interface RecapRow extends RecapCounts {
  readonly host: string;
  /** The rest of the row after the time column ("skipped (rollout stopped: ...)"), or ''. */
  readonly note: string;
}

const COUNTS = ['ok', 'changed', 'failed', 'skipped', 'unreachable'] as const;

/**
 * The rows of the plain recap table, in the order printed. Counts are read by the header's column
 * names; the table ends at the first line that is not a row, so a host missing from it is never
 * matched by a later line that merely starts with its name (the CHANGES list does).
 */
export function recapRows(stdout: string): RecapRow[] {
  const lines = stdout.split('\n');
  const header = lines.findIndex((l) => /^host\s+ok\s+changed\s+failed\s+skipped\s+unreachable\s+time/.test(l));
  assert.ok(header >= 0, `no recap table in:\n${stdout}`);
  const columns = (lines[header] as string).trim().split(/\s+/).slice(1, -1);
  const row = new RegExp(`^(\\S+)${'\\s+(\\d+)'.repeat(columns.length)}\\s+\\S+(?:\\s+(.*))?$`);
  const rows: RecapRow[] = [];
  for (const line of lines.slice(header + 1)) {
    const m = row.exec(line);
    if (!m) break;
    const count = (name: (typeof COUNTS)[number]): number => Number(m[2 + columns.indexOf(name)]);
    rows.push({ host: m[1] as string, ok: count('ok'), changed: count('changed'), failed: count('failed'), skipped: count('skipped'), unreachable: count('unreachable'), note: (m[columns.length + 2] ?? '').trim() });
  }
  return rows;
}

/** A host's row of the recap table; fails the test when the host has none. */
export function recapOf(stdout: string, host: string): RecapRow {
  const row = recapRows(stdout).find((r) => r.host === host);
  assert.ok(row, `no recap row for ${host} in:\n${stdout}`);
  return row;
}

/** Only the five counts of a host's row, for deepEqual against an expected tally. */
export function recapCounts(stdout: string, host: string): RecapCounts {
  const row = recapOf(stdout, host);
  return Object.fromEntries(COUNTS.map((c) => [c, row[c]])) as unknown as RecapCounts;
}

/** Lines of `--output plain` that report a task result for `host` (status, host, play | task). */
export function resultLines(stdout: string, host: string): string[] {
  return stdout.split('\n').filter((l) => new RegExp(`^\\S+\\s+${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\| `).test(l));
}

/** The PENDING CHANGES / CHANGES block of one host in the plain reporter's summary. */
export function changesOf(stdout: string, host: string): string {
  const start = stdout.search(/^(PENDING CHANGES|CHANGES)$/m);
  assert.ok(start >= 0, `no change summary in:\n${stdout}`);
  const lines = stdout.slice(start).split('\n').slice(1);
  const at = lines.indexOf(host);
  assert.ok(at >= 0, `no changes listed for ${host} in:\n${stdout.slice(start)}`);
  const out: string[] = [];
  for (const l of lines.slice(at + 1)) {
    if (l === '' || !l.startsWith(' ')) break;
    out.push(l);
  }
  return out.join('\n');
}

export interface ReportHost extends RecapCounts {
  readonly host: string;
  readonly note?: string;
}

export interface ReportResult {
  readonly host: string;
  readonly task: string;
  readonly status: string;
  readonly reason?: string;
}

export interface Report {
  readonly check: boolean;
  readonly hosts: readonly ReportHost[];
  readonly results: readonly ReportResult[];
}

export function readReport(path: string): Report {
  return JSON.parse(readFileSync(path, 'utf8')) as Report;
}

/** Replaces timings (0.8s, durationMs, startedAt, time="...") so two runs can be compared. */
export function normaliseTimings(text: string): string {
  return text
    .replace(/"durationMs":\d+/g, '"durationMs":0')
    .replace(/"(startedAt|timestamp|finishedAt)":"[^"]*"/g, '"$1":"T"')
    .replace(/\b\d+(\.\d+)?(ms|s)\b/g, 'T')
    .replace(/\b(time|timestamp)="[^"]*"/g, '$1="T"');
}

/** JSON with every object's keys sorted, at every depth. */
export function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return JSON.stringify(sort(value));
}

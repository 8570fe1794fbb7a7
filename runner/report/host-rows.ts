// The live view's state as a pure function of the events: one row per host (current task,
// counts, elapsed) and a total row. pretty.ts only draws what this computes.
import type { RunEvent, TaskStatus } from '../executor/events.js';
import { formatDuration } from './style.js';

export type RowPhase = 'waiting' | 'running' | 'done';

export interface HostRow {
  readonly host: string;
  readonly phase: RowPhase;
  readonly play?: string;
  /** The task running now, or the last one that ended while the host waits. */
  readonly task?: string;
  readonly counts: Readonly<Record<TaskStatus, number>>;
  readonly startedAtMs?: number;
  readonly endedAtMs?: number;
  /** From the recap: why the host never ran. */
  readonly note?: string;
  /** The first line of the latest failure, to show when the host is done. */
  readonly failure?: string;
}

export interface RowsState {
  readonly hosts: readonly string[];
  readonly rows: ReadonlyMap<string, HostRow>;
  readonly check: boolean;
  readonly startedAtMs?: number;
  readonly endedAtMs?: number;
  readonly finished: boolean;
}

const ZERO: Readonly<Record<TaskStatus, number>> = { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0 };

export function emptyRows(): RowsState {
  return { hosts: [], rows: new Map(), check: false, finished: false };
}

/** The state after `event`, seen at `nowMs`. Never mutates `state`. */
export function reduceRows(state: RowsState, event: RunEvent, nowMs: number): RowsState {
  const update = (host: string, change: (row: HostRow) => HostRow): RowsState => {
    const rows = new Map(state.rows);
    const known = state.rows.get(host);
    rows.set(host, change(known ?? newRow(host)));
    return { ...state, hosts: known ? state.hosts : [...state.hosts, host], rows };
  };
  switch (event.type) {
    case 'run:start': {
      const rows = new Map<string, HostRow>();
      for (const host of event.hosts) rows.set(host, newRow(host));
      return { hosts: [...rows.keys()], rows, check: event.check, startedAtMs: nowMs, finished: false };
    }
    case 'host:start':
      return update(event.host, (row) => ({ ...row, phase: 'running', play: event.play, startedAtMs: row.startedAtMs ?? nowMs }));
    case 'task:start':
      return update(event.host, (row) => ({ ...row, phase: 'running', play: event.play, task: event.task, startedAtMs: row.startedAtMs ?? nowMs }));
    case 'task:end': {
      const result = event.result;
      return update(result.host, (row) => ({
        ...row,
        task: result.task,
        counts: { ...row.counts, [result.status]: row.counts[result.status] + 1 },
        failure: result.status === 'failed' || result.status === 'unreachable' ? firstLine(result.reason ?? result.message ?? result.status) : row.failure,
      }));
    }
    case 'host:end':
      return update(event.host, (row) => ({ ...row, phase: 'waiting', endedAtMs: nowMs }));
    case 'run:end': {
      const rows = new Map(state.rows);
      const hosts = [...state.hosts];
      for (const recap of event.recap) {
        const row = rows.get(recap.host) ?? newRow(recap.host);
        if (!rows.has(recap.host)) hosts.push(recap.host);
        // The recap is the truth at the end, whatever events were missed.
        const counts = { ok: recap.ok, changed: recap.changed, failed: recap.failed, skipped: recap.skipped, unreachable: recap.unreachable };
        rows.set(recap.host, { ...row, counts, ...(recap.note === undefined ? {} : { note: recap.note }) });
      }
      return finishRows({ ...state, hosts, rows }, nowMs);
    }
    default:
      return state;
  }
}

/** Every row ended at `nowMs`: at run:end, or when the run was stopped without one. */
export function finishRows(state: RowsState, nowMs: number): RowsState {
  const rows = new Map<string, HostRow>();
  for (const [host, row] of state.rows) rows.set(host, { ...row, phase: 'done', endedAtMs: row.phase === 'running' || row.endedAtMs === undefined ? nowMs : row.endedAtMs });
  return { ...state, rows, endedAtMs: nowMs, finished: true };
}

/** How a finished host ended: failed if any task failed or it was unreachable. */
export function rowOutcome(row: HostRow): 'failed' | 'changed' | 'ok' | 'not-run' {
  if (row.counts.failed > 0 || row.counts.unreachable > 0) return 'failed';
  if (row.note !== undefined && row.startedAtMs === undefined) return 'not-run';
  if (row.counts.changed > 0) return 'changed';
  return 'ok';
}

/** `spark-01  Install ufw  ok=3 changed=1 failed=0  12.3s`, host padded to `hostWidth`. */
export function formatHostRow(row: HostRow, nowMs: number, check: boolean, hostWidth = row.host.length): string {
  const name = row.host.padEnd(hostWidth);
  const doing =
    row.phase === 'done'
      ? row.note !== undefined && row.startedAtMs === undefined
        ? row.note
        : (row.failure ?? 'done')
      : row.phase === 'running'
        ? (row.task ?? 'connecting')
        : row.startedAtMs === undefined
          ? 'waiting'
          : (row.failure ?? 'play done');
  const elapsed = row.startedAtMs === undefined ? '' : formatDuration((row.phase === 'running' ? nowMs : (row.endedAtMs ?? nowMs)) - row.startedAtMs);
  return [name, truncate(doing, 40), countsText(row.counts, check), elapsed].filter((part) => part !== '').join('  ');
}

/** `total  [████░░░░] 12/50 hosts  ok=… changed=…  1m02s` */
export function formatTotalRow(state: RowsState, nowMs: number, width = 10): string {
  const rows = [...state.rows.values()];
  const total = state.hosts.length;
  const done = rows.filter((r) => r.phase === 'done').length;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
  const sums = { ...ZERO };
  for (const row of rows) for (const key of Object.keys(sums) as TaskStatus[]) sums[key] += row.counts[key];
  const elapsed = state.startedAtMs === undefined ? '' : formatDuration((state.endedAtMs ?? nowMs) - state.startedAtMs);
  return ['total', bar, `${done}/${total} hosts`, countsText(sums, state.check), elapsed].filter((p) => p !== '').join('  ');
}

function countsText(counts: Readonly<Record<TaskStatus, number>>, check: boolean): string {
  const parts = [`ok=${counts.ok}`, `${check ? 'pending' : 'changed'}=${counts.changed}`, `failed=${counts.failed}`];
  if (counts.skipped > 0) parts.push(`skipped=${counts.skipped}`);
  if (counts.unreachable > 0) parts.push(`unreachable=${counts.unreachable}`);
  return parts.join(' ');
}

function newRow(host: string): HostRow {
  return { host, phase: 'waiting', counts: ZERO };
}

function firstLine(text: string): string {
  return (text.split('\n').find((line) => line.trim() !== '') ?? text).trim();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

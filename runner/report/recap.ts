// The end-of-run recap: Ansible's PLAY RECAP as an aligned table, hosts in the executor's
// order, then for each host what its changed tasks changed.
import type { HostRecap, TaskResult, TaskStatus } from '../executor/events.js';
import { renderChangeLine } from './change-line.js';
import { redact } from './redact.js';
import { formatDuration, paint, STATUS_COLOR, taskLabel, type Color } from './style.js';

export interface RecapOptions {
  /** ANSI colours; the caller has already honoured NO_COLOR and the TTY. */
  readonly color: boolean;
  /** Check mode: the changes listed are pending, nothing was changed. */
  readonly check?: boolean;
  /** The run's wall time, for the closing line. */
  readonly durationMs?: number;
  /** The run's results, for the per-host list of what changed. */
  readonly results?: readonly TaskResult[];
}

const COUNT_COLUMNS = ['ok', 'changed', 'failed', 'skipped', 'unreachable'] as const satisfies readonly TaskStatus[];

/** The recap block, ending with a newline. */
export function renderRecap(recap: readonly HostRecap[], options: RecapOptions): string {
  const lines = [paint(options.check ? 'RECAP (check mode: nothing was changed)' : 'RECAP', 'bold', options.color)];
  lines.push(...renderRecapTable(recap, options.color));
  lines.push(renderTotals(recap, options.durationMs));
  const changed = renderChangedTasks(recap, options.results ?? [], options);
  if (changed.length > 0) lines.push('', ...changed);
  return redact(lines.join('\n')) + '\n';
}

/** Header and one row per host, columns aligned on the widest cell. */
export function renderRecapTable(recap: readonly HostRecap[], color: boolean): string[] {
  // Ansible's rescued and ignored columns, only when some host has one: most runs have neither.
  const extra = (['rescued', 'ignored'] as const).filter((c) => recap.some((h) => (h[c] ?? 0) > 0));
  const header = ['host', ...COUNT_COLUMNS, ...extra, 'time'];
  const rows = recap.map((host) => [host.host, ...COUNT_COLUMNS.map((c) => String(host[c])), ...extra.map((c) => String(host[c] ?? 0)), formatDuration(host.durationMs)]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const align = (cells: readonly string[], paints: readonly (Color | undefined)[]): string =>
    cells
      .map((cell, column) => {
        const width = widths[column] as number;
        const padded = column === 0 ? cell.padEnd(width) : cell.padStart(width);
        const tint = paints[column];
        return tint ? paint(padded, tint, color) : padded;
      })
      .join('  ')
      .trimEnd();
  const lines = [align(header, [])];
  recap.forEach((host, index) => {
    const cells = rows[index] as string[];
    const tints: (Color | undefined)[] = [hostColor(host), ...COUNT_COLUMNS.map((c) => (host[c] > 0 ? STATUS_COLOR[c] : undefined)), ...extra.map(() => undefined), undefined];
    const line = align(cells, tints);
    lines.push(host.note ? `${line}  ${paint(host.note, 'cyan', color)}` : line);
  });
  return lines;
}

/** For each host in recap order, its changed tasks and their changes. */
export function renderChangedTasks(recap: readonly HostRecap[], results: readonly TaskResult[], options: RecapOptions): string[] {
  const lines: string[] = [];
  for (const host of recap) {
    const changed = results.filter((r) => r.host === host.host && r.status === 'changed');
    if (changed.length === 0) continue;
    lines.push(paint(host.host, 'yellow', options.color));
    for (const result of changed) {
      lines.push(`  ${result.play} | ${taskLabel(result)}`);
      for (const change of result.changes) lines.push(`    ${renderChangeLine(change)}`);
    }
  }
  if (lines.length === 0) return [];
  return [paint(options.check ? 'PENDING CHANGES' : 'CHANGES', 'bold', options.color), ...lines];
}

function renderTotals(recap: readonly HostRecap[], durationMs: number | undefined): string {
  const sum = (column: (typeof COUNT_COLUMNS)[number]): number => recap.reduce((total, host) => total + host[column], 0);
  const counts = COUNT_COLUMNS.map((c) => `${sum(c)} ${c}`).join(', ');
  const hosts = `${recap.length} host${recap.length === 1 ? '' : 's'}`;
  return durationMs === undefined ? `${hosts}: ${counts}` : `${hosts}: ${counts} in ${formatDuration(durationMs)}`;
}

function hostColor(host: HostRecap): Color {
  if (host.failed > 0 || host.unreachable > 0) return 'red';
  if (host.changed > 0) return 'yellow';
  if (host.ok === 0 && host.skipped > 0) return 'cyan';
  return 'green';
}

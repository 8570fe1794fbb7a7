// Words, colours and numbers as every human-facing reporter shows them, in one place so the
// plain lines, the live view and the recap agree.
import type { TaskResult, TaskStatus } from '../executor/events.js';
import { stableStringify } from './stable-json.js';
import { redact } from './redact.js';

export type Color = 'green' | 'yellow' | 'red' | 'cyan' | 'magenta' | 'bold' | 'dim';

const CODES: Record<Color, readonly [number, number]> = {
  green: [32, 39],
  yellow: [33, 39],
  red: [31, 39],
  cyan: [36, 39],
  magenta: [35, 39],
  bold: [1, 22],
  dim: [2, 22],
};

/** `text` in `color` when `enabled`; the caller decides (NO_COLOR, TTY). */
export function paint(text: string, color: Color, enabled: boolean): string {
  if (!enabled || text === '') return text;
  const [open, close] = CODES[color];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

/** Ansible's colours: ok green, changed yellow, failed and unreachable red, skipped cyan. */
export const STATUS_COLOR: Record<TaskStatus | 'pending', Color> = {
  ok: 'green',
  changed: 'yellow',
  pending: 'yellow',
  failed: 'red',
  unreachable: 'red',
  skipped: 'cyan',
};

/**
 * The word shown for a result. In check mode a changed result is `pending`: nothing was
 * changed, and the word says so (one word, so `grep '^pending'` finds drift).
 */
export function statusWord(result: Pick<TaskResult, 'status' | 'pending'>): TaskStatus | 'pending' {
  return result.status === 'changed' && result.pending ? 'pending' : result.status;
}

/** Width of the widest status word, so plain lines line up. */
export const STATUS_WIDTH = 'unreachable'.length;

/** `0.4s`, `12.3s`, `2m05s`, `1h02m`: short and stable. */
export function formatDuration(ms: number): string {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (safe < 60_000) return `${(safe / 1000).toFixed(1)}s`;
  const totalSeconds = Math.floor(safe / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m${String(totalSeconds % 60).padStart(2, '0')}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)}h${String(totalMinutes % 60).padStart(2, '0')}m`;
}

/** A loop item on one line: strings as they are, anything else as canonical JSON; redacted. */
export function formatItem(item: unknown): string {
  const text = typeof item === 'string' ? item : stableStringify(item);
  return redact(text.replace(/\r?\n/g, '\\n'));
}

/** The task's label: `name` or `name (item=…)`. */
export function taskLabel(result: Pick<TaskResult, 'task' | 'item'>): string {
  return result.item === undefined ? result.task : `${result.task} (item=${formatItem(result.item)})`;
}

/** Visible width of text that may hold ANSI colour codes. */
export function visibleLength(text: string): number {
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

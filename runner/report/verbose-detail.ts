// What -v and -vv add under a task result in plain output: -v a command's stdout, stderr and
// exit code; -vv also the module's other return values (what `register:` stores). Secrets are
// masked: values go through redactValue, and the plain reporter redacts every line again.
import type { TaskResult } from '../executor/events.js';
import { redactValue } from './redact.js';

/** Shown at -v (and as the block's first lines at -vv). */
const OUTPUT_KEYS = ['stdout', 'stderr'] as const;
/** Never shown on their own: the status line says them, or they repeat stdout/stderr. */
const HIDDEN_KEYS = new Set(['changes', 'changed', 'failed', 'skipped', 'pending', 'stdout_lines', 'stderr_lines', 'stdout', 'stderr', 'rc']);

export function renderVerboseDetail(result: TaskResult, verbosity: number, indent = '    '): string[] {
  if (verbosity < 1 || result.detail === undefined) return [];
  const detail = redactValue(result.detail) as Record<string, unknown>;
  const lines: string[] = [];
  for (const key of OUTPUT_KEYS) {
    const text = detail[key];
    if (typeof text !== 'string' || text === '') continue;
    lines.push(`${indent}${key}:`);
    for (const line of text.split('\n')) lines.push(`${indent}  ${line}`.trimEnd());
  }
  if (typeof detail.rc === 'number') lines.push(`${indent}rc: ${detail.rc}`);
  if (verbosity >= 2) {
    for (const [key, value] of Object.entries(detail)) {
      if (HIDDEN_KEYS.has(key) || value === undefined) continue;
      // The status line already shows the message or reason (msg, skip_reason): not twice.
      if (typeof value === 'string' && (value === result.message || value === result.reason)) continue;
      lines.push(`${indent}${key}: ${JSON.stringify(value)}`);
    }
  }
  return lines;
}

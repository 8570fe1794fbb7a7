// The plain reporter: one stable, grep-able line per task result, for logs, CI and any output
// that is not a terminal. Also the live view's fallback.
import type { RunEvent, RunEventListener, TaskResult } from '../executor/events.js';
import { renderChangeLine } from './change-line.js';
import { renderRecap } from './recap.js';
import { redact } from './redact.js';
import { renderVerboseDetail } from './verbose-detail.js';
import { formatDuration, paint, STATUS_COLOR, STATUS_WIDTH, statusWord, taskLabel, type Color } from './style.js';

/** Anything text can be written to: a stream, a test's buffer. */
export interface TextSink {
  write(text: string): unknown;
}

export interface PlainOptions {
  /** Show each change's unified diff under it. */
  readonly diff: boolean;
  /**
   * -v and up: task starts and each result's duration; from 1, a command's stdout/stderr/rc
   * under its result; from 2, also the module's return values (verbose-detail.ts).
   */
  readonly verbosity?: number;
  readonly color: boolean;
}

/**
 * Lines, in event order:
 *   RUN <playbook> (<n> hosts[, check mode])
 *   PLAY [<play>] (<n> hosts)
 *   <status> <host> | <play> | <task>[ (item=…)][: <reason or message>]
 *       <action> <target>: <summary>          (each change)
 *         <unified diff>                     (with diff)
 * then the recap. Status words: ok, changed, pending (a change in check mode), failed,
 * skipped, unreachable, padded to one width.
 */
export function createPlainReporter(out: TextSink, options: PlainOptions): RunEventListener {
  const results: TaskResult[] = [];
  let check = false;
  const emit = (lines: readonly string[]): void => {
    // One redact over the block, so a key spread over several lines is seen whole.
    if (lines.length > 0) out.write(redact(lines.join('\n')) + '\n');
  };
  return (event: RunEvent): void => {
    switch (event.type) {
      case 'run:start':
        check = event.check;
        emit([paint(`RUN ${event.playbook} (${plural(event.hosts.length, 'host')}${event.check ? ', check mode' : ''})`, 'bold', options.color)]);
        return;
      case 'play:start':
        emit(['', paint(`PLAY [${event.play}] (${plural(event.hosts.length, 'host')})`, 'bold', options.color)]);
        return;
      case 'task:start':
        if ((options.verbosity ?? 0) > 0) emit([`${'running'.padEnd(STATUS_WIDTH)} ${event.host} | ${event.play} | ${event.task}`]);
        return;
      case 'task:end':
        results.push(event.result);
        emit(renderResultLines(event.result, options));
        return;
      case 'run:end':
        out.write('\n' + renderRecap(event.recap, { color: options.color, check, durationMs: event.durationMs, results }));
        return;
      default:
        return;
    }
  };
}

/** The lines of one task result, as the plain reporter writes them. */
export function renderResultLines(result: TaskResult, options: PlainOptions): string[] {
  const word = statusWord(result);
  const detail = (result.reason ?? result.message ?? '').replace(/\s+$/, '');
  const [firstDetail = '', ...moreDetail] = detail === '' ? [] : detail.split(/\r?\n/);
  let head = `${paint(word.padEnd(STATUS_WIDTH), STATUS_COLOR[word], options.color)} ${result.host} | ${result.play} | ${taskLabel(result)}`;
  if (firstDetail !== '') head += `: ${firstDetail}`;
  if ((options.verbosity ?? 0) > 0) head += ` [${formatDuration(result.durationMs)}]`;
  const lines = [head.trimEnd()];
  for (const line of moreDetail) lines.push(`    ${line}`.trimEnd());
  for (const change of result.changes) {
    lines.push(`    ${paint(renderChangeLine(change), ACTION_COLOR[change.action], options.color)}`);
    if (options.diff && change.diff) {
      for (const line of change.diff.replace(/\n$/, '').split('\n')) lines.push(`      ${paintDiffLine(line, options.color)}`.trimEnd());
    }
  }
  lines.push(...renderVerboseDetail(result, options.verbosity ?? 0));
  return lines;
}

const ACTION_COLOR: Record<'+' | '~' | '-' | '!', Color> = { '+': 'green', '~': 'yellow', '-': 'red', '!': 'yellow' };

function paintDiffLine(line: string, color: boolean): string {
  if (line.startsWith('+++') || line.startsWith('---')) return paint(line, 'bold', color);
  if (line.startsWith('@@')) return paint(line, 'cyan', color);
  if (line.startsWith('+')) return paint(line, 'green', color);
  if (line.startsWith('-')) return paint(line, 'red', color);
  return line;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

// The live view on a terminal: listr2 draws one row per host (current task, counts, elapsed)
// and a total row, driven by the executor's events; then failures, diffs and the recap.
// Without a TTY it is the plain reporter.
import { DefaultRenderer, Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { RunEvent, RunEventListener, TaskResult } from '../executor/events.js';
import { emptyRows, finishRows, formatHostRow, formatTotalRow, reduceRows, rowOutcome, type RowsState } from './host-rows.js';
import { createPlainReporter, renderResultLines, type PlainOptions } from './plain.js';
import { renderRecap } from './recap.js';
import { redact } from './redact.js';

/** A reporter whose output may lag the events: `finished` settles once everything is written. */
export interface LiveReporter {
  readonly listener: RunEventListener;
  readonly finished: Promise<void>;
  /** Ends the view without run:end (the run was aborted); resolves when the screen is settled. */
  stop(): Promise<void>;
}

export interface PrettyOptions extends PlainOptions {
  /** Where listr2 sends what it would print to stderr (default process.stderr). */
  readonly err?: NodeJS.WriteStream;
  /** How often elapsed times tick, in ms. */
  readonly tickMs?: number;
}

// The view decides TTY-ness from the stream it was given, not from process.stdout, so listr2
// must not fall back on its own.
class LiveRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

interface RowHandle {
  title: string;
  skip(message?: string): void;
}

interface Waiter {
  handle: RowHandle;
  settle: (error?: Error) => void;
}

export function createPrettyReporter(out: NodeJS.WriteStream, options: PrettyOptions): LiveReporter {
  if (!out.isTTY) {
    return { listener: createPlainReporter(out, options), finished: Promise.resolve(), stop: () => Promise.resolve() };
  }
  let state: RowsState = emptyRows();
  const results: TaskResult[] = [];
  const waiters = new Map<string, Waiter>();
  let totalWaiter: Waiter | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let resolveFinished: () => void = () => undefined;
  let rejectFinished: (error: unknown) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    resolveFinished = resolve;
    rejectFinished = reject;
  });
  let lastEnd: Extract<RunEvent, { type: 'run:end' }> | undefined;

  const hostWidth = (): number => Math.max(0, ...state.hosts.map((h) => h.length));
  const hostTitle = (host: string, now: number): string => {
    const row = state.rows.get(host);
    return row ? redact(formatHostRow(row, now, state.check, hostWidth())) : host;
  };
  const totalTitle = (now: number): string => redact(formatTotalRow(state, now).replace(/^total/, 'total'.padEnd(Math.max(5, hostWidth()))));

  const refresh = (hosts: readonly string[]): void => {
    const now = Date.now();
    for (const host of hosts) {
      const waiter = waiters.get(host);
      if (waiter) waiter.handle.title = hostTitle(host, now);
    }
    if (totalWaiter) totalWaiter.handle.title = totalTitle(now);
  };

  const settleHost = (host: string, waiter: Waiter): void => {
    const row = state.rows.get(host);
    waiter.handle.title = hostTitle(host, Date.now());
    if (!row) return waiter.settle();
    const outcome = rowOutcome(row);
    if (outcome === 'not-run') {
      waiter.handle.skip(waiter.handle.title);
      return waiter.settle();
    }
    waiter.settle(outcome === 'failed' ? new Error(waiter.handle.title) : undefined);
  };

  const settleAll = (): void => {
    if (ticker) clearInterval(ticker);
    ticker = undefined;
    for (const [host, waiter] of waiters) settleHost(host, waiter);
    waiters.clear();
    if (totalWaiter) {
      totalWaiter.handle.title = totalTitle(Date.now());
      totalWaiter.settle();
      totalWaiter = undefined;
    }
  };

  const rowTask = (host: string | undefined) => (_ctx: unknown, handle: RowHandle): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { handle, settle: (error) => (error ? reject(error) : resolve()) };
      if (host === undefined) {
        handle.title = totalTitle(Date.now());
        if (state.finished) waiter.settle();
        else totalWaiter = waiter;
        return;
      }
      if (state.finished) return settleHost(host, waiter);
      waiters.set(host, waiter);
      handle.title = hostTitle(host, Date.now());
    });

  const start = (hosts: readonly string[]): void => {
    const now = Date.now();
    const tasks = [...hosts.map((host) => ({ title: hostTitle(host, now), task: rowTask(host) })), { title: totalTitle(now), task: rowTask(undefined) }];
    const list = new Listr(tasks, {
      concurrent: true,
      exitOnError: false,
      // The CLI owns SIGINT; listr2 would otherwise exit the process itself.
      registerSignalListeners: false,
      renderer: LiveRenderer,
      rendererOptions: {
        logger: new ListrLogger({ useIcons: true, toStderr: [], processOutput: new ProcessOutput(out, options.err ?? process.stderr) }),
        formatOutput: 'truncate',
        collapseErrors: true,
        showErrorMessage: true,
        collapseSkips: true,
        showSkipMessage: true,
      },
    });
    ticker = setInterval(() => refresh(state.hosts.filter((h) => state.rows.get(h)?.phase === 'running')), options.tickMs ?? 1000);
    ticker.unref();
    running = list.run().then(() => writeSummary());
    running.then(resolveFinished, rejectFinished);
  };

  const writeSummary = (): void => {
    const lines: string[] = [];
    const failures = results.filter((r) => r.status === 'failed' || r.status === 'unreachable');
    const shown = options.diff ? results.filter((r) => r.status === 'failed' || r.status === 'unreachable' || r.changes.some((c) => c.diff)) : failures;
    if (shown.length > 0) {
      lines.push('');
      for (const result of shown) lines.push(...renderResultLines(result, options));
    }
    if (lines.length > 0) out.write(redact(lines.join('\n')) + '\n');
    if (lastEnd) {
      out.write('\n' + renderRecap(lastEnd.recap, { color: options.color, check: state.check, durationMs: lastEnd.durationMs, results }));
    }
  };

  const listener = (event: RunEvent): void => {
    state = reduceRows(state, event, Date.now());
    switch (event.type) {
      case 'run:start':
        if (!running) start(event.hosts);
        return;
      case 'host:start':
      case 'task:start':
      case 'host:end':
        refresh([event.host]);
        return;
      case 'task:end':
        results.push(event.result);
        refresh([event.result.host]);
        return;
      case 'run:end':
        lastEnd = event;
        if (!running) start([]);
        settleAll();
        return;
      default:
        return;
    }
  };

  const stop = (): Promise<void> => {
    if (!running) {
      resolveFinished();
      return finished;
    }
    if (!state.finished) {
      state = finishRows(state, Date.now());
      settleAll();
    }
    return finished;
  };

  return { listener, finished, stop };
}

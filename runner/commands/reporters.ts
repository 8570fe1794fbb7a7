// Wires the reporters a run asked for: the live/plain/json view, and the collectors behind
// --report and --junit.
import type { RunEventListener } from '../executor/events.js';
import { colorEnabled, createReportCollector, createReporter, renderJunit, writeJunitFile, writeReportFile, type OutputKind } from '../report/index.js';
import type { CommandIo } from './io.js';

export interface RunReporters {
  readonly listeners: readonly RunEventListener[];
  /** Waits for the live view to finish drawing. */
  finish(): Promise<void>;
  writeReport(path: string, meta: { playbook: string; check: boolean }): Promise<void>;
  writeJunit(path: string, meta: { playbook: string; check: boolean }): Promise<void>;
}

export function createReporters(options: { output: OutputKind; io: CommandIo; diff: boolean; check: boolean; verbosity?: number }): RunReporters {
  const out = options.io.stdout as NodeJS.WriteStream;
  const view = createReporter(options.output, out, { diff: options.diff, verbosity: options.verbosity ?? 0, color: colorEnabled(out, options.io.env) });
  const collector = createReportCollector();
  return {
    listeners: [view.listener, collector.listener],
    finish: () => view.finished,
    writeReport: (path, meta) => writeReportFile(path, collector.toReport(meta)),
    writeJunit: (path, meta) => writeJunitFile(path, renderJunit(collector.toReport(meta))),
  };
}

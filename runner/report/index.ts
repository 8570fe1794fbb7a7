// The reporters' public face for the CLI: pick the reporter for --output, decide colour, and
// re-export the writers of --report, --junit and the retry file.
import type { RunEventListener } from '../executor/events.js';
import { createJsonLinesReporter } from './jsonl.js';
import { createPlainReporter } from './plain.js';
import { createPrettyReporter, type LiveReporter } from './pretty.js';

export { renderChangeLine } from './change-line.js';
export { redact, redactValue } from './redact.js';
export { renderRecap } from './recap.js';
export { createPlainReporter, renderResultLines, type PlainOptions, type TextSink } from './plain.js';
export { createJsonLinesReporter, renderEventLine } from './jsonl.js';
export { createPrettyReporter, type LiveReporter, type PrettyOptions } from './pretty.js';
export {
  buildReport,
  createReportCollector,
  mergeReports,
  readReportFile,
  serializeReport,
  validateReport,
  writeReportFile,
  type Report,
  type ReportCollector,
  type ReportMeta,
} from './report-file.js';
export { reportSchema } from './report-schema.js';
export { renderJunit, writeJunitFile } from './junit.js';
export { DEFAULT_RETRY_FILE, retryHosts, writeRetryFile } from './retry.js';

export type OutputKind = 'pretty' | 'plain' | 'json';

/** Colour only on a terminal, and never when NO_COLOR is set to anything non-empty (no-color.org). */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

/** The reporter for `--output`; `pretty` falls back to plain when `out` is not a TTY. */
export function createReporter(
  kind: OutputKind,
  out: NodeJS.WriteStream,
  options: { diff: boolean; verbosity?: number; color: boolean },
): LiveReporter {
  if (kind === 'pretty') return createPrettyReporter(out, options);
  const listener: RunEventListener = kind === 'json' ? createJsonLinesReporter(out) : createPlainReporter(out, options);
  return { listener, finished: Promise.resolve(), stop: () => Promise.resolve() };
}

// `--output json`: one JSON object per event and line, keys sorted at every depth, secrets
// redacted, so two runs that saw the same things write the same bytes.
import type { RunEvent, RunEventListener } from '../executor/events.js';
import type { TextSink } from './plain.js';
import { redactValue } from './redact.js';

/** The line written for one event (with its newline). */
export function renderEventLine(event: RunEvent): string {
  return JSON.stringify(redactValue(event)) + '\n';
}

export function createJsonLinesReporter(out: TextSink): RunEventListener {
  return (event: RunEvent): void => {
    out.write(renderEventLine(event));
  };
}

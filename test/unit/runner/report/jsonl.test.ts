// Tests of runner/report/jsonl.ts: one canonical JSON object per event and line.
import assert from 'node:assert/strict';
import type { RunEvent } from '../../../../runner/executor/events.js';
import { createJsonLinesReporter } from '../../../../runner/report/jsonl.js';
import { scriptedRun, Sink } from './scripted-run.js';

function render(events: readonly RunEvent[]): string {
  const sink = new Sink();
  const listener = createJsonLinesReporter(sink);
  for (const event of events) listener(event);
  return sink.text;
}

describe('createJsonLinesReporter', () => {
  it('writes one parseable JSON object per event, in order', () => {
    const events = scriptedRun();
    const lines = render(events).split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, events.length);
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as { type: string }).type),
      events.map((e) => e.type),
    );
  });

  it('writes identical bytes on two runs, whatever the key order of the events', () => {
    const shuffled = scriptedRun().map((event) => Object.fromEntries(Object.entries(event).reverse()) as unknown as RunEvent);
    assert.equal(render(scriptedRun()), render(scriptedRun()));
    assert.equal(render(shuffled), render(scriptedRun()));
  });

  it('sorts keys at every depth', () => {
    for (const line of render(scriptedRun()).trimEnd().split('\n')) {
      const check = (value: unknown): void => {
        if (Array.isArray(value)) value.forEach(check);
        else if (value !== null && typeof value === 'object') {
          const keys = Object.keys(value);
          assert.deepEqual(keys, [...keys].sort());
          Object.values(value).forEach(check);
        }
      };
      check(JSON.parse(line));
    }
  });

  it('keeps the check flag and the recap note', () => {
    const lines = render(scriptedRun({ check: true })).trimEnd().split('\n');
    assert.equal((JSON.parse(lines[0] as string) as { check: boolean }).check, true);
    assert.match(lines.at(-1) as string, /"note":"skipped \(rollout stopped\)"/);
  });
});

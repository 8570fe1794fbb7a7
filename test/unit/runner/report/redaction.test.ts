// Defence in depth: a Secret's value and a Tailscale key smuggled into messages, items and
// reasons never reach the output of any reporter.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { RunEvent } from '../../../../runner/executor/events.js';
import { createJsonLinesReporter } from '../../../../runner/report/jsonl.js';
import { renderJunit } from '../../../../runner/report/junit.js';
import { createPlainReporter } from '../../../../runner/report/plain.js';
import { createPrettyReporter } from '../../../../runner/report/pretty.js';
import { renderRecap } from '../../../../runner/report/recap.js';
import { createReportCollector, serializeReport } from '../../../../runner/report/report-file.js';
import { Secret } from '../../../../runner/shell/secret.js';
import { scriptedRun, Sink, TSKEY, WG_PRIVATE } from './scripted-run.js';

const secret = new Secret('p4ssw0rd-of-the-become-user');
const EVENTS: readonly RunEvent[] = scriptedRun({ leak: `${secret.reveal()} and ${TSKEY}` });

function assertClean(output: string, where: string): void {
  assert.ok(output.length > 0, `${where} wrote something`);
  for (const value of [secret.reveal(), TSKEY, WG_PRIVATE]) assert.ok(!output.includes(value), `${where} leaked ${value}`);
  assert.ok(output.includes('«redacted»'), `${where} shows where it redacted`);
}

function feed(listener: (event: RunEvent) => void): void {
  for (const event of EVENTS) listener(event);
}

class Terminal extends Writable {
  chunks: string[] = [];
  isTTY = true;
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk.toString());
    done();
  }
}

describe('redaction in every reporter', () => {
  it('plain, with diffs and verbose', () => {
    const sink = new Sink();
    feed(createPlainReporter(sink, { diff: true, verbosity: 1, color: true }));
    assertClean(sink.text, 'plain');
  });

  it('JSON lines', () => {
    const sink = new Sink();
    feed(createJsonLinesReporter(sink));
    assertClean(sink.text, 'jsonl');
  });

  it('recap', () => {
    const end = EVENTS.at(-1);
    assert.ok(end?.type === 'run:end');
    const results = EVENTS.flatMap((e) => (e.type === 'task:end' ? [e.result] : []));
    assertClean(renderRecap(end.recap, { color: false, results }), 'recap');
  });

  it('report file and JUnit', () => {
    const collector = createReportCollector();
    feed(collector.listener);
    const report = collector.toReport();
    assertClean(serializeReport(report), 'report');
    assertClean(renderJunit(report), 'junit');
  });

  it('live view', async () => {
    const out = new Terminal();
    const reporter = createPrettyReporter(out as unknown as NodeJS.WriteStream, { diff: true, color: false, err: new Terminal() as unknown as NodeJS.WriteStream });
    feed(reporter.listener);
    await reporter.finished;
    assertClean(out.chunks.join(''), 'pretty');
  });
});

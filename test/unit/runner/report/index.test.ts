// Tests of runner/report/index.ts: colour decisions and picking the reporter for --output.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { colorEnabled, createReporter } from '../../../../runner/report/index.js';
import { scriptedRun } from './scripted-run.js';

class Capture extends Writable {
  chunks: string[] = [];
  isTTY = false;
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk.toString());
    done();
  }
}

describe('colorEnabled', () => {
  it('colours a terminal unless NO_COLOR is set to something', () => {
    assert.equal(colorEnabled({ isTTY: true }, {}), true);
    assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '' }), true);
    assert.equal(colorEnabled({ isTTY: false }, {}), false);
    assert.equal(colorEnabled({}, {}), false);
  });
});

describe('createReporter', () => {
  it('writes JSON lines for json, plain lines for plain and for pretty off a terminal', async () => {
    const outputs: Record<string, string> = {};
    for (const kind of ['json', 'plain', 'pretty'] as const) {
      const out = new Capture();
      const reporter = createReporter(kind, out as unknown as NodeJS.WriteStream, { diff: false, color: false });
      for (const event of scriptedRun()) reporter.listener(event);
      await reporter.finished;
      outputs[kind] = out.chunks.join('');
    }
    assert.ok(outputs.json?.startsWith('{"check":false,"hosts":["spark-01"'));
    assert.ok(outputs.plain?.startsWith('RUN playbooks/site.yml (4 hosts)\n'));
    assert.equal(outputs.pretty, outputs.plain);
  });
});

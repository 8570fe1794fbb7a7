// Tests of runner/report/pretty.ts: the listr2 live view on a fake terminal, and its plain fallback.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPrettyReporter, type LiveReporter } from '../../../../runner/report/pretty.js';
import { scriptedRun, TSKEY } from './scripted-run.js';

/** A writable that says it is a terminal and keeps what it was sent. */
class FakeTerminal extends Writable {
  readonly chunks: string[] = [];
  isTTY: boolean;
  columns = 120;
  rows = 60;
  constructor(tty: boolean) {
    super();
    this.isTTY = tty;
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString());
    done();
  }
  get text(): string {
    return this.chunks.join('');
  }
}

const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

function reporterOn(out: FakeTerminal, err: FakeTerminal): LiveReporter {
  return createPrettyReporter(out as unknown as NodeJS.WriteStream, { diff: false, color: false, err: err as unknown as NodeJS.WriteStream, tickMs: 20 });
}

describe('createPrettyReporter', () => {
  it('draws host rows as events arrive, then failures and the recap below the view', async () => {
    const out = new FakeTerminal(true);
    const err = new FakeTerminal(true);
    const reporter = reporterOn(out, err);
    const events = scriptedRun();
    reporter.listener(events[0]!);
    // Let listr2 start and draw before the rest arrives, so rows update live.
    await sleep(150);
    for (const event of events.slice(1, -1)) {
      reporter.listener(event);
      await sleep(5);
    }
    await sleep(150);
    const midway = stripAnsi(out.text);
    assert.match(midway, /spark-01 +Write WireGuard config +ok=2 changed=2 failed=0 skipped=1/);
    reporter.listener(events.at(-1)!);
    await reporter.finished;
    const text = stripAnsi(out.text);
    const recapAt = text.lastIndexOf('\nRECAP\n');
    assert.ok(recapAt > 0, 'the recap is printed');
    const view = text.slice(0, recapAt);
    // The final frame shows each host's end and the total.
    assert.match(view, /spark-02 +sysctl: permission denied +ok=0 changed=0 failed=1/);
    assert.match(view, /spark-04 +skipped \(rollout stopped\)/);
    // listr2 cuts rows at the width of process.stdout (80 columns when it is not a terminal).
    assert.match(view, /total +\[█+\] +4\/4 hosts +ok=2 changed=2 failed=1/);
    // Failures are listed in full after the view, as plain lines.
    assert.match(view, /^failed +spark-02 \| Baseline \| Enable forwarding: sysctl: permission denied$/m);
    assert.match(view, /^unreachable spark-03 \| Baseline \| Enable forwarding: ssh: connect to host/m);
    assert.ok(text.slice(recapAt).includes('spark-04   0        0       0        0            0   0.0s  skipped (rollout stopped)'));
    assert.ok(!text.includes(TSKEY));
  });

  it('finishes cleanly when every event arrives before listr2 has started', async () => {
    const out = new FakeTerminal(true);
    const reporter = reporterOn(out, new FakeTerminal(true));
    for (const event of scriptedRun()) reporter.listener(event);
    await reporter.finished;
    const text = stripAnsi(out.text);
    assert.match(text, /spark-01 +done +ok=2 changed=2/);
    assert.ok(text.trimEnd().endsWith('    + apt ufw: install'));
  });

  it('settles when the run is stopped without run:end', async () => {
    const out = new FakeTerminal(true);
    const reporter = reporterOn(out, new FakeTerminal(true));
    for (const event of scriptedRun().slice(0, 9)) reporter.listener(event);
    await reporter.stop();
    assert.match(stripAnsi(out.text), /spark-02 +sysctl: permission denied/);
    assert.ok(!stripAnsi(out.text).includes('RECAP'));
  });

  it('falls back to the plain lines when the stream is not a terminal', async () => {
    const out = new FakeTerminal(false);
    const reporter = reporterOn(out, new FakeTerminal(false));
    for (const event of scriptedRun()) reporter.listener(event);
    await reporter.finished;
    assert.ok(out.text.startsWith('RUN playbooks/site.yml (4 hosts)\n'));
    assert.ok(out.text.includes('\nchanged     spark-01 | Baseline | Enable forwarding\n'));
    assert.ok(!out.text.includes('\u001b['));
  });
});

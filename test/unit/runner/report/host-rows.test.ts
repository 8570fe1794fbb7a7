// Tests of runner/report/host-rows.ts: the live view's rows as a pure function of the events.
import assert from 'node:assert/strict';
import type { RunEvent } from '../../../../runner/executor/events.js';
import { emptyRows, formatHostRow, formatTotalRow, reduceRows, rowOutcome, type RowsState } from '../../../../runner/report/host-rows.js';
import { scriptedRun } from './scripted-run.js';

/** Folds the events, one second apart, starting at t = 0. */
function fold(events: readonly RunEvent[]): RowsState {
  return events.reduce((state, event, index) => reduceRows(state, event, index * 1000), emptyRows());
}

describe('reduceRows', () => {
  it('has one row per host, in run order, before anything runs', () => {
    const state = fold(scriptedRun().slice(0, 1));
    assert.deepEqual(state.hosts, ['spark-01', 'spark-02', 'spark-03', 'spark-04']);
    assert.equal(formatHostRow(state.rows.get('spark-01')!, 0, false), 'spark-01  waiting  ok=0 changed=0 failed=0');
  });

  it('shows the running task, counts and elapsed time as events arrive', () => {
    const events = scriptedRun();
    const at = events.findIndex((e) => e.type === 'task:start' && e.task === 'Install packages');
    const state = fold(events.slice(0, at + 1));
    const row = state.rows.get('spark-01')!;
    assert.equal(row.phase, 'running');
    assert.equal(row.task, 'Install packages');
    assert.deepEqual(row.counts, { ok: 1, changed: 1, failed: 0, skipped: 1, unreachable: 0 });
    // spark-01 started at t=2s (its host:start is the third event); now is t=20s.
    assert.equal(formatHostRow(row, 20_000, false, 10), 'spark-01    Install packages  ok=1 changed=1 failed=0 skipped=1  18.0s');
  });

  it('does not change the state it was given', () => {
    const before = fold(scriptedRun().slice(0, 3));
    const snapshot = JSON.stringify([...before.rows]);
    reduceRows(before, { type: 'host:start', play: 'Baseline', host: 'spark-02' }, 5000);
    assert.equal(JSON.stringify([...before.rows]), snapshot);
  });

  it('ends every row at run:end with the recap counts, failure first line and note', () => {
    const state = fold(scriptedRun());
    assert.equal(state.finished, true);
    assert.deepEqual(
      state.hosts.map((h) => rowOutcome(state.rows.get(h)!)),
      ['changed', 'failed', 'failed', 'not-run'],
    );
    const end = state.endedAtMs!;
    assert.equal(formatHostRow(state.rows.get('spark-02')!, end, false), 'spark-02  sysctl: permission denied  ok=0 changed=0 failed=1  6.0s');
    assert.equal(formatHostRow(state.rows.get('spark-04')!, end, false), 'spark-04  skipped (rollout stopped)  ok=0 changed=0 failed=0');
    assert.match(formatHostRow(state.rows.get('spark-01')!, end, false), /^spark-01 {2}done {2}ok=2 changed=2 failed=0 skipped=1 {2}\d+\.\ds$/);
  });

  it('calls changes pending in check mode', () => {
    const state = fold(scriptedRun({ check: true }));
    assert.match(formatHostRow(state.rows.get('spark-01')!, 0, state.check), /pending=2/);
  });

  it('adds a host that appears only in events', () => {
    const state = fold([...scriptedRun().slice(0, 1), { type: 'host:start', play: 'p', host: 'late' }]);
    assert.deepEqual(state.hosts.at(-1), 'late');
  });
});

describe('formatTotalRow', () => {
  it('shows hosts done against hosts in total with a bar, and summed counts', () => {
    const events = scriptedRun();
    const running = fold(events.slice(0, 5));
    assert.equal(formatTotalRow(running, 4000, 4), 'total  [░░░░]  0/4 hosts  ok=0 changed=0 failed=0  4.0s');
    const done = fold(events);
    assert.equal(formatTotalRow(done, 99_000, 4), `total  [████]  4/4 hosts  ok=2 changed=2 failed=1 skipped=1 unreachable=1  ${events.length - 1}.0s`);
  });
});

// Tests of runner/report/recap.ts: an aligned table in the executor's host order, and what changed.
import assert from 'node:assert/strict';
import type { HostRecap, RunEvent, TaskResult } from '../../../../runner/executor/events.js';
import { renderRecap, renderRecapTable } from '../../../../runner/report/recap.js';
import { visibleLength } from '../../../../runner/report/style.js';
import { scriptedRun } from './scripted-run.js';

function endOf(events: readonly RunEvent[]): { recap: readonly HostRecap[]; results: TaskResult[]; durationMs: number } {
  const end = events.at(-1);
  assert.ok(end && end.type === 'run:end');
  const results = events.flatMap((e) => (e.type === 'task:end' ? [e.result] : []));
  return { recap: end.recap, results, durationMs: end.durationMs };
}

describe('renderRecap', () => {
  it('aligns every column of the table', () => {
    const { recap, results, durationMs } = endOf(scriptedRun());
    const text = renderRecap(recap, { color: false, results, durationMs });
    assert.equal(
      text,
      [
        'RECAP',
        'host      ok  changed  failed  skipped  unreachable   time',
        'spark-01   2        2       0        1            0   4.2s',
        'spark-02   0        0       1        0            0   1.3s',
        'spark-03   0        0       0        0            1  10.0s',
        'spark-04   0        0       0        0            0   0.0s  skipped (rollout stopped)',
        '4 hosts: 2 ok, 2 changed, 1 failed, 1 skipped, 1 unreachable in 12.3s',
        '',
        'CHANGES',
        'spark-01',
        '  Baseline | Enable forwarding',
        '    ~ sysctl net.ipv4.ip_forward: 0 → 1',
        '    ~ /etc/sysctl.d/99-sparkbook.conf: content',
        '  Baseline | Install packages (item={"name":"ufw","note":"nothing-secret"})',
        '    + apt ufw: install',
        '',
      ].join('\n'),
    );
  });

  it('keeps the order of the recap array, not alphabetical order', () => {
    const hosts: HostRecap[] = ['zeta', 'alpha', 'mid'].map((host) => ({ host, ok: 1, changed: 0, failed: 0, skipped: 0, unreachable: 0, durationMs: 10 }));
    const rows = renderRecapTable(hosts, false).slice(1).map((l) => l.split(' ')[0]);
    assert.deepEqual(rows, ['zeta', 'alpha', 'mid']);
  });

  it('says check-mode changes are pending', () => {
    const { recap, results } = endOf(scriptedRun({ check: true }));
    const text = renderRecap(recap, { color: false, check: true, results });
    assert.match(text, /^RECAP \(check mode: nothing was changed\)$/m);
    assert.match(text, /^PENDING CHANGES$/m);
  });

  it('colours only when asked, and colours keep the columns aligned', () => {
    const { recap } = endOf(scriptedRun());
    const plain = renderRecapTable(recap, false);
    const colored = renderRecapTable(recap, true);
    assert.ok(!plain.join('\n').includes('\u001b['));
    assert.ok(colored.join('\n').includes('\u001b[31m'));
    assert.deepEqual(colored.map(visibleLength), plain.map((l) => l.length));
  });

  it('widens the host column for long names', () => {
    const hosts: HostRecap[] = [{ host: 'a-very-long-host-name.example', ok: 12, changed: 3, failed: 0, skipped: 0, unreachable: 0, durationMs: 65_000 }];
    const [header, row] = renderRecapTable(hosts, false);
    // Counts are right-aligned under their titles.
    assert.equal((header as string).indexOf(' ok') + 3, (row as string).indexOf(' 12') + 3);
    assert.ok((row as string).startsWith('a-very-long-host-name.example  '));
    assert.ok(row?.endsWith('1m05s'));
  });
});

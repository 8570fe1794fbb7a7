// What -v and -vv add under a result in plain output (runner/report/verbose-detail.ts).
import assert from 'node:assert/strict';
import type { TaskResult } from '../../../../runner/executor/events.js';
import { renderVerboseDetail } from '../../../../runner/report/verbose-detail.js';
import { Secret } from '../../../../runner/shell/secret.js';

const base: TaskResult = {
  host: 'h', play: 'p', task: 't', module: 'command', status: 'changed', pending: false, changes: [],
  startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1,
};

describe('runner/report/verbose-detail', () => {
  const detail = { changed: true, failed: false, rc: 3, stdout: 'one\ntwo', stderr: 'oops', stdout_lines: ['one', 'two'], msg: 'ran', path: '/etc/x', token: new Secret('tok-secret-123') };

  it('shows nothing without -v, or for a result without detail (no_log)', () => {
    assert.deepEqual(renderVerboseDetail({ ...base, detail }, 0), []);
    assert.deepEqual(renderVerboseDetail(base, 3), []);
  });

  it('-v shows stdout, stderr (each line indented) and rc, nothing else', () => {
    assert.deepEqual(renderVerboseDetail({ ...base, detail }, 1), ['    stdout:', '      one', '      two', '    stderr:', '      oops', '    rc: 3']);
  });

  it('-vv adds the other return values as JSON, masks secrets, and does not repeat the status line\'s message', () => {
    const lines = renderVerboseDetail({ ...base, message: 'ran', detail }, 2);
    assert.deepEqual(lines.slice(6), ['    path: "/etc/x"', '    token: "«redacted»"'].map((l) => l.replace('«redacted»', JSON.parse(JSON.stringify(new Secret('x'))) as string)));
    assert.ok(!lines.join('\n').includes('tok-secret-123'));
    assert.ok(!lines.some((l) => l.startsWith('    msg:')));
    assert.ok(!lines.some((l) => l.includes('stdout_lines') || l.includes('changed')));
  });
});

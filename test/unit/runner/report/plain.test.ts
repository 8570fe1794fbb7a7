// Tests of runner/report/plain.ts: the exact, grep-able lines written for a scripted run.
import assert from 'node:assert/strict';
import { createPlainReporter, type PlainOptions } from '../../../../runner/report/plain.js';
import { scriptedRun, Sink } from './scripted-run.js';

function render(options: PlainOptions, check = false): string {
  const sink = new Sink();
  const listener = createPlainReporter(sink, options);
  for (const event of scriptedRun({ check })) listener(event);
  return sink.text;
}

const RECAP = [
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
];

describe('createPlainReporter', () => {
  it('writes one line per result, changes under it, diffs with --diff, then the recap', () => {
    assert.deepEqual(render({ diff: true, color: false }).split('\n'), [
      'RUN playbooks/site.yml (4 hosts)',
      '',
      'PLAY [Baseline] (3 hosts)',
      'changed     spark-01 | Baseline | Enable forwarding',
      '    ~ sysctl net.ipv4.ip_forward: 0 → 1',
      '    ~ /etc/sysctl.d/99-sparkbook.conf: content',
      '      --- /etc/sysctl.d/99-sparkbook.conf (before)',
      '      +++ /etc/sysctl.d/99-sparkbook.conf (after)',
      '      @@ -1 +1 @@',
      '      -net.ipv4.ip_forward = 0',
      '      +net.ipv4.ip_forward = 1',
      'failed      spark-02 | Baseline | Enable forwarding: sysctl: permission denied',
      '    while using tskey-auth-«redacted»',
      'unreachable spark-03 | Baseline | Enable forwarding: ssh: connect to host spark-03 port 22: Connection refused',
      'ok          spark-01 | Baseline | Show the token: token is nothing-secret',
      'skipped     spark-01 | Baseline | Only on x86: when: facts.arch == "x86_64" is false',
      'changed     spark-01 | Baseline | Install packages (item={"name":"ufw","note":"nothing-secret"})',
      '    + apt ufw: install',
      'ok          spark-01 | Baseline | Write WireGuard config: [Interface]',
      '    PrivateKey = «redacted»',
      '',
      ...RECAP,
      '',
    ]);
  });

  it('leaves diffs out without --diff', () => {
    const text = render({ diff: false, color: false });
    assert.ok(!text.includes('@@ -1 +1 @@'));
    assert.ok(text.includes('    ~ /etc/sysctl.d/99-sparkbook.conf: content\n'));
  });

  it('shows a change found in check mode as pending, and says the run was a check', () => {
    const lines = render({ diff: false, color: false }, true).split('\n');
    assert.equal(lines[0], 'RUN playbooks/site.yml (4 hosts, check mode)');
    assert.deepEqual(
      lines.filter((l) => /^(pending|changed) /.test(l)),
      ['pending     spark-01 | Baseline | Enable forwarding', 'pending     spark-01 | Baseline | Install packages (item={"name":"ufw","note":"nothing-secret"})'],
    );
  });

  it('adds task starts and durations when verbose', () => {
    const lines = render({ diff: false, verbosity: 1, color: false }).split('\n');
    assert.ok(lines.includes('running     spark-01 | Baseline | Enable forwarding'));
    assert.ok(lines.includes('changed     spark-01 | Baseline | Enable forwarding [0.3s]'));
  });

  it('keeps every result line in the form "<status> <host> | <play> | <task>"', () => {
    const results = render({ diff: true, color: false })
      .split('\n')
      .filter((l) => /^(ok|changed|failed|skipped|unreachable|pending) /.test(l));
    assert.equal(results.length, 7);
    for (const line of results) assert.match(line, /^(ok|changed|failed|skipped|unreachable|pending) +spark-0\d \| Baseline \| [^|]+$/);
  });

  it('writes the same bytes for the same events', () => {
    assert.equal(render({ diff: true, color: true }), render({ diff: true, color: true }));
  });

  it('colours status words only when asked', () => {
    assert.ok(!render({ diff: true, color: false }).includes('\u001b['));
    assert.ok(render({ diff: true, color: true }).includes('\u001b[31mfailed     \u001b[39m spark-02'));
  });
});

// Tests modules/lib/plan-sysctl.ts: the probe's parser, reading the persisted value, and a plan that converges and sets the kernel before the file.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { MISSING_FILE, type ObservedFile } from '../../../../modules/lib/probe-file.js';
import { normalizeSysctlValue, parseSysctl, persistedValue, planSysctl, type DesiredSysctl, type ObservedSysctl } from '../../../../modules/lib/plan-sysctl.js';
import { revealText } from '../../../../modules/lib/text.js';
import { InternalError, TaskError } from '../../../../runner/errors.js';
import type { Change } from '../../../../runner/module.js';

const FILE = '/etc/sysctl.d/60-sparkbook.conf';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

function file(content: string): ObservedFile {
  return { ...MISSING_FILE, exists: true, type: 'file', mode: '0644', uid: 0, owner: 'root', gid: 0, group: 'root', size: Buffer.byteLength(content), content };
}

const want = (over: Partial<DesiredSysctl> = {}): DesiredSysctl => ({ name: 'net.ipv4.ip_forward', value: '1', state: 'present', file: FILE, reload: true, ...over });

/** The observation after the plan ran: the runtime set by `sysctl -w`, the file as the last file change left it. */
function applied(o: ObservedSysctl, d: DesiredSysctl, changes: readonly Change[]): ObservedSysctl {
  let next = o;
  for (const c of changes) {
    if (c.target.startsWith('sysctl ')) next = { ...next, runtime: normalizeSysctlValue(d.value ?? '') };
    else if (c.diff !== undefined) next = { ...next, file: file(revealText(c.diff.after)) };
    else if (c.action === '-') next = { ...next, file: MISSING_FILE };
  }
  return next;
}

describe('parseSysctl', () => {
  it('reads the runtime value, tabs of a vector value collapsed, and the persistence file', () => {
    const out = `@section sysctl\nvalue ${b64('4096\t87380\t6291456\n')}\n@end\n@section sysctl.file\nexists 1\ntype file\nmode 644\ncontent ${b64('net.ipv4.tcp_rmem = 4096 87380 6291456\n')}\n@end\n`;
    const o = parseSysctl(out);
    assert.equal(o.runtime, '4096 87380 6291456');
    assert.equal(o.file.content, 'net.ipv4.tcp_rmem = 4096 87380 6291456\n');
    assert.equal(o.file.mode, '0644');
  });

  it('reads a key the kernel lacks, and a missing probe, as no runtime value and no file', () => {
    assert.deepEqual(parseSysctl('@section sysctl\nmissing\n@end\n@section sysctl.file\nexists 0\n@end'), { runtime: null, file: MISSING_FILE });
    assert.deepEqual(parseSysctl(''), { runtime: null, file: MISSING_FILE });
  });

  it('keeps probes of several keys apart by their section key', () => {
    const out = `@section a\nvalue ${b64('1')}\n@end\n@section b\nvalue ${b64('0')}\n@end`;
    assert.equal(parseSysctl(out, 'a').runtime, '1');
    assert.equal(parseSysctl(out, 'b').runtime, '0');
  });
});

describe('persistedValue', () => {
  it('takes the last assignment of the key, as sysctl applies them in order', () => {
    assert.equal(persistedValue('net.ipv4.ip_forward=0\n# comment\n  net.ipv4.ip_forward = 1 \n', 'net.ipv4.ip_forward'), '1');
  });

  it('ignores comments, other keys sharing a prefix, and dots as wildcards', () => {
    const text = '# net.ipv4.ip_forward=1\nnet.ipv4.ip_forward_update_priority=1\nnetXipv4Xip_forward=1\n';
    assert.equal(persistedValue(text, 'net.ipv4.ip_forward'), null);
  });
});

describe('planSysctl', () => {
  it('sets the kernel first, then writes the file (a value the kernel refuses never reaches the file)', () => {
    const changes = planSysctl(want(), { runtime: '0', file: MISSING_FILE });
    assert.deepEqual(changes.map((c) => c.target), ['sysctl net.ipv4.ip_forward', FILE]);
    assert.equal(changes[0]?.summary, 'net.ipv4.ip_forward: 0 → 1');
    assert.match(String(changes[0]?.script), /^sysctl -q -w -- net\.ipv4\.ip_forward=1$/);
  });

  it('leaves alone a file that already says the value with other spacing', () => {
    assert.deepEqual(planSysctl(want({ value: '4096  87380 6291456', name: 'net.ipv4.tcp_rmem' }), { runtime: '4096 87380 6291456', file: file('net.ipv4.tcp_rmem = 4096\t87380 6291456\n') }), []);
  });

  it('only persists when reload is false, even for a key this kernel lacks', () => {
    const changes = planSysctl(want({ reload: false }), { runtime: null, file: file('other=1\n') });
    assert.deepEqual(changes.map((c) => c.target), [FILE]);
    assert.equal(revealText(changes[0]!.diff!.after), 'other=1\nnet.ipv4.ip_forward=1\n');
  });

  it('fails the task for a key the kernel lacks when it must set it now', () => {
    assert.throws(() => planSysctl(want(), { runtime: null, file: MISSING_FILE }), (e: unknown) => e instanceof TaskError && /no such key/.test(e.message));
  });

  it('calls a present state without a value a bug of the caller', () => {
    assert.throws(() => planSysctl(want({ value: undefined }), { runtime: '0', file: MISSING_FILE }), InternalError);
  });

  it('removes every line of the key for state absent, and nothing when the file is missing', () => {
    const changes = planSysctl(want({ state: 'absent', value: undefined }), { runtime: '1', file: file('a=1\nnet.ipv4.ip_forward=1\nnet.ipv4.ip_forward = 0\n') });
    assert.equal(changes.length, 1);
    assert.equal(revealText(changes[0]!.diff!.after), 'a=1\n');
    assert.deepEqual(planSysctl(want({ state: 'absent', value: undefined }), { runtime: '1', file: MISSING_FILE }), []);
  });

  it('converges: after its changes, a second plan is empty', () => {
    const value = fc.stringMatching(/^[0-9]{1,3}( [0-9]{1,3}){0,2}$/);
    const line = fc.constantFrom('net.ipv4.ip_forward=0', 'net.ipv4.ip_forward = 7 8', '# net.ipv4.ip_forward=1', 'net.ipv6.conf.all.forwarding=1', '');
    const observedFile = fc.option(fc.array(line, { maxLength: 5 }).map((ls) => file(ls.length === 0 ? '' : `${ls.join('\n')}\n`)), { nil: undefined });
    fc.assert(
      fc.property(value, fc.option(value, { nil: null }), observedFile, fc.constantFrom<'present' | 'absent'>('present', 'absent'), fc.boolean(), (v, runtime, f, state, reload) => {
        const d = want({ value: state === 'present' ? v : undefined, state, reload });
        const o: ObservedSysctl = { runtime: runtime ?? '0', file: f ?? MISSING_FILE };
        const once = planSysctl(d, o);
        assert.deepEqual(planSysctl(d, applied(o, d, once)), []);
      }),
      { numRuns: 300 },
    );
  });
});

// Tests modules/lib/sshd-validate.ts: every reason the staged sshd check gives not to go on, per phase and port, and none when all is well.
import { strict as assert } from 'node:assert';
import { validationProblems } from '../../../../modules/lib/sshd-validate.js';
import type { Phase } from '../../../../modules/lib/sshd-plan.js';

// validationProblems reads only a phase's ports; the rest of Phase belongs to sshd-plan.ts.
const phase = (ports: readonly number[]): Phase => ({ ports }) as unknown as Phase;

/** The staged check's output: groups, then per phase `sshd -t` and `sshd -T -C` per port. */
function output(groups: readonly string[], phases: readonly { t: readonly string[]; T: Readonly<Record<number, readonly string[]>> }[]): string {
  const lines = ['@section sshd.groups', ...groups, '@end'];
  phases.forEach((p, n) => {
    lines.push(`@section sshd.t.${n}`, ...p.t, '@end');
    for (const [port, T] of Object.entries(p.T)) lines.push(`@section sshd.T.${n}.${port}`, ...T, '@end');
  });
  return lines.join('\n');
}

const GOOD = (...ports: number[]): string[] => [...ports.map((p) => `port ${p}`), 'pubkeyauthentication yes'];

describe('validationProblems', () => {
  it('finds nothing when both phases of a port move pass sshd -t and -T on every port', () => {
    const out = output(['spark'], [
      { t: ['@ok'], T: { 22: GOOD(22, 2222), 2222: GOOD(22, 2222) } },
      { t: ['@ok'], T: { 2222: GOOD(2222) } },
    ]);
    assert.deepEqual(validationProblems(out, [phase([22, 2222]), phase([2222])], 'spark'), []);
  });

  it("quotes sshd -t's own words for a rejected config, and names the phase", () => {
    const out = output([], [
      { t: ['/etc/ssh/staged/sshd_config.d/01-sparkbook.conf line 3: Bad configuration option: LogLevelX', '@fail 255'], T: {} },
      { t: ['@ok'], T: { 2222: GOOD(2222) } },
    ]);
    assert.deepEqual(validationProblems(out, [phase([22, 2222]), phase([2222])], 'spark'), [
      'sshd -t rejects the transition config (old and new ports): /etc/ssh/staged/sshd_config.d/01-sparkbook.conf line 3: Bad configuration option: LogLevelX',
    ]);
  });

  it('refuses a phase whose check printed nothing, or never ran', () => {
    assert.deepEqual(validationProblems(output([], [{ t: [], T: {} }]), [phase([22])], 'spark'), ['sshd -t rejects the candidate config: no reason given']);
    assert.deepEqual(validationProblems('', [phase([22])], 'spark'), ['sshd -t rejects the candidate config: (no output)']);
  });

  it('refuses a port whose sshd -T failed or is missing', () => {
    const out = output([], [{ t: ['@ok'], T: { 22: ['Unsupported option lport', '@error 255'] } }]);
    assert.deepEqual(validationProblems(out, [phase([22, 2222])], 'spark'), [
      'sshd -T -C (lport=22) fails on the candidate config: Unsupported option lport',
      'sshd -T -C (lport=2222) fails on the candidate config: no output',
    ]);
  });

  it('finds a lockout on the port a Match block applies to, with the groups the host reported', () => {
    const out = output(['spark', 'sudo'], [{ t: ['@ok'], T: { 22: [...GOOD(22, 2222), 'allowgroups sudo'], 2222: [...GOOD(22, 2222), 'denygroups sudo'] } }]);
    assert.deepEqual(validationProblems(out, [phase([22, 2222])], 'spark'), ['the candidate config, port 2222: DenyGroups matches a group of spark']);
  });

  it('compares ports whatever their order in the phase', () => {
    const out = output([], [{ t: ['@ok'], T: { 22: GOOD(2222, 22), 2222: GOOD(2222, 22) } }]);
    assert.deepEqual(validationProblems(out, [phase([2222, 22])], 'spark'), []);
  });

  it('says a problem every port shows once, and keeps per-port lockouts apart', () => {
    const out = output([], [{ t: ['@ok'], T: { 22: [...GOOD(22), 'permitrootlogin no'], 2222: [...GOOD(22), 'permitrootlogin no'] } }]);
    assert.deepEqual(validationProblems(out, [phase([22, 2222])], 'root'), [
      'the candidate config would listen on 22, not 22,2222 (another file sets Port?)',
      'the candidate config, port 22: PermitRootLogin no refuses root, the user sparkbook connects as',
      'the candidate config, port 2222: PermitRootLogin no refuses root, the user sparkbook connects as',
    ]);
  });
});

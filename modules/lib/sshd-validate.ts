// Reads the output of the staged validation: `sshd -t` per phase, `sshd -T -C …` per phase and
// port, the operator's groups; returns every reason not to go on (empty: go on).
import { parseSections } from './parse.js';
import { effectivePorts, operatorLockouts, parseSshdT } from './sshd-effective.js';
import type { Phase } from './sshd-plan.js';

export function validationProblems(stdout: string, phases: readonly Phase[], user: string): string[] {
  const sections = parseSections(stdout);
  const groups = (sections.get('sshd.groups') ?? []).map((g) => g.trim()).filter((g) => g !== '');
  const problems: string[] = [];
  phases.forEach((ph, n) => {
    const label = phases.length > 1 ? (n === 0 ? 'the transition config (old and new ports)' : 'the final config') : 'the candidate config';
    const t = sections.get(`sshd.t.${n}`);
    if (t === undefined || !t.includes('@ok')) {
      const text = (t ?? ['(no output)']).filter((l) => !l.startsWith('@')).join('\n').trim();
      problems.push(`sshd -t rejects ${label}: ${text || 'no reason given'}`);
      return;
    }
    for (const port of ph.ports) {
      const lines = sections.get(`sshd.T.${n}.${port}`);
      if (lines === undefined || lines.some((l) => l.startsWith('@error'))) {
        problems.push(`sshd -T -C (lport=${port}) fails on ${label}: ${(lines ?? []).filter((l) => !l.startsWith('@')).join(' ').trim() || 'no output'}`);
        continue;
      }
      const effective = parseSshdT(lines.join('\n'));
      const ports = effectivePorts(effective);
      const want = [...ph.ports].sort((a, b) => a - b);
      if (ph.ports.length > 0 && ports.join(',') !== want.join(',')) {
        problems.push(`${label} would listen on ${ports.join(',') || 'nothing'}, not ${want.join(',')} (another file sets Port?)`);
      }
      for (const p of operatorLockouts(effective, user, groups)) problems.push(`${label}, port ${port}: ${p}`);
    }
  });
  return [...new Set(problems)];
}

// Turns the benchmark's samples into one table (stdout and Markdown) and a JSON record.
import type { Tool } from './args.js';
import type { Measured } from './proc.js';
import type { FloorKind, Mode } from './tools.js';

export type Subject = Tool | FloorKind;

/** One run: what measure() saw (but the output), the sshd counts, the tool's recap, the machine's load. */
export interface Sample extends Omit<Measured, 'output'> {
  readonly hosts: number;
  readonly mode: Mode | '-';
  readonly subject: Subject;
  readonly run: number;
  readonly loginsPerHost: number;
  readonly sessionsPerHost: number;
  readonly maxLogins: number;
  readonly maxSessions: number;
  readonly changed: number | null;
  readonly failed: number | null;
  /** The machine's 1-minute load average around the run (other work on the machine skews the figures). */
  readonly load1: number;
  readonly log: string;
}

export interface Row {
  readonly hosts: number;
  readonly mode: Mode | '-';
  readonly subject: Subject;
  readonly runs: number;
  readonly medianS: number;
  readonly minS: number;
  readonly maxS: number;
  /** This subject's median over sparkbook's, same hosts and mode (ansible/sparkbook). */
  readonly vsSparkbook: number | null;
  /** sparkbook only: its median over the session floor's median, same hosts. */
  readonly vsFloor: number | null;
  readonly rssTopMB: number;
  readonly rssTreeMB: number;
  readonly controllerCpuS: number;
  readonly machineCpuS: number;
  readonly connPerHost: number;
  readonly chanPerHost: number;
  readonly changed: string;
  readonly failures: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function summarize(samples: readonly Sample[]): Row[] {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const key = `${s.hosts}\u0000${s.mode}\u0000${s.subject}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const medianOf = (hosts: number, mode: string, subject: Subject): number | undefined => {
    const g = groups.get(`${hosts}\u0000${mode}\u0000${subject}`);
    return g ? median(g.map((s) => s.wallMs)) : undefined;
  };
  const rows: Row[] = [];
  for (const g of groups.values()) {
    const first = g[0] as Sample;
    const wall = g.map((s) => s.wallMs);
    const med = median(wall);
    const sb = first.mode === '-' ? undefined : medianOf(first.hosts, first.mode, 'sparkbook');
    const floor = medianOf(first.hosts, '-', 'floor: session');
    const changed = [...new Set(g.map((s) => (s.changed === null ? '?' : String(s.changed))))].join('/');
    rows.push({
      hosts: first.hosts,
      mode: first.mode,
      subject: first.subject,
      runs: g.length,
      medianS: med / 1000,
      minS: Math.min(...wall) / 1000,
      maxS: Math.max(...wall) / 1000,
      vsSparkbook: sb === undefined || first.subject === 'sparkbook' ? null : med / sb,
      vsFloor: first.subject === 'sparkbook' && floor !== undefined ? med / floor : null,
      rssTopMB: median(g.map((s) => s.maxRssKiB)) / 1024,
      rssTreeMB: Math.max(...g.map((s) => s.treeRssKiB)) / 1024,
      controllerCpuS: median(g.map((s) => s.controllerCpuMs)) / 1000,
      machineCpuS: median(g.map((s) => s.machineCpuMs)) / 1000,
      connPerHost: median(g.map((s) => s.loginsPerHost)),
      chanPerHost: median(g.map((s) => s.sessionsPerHost)),
      changed: first.subject.startsWith('floor') ? '-' : changed,
      failures: g.filter((s) => s.exitCode !== 0 || (s.failed ?? 0) > 0).length,
    });
  }
  const modeOrder = ['-', 'check', 'first apply', 'second apply'];
  const subjectOrder = ['floor: connect', 'floor: session', 'sparkbook', 'ansible-default', 'ansible-tuned'];
  return rows.sort((a, b) => a.hosts - b.hosts || modeOrder.indexOf(a.mode) - modeOrder.indexOf(b.mode) || subjectOrder.indexOf(a.subject) - subjectOrder.indexOf(b.subject));
}

const HEAD = ['hosts', 'mode', 'tool', 'median s', 'min–max s', '×sparkbook', '×floor', 'RSS top MB', 'RSS tree MB', 'ctl CPU s', 'all CPU s', 'conn/host', 'chan/host', 'changed', 'fail'];

function cells(r: Row): string[] {
  const f = (x: number, d = 2): string => x.toFixed(d);
  const per = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1));
  return [
    String(r.hosts),
    r.mode,
    r.subject,
    f(r.medianS),
    `${f(r.minS)}–${f(r.maxS)}`,
    r.vsSparkbook === null ? '' : `${f(r.vsSparkbook, 1)}×`,
    r.vsFloor === null ? '' : `${f(r.vsFloor, 2)}×`,
    f(r.rssTopMB, 0),
    f(r.rssTreeMB, 0),
    f(r.controllerCpuS),
    f(r.machineCpuS),
    per(r.connPerHost),
    per(r.chanPerHost),
    r.changed,
    r.failures === 0 ? '' : `${r.failures}/${r.runs}`,
  ];
}

/** Fixed-width text for a terminal. */
export function textTable(rows: readonly Row[]): string {
  const body = rows.map(cells);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...body.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]): string => c.map((x, i) => (i < 3 ? x.padEnd(widths[i] ?? 0) : x.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(HEAD), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function markdownTable(rows: readonly Row[]): string {
  const out = [`| ${HEAD.join(' | ')} |`, `|${HEAD.map((_, i) => (i < 3 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const r of rows) out.push(`| ${cells(r).join(' | ')} |`);
  return out.join('\n');
}

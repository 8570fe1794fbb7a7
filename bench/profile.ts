// Summarises a V8 .cpuprofile of a sparkbook run (node --cpu-prof) by where the controller spends its samples.
// Usage: node dist/bench/profile.js FILE.cpuprofile
import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Buckets, first match wins, tested on the whole stack from the sampled frame up. */
const BUCKETS: readonly [string, (urls: readonly string[], top: CallFrame, fns: readonly string[]) => boolean][] = [
  ['idle (waiting on hosts)', (_u, top) => top.functionName === '(idle)'],
  ['garbage collection', (_u, top) => top.functionName === '(garbage collector)'],
  ['module loading (startup)', (u, _t, fns) => fns.includes('wrapSafe') || fns.includes('compileFunction') || u.some((x) => x.includes('internal/modules/'))],
  ['socket writes (kernel loopback/bridge path)', (_u, top) => top.functionName === 'writeBuffer'],
  ['ajv (schema compile, validate)', (u) => u.some((x) => x.includes('node_modules/ajv'))],
  ['yaml parse (playbook, inventory)', (u) => u.some((x) => x.includes('node_modules/yaml'))],
  ['ssh2 (handshake crypto, packets)', (u) => u.some((x) => x.includes('node_modules/ssh2') || x.includes('internal/crypto'))],
  ['facts parsing', (u) => u.some((x) => x.includes('runner/facts/'))],
  ['template rendering', (u) => u.some((x) => x.includes('runner/template/'))],
  ['reporting (plain output)', (u) => u.some((x) => x.includes('runner/report/'))],
  ['modules (probe, plan, scripts)', (u) => u.some((x) => x.includes('/modules/') || x.includes('runner/shell/'))],
  ['connection (runner/connection)', (u) => u.some((x) => x.includes('runner/connection/'))],
  ['executor', (u) => u.some((x) => x.includes('runner/executor/'))],
  ['load, inventory, commands', (u) => u.some((x) => x.includes('runner/'))],
];

export function summarize(profile: CpuProfile): { bucket: string; samples: number; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const counts = new Map<string, number>();
  for (const id of profile.samples) {
    const frames: CallFrame[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (node) frames.push(node.callFrame);
    }
    const top = frames[0] ?? { functionName: '', url: '', lineNumber: 0 };
    const urls = frames.map((f) => f.url);
    const fns = frames.map((f) => f.functionName);
    const bucket = BUCKETS.find(([, test]) => test(urls, top, fns))?.[0] ?? 'other (node internals)';
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  const busy = [...counts].filter(([b]) => !b.startsWith('idle')).reduce((s, [, n]) => s + n, 0);
  return [...counts]
    .map(([bucket, samples]) => ({ bucket, samples, share: bucket.startsWith('idle') ? NaN : samples / Math.max(1, busy) }))
    .sort((a, b) => b.samples - a.samples);
}

const file = process.argv[2];
if (file !== undefined && process.argv[1]?.endsWith('profile.js')) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const wall = profile.timeDeltas.reduce((s, d) => s + d, 0) / 1e6;
  process.stdout.write(`${profile.samples.length} samples over ${wall.toFixed(1)} s of wall time\n`);
  for (const r of summarize(profile)) {
    process.stdout.write(`${String(r.samples).padStart(6)}  ${Number.isNaN(r.share) ? '      ' : `${(100 * r.share).toFixed(1).padStart(5)}%`}  ${r.bucket}\n`);
  }
}

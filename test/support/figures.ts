// The reliability figures of a test run (faults injected, hosts lost, secrets leaked, …): tests
// record them here, and test/unit/reliability/summary-hooks.ts prints them at the end. With
// SPARKBOOK_FIGURES set to a file path, figures add up across processes (unit + e2e mocha runs).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export type FigureName =
  | 'faults.injected'
  | 'faults.runs'
  | 'hosts.lost'
  | 'lockouts'
  | 'hostile.inputs'
  | 'errors.unlocated'
  | 'injection.payloads'
  | 'injection.executed'
  | 'secrets.sinks'
  | 'secrets.leaked'
  | 'fds.leaked'
  | 'fuzz.cases';

const memory = new Map<string, number>();

function file(): string | undefined {
  const path = process.env['SPARKBOOK_FIGURES'];
  return path !== undefined && path !== '' ? path : undefined;
}

function readFile(path: string): Record<string, number> {
  if (!existsSync(path)) return {};
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, number>) : {};
  } catch {
    return {};
  }
}

/** Adds `delta` to a figure (creating it at 0): counts that several tests contribute to. */
export function addFigure(name: FigureName | string, delta: number): void {
  const path = file();
  if (path === undefined) {
    memory.set(name, (memory.get(name) ?? 0) + delta);
    return;
  }
  const all = readFile(path);
  all[name] = (all[name] ?? 0) + delta;
  writeFileSync(path, JSON.stringify(all));
}

/** Every figure recorded so far (this process, or every process sharing SPARKBOOK_FIGURES). */
export function figures(): Readonly<Record<string, number>> {
  const path = file();
  return path === undefined ? Object.fromEntries(memory) : readFile(path);
}

/** The summary block printed at the end of `npm test`. */
export function renderSummary(values: Readonly<Record<string, number>> = figures()): string {
  const show = (name: string): string => (values[name] === undefined ? 'n/a' : String(values[name]));
  const rows: [string, string][] = [
    ['faults injected', `${show('faults.injected')} (in ${show('faults.runs')} runs)`],
    ['hosts lost work', `${show('hosts.lost')} (must be 0)`],
    ['lockouts', `${show('lockouts')} (must be 0)`],
    ['hostile inputs tried', show('hostile.inputs')],
    ['unlocated errors', `${show('errors.unlocated')} (must be 0)`],
    ['injection payloads run', `${show('injection.payloads')}, executed: ${show('injection.executed')} (must be 0)`],
    ['fuzz cases', show('fuzz.cases')],
    ['secret sinks scanned', show('secrets.sinks')],
    ['secrets leaked', `${show('secrets.leaked')} (must be 0)`],
    ['fds leaked', `${show('fds.leaked')} (must be 0)`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['== reliability and security figures', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
}

// Command-line options of the benchmark driver (bench/run.sh passes its arguments through).

export type Tool = 'sparkbook' | 'ansible-default' | 'ansible-tuned';
export const TOOLS: readonly Tool[] = ['sparkbook', 'ansible-default', 'ansible-tuned'];

export interface BenchArgs {
  readonly hosts: readonly number[];
  readonly runs: number;
  readonly tools: readonly Tool[];
  readonly labName: string;
  /** Leave the lab up at the end (a next run starts at once). */
  readonly keepLab: boolean;
  /** Containers to keep in the lab (at least the largest host count), so runs of other sizes do not shrink it. */
  readonly labSize: number;
  /** Where the python3-apt .debs run.sh downloaded are (Ansible's apt module needs python3-apt on the target). */
  readonly debsDir: string | undefined;
}

const USAGE = `usage: bench/run.sh [--hosts 1,10,30] [--runs 3] [--tools sparkbook,ansible-default,ansible-tuned] [--lab NAME] [--lab-size N] [--keep-lab]`;

export class UsageError extends Error {}

function positiveInt(text: string | undefined, what: string): number {
  const n = Number(text);
  if (text === undefined || !/^[0-9]+$/.test(text) || n < 1) throw new UsageError(`${what} must be a positive whole number, got ${text ?? 'nothing'}\n${USAGE}`);
  return n;
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): BenchArgs {
  let hosts: number[] = [1, 10, 30];
  let runs = 3;
  let tools: Tool[] = [...TOOLS];
  let labName = 'sbbn';
  let keepLab = false;
  let labSize = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--hosts') hosts = value().split(',').map((s) => positiveInt(s, '--hosts'));
    else if (a === '--runs') runs = positiveInt(value(), '--runs');
    else if (a === '--tools') {
      tools = value().split(',').map((t) => {
        if (!(TOOLS as readonly string[]).includes(t)) throw new UsageError(`unknown tool ${t}\n${USAGE}`);
        return t as Tool;
      });
    } else if (a === '--lab') labName = value();
    else if (a === '--keep-lab') keepLab = true;
    else if (a === '--lab-size') labSize = positiveInt(value(), '--lab-size');
    else if (a === '--help' || a === '-h') throw new UsageError(USAGE);
    else throw new UsageError(`unknown option ${a ?? ''}\n${USAGE}`);
  }
  const sorted = [...new Set(hosts)].sort((x, y) => x - y);
  return { hosts: sorted, runs, tools, labName, keepLab, labSize: Math.max(labSize, ...sorted), debsDir: env['BENCH_DEBS'] };
}

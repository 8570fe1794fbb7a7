// Runs a sparkbook command in this process (as runner/cli.ts does, minus process.exit), so that
// hundreds of hostile inputs cost no Node start-up each, and CPU time and connects can be measured.
import { Readable, Writable } from 'node:stream';
import { InputError, InputErrors, SparkbookError, formatLocated } from '../../../../runner/errors.js';
import { runCli } from '../../../../runner/commands/dispatch.js';

export interface InProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The error the command threw, if any (what cli.ts renders). */
  readonly error?: unknown;
  readonly cpuMs: number;
  readonly wallMs: number;
}

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** Whether an error thrown by a command carries a FILE:LINE:COL for every problem in it. */
export function isLocated(error: unknown): boolean {
  if (error instanceof InputErrors) return error.errors.length > 0 && error.errors.every((e) => e.where !== undefined);
  if (error instanceof SparkbookError) return error.where !== undefined;
  return false;
}

export async function runInProcess(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<InProcessResult> {
  const out = sink();
  const err = sink();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let code: number;
  let error: unknown;
  try {
    code = await runCli(argv, { stdout: out.stream, stderr: err.stream, stdin: Readable.from([]), env });
  } catch (e) {
    error = e;
    if (e instanceof InputErrors) err.stream.write(`${e.errors.map((x) => formatLocated(x.message, x.where)).join('\n')}\n`);
    else if (e instanceof SparkbookError) err.stream.write(`${formatLocated(e.message, e.where)}\n`);
    else err.stream.write(`internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    code = e instanceof InputError || e instanceof InputErrors ? 2 : 1;
  }
  const cpu = process.cpuUsage(cpu0);
  return { code, stdout: out.text(), stderr: err.text(), ...(error !== undefined ? { error } : {}), cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0 };
}

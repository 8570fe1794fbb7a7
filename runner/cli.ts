#!/usr/bin/env node
// The edge: argv → a command, and the only place that prints errors and picks exit codes
// (0 ok · 2 invalid input, nothing contacted · 4 a host failed · 8 --check --detailed-exitcode with
// pending changes · 1 a bug).
import { InputError, InputErrors, SparkbookError, formatLocated } from './errors.js';
import { redactKnownSecrets } from './shell/secret.js';
import { runCli } from './commands/dispatch.js';
import { EXIT } from './commands/exit-codes.js';

function render(error: unknown): { text: string; code: number } {
  if (error instanceof InputErrors) {
    return { text: error.errors.map((e) => formatLocated(e.message, e.where)).join('\n'), code: EXIT.input };
  }
  if (error instanceof InputError) return { text: formatLocated(error.message, error.where), code: EXIT.input };
  if (error instanceof SparkbookError) return { text: formatLocated(error.message, error.where), code: EXIT.internal };
  const detail = error instanceof Error ? (process.env.SPARKBOOK_DEBUG ? error.stack ?? error.message : error.message) : String(error);
  return { text: `internal error (a bug in sparkbook, please report it): ${detail}`, code: EXIT.internal };
}

async function main(): Promise<void> {
  try {
    process.exitCode = await runCli(process.argv.slice(2), {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      env: process.env,
    });
  } catch (error) {
    const { text, code } = render(error);
    process.stderr.write(`${redactKnownSecrets(text)}\n`);
    process.exitCode = code;
  }
}

await main();

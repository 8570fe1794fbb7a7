// The become password: from SPARKBOOK_BECOME_PASS, or asked once on the terminal with -K;
// and the terminal prompt other secrets (a key's passphrase) use.
// It becomes a Secret at once, so it is masked everywhere it could be printed.
import { InputError } from '../errors.js';
import { Secret } from '../shell/secret.js';
import type { CommandIo } from './io.js';

export async function readBecomePassword(ask: boolean, io: CommandIo): Promise<Secret | undefined> {
  const fromEnv = io.env.SPARKBOOK_BECOME_PASS;
  // Read once, then gone from the environment: every local child (sh, sudo) would inherit it,
  // readable in /proc/<pid>/environ for as long as it runs.
  delete io.env.SPARKBOOK_BECOME_PASS;
  if (!ask) return fromEnv !== undefined && fromEnv !== '' ? new Secret(fromEnv) : undefined;
  if (fromEnv !== undefined && fromEnv !== '') return new Secret(fromEnv);
  if (!io.stdin.isTTY || !io.stdin.setRawMode) {
    throw new InputError('usage', '-K needs a terminal to ask for the password; set SPARKBOOK_BECOME_PASS instead');
  }
  return promptSecret('BECOME password: ', io);
}

/** Asks for a secret on the terminal without echoing it; undefined without a terminal. */
export async function promptSecret(label: string, io: CommandIo): Promise<Secret> {
  io.stderr.write(label);
  const stdin = io.stdin;
  stdin.setRawMode?.(true);
  stdin.resume();
  const value = await new Promise<string>((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer | string): void => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') {
          stdin.removeListener('data', onData);
          resolve(text);
          return;
        }
        if (ch === '\u0003') {
          stdin.removeListener('data', onData);
          reject(new InputError('usage', 'interrupted'));
          return;
        }
        if (ch === '\u007f') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
  stdin.setRawMode?.(false);
  stdin.pause();
  io.stderr.write('\n');
  return new Secret(value);
}

/** One passphrase prompt at a time, even when many hosts use the same encrypted key. */
export function passphrasePrompt(io: CommandIo): (keyFile: string) => Promise<Secret | undefined> {
  const asked = new Map<string, Promise<Secret>>();
  let queue: Promise<unknown> = Promise.resolve();
  return (keyFile) => {
    let answer = asked.get(keyFile);
    if (!answer) {
      answer = queue.then(() => promptSecret(`Passphrase for ${keyFile}: `, io));
      queue = answer.catch(() => undefined);
      asked.set(keyFile, answer);
    }
    return answer;
  };
}

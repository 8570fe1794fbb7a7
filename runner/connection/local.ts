// The local connection: the same scripts, run on this machine by `/bin/sh -s` (or through sudo), script on stdin.
import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import type { Script } from '../shell/script.js';
import type { Secret } from '../shell/secret.js';
import type { Connection, Endpoint, RunOptions, RunResult } from './connection.js';
import { becomeArgv, needsBecome, newBecomeMarkers } from './become.js';
import { supervise, type RunningProcess } from './supervise.js';

export interface LocalConnectionOptions {
  /** The inventory name of the host (usually `localhost`). */
  readonly host?: string;
  readonly becomePassword?: Secret;
  /** Environment of the spawned shell (default: this process's); tests put a fake sudo on PATH. */
  readonly env?: NodeJS.ProcessEnv;
  readonly maxOutputBytes?: number;
}

export class LocalConnection implements Connection {
  readonly host: string;
  readonly endpoint: Endpoint;
  readonly #options: LocalConnectionOptions;

  constructor(options: LocalConnectionOptions = {}) {
    this.#options = options;
    this.host = options.host ?? 'localhost';
    this.endpoint = { transport: 'local', address: 'localhost', port: 0, user: userInfo().username };
  }

  async run(script: Script, options: RunOptions = {}): Promise<RunResult> {
    const become = needsBecome(this.endpoint.user, options.becomeUser) ? options.becomeUser : undefined;
    const markers = become !== undefined ? newBecomeMarkers() : undefined;
    const argv = become !== undefined && markers ? becomeArgv(become, markers) : ['/bin/sh', '-s'];
    const proc = startProcess(argv, this.#options.env ?? process.env);
    return supervise(proc, {
      script: script.raw(),
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      ...(this.#options.maxOutputBytes !== undefined && { maxOutputBytes: this.#options.maxOutputBytes }),
      ...(become !== undefined &&
        markers && {
          become: { host: this.host, user: become, markers, ...(this.#options.becomePassword && { password: this.#options.becomePassword }) },
        }),
    });
  }

  async close(): Promise<void> {
    // Nothing is held open between runs.
  }
}

/** Spawns in its own process group, so a timeout kills the script's children too. */
function startProcess(argv: readonly string[], env: NodeJS.ProcessEnv): RunningProcess {
  const [file, ...args] = argv as [string, ...string[]];
  const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env });
  const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    // The program could not start (no sudo here): report it like sh would, 127.
    child.on('error', () => resolve({ code: 127, signal: null }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return {
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: child.stderr,
    ended,
    kill: () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    },
  };
}

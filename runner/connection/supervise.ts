// One script run over any process-like thing (a child process, an SSH channel): feed stdin,
// collect capped output, run the become handshake, enforce the timeout. Used by local.ts; the
// persistent SSH session (shell-session.ts) shares its output cap and process shape.
import type { Readable, Writable } from 'node:stream';
import type { HostError } from '../errors.js';
import type { Secret } from '../shell/secret.js';
import type { RunResult } from './connection.js';
import { BecomeHandshake, type BecomeMarkers } from './become.js';

/** Beyond this, output is dropped (and the drop noted on stderr): a runaway `yes` cannot eat the controller. */
export const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** A started process: its pipes, its end, and how to stop it. */
export interface RunningProcess {
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Resolves once the process has ended and its output is read. */
  readonly ended: Promise<{ readonly code: number | null; readonly signal: string | null }>;
  kill(): void;
}

export interface SuperviseOptions {
  /** The raw script text (secrets revealed): only ever written to stdin. */
  readonly script: string;
  readonly timeoutMs?: number;
  readonly become?: { readonly host: string; readonly user: string; readonly password?: Secret; readonly markers: BecomeMarkers };
  readonly maxOutputBytes?: number;
}

/** Bytes kept up to a limit; the rest counted, not kept. */
export class Collector {
  readonly #chunks: Buffer[] = [];
  #size = 0;
  #dropped = 0;
  constructor(readonly limit: number) {}
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const room = this.limit - this.#size;
    if (room <= 0) {
      this.#dropped += chunk.length;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#dropped += chunk.length - kept.length;
    this.#chunks.push(kept);
    this.#size += kept.length;
  }
  get dropped(): number {
    return this.#dropped;
  }
  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}

/** The script's stderr with a note for each stream that went over the limit. */
export function stderrWithDropNotes(out: Collector, err: Collector): string {
  let stderr = err.text();
  if (out.dropped > 0) stderr += `\n[sparkbook: ${out.dropped} bytes of stdout dropped beyond ${out.limit} bytes]\n`;
  if (err.dropped > 0) stderr += `\n[sparkbook: ${err.dropped} bytes of stderr dropped beyond ${err.limit} bytes]\n`;
  return stderr;
}

/** The grace between a kill and giving up on the process reporting its end. */
const KILL_GRACE_MS = 2000;

/**
 * Runs the script on `proc` and resolves with its result. Throws (rejects) a HostError of kind
 * 'become' only when sudo refused or needed a missing password.
 */
export async function supervise(proc: RunningProcess, options: SuperviseOptions): Promise<RunResult> {
  const started = Date.now();
  const limit = options.maxOutputBytes ?? MAX_OUTPUT_BYTES;
  const out = new Collector(limit);
  const err = new Collector(limit);
  // A script that exits without reading all of stdin closes the pipe: that is its business, not an error.
  proc.stdin.on('error', () => undefined);
  const io = {
    write: (text: string): void => {
      if (!proc.stdin.destroyed) proc.stdin.write(text);
    },
    end: (): void => {
      if (!proc.stdin.destroyed) proc.stdin.end();
    },
    kill: (): void => proc.kill(),
  };
  const handshake = options.become ? new BecomeHandshake({ ...options.become, script: options.script, io }) : undefined;
  proc.stdout.on('data', (c: Buffer) => out.push(handshake ? handshake.stdout(c) : c));
  proc.stderr.on('data', (c: Buffer) => err.push(handshake ? handshake.stderr(c) : c));
  if (!handshake) {
    io.write(options.script);
    io.end();
  }

  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<{ code: null; signal: string }>((resolve) => {
    if (options.timeoutMs === undefined || options.timeoutMs <= 0) return;
    timer = setTimeout(() => {
      timedOut = true;
      proc.kill();
      graceTimer = setTimeout(() => resolve({ code: null, signal: 'SIGKILL' }), KILL_GRACE_MS);
    }, options.timeoutMs);
  });
  let end: { readonly code: number | null; readonly signal: string | null };
  try {
    end = await Promise.race([proc.ended, gaveUp]);
  } finally {
    clearTimeout(timer);
    clearTimeout(graceTimer);
  }

  if (handshake) {
    const failure: HostError | undefined = handshake.finish();
    if (failure && !timedOut) throw failure;
  }
  const stderr = stderrWithDropNotes(out, err);
  return {
    exitCode: end.code,
    signal: end.signal,
    stdout: out.text(),
    stderr,
    durationMs: Date.now() - started,
    timedOut,
  };
}

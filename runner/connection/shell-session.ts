// A persistent shell on a host: ONE channel (and, with become, ONE sudo) serves every script of a
// run. Each script travels as a quoted here-document with a random delimiter and runs in its own
// `sh -s` (so it sees exactly what a fresh channel gave it: the script on stdin, a clean
// environment); its end is framed on stdout and stderr by a nonce-tagged marker carrying the exit
// code. Opening a channel costs sshd a fork, a PAM session and, with become, a sudo and PAM again:
// paid once per host instead of once per script (DESIGN.md §4, docs/decisions.md).
import { randomBytes } from 'node:crypto';
import type { HostError } from '../errors.js';
import type { Secret } from '../shell/secret.js';
import type { RunResult } from './connection.js';
import { BecomeHandshake, type BecomeMarkers } from './become.js';
import type { RunningProcess } from './supervise.js';
import { Collector, MAX_OUTPUT_BYTES, stderrWithDropNotes } from './supervise.js';

/**
 * What the remote shell reads first. `__sb_run NONCE SECONDS <<'DELIM'` runs the here-document
 * as `sh -s`, under coreutils' `timeout` (its own process group, killed whole) when SECONDS > 0,
 * then prints `@@sbdone:NONCE:RC` on stdout and `@@sbdone:NONCE` on stderr.
 */
export const SESSION_PREAMBLE =
  [
    `__sb_to=; command -v timeout >/dev/null 2>&1 && __sb_to=1`,
    `__sb_run() { if [ "$2" -gt 0 ] && [ -n "$__sb_to" ]; then timeout -s KILL "$2" sh -s; else sh -s; fi; __sb_rc=$?; printf '@@sbdone:%s:%s\\n' "$1" "$__sb_rc"; printf '@@sbdone:%s\\n' "$1" >&2; }`,
  ].join('\n') + '\n';

/** One request's text: the script as a here-document no line of it can end (the delimiter is random). */
export function sessionRequest(script: string, nonce: string, timeoutSeconds: number): string {
  const delimiter = `__SB_EOF_${nonce}`;
  const body = script.endsWith('\n') || script === '' ? script : `${script}\n`;
  return `__sb_run ${nonce} ${String(timeoutSeconds)} <<'${delimiter}'\n${body}${delimiter}\n`;
}

/** Seconds for the remote `timeout`: a little after the controller gives up, so the controller decides. */
export function remoteTimeoutSeconds(timeoutMs: number | undefined): number {
  if (timeoutMs === undefined || timeoutMs <= 0) return 0;
  return Math.ceil((timeoutMs + 500) / 1000);
}

/**
 * Splits one output stream at a marker: bytes before it are the script's, capped at `limit`
 * (the excess counted); the marker may arrive split across chunks.
 */
export class MarkedStream {
  readonly #marker: Buffer;
  readonly #kept: Collector;
  /** Bytes not yet committed: they may be the start of the marker. */
  #tail = Buffer.alloc(0);
  /** What follows the marker, once seen. */
  #after: Buffer | undefined;

  constructor(marker: string, limit: number) {
    this.#marker = Buffer.from(marker);
    this.#kept = new Collector(limit);
  }

  get found(): boolean {
    return this.#after !== undefined;
  }

  /** After the marker: the rest of its line and beyond (stdout carries `:RC\n` there). */
  get after(): Buffer {
    return this.#after ?? Buffer.alloc(0);
  }

  /** The capped bytes before the marker (what text() returns, and how much was dropped). */
  get kept(): Collector {
    if (this.#after === undefined && this.#tail.length > 0) {
      this.#kept.push(this.#tail);
      this.#tail = Buffer.alloc(0);
    }
    return this.#kept;
  }

  push(chunk: Buffer): void {
    if (this.#after !== undefined) {
      this.#after = Buffer.concat([this.#after, chunk]);
      return;
    }
    const data = this.#tail.length > 0 ? Buffer.concat([this.#tail, chunk]) : chunk;
    const at = data.indexOf(this.#marker);
    if (at >= 0) {
      this.#kept.push(Buffer.from(data.subarray(0, at)));
      this.#tail = Buffer.alloc(0);
      this.#after = Buffer.from(data.subarray(at + this.#marker.length));
      return;
    }
    // Keep back what could be the marker's beginning; commit the rest.
    const keep = Math.min(data.length, this.#marker.length - 1);
    this.#kept.push(Buffer.from(data.subarray(0, data.length - keep)));
    this.#tail = Buffer.from(data.subarray(data.length - keep));
  }

  /** Everything before the marker (or all seen so far, when the stream ended without one). */
  text(): string {
    return this.kept.text();
  }
}

export interface SessionBecome {
  readonly host: string;
  readonly user: string;
  readonly password?: Secret;
  readonly markers: BecomeMarkers;
}

export interface SessionOptions {
  /** Present when the session's command is sudo's: the handshake runs before the preamble. */
  readonly become?: SessionBecome;
  readonly maxOutputBytes?: number;
}

interface Request {
  readonly out: MarkedStream;
  readonly err: MarkedStream;
  readonly started: number;
  readonly done: (outcome: SessionOutcome) => void;
}

/** A script's result, and whether the session ended before the script's end marker came. */
export interface SessionOutcome {
  readonly result: RunResult;
  /** The channel went away mid-script (or was gone already): the caller asks whether the host is lost. */
  readonly sessionEnded: boolean;
}

/** How a session ended for good: the process went away, or we killed it (timeout, close). */
export type SessionEnd = { readonly code: number | null; readonly signal: string | null };

/**
 * A shell serving scripts one at a time over one process (an SSH channel). Not reusable once it
 * has ended, timed out or been killed: `usable` says whether the next script may use it.
 */
export class ShellSession {
  readonly #proc: RunningProcess;
  readonly #limit: number;
  readonly #handshake: BecomeHandshake | undefined;
  readonly #ready: Promise<void>;
  #current: Request | undefined;
  #ended: SessionEnd | undefined;
  #broken = false;
  /** Resolves when the process (the channel) has ended, whoever ended it. */
  readonly ended: Promise<SessionEnd>;

  constructor(proc: RunningProcess, options: SessionOptions = {}) {
    this.#proc = proc;
    this.#limit = options.maxOutputBytes ?? MAX_OUTPUT_BYTES;
    proc.stdin.on('error', () => undefined);
    const io = {
      write: (text: string): void => {
        if (!proc.stdin.destroyed) proc.stdin.write(text);
      },
      // The session's stdin stays open: more scripts follow.
      end: (): void => undefined,
      kill: (): void => proc.kill(),
    };
    this.#handshake = options.become ? new BecomeHandshake({ ...options.become, script: SESSION_PREAMBLE, io }) : undefined;
    let markReady: () => void = () => undefined;
    let markFailed: (e: unknown) => void = () => undefined;
    this.#ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    // A rejection nobody awaits yet must not crash the process: run() awaits it.
    this.#ready.catch(() => undefined);
    if (!this.#handshake) {
      io.write(SESSION_PREAMBLE);
      markReady();
    }
    proc.stdout.on('data', (chunk: Buffer) => {
      const handshake = this.#handshake;
      let data = chunk;
      if (handshake && !handshake.succeeded) {
        data = handshake.stdout(chunk);
        if (handshake.succeeded) markReady();
      }
      if (data.length > 0) this.#onStdout(data);
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      const handshake = this.#handshake;
      const data = handshake && !handshake.succeeded ? handshake.stderr(chunk) : chunk;
      if (data.length > 0) this.#onStderr(data);
    });
    this.ended = proc.ended;
    void proc.ended.then((end) => {
      this.#ended = end;
      this.#broken = true;
      const failure: HostError | undefined = this.#handshake && !this.#handshake.succeeded ? this.#handshake.finish() : undefined;
      if (failure) markFailed(failure);
      else markReady();
      this.#finishCurrent(end.code, end.signal, { timedOut: false, sessionEnded: true });
    });
  }

  /** Whether another script may run here (not ended, not killed, not busy). */
  get usable(): boolean {
    return !this.#broken && this.#current === undefined;
  }

  /**
   * Runs one script. Resolves with its result (a non-zero exit is a value); rejects only with
   * the become HostError when sudo never let the session in.
   */
  async run(script: string, timeoutMs: number | undefined): Promise<SessionOutcome> {
    if (this.#current) throw new Error('a session runs one script at a time');
    const started = Date.now();
    await this.#ready;
    if (this.#broken) {
      const end = this.#ended;
      return { result: { exitCode: end?.code ?? null, signal: end?.signal ?? null, stdout: '', stderr: '', durationMs: 0, timedOut: false }, sessionEnded: true };
    }
    const nonce = randomBytes(8).toString('hex');
    const marker = `@@sbdone:${nonce}`;
    const result = new Promise<SessionOutcome>((resolve) => {
      this.#current = { out: new MarkedStream(`${marker}:`, this.#limit), err: new MarkedStream(`${marker}\n`, this.#limit), started, done: resolve };
    });
    let timer: NodeJS.Timeout | undefined;
    if (timeoutMs !== undefined && timeoutMs > 0) {
      timer = setTimeout(() => {
        // Whatever the script is doing, this session is no longer ours to reuse.
        this.#broken = true;
        this.#proc.kill();
        this.#finishCurrent(null, 'SIGKILL', { timedOut: true, sessionEnded: false });
      }, timeoutMs);
    }
    if (!this.#proc.stdin.destroyed) this.#proc.stdin.write(sessionRequest(script, nonce, remoteTimeoutSeconds(timeoutMs)));
    try {
      return await result;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the session: the shell sees the end of its input and exits. */
  close(): void {
    this.#broken = true;
    if (!this.#proc.stdin.destroyed) this.#proc.stdin.end();
  }

  /** Kills the session's processes (a signal where the transport honours one) and its channel. */
  kill(): void {
    this.#broken = true;
    this.#proc.kill();
  }

  #onStdout(data: Buffer): void {
    const req = this.#current;
    if (!req) return;
    req.out.push(data);
    this.#maybeDone(req);
  }

  #onStderr(data: Buffer): void {
    const req = this.#current;
    if (!req) return;
    req.err.push(data);
    this.#maybeDone(req);
  }

  #maybeDone(req: Request): void {
    if (!req.out.found || !req.err.found) return;
    const after = req.out.after.toString('utf8');
    const eol = after.indexOf('\n');
    if (eol < 0) return;
    const rc = Number(after.slice(0, eol));
    this.#finishCurrent(Number.isInteger(rc) ? rc : null, null, { timedOut: false, sessionEnded: false });
  }

  #finishCurrent(code: number | null, signal: string | null, how: { readonly timedOut: boolean; readonly sessionEnded: boolean }): void {
    const req = this.#current;
    if (!req) return;
    this.#current = undefined;
    const stderr = stderrWithDropNotes(req.out.kept, req.err.kept);
    req.done({ result: { exitCode: code, signal, stdout: req.out.text(), stderr, durationMs: Date.now() - req.started, timedOut: how.timedOut }, sessionEnded: how.sessionEnded });
  }
}

// The seam between the engine and a host: run a script, get a result. Implementations:
// local.ts (this machine, /bin/sh) and ssh.ts (ssh2, one connection per host; every script of a run
// travels in one persistent shell session per become identity: shell-session.ts).
import type { Script } from '../shell/script.js';

/** How a script runs: `sh -s` with the script on stdin, optionally through sudo. */
export interface RunOptions {
  /** Run as this user through sudo (password, if any, from the connection's become settings). */
  readonly becomeUser?: string;
  /** Give up after this long: the result has timedOut=true and the process is killed. */
  readonly timeoutMs?: number;
}

/**
 * The outcome of one script, the same shape whether it succeeded or not (a non-zero exit is a
 * value, not an exception). Only transport failures throw, as a HostError.
 */
export interface RunResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  readonly timedOut: boolean;
}

/** Where a connection actually goes, after ssh config and inventory are resolved. */
export interface Endpoint {
  readonly transport: 'local' | 'ssh';
  readonly address: string;
  readonly port: number;
  readonly user: string;
}

/**
 * One host's connection for the whole run. Rules: `run` never throws for a failing script;
 * it throws HostError only when the host cannot be reached; `close` is idempotent.
 */
export interface Connection {
  readonly host: string;
  readonly endpoint: Endpoint;
  run(script: Script, options?: RunOptions): Promise<RunResult>;
  /**
   * Opens a FRESH connection to the same host on another port (an open session proves
   * nothing after a firewall or sshd change), checks it presents the same host key, and
   * (when `adopt` is true) makes it the connection used from now on.
   */
  reconnect?(target: { readonly port: number; readonly adopt: boolean }): Promise<Endpoint>;
  close(): Promise<void>;
}

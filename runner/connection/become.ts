// The sudo handshake shared by local and SSH runs: the password goes on stdin after sudo's own
// prompt, the script only after sudo has let us in, and nothing secret is ever in argv or a message.
import { randomBytes } from 'node:crypto';
import { HostError } from '../errors.js';
import { quote } from '../shell/script.js';
import { redactKnownSecrets, type Secret } from '../shell/secret.js';

/** Per-run markers, random so that no output of sudo or the host can fake them. */
export interface BecomeMarkers {
  readonly prompt: string;
  readonly success: string;
}

export function newBecomeMarkers(): BecomeMarkers {
  const id = randomBytes(12).toString('hex');
  return { prompt: `[sparkbook-become-${id}] password:`, success: `SPARKBOOK-BECOME-SUCCESS-${id}` };
}

/** True when a run as `becomeUser` needs sudo: only when it differs from the login user. */
export function needsBecome(loginUser: string, becomeUser: string | undefined): becomeUser is string {
  return becomeUser !== undefined && becomeUser !== '' && becomeUser !== loginUser;
}

/**
 * `sudo -H -S -p PROMPT -u USER -- sh -c 'echo SUCCESS; exec sh -s'`: sudo reads the password
 * from stdin (byte by byte, so it never eats the script), the echo proves we are in, and the
 * script follows on the same stdin.
 */
export function becomeArgv(user: string, markers: BecomeMarkers, shell = 'exec sh -s'): string[] {
  return ['sudo', '-H', '-S', '-p', markers.prompt, '-u', user, '--', 'sh', '-c', `echo ${markers.success}; ${shell}`];
}

/** The same command as one shell string, for an SSH exec request; `shell` is what runs the script. */
export function becomeCommand(user: string, markers: BecomeMarkers, shell = 'exec sh -s'): string {
  return becomeArgv(user, markers, shell).map(quote).join(' ');
}

/** Where the handshake writes: the process's stdin, and a way to stop it. */
export interface BecomeIo {
  write(text: string): void;
  end(): void;
  kill(): void;
}

export interface BecomeOptions {
  readonly host: string;
  readonly user: string;
  readonly password?: Secret;
  /** The script's raw text, sent once sudo has succeeded. */
  readonly script: string;
  readonly markers: BecomeMarkers;
  readonly io: BecomeIo;
}

/**
 * A small state machine over the process's output. Before success it holds back stdout and
 * stderr (so markers split across chunks are still seen and never shown); after success it
 * passes everything through.
 */
export class BecomeHandshake {
  readonly #o: BecomeOptions;
  #state: 'waiting' | 'in' | 'failed' = 'waiting';
  #prompts = 0;
  #out = Buffer.alloc(0);
  #err = Buffer.alloc(0);
  #error: HostError | undefined;

  constructor(options: BecomeOptions) {
    this.#o = options;
  }

  get succeeded(): boolean {
    return this.#state === 'in';
  }

  get error(): HostError | undefined {
    return this.#error;
  }

  /** Feeds stdout; returns the bytes that belong to the script's output. */
  stdout(chunk: Buffer): Buffer {
    if (this.#state === 'in') return chunk;
    if (this.#state === 'failed') return Buffer.alloc(0);
    this.#out = Buffer.concat([this.#out, chunk]);
    const marker = Buffer.from(`${this.#o.markers.success}\n`);
    const at = this.#out.indexOf(marker);
    if (at < 0) return Buffer.alloc(0);
    const before = this.#out.subarray(0, at);
    const after = this.#out.subarray(at + marker.length);
    this.#out = Buffer.alloc(0);
    this.#state = 'in';
    this.#o.io.write(this.#o.script);
    this.#o.io.end();
    return Buffer.concat([before, after]);
  }

  /** Feeds stderr; returns what the script's stderr should show (prompts removed). */
  stderr(chunk: Buffer): Buffer {
    if (this.#state === 'in') {
      // A prompt after success would be the script's own sudo; sudo prompts only once per run here.
      return chunk;
    }
    if (this.#state === 'failed') return Buffer.alloc(0);
    this.#err = Buffer.concat([this.#err, chunk]);
    const prompt = Buffer.from(this.#o.markers.prompt);
    let count = 0;
    for (let at = this.#err.indexOf(prompt); at >= 0; at = this.#err.indexOf(prompt, at + prompt.length)) count++;
    while (this.#prompts < count && this.#state === 'waiting') {
      this.#prompts++;
      if (this.#o.password === undefined) this.#fail('sudo needs a password: use -K or SPARKBOOK_BECOME_PASS');
      else if (this.#prompts > 1) this.#fail(`become password for ${this.#o.user} on ${this.#o.host} was refused`);
      else this.#o.io.write(`${this.#o.password.reveal()}\n`);
    }
    return Buffer.alloc(0);
  }

  /** What sudo said before success, prompts removed (for the caller's stderr or a message). */
  heldStderr(): string {
    return this.#err.toString('utf8').split(this.#o.markers.prompt).join('');
  }

  /**
   * Called when the process has ended. Returns the become error if sudo never let us in:
   * a refusal seen earlier, or sudo's own words (not in sudoers, no sudo at all).
   */
  finish(): HostError | undefined {
    if (this.#error) return this.#error;
    if (this.#state === 'in') return undefined;
    const said = redactKnownSecrets(this.heldStderr()).trim().split('\n').filter((l) => l.trim() !== '').slice(-3).join(' / ');
    this.#state = 'failed';
    this.#error = new HostError('become', this.#o.host, `become ${this.#o.user} on ${this.#o.host} failed${said ? `: ${said}` : ' (sudo exited before running the script)'}`);
    return this.#error;
  }

  #fail(message: string): void {
    this.#state = 'failed';
    this.#error = new HostError('become', this.#o.host, message);
    this.#o.io.kill();
  }
}

// A real OpenSSH sshd on 127.0.0.1 for the connection tests: temp host key, authorized key, log file.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

/** Installs openssh-server when sshd is missing (a fresh CI machine); needs root and the Debian mirror. */
export function ensureSshd(): void {
  if (existsSync(SSHD)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'openssh-server'], { env, stdio: 'ignore' });
  } catch {
    execFileSync('apt-get', ['update'], { env, stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'openssh-server'], { env, stdio: 'ignore' });
  }
}

/** `ssh-keygen` a passphrase-less key; returns the public key's wire-format blob. */
export function generateKey(path: string, type: 'ed25519' | 'ecdsa' = 'ed25519'): Buffer {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'sparkbook-test', '-f', path], { stdio: 'ignore' });
  return publicBlob(path);
}

export function publicBlob(privatePath: string): Buffer {
  const pub = readFileSync(`${privatePath}.pub`, 'utf8').trim().split(/\s+/);
  return Buffer.from(pub[1] as string, 'base64');
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface TestSshd {
  readonly port: number;
  readonly hostKey: Buffer;
  readonly logFile: string;
  readonly pid: number;
  /** How many times a user logged in with a public key. */
  acceptedLogins(): number;
  log(): string;
  /** Kills the per-connection sshd processes (not the listener): every open session drops. */
  dropSessions(): void;
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** Working directory for config, pid file and log. */
  readonly dir: string;
  readonly hostKeyFile: string;
  readonly authorizedKeysFile: string;
  readonly extraConfig?: string;
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // Process ended while we looked.
    }
  }
  return out;
}

/** Every descendant of `pid`, deepest last: the per-connection monitors and their session children. */
function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  for (const c of childrenOf(pid)) out.push(c, ...descendantsOf(c));
  return out;
}

function killAll(pids: readonly number[]): void {
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

export async function startSshd(options: SshdOptions): Promise<TestSshd> {
  // sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const config = join(options.dir, `sshd_config_${port}`);
  const logFile = join(options.dir, `sshd_${port}.log`);
  writeFileSync(
    config,
    [
      // sshd_config is first-value-wins too: extra settings go first so they can override ours.
      options.extraConfig ?? '',
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${options.hostKeyFile}`,
      `PidFile ${join(options.dir, `sshd_${port}.pid`)}`,
      `AuthorizedKeysFile ${options.authorizedKeysFile}`,
      'UsePAM no',
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'LogLevel VERBOSE',
      'MaxSessions 10',
      'AllowTcpForwarding yes',
      '',
    ].join('\n'),
  );
  writeFileSync(logFile, '');
  const child: ChildProcess = spawn(SSHD, ['-D', '-f', config, '-E', logFile], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 5000;
  while (!readFileSync(logFile, 'utf8').includes(`Server listening on 127.0.0.1 port ${port}`)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sshd did not start: ${readFileSync(logFile, 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const pid = child.pid as number;
  return {
    port,
    pid,
    hostKey: publicBlob(options.hostKeyFile),
    logFile,
    log: () => readFileSync(logFile, 'utf8'),
    acceptedLogins: () => (readFileSync(logFile, 'utf8').match(/Accepted publickey/g) ?? []).length,
    dropSessions: () => killAll(descendantsOf(pid)),
    stop: async () => {
      killAll(descendantsOf(pid));
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

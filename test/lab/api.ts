// The lab as the tests use it: ensureLab/destroyLab, a shared lab per test run, out-of-band exec and sshd's log.
import { execArgv, type ExecResult } from './exec.js';
import { down, hostExecArgv, labInfo, up, type LabHost, type LabInfo } from './lab.js';
import { defaultLabName, defaultTestLabName } from './paths.js';

export type { LabHost, LabInfo, ExecResult };
export { labSsh, sshArgv, type SshOptions } from './ssh.js';

export interface EnsureLabOptions {
  readonly containers: number;
  readonly vms?: number;
  /** Default: `sbl` + 4 hex digits of this checkout's path (the CLI's default too). */
  readonly name?: string;
  readonly log?: (line: string) => void;
}

const stderrLog = (line: string): void => {
  process.stderr.write(`[lab] ${line}\n`);
};

/** Brings a lab up (building what is missing; idempotent) and returns its inventory, keys and hosts. */
export function ensureLab(opts: EnsureLabOptions): Promise<LabInfo> {
  return up({
    name: opts.name ?? defaultLabName(),
    containers: opts.containers,
    vms: opts.vms ?? 0,
    log: opts.log ?? (process.env['SPARKBOOK_LAB_QUIET'] ? undefined : stderrLog),
  });
}

/** Removes the lab and everything it created; false if there was none. */
export function destroyLab(name: string): Promise<boolean> {
  return down(name, process.env['SPARKBOOK_LAB_QUIET'] ? undefined : stderrLog);
}

/** Runs argv inside a host as root, out of band (nsenter into the host's PID 1 namespaces, not through sshd). */
export function labExec(lab: LabInfo | string, host: string, argv: readonly string[], input?: string): Promise<ExecResult> {
  const name = typeof lab === 'string' ? lab : lab.name;
  return execArgv(hostExecArgv(name, host, argv), input === undefined ? {} : { input });
}

/** sshd's log lines in a host's journal (every sshd process: ssh.service and per-connection sshd@ units). */
export async function sshdLog(lab: LabInfo | string, host: string): Promise<string[]> {
  const r = await labExec(lab, host, ['journalctl', '--no-pager', '-o', 'cat', '_COMM=sshd']);
  return r.stdout.split('\n').filter((l) => l.length > 0);
}

/** Logins sshd accepted by public key ("Accepted publickey for USER from ..."), e.g. to count connections. */
export function acceptedLogins(lines: readonly string[]): number {
  return lines.filter((l) => l.startsWith('Accepted publickey for ')).length;
}

/** Sessions opened by sshd's PAM stack: one per channel-bearing login, whichever auth method was used. */
export function sessionsOpened(lines: readonly string[]): number {
  return lines.filter((l) => /pam_unix\(sshd:session\): session opened/.test(l)).length;
}

/** Shorthand: accepted publickey logins on the host so far. */
export async function countSshLogins(lab: LabInfo | string, host: string): Promise<number> {
  return acceptedLogins(await sshdLog(lab, host));
}

export const SHARED_LAB_CONTAINERS = 3;

let shared: Promise<LabInfo> | undefined;
let rootHookInstalled = false;

/** Called by mocha-hooks.ts: the root hook will release the shared lab, so test files need not. */
export function markRootHookInstalled(): void {
  rootHookInstalled = true;
}

/** Whether mocha-hooks.ts is loaded (if not, a test file that uses the shared lab releases it itself). */
export function isRootHookInstalled(): boolean {
  return rootHookInstalled;
}
let sharedName: string | undefined;

/**
 * One lab for the whole test run: 3 containers (service, socket, ufw-altport variants), plus
 * SPARKBOOK_LAB_VMS arm64 VMs when set. Named SPARKBOOK_LAB_NAME or `sbt` + 4 hex digits of this checkout's path
 * (so never a lab brought up by hand with the CLI); torn down by mocha-hooks.ts.
 */
export function sharedLab(): Promise<LabInfo> {
  if (!shared) {
    sharedName = process.env['SPARKBOOK_LAB_NAME'] ?? defaultTestLabName();
    const vms = Number(process.env['SPARKBOOK_LAB_VMS'] ?? '0');
    shared = ensureLab({ containers: SHARED_LAB_CONTAINERS, vms, name: sharedName });
  }
  return shared;
}

/** Destroys the shared lab if this process brought it up (kept when SPARKBOOK_LAB_KEEP=1, for a faster next run). */
export async function releaseSharedLab(): Promise<void> {
  if (!shared || !sharedName) return;
  const name = sharedName;
  shared = undefined;
  sharedName = undefined;
  if (process.env['SPARKBOOK_LAB_KEEP'] === '1') return;
  await destroyLab(name);
}

/** The LabInfo of an existing lab (nothing is started), or undefined. */
export function findLab(name: string = defaultLabName()): LabInfo | undefined {
  return labInfo(name);
}

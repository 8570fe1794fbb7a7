// Real OpenSSH client access to lab hosts for tests: the lab's key and known_hosts, strict host key checking, no prompts.
import { execArgv, type ExecResult } from './exec.js';
import type { LabHost, LabInfo } from './lab.js';
import { LabError } from './lab-error.js';

export interface SshOptions {
  /** Default: the host's inventory user. Every host also accepts root by the lab key. */
  readonly user?: string;
  /** Default: the host's inventory port. */
  readonly port?: number;
  readonly input?: string;
  readonly timeoutMs?: number;
}

export function labHost(lab: LabInfo, name: string): LabHost {
  const h = lab.hosts.find((x) => x.name === name);
  if (!h) throw new LabError('usage', `lab ${lab.name} has no host ${name}`);
  return h;
}

/** ssh argv: BatchMode (never prompts), the lab's known_hosts only, StrictHostKeyChecking=yes. */
export function sshArgv(lab: LabInfo, host: LabHost, command: string, opts: SshOptions = {}): string[] {
  return [
    'ssh',
    '-F', '/dev/null',
    '-i', lab.privateKey,
    '-o', 'IdentitiesOnly=yes',
    '-o', 'BatchMode=yes',
    '-o', `UserKnownHostsFile=${lab.knownHosts}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'ConnectTimeout=15',
    '-o', 'LogLevel=ERROR',
    '-p', String(opts.port ?? host.port),
    '-l', opts.user ?? host.user,
    host.address,
    command,
  ];
}

/** Runs a shell command on a lab host over ssh; exit 255 is ssh's own failure (see stderr). */
export function labSsh(lab: LabInfo, hostName: string, command: string, opts: SshOptions = {}): Promise<ExecResult> {
  return execArgv(sshArgv(lab, labHost(lab, hostName), command, opts), {
    ...(opts.input === undefined ? {} : { input: opts.input }),
    timeoutMs: opts.timeoutMs ?? 60_000,
  });
}

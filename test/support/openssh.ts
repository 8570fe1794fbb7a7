// OpenSSH's `ssh -G` is the oracle for what an ssh_config block means (it only parses config, no
// network). A machine without the client gets it installed (as test/run.sh installs GNU time);
// where that is impossible the tests fail, they never skip.
import { execFileSync, spawnSync } from 'node:child_process';

function hasSsh(): boolean {
  return spawnSync('ssh', ['-V'], { stdio: 'ignore' }).status === 0;
}

export function ensureOpenSshClient(): void {
  if (hasSsh()) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = (): boolean => spawnSync('apt-get', ['install', '-y', '-qq', 'openssh-client'], { stdio: 'ignore', env }).status === 0;
    if (!install()) {
      spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
      install();
    }
  }
  if (!hasSsh()) throw new Error('the OpenSSH client (ssh) is needed as the ssh_config oracle and could not be installed: apt-get install openssh-client');
}

/** `ssh -G ALIAS -F FILE`: every keyword ssh would use, lower-case, each with its value(s) as printed. */
export function sshG(alias: string, file: string): Map<string, string[]> {
  const out = execFileSync('ssh', ['-G', alias, '-F', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const options = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const m = /^(\S+) (.*)$/.exec(line);
    if (!m) continue;
    const list = options.get(m[1] as string) ?? [];
    list.push(m[2] as string);
    options.set(m[1] as string, list);
  }
  return options;
}

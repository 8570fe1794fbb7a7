// A Connection whose scripts run as root in a throwaway mount + network namespace: /etc, /var,
// /run, /usr/sbin, /usr/local, /root, /home, /opt, /srv and /proc/sys are empty tmpfs, and host
// tools (apt-get, systemctl, ufw, wg, sysctl, sshd, ip, …) are stubs that only log. So the REAL
// change scripts of apt, ufw, sshd_config, … can run here without touching this machine.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection, Endpoint, RunOptions, RunResult } from '../../../../runner/connection/connection.js';
import type { Script } from '../../../../runner/shell/script.js';

const OVERLAID = ['/etc', '/var', '/run', '/usr/sbin', '/usr/local', '/root', '/home', '/opt', '/srv', '/boot', '/proc/sys'];
const STUBS = [
  'apt', 'apt-get', 'apt-cache', 'dpkg', 'dpkg-query', 'systemctl', 'service', 'journalctl', 'ufw', 'iptables', 'ip6tables',
  'iptables-save', 'ip6tables-save', 'iptables-restore', 'nft', 'wg', 'wg-quick', 'tailscale', 'tailscaled', 'sysctl', 'sshd',
  'ip', 'modprobe', 'reboot', 'shutdown', 'curl', 'wget', 'sudo', 'useradd', 'usermod', 'passwd', 'chpasswd', 'mount', 'umount',
];

/** Whether this machine can make the sandbox (root with unshare, as on the CI image). */
export function sandboxAvailable(): boolean {
  if (process.getuid?.() !== 0) return false;
  const r = spawnSync('unshare', ['--mount', '--net', '--propagation', 'private', '--', '/bin/sh', '-c', 'mount -t tmpfs tmpfs /etc && test ! -e /etc/hostname'], { encoding: 'utf8' });
  return r.status === 0;
}

export class SandboxConnection implements Connection {
  readonly host = 'sandbox';
  readonly endpoint: Endpoint = { transport: 'local', address: 'sandbox', port: 0, user: 'root' };
  readonly #stubDir: string;
  readonly #log: string;

  /** `workDir` holds the stubs and their log (it must be outside the overlaid directories). */
  constructor(workDir: string) {
    this.#stubDir = join(workDir, 'stubs');
    this.#log = join(workDir, 'stub-calls.log');
    mkdirSync(this.#stubDir, { recursive: true });
    for (const name of STUBS) {
      const path = join(this.#stubDir, name);
      writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "${name} $*" >> '${this.#log}'\nexit 0\n`);
      chmodSync(path, 0o755);
    }
  }

  run(script: Script, options: RunOptions = {}): Promise<RunResult> {
    const prelude = [
      ...OVERLAID.map((d) => `mount -t tmpfs tmpfs ${d} 2>/dev/null || true`),
      `export PATH='${this.#stubDir}':/usr/bin:/bin`,
      'exec /bin/sh -s',
    ].join('\n');
    const started = Date.now();
    return new Promise((resolve) => {
      const child = spawn('unshare', ['--mount', '--net', '--uts', '--ipc', '--propagation', 'private', '--', '/bin/sh', '-c', prelude], {
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      }, options.timeoutMs ?? 20_000);
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ exitCode: code, signal, stdout, stderr, durationMs: Date.now() - started, timedOut });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(script.raw());
    });
  }

  async close(): Promise<void> {
    // Every run had its own namespace, gone with its process.
  }
}

// One container host: a per-host overlay on the shared base, its identity written in before the first boot,
// systemd-nspawn --boot under host-run.sh, and teardown by recorded PID.
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, rmdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { execArgv, mustRun } from './exec.js';
import { LabError } from './lab-error.js';
import { scriptsDir } from './paths.js';
import { childrenOf, isAlive, refOf, signal, sleep, waitGone, type ProcRef } from './procs.js';
import { isMountPoint } from './shared.js';
import type { HostRecord, LabState } from './state.js';
import { VARIANTS } from './variants.js';

/** What every host gets from the lab besides its own identity. */
export interface HostInputs {
  /** The lab's client public key (root's and spark's authorized_keys). */
  readonly clientPublicKey: string;
  /** Binary keyring of the lab repository (signed-by=). */
  readonly repoKeyring: Buffer;
}

export const HOST_KEY_TYPES = ['ed25519', 'ecdsa', 'rsa'] as const;

export function merged(host: HostRecord): string {
  return join(host.dir, 'merged');
}

/** The overlay: base rootfs below (never written), the host's own upper dir above. */
export async function mountOverlay(host: HostRecord, baseRootfs: string): Promise<void> {
  for (const d of ['upper', 'work', 'merged']) mkdirSync(join(host.dir, d), { recursive: true });
  if (isMountPoint(merged(host))) return;
  await mustRun([
    'mount', '-t', 'overlay', `sbl-${host.machine}`,
    '-o', `lowerdir=${baseRootfs},upperdir=${join(host.dir, 'upper')},workdir=${join(host.dir, 'work')}`,
    merged(host),
  ]);
}

/** Host keys are made here, not in the host, so the lab knows them before the first boot (known_hosts). */
export async function ensureHostKeys(host: HostRecord): Promise<void> {
  const dir = join(host.dir, 'hostkeys');
  mkdirSync(dir, { recursive: true });
  await Promise.all(
    HOST_KEY_TYPES.map(async (t) => {
      const f = join(dir, `ssh_host_${t}_key`);
      if (!existsSync(f + '.pub')) await mustRun(['ssh-keygen', '-q', '-t', t, '-N', '', '-C', `root@${host.name}`, '-f', f]);
    }),
  );
}

export function hostPublicKeys(host: HostRecord): string[] {
  return HOST_KEY_TYPES.map((t) => readFileSync(join(host.dir, 'hostkeys', `ssh_host_${t}_key.pub`), 'utf8').trim());
}

function put(root: string, path: string, content: string | Buffer, mode: number, uid = 0, gid = 0): void {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
  chmodSync(full, mode);
  chownSync(full, uid, gid);
}

function sparkIds(root: string): { uid: number; gid: number } {
  const line = readFileSync(join(root, 'etc/passwd'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('spark:'));
  const f = line?.split(':');
  if (!f || f.length < 4) throw new LabError('state', `no user spark in ${root}/etc/passwd`);
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

/** Writes the host's identity and variant into its overlay, once (before the first boot). */
export async function prepareContainer(state: LabState, host: HostRecord, inputs: HostInputs): Promise<void> {
  const marker = join(host.dir, 'prepared');
  if (existsSync(marker)) return;
  await ensureHostKeys(host);
  const m = merged(host);
  const spec = VARIANTS[host.variant];
  put(m, 'etc/hostname', `${host.name}\n`, 0o644);
  put(m, 'etc/hosts', `127.0.0.1\tlocalhost\n127.0.1.1\t${host.name}\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n`, 0o644);
  put(m, 'etc/machine-id', randomBytes(16).toString('hex') + '\n', 0o444);
  put(m, 'etc/systemd/network/10-lab.network',
    `# sparkbook lab: the host's address on the lab bridge\n[Match]\nName=enP7s7\n\n[Network]\nAddress=${host.address}/24\nGateway=${state.gateway}\n`, 0o644);
  for (const t of HOST_KEY_TYPES) {
    const src = join(host.dir, 'hostkeys', `ssh_host_${t}_key`);
    put(m, `etc/ssh/ssh_host_${t}_key`, readFileSync(src), 0o600);
    put(m, `etc/ssh/ssh_host_${t}_key.pub`, readFileSync(src + '.pub'), 0o644);
  }
  const spark = sparkIds(m);
  put(m, 'root/.ssh/authorized_keys', inputs.clientPublicKey + '\n', 0o600);
  chmodSync(join(m, 'root/.ssh'), 0o700);
  put(m, 'home/spark/.ssh/authorized_keys', inputs.clientPublicKey + '\n', 0o600, spark.uid, spark.gid);
  chmodSync(join(m, 'home/spark/.ssh'), 0o700);
  put(m, 'usr/share/keyrings/sparkbook-lab.gpg', inputs.repoKeyring, 0o644);
  put(m, 'etc/apt/sources.list.d/sparkbook-lab.list',
    `# The sparkbook test lab's apt repository: the only package source of this host (it has no route out).\n` +
    `deb [signed-by=/usr/share/keyrings/sparkbook-lab.gpg] http://${state.gateway}:${state.repoPort}/debian ./\n`, 0o644);
  if (spec.port !== 22) {
    const cfg = join(m, 'etc/ssh/sshd_config');
    const text = readFileSync(cfg, 'utf8');
    writeFileSync(cfg, text.replace(/^#?Port 22$/m, `Port ${spec.port}`));
  }
  if (spec.sshUnit === 'ssh.socket') {
    await mustRun(['systemctl', `--root=${m}`, '--quiet', 'disable', 'ssh.service']);
    await mustRun(['systemctl', `--root=${m}`, '--quiet', 'enable', 'ssh.socket']);
  }
  if (spec.ufw) {
    // ufw only edits its rule files while inactive, so this needs no firewall here; ufw.service applies them at boot.
    await mustRun(['chroot', m, 'ufw', 'allow', `${spec.port}/tcp`]);
    const conf = join(m, 'etc/ufw/ufw.conf');
    writeFileSync(conf, readFileSync(conf, 'utf8').replace(/^ENABLED=no$/m, 'ENABLED=yes'));
  }
  writeFileSync(marker, new Date().toISOString() + '\n');
}

/** Starts host-run.sh detached (its own session, so it outlives this process); records its PID. */
export function startContainer(state: LabState, host: HostRecord): ProcRef {
  const log = openSync(join(host.dir, 'supervisor.log'), 'a');
  const child = spawn(
    'bash',
    [join(scriptsDir, 'host-run.sh'), host.dir, host.machine, host.name, host.link, state.bridge, host.cgroup],
    { detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  child.unref();
  const ref = child.pid === undefined ? undefined : refOf(child.pid);
  if (!ref) throw new LabError('command', `host-run.sh for ${host.name} did not start`);
  return ref;
}

/** systemd-nspawn's PID, if the supervisor has one running now. */
export function nspawnPid(host: HostRecord): number | undefined {
  if (!isAlive(host.supervisor)) return undefined;
  try {
    const pid = Number(readFileSync(join(host.dir, 'nspawn.pid'), 'utf8').trim());
    return childrenOf(host.supervisor.pid).includes(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The host's PID 1 (systemd), seen from this machine: the child of nspawn that runs systemd in a PID namespace of
 * its own. While nspawn starts, its child is still a fork of nspawn: that is no init, and nsenter into it would
 * run a command in the wrong namespaces.
 */
export function containerInit(host: HostRecord): number | undefined {
  const np = nspawnPid(host);
  if (np === undefined) return undefined;
  for (const child of childrenOf(np)) {
    try {
      if (readFileSync(`/proc/${child}/comm`, 'utf8').trim() !== 'systemd') continue;
      if (readlinkSync(`/proc/${child}/ns/pid`) === readlinkSync('/proc/self/ns/pid')) continue;
      return child;
    } catch {
      // gone while we looked
    }
  }
  return undefined;
}

/** A command's argv that runs inside a running container, as root, out of band (not through sshd). */
export function nsenterArgv(initPid: number, argv: readonly string[]): string[] {
  return [
    'nsenter', '-t', String(initPid), '-a', '-r', '-w', '--',
    'env', '-i', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LANG=C.UTF-8', 'TERM=dumb',
    ...argv,
  ];
}

/** Waits for PID 1 to finish booting; returns systemd's verdict ("running" or "degraded"). */
export async function waitContainerBooted(host: HostRecord, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  // Polled rather than `is-system-running --wait`: called before the host's manager is up, --wait can miss the
  // end of boot and block for good (seen here). The init PID is looked up each time: a reboot changes it.
  for (;;) {
    const init = containerInit(host);
    if (init === undefined) {
      if (!isAlive(host.supervisor)) {
        throw new LabError('command', `${host.name}: systemd-nspawn exited; see ${join(host.dir, 'console.log')}`);
      }
      last = 'no init yet';
    } else {
      const r = await execArgv(nsenterArgv(init, ['systemctl', 'is-system-running']), { timeoutMs: 10_000 });
      last = r.stdout.trim() || r.stderr.trim();
      if (last === 'running' || last === 'degraded') return last;
    }
    if (Date.now() > deadline) throw new LabError('timeout', `${host.name}: not booted after ${timeoutMs} ms (${last})`);
    await sleep(200);
  }
}

/**
 * Stops a container: SIGTERM to the supervisor (nspawn halts the host cleanly); after graceMs, SIGKILL to the
 * container's init, nspawn and the supervisor (killing nspawn alone leaves systemd running as an orphan).
 */
export async function stopContainer(host: HostRecord, graceMs = 15_000): Promise<void> {
  const np = nspawnPid(host);
  const npRef = np === undefined ? undefined : refOf(np);
  const kids = np === undefined ? [] : childrenOf(np).map(refOf);
  const all = [host.supervisor, npRef, ...kids];
  signal(host.supervisor, 'SIGTERM');
  if (await waitGone(all, graceMs)) return;
  for (const k of kids) signal(k, 'SIGKILL');
  signal(npRef, 'SIGKILL');
  signal(host.supervisor, 'SIGKILL');
  if (!(await waitGone(all, 5_000))) {
    throw new LabError('resource', `${host.name}: processes survived SIGKILL`);
  }
}

/** Removes what a stopped container leaves: its overlay mount, its veth (if nspawn left it) and its cgroups. */
export async function cleanupContainer(host: HostRecord): Promise<void> {
  if (isMountPoint(merged(host))) {
    const r = await execArgv(['umount', merged(host)]);
    if (r.exitCode !== 0) await mustRun(['umount', '-l', merged(host)]);
  }
  if ((await execArgv(['ip', 'link', 'show', 'dev', host.link])).exitCode === 0) await mustRun(['ip', 'link', 'del', host.link]);
  removeCgroups(host.cgroup);
}

export const CGROUP_ROOTS = ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified', '/sys/fs/cgroup'];

/** rmdir of the host's cgroup tree in every hierarchy, deepest first (cgroupfs only removes empty directories). */
export function removeCgroups(rel: string): void {
  for (const root of CGROUP_ROOTS) {
    const top = join(root, rel);
    if (!existsSync(join(top, 'cgroup.procs'))) continue;
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(join(dir, e.name));
      try {
        rmdirSync(dir);
      } catch {
        /* still has processes: reported by status */
      }
    };
    walk(top);
  }
}

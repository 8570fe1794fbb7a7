// One arm64 VM host: qemu-system-aarch64 (TCG) on a qcow2 overlay of the cached template disk, a tap on the lab
// bridge, and its identity (host keys, authorized_keys, hostname, address) handed in as a tar through QEMU fw_cfg.
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureHostKeys, HOST_KEY_TYPES, type HostInputs } from './container.js';
import { execArgv, mustRun } from './exec.js';
import { LabError } from './lab-error.js';
import { isAlive, refOf, signal, sleep, waitGone, type ProcRef } from './procs.js';
import type { HostRecord, LabState } from './state.js';

/** The spark user's ids in the VM template (useradd's first user, as in the container base). */
const SPARK_UID = 1000;

function put(root: string, path: string, content: string | Buffer, mode: number, uid = 0): void {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
  chmodSync(full, mode);
  chownSync(full, uid, uid === 0 ? 0 : uid);
}

/** The VM's disk (a copy-on-write overlay of the template) and its identity tar, once. */
export async function prepareVm(state: LabState, host: HostRecord, inputs: HostInputs, vmBase: string): Promise<void> {
  const marker = join(host.dir, 'prepared');
  if (existsSync(marker)) return;
  mkdirSync(host.dir, { recursive: true });
  await ensureHostKeys(host);
  const disk = join(host.dir, 'disk.qcow2');
  await mustRun(['qemu-img', 'create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', join(vmBase, 'template.img'), disk]);
  const id = join(host.dir, 'identity');
  const files: string[] = [];
  const add = (path: string, content: string | Buffer, mode: number, uid = 0) => {
    put(id, path, content, mode, uid);
    files.push(path);
  };
  add('etc/hostname', `${host.name}\n`, 0o644);
  add('etc/hosts', `127.0.0.1\tlocalhost\n127.0.1.1\t${host.name}\n::1\tlocalhost ip6-localhost ip6-loopback\n`, 0o644);
  add('etc/systemd/network/10-lab.network', `# sparkbook lab: the VM's address on the lab bridge\n[Match]\nName=enP7s7\n\n[Network]\nAddress=${host.address}/24\nGateway=${state.gateway}\n`, 0o644);
  for (const t of HOST_KEY_TYPES) {
    const src = join(host.dir, 'hostkeys', `ssh_host_${t}_key`);
    add(`etc/ssh/ssh_host_${t}_key`, readFileSync(src), 0o600);
    add(`etc/ssh/ssh_host_${t}_key.pub`, readFileSync(src + '.pub'), 0o644);
  }
  add('root/.ssh/authorized_keys', inputs.clientPublicKey + '\n', 0o600);
  add('home/spark/.ssh/authorized_keys', inputs.clientPublicKey + '\n', 0o600, SPARK_UID);
  add('usr/share/keyrings/sparkbook-lab.gpg', inputs.repoKeyring, 0o644);
  add('etc/apt/sources.list.d/sparkbook-lab.list',
    `# The sparkbook test lab's apt repository: the only package source of this host (it has no route out).\n` +
    `deb [signed-by=/usr/share/keyrings/sparkbook-lab.gpg] http://${state.gateway}:${state.repoPort}/debian ./\n`, 0o644);
  // Files only, no directory entries: extracting must not change the modes of /etc, /root or /home/spark.
  await mustRun(['tar', '--numeric-owner', '--no-recursion', '-C', id, '-cf', join(host.dir, 'identity.tar'), ...files]);
  writeFileSync(marker, new Date().toISOString() + '\n');
}

function mac(state: LabState, host: HostRecord): string {
  const idx = Number(host.address.split('.')[3]);
  return ['52', '54', '00', '77', state.subnet, idx].map((x) => (typeof x === 'number' ? x.toString(16).padStart(2, '0') : x)).join(':');
}

export function qemuArgv(state: LabState, host: HostRecord, vmBase: string): string[] {
  const smp = process.env['SPARKBOOK_LAB_VM_SMP'] ?? '1';
  return [
    'qemu-system-aarch64',
    '-name', host.machine,
    '-M', 'virt', '-cpu', 'cortex-a57', '-smp', smp, '-m', '768',
    // A 128 MB translation cache instead of the default (a quarter of RAM) keeps RSS near 540 MB (research/lab.md §5).
    '-accel', 'tcg,tb-size=128',
    '-display', 'none', '-monitor', 'none', '-serial', `file:${join(host.dir, 'console.log')}`,
    '-kernel', join(vmBase, 'vmlinuz'), '-initrd', join(vmBase, 'initrd.gz'),
    '-append', `console=ttyAMA0 rw quiet systemd.hostname=${host.name}`,
    '-drive', `if=none,file=${join(host.dir, 'disk.qcow2')},format=qcow2,id=hd0`, '-device', 'virtio-blk-pci,drive=hd0',
    '-netdev', `tap,id=n0,ifname=${host.link},script=no,downscript=no`, // romfile= : no PXE option ROM (Debian ships it in ipxe-qemu, a Recommends not installed); the kernel boots directly.
    '-device', `virtio-net-pci,netdev=n0,mac=${mac(state, host)},romfile=`,
    '-device', 'virtio-rng-pci',
    '-fw_cfg', `name=opt/sparkbook/identity,file=${join(host.dir, 'identity.tar')}`,
  ];
}

/** Creates the VM's tap on the lab bridge and starts qemu detached; returns qemu's PID. */
export async function startVm(state: LabState, host: HostRecord, vmBase: string): Promise<ProcRef> {
  if ((await execArgv(['ip', 'link', 'show', 'dev', host.link])).exitCode !== 0) {
    await mustRun(['ip', 'tuntap', 'add', 'dev', host.link, 'mode', 'tap']);
  }
  await mustRun(['ip', 'link', 'set', host.link, 'master', state.bridge, 'up']);
  const log = openSync(join(host.dir, 'qemu.log'), 'a');
  const [cmd, ...args] = qemuArgv(state, host, vmBase);
  const child = spawn(cmd ?? 'qemu-system-aarch64', args, { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  const ref = child.pid === undefined ? undefined : refOf(child.pid);
  if (!ref) throw new LabError('command', `qemu for ${host.name} did not start`);
  return ref;
}

export function vmRunning(host: HostRecord): boolean {
  return isAlive(host.supervisor);
}

/** SIGTERM to qemu (power-off through ssh is slow under TCG: more than 2 min for 8 VMs), then SIGKILL. */
export async function stopVm(host: HostRecord): Promise<void> {
  signal(host.supervisor, 'SIGTERM');
  if (await waitGone([host.supervisor], 10_000)) return;
  signal(host.supervisor, 'SIGKILL');
  if (!(await waitGone([host.supervisor], 5_000))) throw new LabError('resource', `${host.name}: qemu survived SIGKILL`);
}

export async function cleanupVm(host: HostRecord): Promise<void> {
  if ((await execArgv(['ip', 'link', 'show', 'dev', host.link])).exitCode === 0) await mustRun(['ip', 'link', 'del', host.link]);
}

/** Waits until the VM's systemd has finished booting, asked over ssh as root (a VM has no nsenter way in). */
export async function waitVmBooted(host: HostRecord, sshArgv: (command: string) => string[], timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    if (!vmRunning(host)) throw new LabError('command', `${host.name}: qemu exited; see ${join(host.dir, 'qemu.log')} and console.log`);
    const r = await execArgv(sshArgv('systemctl is-system-running'), { timeoutMs: 30_000 });
    last = r.stdout.trim() || r.stderr.trim();
    if (last === 'running' || last === 'degraded') return last;
    if (Date.now() > deadline) throw new LabError('timeout', `${host.name}: not booted after ${timeoutMs} ms (${last})`);
    await sleep(2000);
  }
}

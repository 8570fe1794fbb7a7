// The lab's three operations: up (idempotent: build what is missing, start what is stopped), down (remove exactly
// what the state records), and status. Everything it creates is named with the lab's name and recorded first.
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { ensureBase, ensureRepo, ensureVmBase } from './cache.js';
import {
  cleanupContainer,
  containerInit,
  hostPublicKeys,
  mountOverlay,
  nsenterArgv,
  prepareContainer,
  removeCgroups,
  startContainer,
  stopContainer,
  waitContainerBooted,
} from './container.js';
import { CONTAINER_PACKAGES, VM_PACKAGES, ensurePackages } from './deps.js';
import { mustRun } from './exec.js';
import { renderIni, renderKnownHosts, renderYaml } from './inventory.js';
import { LabError } from './lab-error.js';
import { deleteLink, ensureBridge, pickSubnet, subnetsInUse } from './network.js';
import { withDirLock } from './lock.js';
import { checkLabName, labDir, labRoot, repoRoot } from './paths.js';
import { isAlive, refOf, signal, sleep, waitGone } from './procs.js';
import { acquireShared, isMountPoint, releaseShared } from './shared.js';
import { listLabs, readState, writeState, type HostRecord, type LabState } from './state.js';
import { planHosts, type HostKind, type LabUser, type Variant } from './variants.js';
import { cleanupVm, prepareVm, startVm, stopVm, vmRunning, waitVmBooted } from './vm.js';

export interface LabHost {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly user: LabUser;
  readonly kind: HostKind;
  readonly variant: Variant;
}

export interface LabInfo {
  readonly name: string;
  readonly inventoryYaml: string;
  readonly inventoryIni: string;
  readonly knownHosts: string;
  readonly privateKey: string;
  /** http://GATEWAY:PORT of the lab's apt repository server (paths /debian, /tailscale-standin/..., /keys/...). */
  readonly repoBase: string;
  readonly hosts: readonly LabHost[];
}

export interface UpOptions {
  readonly name: string;
  readonly containers: number;
  readonly vms?: number;
  readonly log?: (line: string) => void;
}

const REPO_PORT = 8080;
const BOOT_TIMEOUT_MS = 180_000;
/** TCG boots one VM to ssh in 20-30 s; 4 at once took 80 s on 2 cores (research/lab.md §5). */
const VM_BOOT_TIMEOUT_MS = 600_000;

const files = (name: string) => ({
  key: join(labDir(name), 'id_ed25519'),
  yaml: join(labDir(name), 'inventory.yml'),
  ini: join(labDir(name), 'inventory.ini'),
  knownHosts: join(labDir(name), 'known_hosts'),
  accessLog: join(labDir(name), 'repo-access.log'),
});

/** Brings the lab to exactly `containers` containers (and `vms` VMs), all booted; returns where to find it. */
export function up(opts: UpOptions): Promise<LabInfo> {
  const name = checkLabName(opts.name);
  // One up or down per lab at a time; a first build can hold it for many minutes.
  return withDirLock(labLock(name), 45 * 60_000, 45 * 60_000, () => upLocked(name, opts));
}

function labLock(name: string): string {
  return join(labRoot(), 'locks', name);
}

async function upLocked(name: string, opts: UpOptions): Promise<LabInfo> {
  const log = opts.log ?? (() => undefined);
  const vms = opts.vms ?? 0;
  const t0 = Date.now();
  await ensurePackages(vms > 0 ? [...CONTAINER_PACKAGES, ...VM_PACKAGES] : CONTAINER_PACKAGES, log);
  const base = await ensureBase(log);
  const vmBase = vms > 0 ? await ensureVmBase(log) : undefined;

  let state = readState(name);
  if (!state) {
    const taken = await subnetsInUse();
    for (const other of listLabs()) {
      const s = readState(other);
      if (s) taken.add(s.subnet);
    }
    const subnet = pickSubnet(taken);
    const prefix = `10.77.${subnet}`;
    state = {
      version: 1,
      name,
      subnet,
      prefix,
      bridge: `${name}-br`,
      gateway: `${prefix}.1`,
      baseDir: base,
      repoDir: '',
      repoPort: REPO_PORT,
      sharedHeld: false,
      bridgeCreated: false,
      hosts: [],
    };
    writeState(state);
    log(`lab ${name}: subnet ${prefix}.0/24, bridge ${state.bridge}`);
  } else if (state.baseDir !== base) {
    log(`lab ${name} keeps its base ${state.baseDir}; the recipe changed since (down and up to use ${base})`);
  }
  const s: LabState = state;
  if (!existsSync(join(s.baseDir, 'rootfs'))) {
    throw new LabError('state', `lab ${name} uses ${s.baseDir}, which is gone: run \`npm run lab -- down --name ${name}\` first`);
  }
  let vmsAdded = false;
  if (vmBase !== undefined && s.vmBaseDir === undefined) {
    s.vmBaseDir = vmBase;
    vmsAdded = true;
    writeState(s);
  }
  // A lab keeps the repo it started with (its hosts trust that repo's key) until VMs need arm64 packages in it;
  // repos built since the signing keys were cached are all signed by the same keys.
  if (s.repoDir === '' || !existsSync(join(s.repoDir, 'www')) || vmsAdded) {
    const repo = await ensureRepo(s.vmBaseDir === undefined ? [s.baseDir] : [s.baseDir, s.vmBaseDir], log);
    if (isAlive(s.repoServer)) {
      signal(s.repoServer, 'SIGTERM');
      await waitGone([s.repoServer], 5000);
    }
    s.repoDir = repo;
    writeState(s);
  }

  if (!s.sharedHeld) {
    await acquireShared(name);
    s.sharedHeld = true;
    writeState(s);
  }
  if (await ensureBridge(s.bridge, s.gateway)) {
    s.bridgeCreated = true;
    writeState(s);
  }
  const f = files(name);
  if (!existsSync(f.key)) await mustRun(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `sparkbook-lab-${name}`, '-f', f.key]);
  await ensureRepoServer(s, log);

  // Hosts the request no longer wants go first, then the missing ones are created.
  const plan = planHosts(s.prefix, opts.containers, vms);
  const wanted = new Set(plan.map((p) => p.name));
  for (const h of s.hosts.filter((h) => !wanted.has(h.name))) {
    log(`removing ${h.name}`);
    await removeHost(h);
    s.hosts = s.hosts.filter((x) => x.name !== h.name);
    writeState(s);
  }
  for (const p of plan) {
    const existing = s.hosts.find((h) => h.name === p.name);
    if (existing && (existing.variant !== p.variant || existing.address !== p.address)) {
      throw new LabError('state', `host ${p.name} of lab ${name} differs from the plan: down the lab first`);
    }
    if (!existing) {
      s.hosts.push({ ...p, machine: `${name}-${p.name}`, link: `${name}-${p.name}`, dir: join(labDir(name), 'hosts', p.name), cgroup: `sparkbook-lab/${name}/${p.name}` });
    }
  }
  writeState(s);

  const inputs = {
    clientPublicKey: readFileSync(f.key + '.pub', 'utf8').trim(),
    repoKeyring: readFileSync(join(s.repoDir, 'www', 'keys', 'lab.gpg')),
  };
  const tBoot = Date.now();
  const running = (h: HostRecord): boolean => (h.kind === 'vm' ? vmRunning(h) : containerInit(h) !== undefined);
  const toStart = s.hosts.filter((h) => !running(h));
  const vmBaseDir = s.vmBaseDir;
  await Promise.all(
    s.hosts.map(async (h) => {
      if (h.kind === 'vm') {
        if (vmBaseDir === undefined) throw new LabError('state', `lab ${name} has VM ${h.name} but no VM image`);
        await prepareVm(s, h, inputs, vmBaseDir);
      } else {
        await mountOverlay(h, join(s.baseDir, 'rootfs'));
        await prepareContainer(s, h, inputs);
      }
    }),
  );
  // known_hosts first: the VMs are waited for over ssh, with strict host key checking.
  writeInventory(s);
  for (const h of toStart) {
    if (h.kind === 'vm') {
      h.supervisor = await startVm(s, h, vmBaseDir ?? '');
    } else {
      if (isAlive(h.supervisor)) await stopContainer(h); // a supervisor without a running host: restart cleanly
      h.supervisor = startContainer(s, h);
    }
    writeState(s);
  }
  const verdicts = await Promise.all(
    s.hosts.map(async (h) => {
      const t = Date.now();
      let v: string;
      if (h.kind === 'vm') {
        await waitSshBanner(h.address, h.port, VM_BOOT_TIMEOUT_MS, () => vmRunning(h));
        v = await waitVmBooted(h, (cmd) => rootSshArgv(s, h, cmd), VM_BOOT_TIMEOUT_MS);
      } else {
        v = await waitContainerBooted(h, BOOT_TIMEOUT_MS);
        await waitSshBanner(h.address, h.port, BOOT_TIMEOUT_MS);
      }
      return `${h.name}:${v}:${((Date.now() - t) / 1000).toFixed(1)}s`;
    }),
  );
  if (toStart.length > 0) log(`booted ${toStart.length} host(s) in ${((Date.now() - tBoot) / 1000).toFixed(1)} s (${verdicts.join(' ')})`);

  const info = writeInventory(s);
  log(`lab ${name} up: ${s.hosts.length} host(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return info;
}

function writeInventory(s: LabState): LabInfo {
  const f = files(s.name);
  const repoBase = `http://${s.gateway}:${s.repoPort}`;
  const input = { lab: s.name, hosts: s.hosts, privateKey: f.key, knownHosts: f.knownHosts, repoBase };
  writeFileSync(f.yaml, renderYaml(input));
  writeFileSync(f.ini, renderIni(input));
  writeFileSync(f.knownHosts, renderKnownHosts(s.hosts.map((h) => ({ address: h.address, keys: hostPublicKeys(h) }))));
  return infoOf(s);
}

function infoOf(s: LabState): LabInfo {
  const f = files(s.name);
  return {
    name: s.name,
    inventoryYaml: f.yaml,
    inventoryIni: f.ini,
    knownHosts: f.knownHosts,
    privateKey: f.key,
    repoBase: `http://${s.gateway}:${s.repoPort}`,
    hosts: s.hosts.map((h) => ({ name: h.name, address: h.address, port: h.port, user: h.user, kind: h.kind, variant: h.variant })),
  };
}

/** The LabInfo of a lab that is up (its files exist), or undefined. */
export function labInfo(name: string): LabInfo | undefined {
  const s = readState(checkLabName(name));
  return s && existsSync(files(name).yaml) ? infoOf(s) : undefined;
}

async function ensureRepoServer(s: LabState, log: (line: string) => void): Promise<void> {
  if (isAlive(s.repoServer)) return;
  const f = files(s.name);
  const out = openSync(join(labDir(s.name), 'repo-server.log'), 'a');
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'dist', 'test', 'lab', 'repo-server.js'), join(s.repoDir, 'www'), s.gateway, String(s.repoPort), f.accessLog],
    { detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  child.unref();
  s.repoServer = child.pid === undefined ? undefined : refOf(child.pid);
  writeState(s);
  await waitTcp(s.gateway, s.repoPort, 10_000);
  log(`apt repository on http://${s.gateway}:${s.repoPort}/`);
}

function tryConnect(address: string, port: number, wantBanner: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: address, port });
    let buf = '';
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(3000, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => {
      if (!wantBanner) done(true);
    });
    sock.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      if (buf.includes('\n')) done(buf.startsWith('SSH-'));
    });
  });
}

async function waitTcp(address: string, port: number, timeoutMs: number, banner = false, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await tryConnect(address, port, banner))) {
    if (!alive()) throw new LabError('command', `${address}:${port}: the host's process exited while we waited`);
    if (Date.now() > deadline) throw new LabError('timeout', `${address}:${port} not answering after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** The proof a host is reachable from this machine: sshd's banner on the host's own address and port. */
export function waitSshBanner(address: string, port: number, timeoutMs: number, alive?: () => boolean): Promise<void> {
  return waitTcp(address, port, timeoutMs, true, alive);
}

async function stopHost(h: HostRecord): Promise<void> {
  if (h.kind === 'vm') await stopVm(h);
  else await stopContainer(h);
}

async function cleanupHost(h: HostRecord): Promise<void> {
  if (h.kind === 'vm') await cleanupVm(h);
  else await cleanupContainer(h);
}

async function removeHost(h: HostRecord): Promise<void> {
  await stopHost(h);
  await cleanupHost(h);
  if (isMountPoint(join(h.dir, 'merged'))) throw new LabError('resource', `${h.dir}/merged is still mounted`);
  rmSync(h.dir, { recursive: true, force: true });
}

/** Removes everything the lab's state records, then the state itself. A lab that does not exist is a no-op. */
export function down(name: string, log: (line: string) => void = () => undefined): Promise<boolean> {
  checkLabName(name);
  return withDirLock(labLock(name), 45 * 60_000, 45 * 60_000, () => downLocked(name, log));
}

async function downLocked(name: string, log: (line: string) => void): Promise<boolean> {
  const s = readState(name);
  if (!s) return false;
  const t0 = Date.now();
  await Promise.all(s.hosts.map((h) => stopHost(h)));
  for (const h of s.hosts) await cleanupHost(h);
  if (isAlive(s.repoServer)) {
    signal(s.repoServer, 'SIGTERM');
    if (!(await waitGone([s.repoServer], 5000))) signal(s.repoServer, 'SIGKILL');
    await waitGone([s.repoServer], 5000);
  }
  if (s.bridgeCreated) await deleteLink(s.bridge);
  removeCgroups(`sparkbook-lab/${name}`);
  removeCgroups('sparkbook-lab'); // only empty directories go: other labs keep theirs
  const stillMounted = s.hosts.filter((h) => isMountPoint(join(h.dir, 'merged')));
  if (stillMounted.length > 0) throw new LabError('resource', `still mounted: ${stillMounted.map((h) => h.dir).join(' ')}`);
  const held = s.sharedHeld;
  rmSync(labDir(name), { recursive: true, force: true });
  if (held) await releaseShared(name);
  log(`lab ${name} down in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return true;
}

export interface HostStatus {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly kind: HostKind;
  readonly variant: Variant;
  readonly running: boolean;
  readonly init?: number;
}

export interface LabStatus {
  readonly name: string;
  readonly subnet: string;
  readonly bridge: string;
  readonly repoServer: boolean;
  readonly inventoryYaml: string;
  readonly hosts: readonly HostStatus[];
}

export function status(): LabStatus[] {
  return listLabs().flatMap((n) => {
    const s = readState(n);
    if (!s) return [];
    return [
      {
        name: s.name,
        subnet: `${s.prefix}.0/24`,
        bridge: s.bridge,
        repoServer: isAlive(s.repoServer),
        inventoryYaml: files(s.name).yaml,
        hosts: s.hosts.map((h) => {
          const init = h.kind === 'vm' ? (vmRunning(h) ? h.supervisor?.pid : undefined) : containerInit(h);
          return { name: h.name, address: h.address, port: h.port, kind: h.kind, variant: h.variant, running: init !== undefined, ...(init === undefined ? {} : { init }) };
        }),
      },
    ];
  });
}

/**
 * argv that runs a command inside a lab host as root, out of band: nsenter into a container's PID 1 namespaces
 * (not through its sshd), or ssh as root with the lab key for a VM (a VM has no other way in).
 */
export function hostExecArgv(name: string, host: string, argv: readonly string[]): string[] {
  const s = readState(checkLabName(name));
  if (!s) throw new LabError('usage', `no lab named ${name}`);
  const h = s.hosts.find((x) => x.name === host);
  if (!h) throw new LabError('usage', `lab ${name} has no host ${host} (hosts: ${s.hosts.map((x) => x.name).join(', ')})`);
  if (h.kind === 'vm') {
    if (!vmRunning(h)) throw new LabError('state', `VM ${host} of lab ${name} is not running`);
    return rootSshArgv(s, h, argv.map(shQuote).join(' '));
  }
  const init = containerInit(h);
  if (init === undefined) throw new LabError('state', `host ${host} of lab ${name} is not running`);
  return nsenterArgv(init, argv);
}

function shQuote(a: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/** ssh as root with the lab's key and known_hosts (strict), for the lab's own use. */
function rootSshArgv(s: LabState, h: HostRecord, command: string): string[] {
  const f = files(s.name);
  return [
    'ssh', '-F', '/dev/null', '-i', f.key, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
    '-o', `UserKnownHostsFile=${f.knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=yes',
    '-o', 'ConnectTimeout=20', '-o', 'LogLevel=ERROR', '-p', String(h.port), '-l', 'root', h.address, command,
  ];
}

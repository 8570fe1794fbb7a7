// Builds (once) and finds the cached base rootfs and apt repository, keyed by a hash of the recipe that made them.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execArgv } from './exec.js';
import { LabError } from './lab-error.js';
import { withDirLock } from './lock.js';
import { cacheRoot, scriptsDir } from './paths.js';

export function mirror(): string {
  return process.env['SPARKBOOK_LAB_MIRROR'] ?? 'http://deb.debian.org/debian';
}

/** sha256 over files (by content) and extra strings; a changed recipe gives a new cache directory. */
export function recipeHash(files: readonly string[], extra: readonly string[] = []): string {
  const h = createHash('sha256');
  for (const f of files) {
    if (statSync(f).isDirectory()) {
      for (const name of readdirSync(f).sort()) h.update(name + '\0').update(readFileSync(join(f, name)));
    } else {
      h.update(readFileSync(f));
    }
    h.update('\0');
  }
  for (const e of extra) h.update(e + '\0');
  return h.digest('hex').slice(0, 12);
}

async function buildOnce(dir: string, marker: string, build: () => Promise<void>): Promise<void> {
  if (existsSync(join(dir, marker))) return;
  // Another lab building the same entry holds the lock; once it is done, the marker is there.
  await withDirLock(dir + '.lock', 40 * 60_000, 40 * 60_000, async () => {
    if (!existsSync(join(dir, marker))) await build();
  });
}

async function runScript(argv: readonly string[], what: string): Promise<void> {
  const r = await execArgv(['bash', ...argv]);
  if (r.exitCode !== 0) throw new LabError('command', `${what} failed (exit ${r.exitCode}):\n${(r.stderr + r.stdout).trim().slice(-3000)}`);
}

/** The amd64 base: OUT/rootfs (the read-only lower layer of every container) and OUT/repo-debs. */
export async function ensureBase(log: (line: string) => void): Promise<string> {
  const script = join(scriptsDir, 'build-base.sh');
  const dir = join(cacheRoot(), `base-amd64-${recipeHash([script], [mirror()])}`);
  await buildOnce(dir, 'BUILT', async () => {
    log(`building the base rootfs in ${dir} (debootstrap; about 1.5 min)`);
    const t = Date.now();
    await runScript([script, dir, mirror()], 'build-base.sh');
    log(`base built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  });
  return dir;
}

/** The two repository signing keys (a GnuPG home), made once and kept: every repo build signs with them. */
export async function ensureRepoKeys(): Promise<string> {
  const dir = join(cacheRoot(), 'repo-keys');
  await buildOnce(dir, 'pubring.kbx', () => runScript([join(scriptsDir, 'build-repo.sh'), 'keys', dir], 'build-repo.sh keys'));
  return dir;
}

/** The apt repositories (lab repo + Tailscale stand-in), built from the bases' repo-debs. */
export async function ensureRepo(baseDirs: readonly string[], log: (line: string) => void): Promise<string> {
  const script = join(scriptsDir, 'build-repo.sh');
  const standin = join(scriptsDir, 'tailscale-standin');
  const keys = await ensureRepoKeys();
  const dir = join(cacheRoot(), `repo-${recipeHash([script, standin, join(keys, 'pubring.kbx')], baseDirs)}`);
  await buildOnce(dir, 'www', async () => {
    log(`building the lab apt repository in ${dir}`);
    await runScript([script, 'repo', dir, standin, keys, ...baseDirs.map((b) => join(b, 'repo-debs'))], 'build-repo.sh');
  });
  return dir;
}

/** The arm64 VM boot set: template.img, vmlinuz, initrd.gz, repo-debs (build-vm.sh). */
export async function ensureVmBase(log: (line: string) => void): Promise<string> {
  const script = join(scriptsDir, 'build-vm.sh');
  const dir = join(cacheRoot(), `vm-arm64-${recipeHash([script], [mirror()])}`);
  await buildOnce(dir, 'BUILT', async () => {
    log(`building the arm64 VM image in ${dir} (debootstrap under qemu-user; about 4 min)`);
    const t = Date.now();
    await runScript([script, dir, mirror()], 'build-vm.sh');
    log(`VM image built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  });
  return dir;
}

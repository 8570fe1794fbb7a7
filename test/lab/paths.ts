// Where the lab keeps things: its scripts in the repo, lab state and the build cache outside it, and lab names.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from './lab-error.js';

/** The repository root, from dist/test/lab/paths.js. */
export const repoRoot: string = fileURLToPath(new URL('../../../', import.meta.url));

/** The lab's shell scripts and the Tailscale stand-in sources (they are not compiled). */
export const scriptsDir: string = join(repoRoot, 'test', 'lab');

/** Per-lab state (keys, overlays, inventories): outside the repo, so a clone stays clean. */
export function labRoot(): string {
  return process.env['SPARKBOOK_LAB_ROOT'] ?? '/var/lib/sparkbook-lab';
}

/** The build cache (base rootfs, apt repo), shared by every lab and kept between runs. */
export function cacheRoot(): string {
  return process.env['SPARKBOOK_LAB_CACHE'] ?? '/var/cache/sparkbook-lab';
}

export function labDir(name: string): string {
  return join(labRoot(), 'labs', name);
}

/** `sbl` plus 4 hex digits of this checkout's path: stable for one clone, distinct between clones. */
export function defaultLabName(): string {
  return 'sbl' + checkoutId();
}

/** The test suite's shared lab (`sbt` + the same digits): never the lab a developer brought up by hand. */
export function defaultTestLabName(): string {
  return 'sbt' + checkoutId();
}

function checkoutId(): string {
  return createHash('sha256').update(repoRoot).digest('hex').slice(0, 4);
}

const NAME = /^[a-z][a-z0-9]{0,7}$/;

/** Lab names prefix interface names (15 bytes at most), so they are short and plain. */
export function checkLabName(name: string): string {
  if (!NAME.test(name)) {
    throw new LabError('usage', `lab name ${JSON.stringify(name)} must match ${NAME.source} (it prefixes interface names)`);
  }
  return name;
}

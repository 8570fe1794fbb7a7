// useLab(): the lab an e2e describe block runs on, brought up before its tests and torn down after them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destroyLab, ensureLab, isRootHookInstalled, releaseSharedLab, sharedLab, type LabInfo } from '../lab/api.js';

/** A lab may take a while the first time a machine builds its base image. */
export const LAB_BOOT_MS = 15 * 60_000;

/** Each file names its own lab (`const LAB = '…'`, kept unique by test/unit/lab/lab-names.test.ts), or takes the run's shared one. */
export type LabSpec =
  | { readonly name: string; readonly containers: number; readonly vms?: number }
  | { readonly shared: true };

export interface UseLabOptions {
  /** For bringing the lab up: a first build of the base, or of the arm64 image, takes minutes. */
  readonly bootMs?: number;
  readonly teardownMs?: number;
  /**
   * 'test': every test gets an empty scratch directory, so one test's retry file or report cannot
   * satisfy another's assertions. Default 'file': one directory for the whole describe block.
   */
  readonly scratch?: 'file' | 'test';
}

/** The lab's LabInfo (valid inside the block's hooks and tests) and a scratch directory on this machine. */
export interface LabHandle extends LabInfo {
  readonly scratch: string;
  /** How long bringing the lab up took, for files that report it. */
  readonly upMs: number;
}

/**
 * Registers before/after hooks that bring the lab up and tear it down, and returns its handle. The
 * handle is usable at once in closures; reading it before the lab is up throws rather than giving
 * undefined, so a test that runs too early fails with a reason.
 */
export function useLab(spec: LabSpec & UseLabOptions): LabHandle {
  const label = 'shared' in spec ? 'the shared lab' : `lab ${spec.name}`;
  const perTest = spec.scratch === 'test';
  const prefix = `sparkbook-${'shared' in spec ? 'shared' : spec.name}-`;
  let info: LabInfo | undefined;
  let dir: string | undefined;
  let upMs = 0;

  const up = (): LabInfo => {
    if (!info) throw new Error(`${label} is not up: use it inside a hook or test of the describe block that called useLab()`);
    return info;
  };
  const handle: LabHandle = {
    get name() { return up().name; },
    get inventoryYaml() { return up().inventoryYaml; },
    get inventoryIni() { return up().inventoryIni; },
    get knownHosts() { return up().knownHosts; },
    get privateKey() { return up().privateKey; },
    get repoBase() { return up().repoBase; },
    get hosts() { return up().hosts; },
    get upMs() {
      up();
      return upMs;
    },
    get scratch() {
      if (dir === undefined) throw new Error(`${label}: no scratch directory outside the block's tests`);
      return dir;
    },
  };
  const removeScratch = (): void => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  };

  before(async function () {
    this.timeout(spec.bootMs ?? LAB_BOOT_MS);
    const t0 = Date.now();
    info = 'shared' in spec ? await sharedLab() : await ensureLab({ containers: spec.containers, vms: spec.vms ?? 0, name: spec.name });
    upMs = Date.now() - t0;
    if (!perTest) dir = mkdtempSync(join(tmpdir(), prefix));
  });

  if (perTest) {
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), prefix));
    });
    afterEach(removeScratch);
  }

  after(async function () {
    this.timeout(spec.teardownMs ?? 120_000);
    removeScratch();
    info = undefined;
    if (!('shared' in spec)) await releaseLab(spec.name);
    // With mocha-hooks.js loaded the shared lab outlives this file, for the next file to reuse.
    else if (!isRootHookInstalled()) await releaseSharedLab();
  });

  return handle;
}

/**
 * Destroys a lab, retrying once: on a loaded machine the lab's `down` can race with a host's last
 * writes (rmSync fails with ENOTEMPTY; reported to the lab's owner).
 */
export async function releaseLab(name: string): Promise<void> {
  try {
    await destroyLab(name);
  } catch {
    await new Promise((r) => setTimeout(r, 3000));
    await destroyLab(name);
  }
}

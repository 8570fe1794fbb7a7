// The lab's record of what it created (hosts, processes, links, mounts), so `down` removes exactly that.
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labDir, labRoot } from './paths.js';
import type { ProcRef } from './procs.js';
import type { HostPlan } from './variants.js';

export interface HostRecord extends HostPlan {
  /** systemd-nspawn --machine name: unique across labs (nspawn keeps per-machine paths under /run). */
  readonly machine: string;
  /** The outer end of the host's veth (containers) or its tap (VMs), on the lab bridge. */
  readonly link: string;
  readonly dir: string;
  /** Relative cgroup path the host's supervisor runs in (in every mounted hierarchy). */
  readonly cgroup: string;
  /** The host-run.sh supervisor (containers) or qemu (VMs). */
  supervisor?: ProcRef;
}

export interface LabState {
  readonly version: 1;
  readonly name: string;
  /** N of 10.77.N.0/24. */
  readonly subnet: number;
  readonly prefix: string;
  readonly bridge: string;
  readonly gateway: string;
  baseDir: string;
  /** The arm64 VM boot set, once the lab has had VMs. */
  vmBaseDir?: string;
  repoDir: string;
  readonly repoPort: number;
  repoServer?: ProcRef;
  /** True once this lab holds a reference on the machine-wide settings (shared.ts). */
  sharedHeld: boolean;
  bridgeCreated: boolean;
  hosts: HostRecord[];
}

export function statePath(name: string): string {
  return join(labDir(name), 'state.json');
}

export function readState(name: string): LabState | undefined {
  try {
    return JSON.parse(readFileSync(statePath(name), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

/** Written after every step that creates something, atomically, so a crash never loses a record. */
export function writeState(state: LabState): void {
  mkdirSync(labDir(state.name), { recursive: true });
  const tmp = statePath(state.name) + '.tmp';
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, statePath(state.name));
}

export function listLabs(): string[] {
  try {
    return readdirSync(join(labRoot(), 'labs')).filter((n) => readState(n) !== undefined);
  } catch {
    return [];
  }
}

// The lab's private network: a bridge in this machine's namespace on a 10.77.N.0/24 no one else uses.
// No NAT and no forwarding are ever set up: hosts reach this machine's bridge address and each other, nothing more.
import { execArgv, mustRun } from './exec.js';
import { LabError } from './lab-error.js';

export const SUBNET_COUNT = 64;

/** 10.77.N.0/24 prefixes already in use on this machine (any address or route in them). */
export async function subnetsInUse(): Promise<Set<number>> {
  const used = new Set<number>();
  const text = (await mustRun(['ip', '-4', '-o', 'addr', 'show'])) + (await mustRun(['ip', '-4', 'route', 'show', 'table', 'all']));
  for (const m of text.matchAll(/\b10\.77\.(\d+)\./g)) used.add(Number(m[1]));
  return used;
}

/** The lowest N in 0..63 that neither this machine's interfaces nor another lab's record uses. */
export function pickSubnet(inUse: ReadonlySet<number>): number {
  for (let n = 0; n < SUBNET_COUNT; n++) if (!inUse.has(n)) return n;
  throw new LabError('resource', `all of 10.77.0.0/24..10.77.${SUBNET_COUNT - 1}.0/24 are in use`);
}

export async function linkExists(name: string): Promise<boolean> {
  return (await execArgv(['ip', 'link', 'show', 'dev', name])).exitCode === 0;
}

/** Creates the bridge with the gateway address; true if it had to be created. */
export async function ensureBridge(name: string, gateway: string): Promise<boolean> {
  const created = !(await linkExists(name));
  if (created) await mustRun(['ip', 'link', 'add', name, 'type', 'bridge']);
  const addrs = await mustRun(['ip', '-4', '-o', 'addr', 'show', 'dev', name]);
  if (!addrs.includes(` ${gateway}/24 `)) await mustRun(['ip', 'addr', 'add', `${gateway}/24`, 'dev', name]);
  await mustRun(['ip', 'link', 'set', name, 'up']);
  return created;
}

export async function deleteLink(name: string): Promise<void> {
  if (await linkExists(name)) await mustRun(['ip', 'link', 'del', name]);
}

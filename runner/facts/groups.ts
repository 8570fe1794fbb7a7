// Facts come in groups, and a play gathers only the groups something in it can read: its
// templates and expressions (tasks, handlers, vars), the host's inventory and extra vars, and
// the modules it uses (Module.factGroups). `sudo`, `sshd -T`, `systemctl`, `ufw` (Python) and
// `nvidia-smi` are the costly part of the facts script on a host; most plays read none of them.
// The scan is conservative: `facts` anywhere not followed by `.name` (facts['ufw'], `facts |
// tojson`, a bare `facts`) means every group.
import type { Facts } from './facts.js';

export const FACT_GROUPS = ['base', 'network', 'ssh', 'ufw', 'sysctl', 'wireguard', 'tailscale', 'gpu'] as const;
export type FactGroup = (typeof FACT_GROUPS)[number];

export const ALL_FACT_GROUPS: ReadonlySet<FactGroup> = new Set(FACT_GROUPS);

/** Which group fills each fact; `connection` is the controller's own and always known. */
export const FACT_FIELD_GROUP: { readonly [K in Exclude<keyof Facts, 'connection'>]: FactGroup } = {
  hostname: 'base',
  arch: 'base',
  dpkgArch: 'base',
  os: 'base',
  kernel: 'base',
  initSystem: 'base',
  packageManager: 'base',
  memoryMb: 'base',
  cpus: 'base',
  productName: 'base',
  user: 'base',
  fqdn: 'network',
  interfaces: 'network',
  defaultRoute: 'network',
  defaultRoute6: 'network',
  sshd: 'ssh',
  sshUnits: 'ssh',
  listening: 'ssh',
  ufw: 'ufw',
  sysctl: 'sysctl',
  wireguard: 'wireguard',
  tailscale: 'tailscale',
  gpus: 'gpu',
  isDgxSpark: 'gpu',
};

const FACTS_REFERENCE = /(?<![\w.])facts\b(?:\s*\.\s*([A-Za-z_]\w*))?/g;

/** Adds to `into` the groups that `text` can read; returns false when it can read any fact. */
function scanText(text: string, into: Set<FactGroup>): boolean {
  if (!text.includes('facts')) return true;
  for (const m of text.matchAll(FACTS_REFERENCE)) {
    const field = m[1];
    if (field === undefined) return false;
    const group = (FACT_FIELD_GROUP as Readonly<Record<string, FactGroup>>)[field];
    // `facts.connection` is always known; a field no group fills is undefined whatever is gathered.
    if (group !== undefined) into.add(group);
  }
  return true;
}

/**
 * The groups any string inside `value` (deeply: lists, mappings, their keys) can read, added to
 * `into`. Returns false as soon as some string can read any fact: the caller gathers them all.
 */
export function scanForFactGroups(value: unknown, into: Set<FactGroup>): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (!scanText(v, into)) return false;
    } else if (Array.isArray(v)) {
      stack.push(...(v as unknown[]));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (!scanText(k, into)) return false;
        stack.push(x);
      }
    }
  }
  return true;
}

/** Facts with the fields of `groups` taken from `fresh`, the rest from `old`. */
export function mergeFacts(old: Facts, fresh: Facts, groups: ReadonlySet<FactGroup>): Facts {
  const out: Record<string, unknown> = { ...old, connection: fresh.connection };
  for (const [field, group] of Object.entries(FACT_FIELD_GROUP)) {
    if (groups.has(group)) out[field] = fresh[field as keyof Facts];
  }
  return out as unknown as Facts;
}

// The fact groups: which group fills each fact, and how fresh facts of some groups merge into
// old ones. What a play's text reads is found by scan-groups.ts.
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

/** Facts with the fields of `groups` taken from `fresh`, the rest from `old`. */
export function mergeFacts(old: Facts, fresh: Facts, groups: ReadonlySet<FactGroup>): Facts {
  const out: Record<string, unknown> = { ...old, connection: fresh.connection };
  for (const [field, group] of Object.entries(FACT_FIELD_GROUP)) {
    if (groups.has(group)) out[field] = fresh[field as keyof Facts];
  }
  return out as unknown as Facts;
}

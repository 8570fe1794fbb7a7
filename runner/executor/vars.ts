// Variable precedence, lowest to highest (documented in docs/variables.md):
//   0. role defaults (defaults/main.yml of the play's roles)
//   1. inventory vars (group vars by depth, then host vars: see docs/inventory.md)
//   2. play vars, then role vars (a roles: entry's vars:, then the role's vars/main.yml)
//   3. facts (under `facts`, and Ansible's names: `ansible_facts`, `ansible_*`), magic vars
//      (inventory_hostname, group_names, groups, hostvars, …); every variable above shadows them
//   4. registered results of earlier tasks on this host
//   5. block and task vars
//   6. the loop variable
//   7. extra vars (-e), which always win
import { dirname, resolve } from 'node:path';
import { ansibleFactVars, ansibleFacts, gatheredGroupsOf } from '../facts/ansible.js';
import type { Facts } from '../facts/facts.js';
import type { Inventory, InventoryHost } from '../inventory/types.js';
import { resolveVariables, type Scope } from '../template/index.js';

export interface HostScopeInput {
  readonly host: InventoryHost;
  readonly inventory: Inventory;
  readonly playVars: Readonly<Record<string, unknown>>;
  /** The play's role defaults (below the inventory) and role vars (above the play's vars). */
  readonly roleDefaults?: Readonly<Record<string, unknown>>;
  readonly roleVars?: Readonly<Record<string, unknown>>;
  readonly extraVars: Readonly<Record<string, unknown>>;
  readonly facts: Facts;
  readonly check: boolean;
  readonly playHosts: readonly string[];
  readonly diff?: boolean;
  readonly forks?: number;
  /** The playbook's path: playbook_dir is its directory. */
  readonly playbookFile?: string;
}

/** The Ansible whose names and values we mimic (our oracle: Debian 12's ansible-core). */
export const ANSIBLE_VERSION = { full: '2.14.18', major: 2, minor: 14, revision: 18, string: '2.14.18' } as const;

/**
 * Per inventory, each host's facts as last seen by hostScope: hostvars shows another host's facts
 * once that host has gathered them (in this play or an earlier one), as Ansible's fact cache does.
 */
const seenFacts = new WeakMap<Inventory, Map<string, Readonly<Record<string, unknown>>>>();
const hostvarsCache = new WeakMap<Inventory, Record<string, unknown>>();

/** What one host shows as `hostvars[host]`: inventory vars, then its Ansible facts if known. */
function hostvarsOf(inventory: Inventory, name: string): Record<string, unknown> {
  const host = inventory.hosts.get(name);
  const facts = seenFacts.get(inventory)?.get(name) ?? {};
  return {
    ...facts,
    ...(host?.vars ?? {}),
    inventory_hostname: name,
    inventory_hostname_short: name.split('.')[0],
    group_names: (host?.groups ?? []).filter((g) => g !== 'all' && g !== 'ungrouped'),
  };
}

/**
 * One `hostvars` mapping per inventory, each host's entry a getter: built once for the whole
 * fleet (not per host per play), and always showing the facts gathered so far.
 */
function hostvarsFor(inventory: Inventory): Record<string, unknown> {
  let out = hostvarsCache.get(inventory);
  if (out) return out;
  out = {};
  for (const name of inventory.hosts.keys()) {
    Object.defineProperty(out, name, { get: () => hostvarsOf(inventory, name), enumerable: true });
  }
  hostvarsCache.set(inventory, out);
  return out;
}

function groupsMap(inventory: Inventory): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, group] of inventory.groups) {
    const members = new Set<string>();
    const stack = [group];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const g = stack.pop()!;
      if (seen.has(g.name)) continue;
      seen.add(g.name);
      for (const h of g.hosts) members.add(h);
      for (const c of g.children) {
        const child = inventory.groups.get(c);
        if (child) stack.push(child);
      }
    }
    out[name] = name === 'all' ? [...inventory.hosts.keys()] : [...inventory.hosts.keys()].filter((h) => members.has(h));
  }
  return out;
}

const groupsCache = new WeakMap<Inventory, Record<string, string[]>>();

/** The magic variables Ansible users expect, computed by the controller. */
export function magicVars(input: HostScopeInput): Record<string, unknown> {
  let groups = groupsCache.get(input.inventory);
  if (!groups) {
    groups = groupsMap(input.inventory);
    groupsCache.set(input.inventory, groups);
  }
  // gather_facts: no (and nothing gathered before) leaves ansible_facts empty, as in Ansible.
  const dict = ansibleFacts(input.facts, gatheredGroupsOf(input.facts));
  const factVars = ansibleFactVars(dict);
  let seen = seenFacts.get(input.inventory);
  if (!seen) {
    seen = new Map();
    seenFacts.set(input.inventory, seen);
  }
  if (Object.keys(dict).length > 0) seen.set(input.host.name, { ...factVars, ansible_facts: dict, facts: input.facts });
  return {
    ...factVars,
    ansible_facts: dict,
    hostvars: hostvarsFor(input.inventory),
    inventory_hostname: input.host.name,
    inventory_hostname_short: input.host.name.split('.')[0],
    group_names: input.host.groups.filter((g) => g !== 'all' && g !== 'ungrouped'),
    groups,
    play_hosts: input.playHosts,
    ansible_play_hosts: input.playHosts,
    ansible_play_hosts_all: input.playHosts,
    ansible_check_mode: input.check,
    ansible_diff_mode: input.diff ?? false,
    ...(input.forks === undefined ? {} : { ansible_forks: input.forks }),
    ...(input.playbookFile === undefined ? {} : { playbook_dir: resolve(dirname(input.playbookFile)) }),
    ansible_version: ANSIBLE_VERSION,
    facts: input.facts,
  };
}

/** The scope of one host for one play: levels 0 to 3 and 7, templated in dependency order. */
export function hostScope(input: HostScopeInput): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...input.roleDefaults, ...input.host.vars, ...input.playVars, ...input.roleVars, ...input.extraVars };
  return resolveVariables(merged, magicVars(input));
}

/** A task's scope: the host's scope plus registered results, task vars and the loop variable. */
export function taskScope(
  hostScopeValue: Scope,
  registered: Readonly<Record<string, unknown>>,
  taskVars: Readonly<Record<string, unknown>>,
  loop: { readonly name: string; readonly value: unknown; readonly index?: { readonly name: string; readonly value: number } } | undefined,
  extraVars: Readonly<Record<string, unknown>>,
): Scope {
  const base: Record<string, unknown> = { ...hostScopeValue, ...registered };
  if (loop) base[loop.name] = loop.value;
  if (loop?.index) base[loop.index.name] = loop.index.value;
  if (Object.keys(taskVars).length === 0) return base;
  const scope = resolveVariables(taskVars, base);
  // Extra vars win even over task vars.
  return { ...scope, ...extraVars };
}

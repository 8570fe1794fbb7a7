// Variable precedence, lowest to highest (documented in docs/variables.md):
//   1. inventory vars (group vars by depth, then host vars: see docs/inventory.md)
//   2. play vars
//   3. facts (only under `facts`), magic vars (inventory_hostname, group_names, groups, …)
//   4. registered results of earlier tasks on this host
//   5. block and task vars
//   6. the loop variable
//   7. extra vars (-e), which always win
import type { Facts } from '../facts/facts.js';
import type { Inventory, InventoryHost } from '../inventory/types.js';
import type { Scope } from '../template/render.js';
import { resolveVariables } from '../template/render.js';

export interface HostScopeInput {
  readonly host: InventoryHost;
  readonly inventory: Inventory;
  readonly playVars: Readonly<Record<string, unknown>>;
  readonly extraVars: Readonly<Record<string, unknown>>;
  readonly facts: Facts;
  readonly check: boolean;
  readonly playHosts: readonly string[];
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
  return {
    inventory_hostname: input.host.name,
    inventory_hostname_short: input.host.name.split('.')[0],
    group_names: input.host.groups.filter((g) => g !== 'all' && g !== 'ungrouped'),
    groups,
    play_hosts: input.playHosts,
    ansible_play_hosts: input.playHosts,
    ansible_check_mode: input.check,
    facts: input.facts,
  };
}

/** The scope of one host for one play: levels 1, 2, 3 and 7, templated in dependency order. */
export function hostScope(input: HostScopeInput): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...input.host.vars, ...input.playVars, ...input.extraVars };
  return resolveVariables(merged, magicVars(input));
}

/** A task's scope: the host's scope plus registered results, task vars and the loop variable. */
export function taskScope(
  hostScopeValue: Scope,
  registered: Readonly<Record<string, unknown>>,
  taskVars: Readonly<Record<string, unknown>>,
  loop: { readonly name: string; readonly value: unknown } | undefined,
  extraVars: Readonly<Record<string, unknown>>,
): Scope {
  const base: Record<string, unknown> = { ...hostScopeValue, ...registered };
  if (loop) base[loop.name] = loop.value;
  if (Object.keys(taskVars).length === 0) return base;
  const scope = resolveVariables(taskVars, base);
  // Extra vars win even over task vars.
  return { ...scope, ...extraVars };
}

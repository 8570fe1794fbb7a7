// Reads a host var under any of several names, for vars with aliases (ansible_host, sparkbook_host).
import type { InventoryHost } from './types.js';

/** The value of the first of `names` the host has; null and undefined count as unset. */
export function hostVar(host: Pick<InventoryHost, 'vars'>, ...names: readonly string[]): unknown {
  for (const n of names) {
    const v = host.vars[n];
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

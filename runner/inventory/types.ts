// The inventory as the rest of sparkbook sees it: hosts with merged vars, groups, and where each came from.
import type { SourceLocation } from '../errors.js';

/** One host, with every inventory-level variable already merged (see docs/inventory.md). */
export interface InventoryHost {
  readonly name: string;
  /**
   * Every group the host belongs to, ancestors and `all` included, in the order their vars are
   * merged: by depth from `all`, then `ansible_group_priority`, then name (Ansible's sort_groups).
   */
  readonly groups: readonly string[];
  /** Merged vars: group vars, then the host's own, per Ansible's inventory precedence. */
  readonly vars: Readonly<Record<string, unknown>>;
  /** Only the host's own vars (inventory file, then host_vars/), as `ansible-inventory --export`. */
  readonly ownVars: Readonly<Record<string, unknown>>;
  /** Where the host was first declared; absent for the implicit localhost. */
  readonly where?: SourceLocation;
}

export interface InventoryGroup {
  readonly name: string;
  /** Hosts listed directly in this group (not those of its children), in file order. */
  readonly hosts: readonly string[];
  /** Direct child groups, in declaration order. */
  readonly children: readonly string[];
  /** Direct parent groups; `all` for a top-level group; empty for `all` itself. */
  readonly parents: readonly string[];
  /** The group's own vars: inventory file, then group_vars/ files. Not inherited ones. */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly where?: SourceLocation;
}

/** Something odd but not fatal, for `validate` and `inventory` to show. */
export interface InventoryWarning {
  readonly message: string;
  readonly where?: SourceLocation;
}

export interface Inventory {
  /** Insertion order is file order (first declaration wins the position). */
  readonly hosts: ReadonlyMap<string, InventoryHost>;
  /** Always holds `all` and `ungrouped`. */
  readonly groups: ReadonlyMap<string, InventoryGroup>;
  /** The path given with `-i`, or null for the implicit inventory (localhost only). */
  readonly source: string | null;
  readonly warnings: readonly InventoryWarning[];
}

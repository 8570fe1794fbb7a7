// Accumulates groups, hosts and vars from inventory files, then merges vars in Ansible's order.
import { InputError, type SourceLocation } from '../errors.js';
import type { Inventory, InventoryGroup, InventoryHost, InventoryWarning } from './types.js';

type Vars = Record<string, unknown>;

interface GroupData {
  readonly name: string;
  readonly hosts: string[];
  readonly children: string[];
  readonly parents: string[];
  readonly vars: Vars;
  where?: SourceLocation;
}

interface HostData {
  readonly name: string;
  readonly groups: string[];
  readonly vars: Vars;
  readonly where?: SourceLocation;
}

/** Vars read from group_vars/ and host_vars/ files, already merged per entity. */
export interface VarsFiles {
  readonly groups: ReadonlyMap<string, Vars>;
  readonly hosts: ReadonlyMap<string, Vars>;
}

export const NO_VARS_FILES: VarsFiles = { groups: new Map(), hosts: new Map() };

/**
 * The mutable side of an inventory. Parsers (YAML, INI) call add/set in file order; `build`
 * reconciles like Ansible's InventoryData (top-level groups become children of `all`, hosts in
 * no group land in `ungrouped`) and merges each host's vars.
 */
export class InventoryBuilder {
  private readonly groups = new Map<string, GroupData>();
  private readonly hosts = new Map<string, HostData>();
  readonly warnings: InventoryWarning[] = [];

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  hasGroup(name: string): boolean {
    return this.groups.has(name);
  }

  hasHost(name: string): boolean {
    return this.hosts.has(name);
  }

  groupNames(): string[] {
    return [...this.groups.keys()];
  }

  hostNames(): string[] {
    return [...this.hosts.keys()];
  }

  addGroup(name: string, where?: SourceLocation): void {
    const g = this.groups.get(name);
    if (g) {
      if (!g.where && where) g.where = where;
      return;
    }
    const data: GroupData = { name, hosts: [], children: [], parents: [], vars: {} };
    if (where) data.where = where;
    this.groups.set(name, data);
  }

  /** Adds the edge parent → child; an edge that closes a loop is an error at `where`. */
  addChild(parent: string, child: string, where?: SourceLocation): void {
    this.addGroup(parent);
    this.addGroup(child, where);
    const p = this.group(parent);
    const c = this.group(child);
    if (p.children.includes(child)) return;
    if (child === 'all') {
      throw new InputError('inventory', `group 'all' holds every group; it cannot be a child of '${parent}'`, where);
    }
    const loop = this.pathDown(child, parent);
    if (loop) {
      throw new InputError('inventory', `group '${child}' would be its own ancestor: ${[...loop, child].join(' → ')}`, where);
    }
    p.children.push(child);
    c.parents.push(parent);
  }

  addHost(name: string, group: string, where?: SourceLocation): void {
    this.addGroup(group);
    let h = this.hosts.get(name);
    if (!h) {
      h = where ? { name, groups: [], vars: {}, where } : { name, groups: [], vars: {} };
      this.hosts.set(name, h);
    }
    if (!h.groups.includes(group)) h.groups.push(group);
    const g = this.group(group);
    if (!g.hosts.includes(name)) g.hosts.push(name);
  }

  setHostVar(host: string, key: string, value: unknown): void {
    const h = this.hosts.get(host);
    if (!h) throw new Error(`setHostVar before addHost(${host})`);
    h.vars[key] = value;
  }

  setGroupVar(group: string, key: string, value: unknown): void {
    this.addGroup(group);
    this.group(group).vars[key] = value;
  }

  warn(message: string, where?: SourceLocation): void {
    this.warnings.push(where ? { message, where } : { message });
  }

  /**
   * Freezes the inventory. A host's vars merge, later winning, shallowly (Ansible's default
   * `hash_behaviour=replace`), in Ansible's inventory precedence:
   *   1. group `all` vars from inventory files
   *   2. other groups' vars from inventory files, parents before children
   *   3. group_vars/all files
   *   4. group_vars/<group> files, parents before children
   *   5. the host's vars from inventory files (including a `name:port` port)
   *   6. host_vars/<host> files
   * "Parents before children" is Ansible's sort_groups: by depth from `all`, then
   * `ansible_group_priority` (default 1), then name. Finally a host named `localhost` for
   * which nothing set `ansible_connection` gets `ansible_connection: local`.
   */
  build(source: string | null, files: VarsFiles = NO_VARS_FILES): Inventory {
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.parents.length === 0) this.addChild('all', g.name);
    }
    const ungrouped = this.group('ungrouped');
    for (const h of this.hosts.values()) {
      const real = h.groups.filter((n) => n !== 'all' && n !== 'ungrouped');
      if (real.length === 0) {
        if (!ungrouped.hosts.includes(h.name)) ungrouped.hosts.push(h.name);
        if (!h.groups.includes('ungrouped')) h.groups.push('ungrouped');
      } else if (h.groups.includes('ungrouped')) {
        ungrouped.hosts.splice(ungrouped.hosts.indexOf(h.name), 1);
        h.groups.splice(h.groups.indexOf('ungrouped'), 1);
      }
    }

    const depth = new Map<string, number>();
    const depthOf = (name: string): number => {
      const known = depth.get(name);
      if (known !== undefined) return known;
      const g = this.group(name);
      const d = g.parents.length === 0 ? 0 : Math.max(...g.parents.map((p) => depthOf(p) + 1));
      depth.set(name, d);
      return d;
    };
    const priority = (name: string): number => {
      const v = this.group(name).vars['ansible_group_priority'];
      const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
      return Number.isInteger(n) ? n : 1;
    };
    const order = (a: string, b: string): number =>
      depthOf(a) - depthOf(b) || priority(a) - priority(b) || (a < b ? -1 : a > b ? 1 : 0);

    const groups = new Map<string, InventoryGroup>();
    for (const g of this.groups.values()) {
      const vars = { ...g.vars, ...(files.groups.get(g.name) ?? {}) };
      const out: InventoryGroup = {
        name: g.name,
        hosts: [...g.hosts],
        children: [...g.children],
        parents: [...g.parents],
        vars,
        ...(g.where ? { where: g.where } : {}),
      };
      groups.set(g.name, out);
    }

    const hosts = new Map<string, InventoryHost>();
    for (const h of this.hosts.values()) {
      const mine = [...this.ancestorsOf(h.groups)].sort(order);
      const others = mine.filter((n) => n !== 'all');
      const vars: Vars = { ...this.group('all').vars };
      for (const n of others) Object.assign(vars, this.group(n).vars);
      Object.assign(vars, files.groups.get('all') ?? {});
      for (const n of others) Object.assign(vars, files.groups.get(n) ?? {});
      const ownVars: Vars = { ...h.vars, ...(files.hosts.get(h.name) ?? {}) };
      Object.assign(vars, ownVars);
      if (h.name === 'localhost' && vars['ansible_connection'] === undefined) vars['ansible_connection'] = 'local';
      hosts.set(h.name, {
        name: h.name,
        groups: mine,
        vars,
        ownVars,
        ...(h.where ? { where: h.where } : {}),
      });
    }
    return { hosts, groups, source, warnings: [...this.warnings] };
  }

  private group(name: string): GroupData {
    const g = this.groups.get(name);
    if (!g) throw new Error(`unknown group ${name}`);
    return g;
  }

  private ancestorsOf(direct: readonly string[]): Set<string> {
    const seen = new Set<string>();
    const stack = [...direct];
    while (stack.length > 0) {
      const n = stack.pop() as string;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...this.group(n).parents);
    }
    seen.add('all');
    return seen;
  }

  /** Group names from `from` down to `to` through children, or null when `to` is not below. */
  private pathDown(from: string, to: string, seen = new Set<string>()): string[] | null {
    if (from === to) return [from];
    if (seen.has(from)) return null;
    seen.add(from);
    const g = this.groups.get(from);
    if (!g) return null;
    for (const c of g.children) {
      const rest = this.pathDown(c, to, seen);
      if (rest) return [from, ...rest];
    }
    return null;
  }
}

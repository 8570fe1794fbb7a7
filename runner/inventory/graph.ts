// `sparkbook inventory --graph` and `--list`: the same views as `ansible-inventory`.
import { InputError } from '../errors.js';
import type { Inventory, InventoryGroup } from './types.js';

export interface GraphOptions {
  /** The group to start at (default `all`). */
  readonly group?: string;
  /** Show vars under each host and group, like `--graph --vars`. */
  readonly vars?: boolean;
}

/**
 * The tree of groups and hosts as `ansible-inventory --graph` prints it: children and hosts
 * sorted by name, `all`'s own hosts not repeated (they show under `ungrouped` or their groups).
 */
export function renderGraph(inv: Inventory, opts: GraphOptions = {}): string {
  const start = opts.group ?? 'all';
  const root = inv.groups.get(start);
  if (!root) throw new InputError('usage', `--graph needs a group name; there is no group '${start}'`);
  const lines: string[] = [];
  const walk = (g: InventoryGroup, depth: number): void => {
    lines.push(indent(`@${g.name}:`, depth));
    for (const c of byName(g.children)) {
      const child = inv.groups.get(c);
      if (child) walk(child, depth + 1);
    }
    if (g.name !== 'all') {
      for (const h of byName(g.hosts)) {
        lines.push(indent(h, depth + 1));
        if (opts.vars) lines.push(...showVars(inv.hosts.get(h)?.vars ?? {}, depth + 2));
      }
    }
    if (opts.vars) lines.push(...showVars(g.vars, depth + 1));
  };
  walk(root, 0);
  return lines.join('\n');
}

export interface ListOptions {
  /**
   * Like `--export`: groups carry their own `vars` and `_meta.hostvars` hold only each host's
   * own vars. Without it, hostvars are fully merged and groups carry no vars.
   */
  readonly export?: boolean;
}

/** The `ansible-inventory --list` object: one key per non-empty group, plus `_meta.hostvars`. */
export function listInventory(inv: Inventory, opts: ListOptions = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  const format = (g: InventoryGroup): void => {
    const entry: Record<string, unknown> = {};
    if (g.name !== 'all') {
      const hosts = byName(g.hosts);
      if (hosts.length > 0) entry['hosts'] = hosts;
    }
    const children = byName(g.children);
    if (children.length > 0) entry['children'] = children;
    if (opts.export && Object.keys(g.vars).length > 0) entry['vars'] = g.vars;
    if (Object.keys(entry).length > 0) out[g.name] = entry;
    for (const c of children) {
      const child = inv.groups.get(c);
      if (child && !seen.has(c)) {
        seen.add(c);
        format(child);
      }
    }
  };
  const all = inv.groups.get('all');
  if (all) format(all);
  const hostvars: Record<string, unknown> = {};
  for (const h of inv.hosts.values()) {
    const v = opts.export ? h.ownVars : h.vars;
    if (Object.keys(v).length > 0) hostvars[h.name] = v;
  }
  out['_meta'] = { hostvars };
  return out;
}

/** `--list` as text: JSON with sorted keys and 4-space indents, as ansible-inventory prints it. */
export function renderList(inv: Inventory, opts: ListOptions = {}): string {
  return JSON.stringify(sortKeys(listInventory(inv, opts)), null, 4);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort(compare)) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

function indent(text: string, depth: number): string {
  return depth === 0 ? text : `${'  |'.repeat(depth)}--${text}`;
}

function showVars(vars: Readonly<Record<string, unknown>>, depth: number): string[] {
  return Object.keys(vars)
    .sort(compare)
    .map((k) => indent(`{${k} = ${pyStr(vars[k])}}`, depth));
}

/** Python's str() of a value, as ansible-inventory shows vars. */
function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
      .join(', ')}}`;
  }
  return String(v);
}

function byName(names: readonly string[]): string[] {
  return [...names].sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

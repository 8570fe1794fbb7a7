// Ansible's YAML inventory format: top-level groups, each with `hosts`, `children` and `vars`.
import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { InputError, type SourceLocation } from '../errors.js';
import type { InventoryBuilder } from './builder.js';
import { checkInventoryVar } from './checked-vars.js';
import { expandHostPattern } from './host-range.js';
import { parseYamlSource, rejectDuplicateKeys, type YamlSource } from './yaml-source.js';
import type { VaultPasswords } from './yaml11.js';

const GROUP_KEYS = ['hosts', 'children', 'vars'] as const;

/**
 * Adds one YAML inventory file to `builder`. Stricter than Ansible where Ansible only warns:
 * unknown keys in a group, a group or host that is not a mapping, and duplicate keys are errors.
 * Like Ansible, `hosts:` and `children:` may also be a single name (a string).
 */
export function parseYamlInventory(text: string, file: string, builder: InventoryBuilder, vault: VaultPasswords = {}): void {
  const src = parseYamlSource(text, file, vault);
  rejectDuplicateKeys(src, describeDuplicate);
  const root = src.deref(src.doc.contents);
  if (root === null || root === undefined || (isScalar(root) && root.value === null)) {
    builder.warn('the inventory file is empty', { file, line: 1, col: 1 });
    return;
  }
  if (!isMap(root)) {
    throw new InputError('inventory', `an inventory must be a mapping of group names (like 'all:'), found ${kindOf(root)}`, src.at(root as Node));
  }
  for (const pair of root.items) {
    const name = keyName(src, pair);
    if (name === 'plugin') {
      throw new InputError('inventory', "inventory plugins ('plugin:') are not supported; list hosts under a group such as 'all:'", src.at(pair.key as Node));
    }
    parseGroup(src, builder, name, pair);
  }
}

function parseGroup(src: YamlSource, builder: InventoryBuilder, name: string, pair: Pair): void {
  const keyAt = src.at(pair.key as Node);
  checkGroupName(name, keyAt);
  builder.addGroup(name, keyAt);
  const body = src.deref(pair.value);
  if (isNull(body)) return;
  if (!isMap(body)) {
    throw new InputError('inventory', `group '${name}' must be a mapping with hosts, children or vars; found ${kindOf(body)}`, src.at(body as Node));
  }
  for (const item of body.items) {
    const key = keyName(src, item);
    const value = src.deref(item.value);
    const at = src.at(item.key as Node);
    if (key === 'vars') parseVars(src, builder, name, value, at);
    else if (key === 'children') parseChildren(src, builder, name, value, at);
    else if (key === 'hosts') parseHosts(src, builder, name, value, at);
    else {
      const hint = suggest(key);
      throw new InputError('inventory', `unknown key '${key}' in group '${name}': only hosts, children and vars are allowed${hint}`, at);
    }
  }
}

function parseVars(src: YamlSource, b: InventoryBuilder, group: string, value: unknown, at: SourceLocation): void {
  if (isNull(value)) return;
  if (!isMap(value)) {
    throw new InputError('inventory', `vars of group '${group}' must be a mapping, found ${kindOf(value)}`, valueAt(src, value, at));
  }
  for (const [k, v] of varsOf(src, value)) b.setGroupVar(group, k, v);
}

function parseChildren(src: YamlSource, b: InventoryBuilder, group: string, value: unknown, at: SourceLocation): void {
  if (isNull(value)) return;
  if (isScalar(value)) {
    const child = String(value.value);
    const where = src.at(value);
    checkGroupName(child, where);
    b.addChild(group, child, where);
    return;
  }
  if (!isMap(value)) {
    throw new InputError(
      'inventory',
      `children of group '${group}' must be a mapping of group names, found ${kindOf(value)}${isSeq(value) ? " (write each child as 'name:' on its own line)" : ''}`,
      valueAt(src, value, at),
    );
  }
  for (const pair of value.items) {
    const child = keyName(src, pair);
    const where = src.at(pair.key as Node);
    checkGroupName(child, where);
    // The edge goes in before the child's body, so a loop is reported where it closes.
    b.addChild(group, child, where);
    parseGroup(src, b, child, pair);
  }
}

function parseHosts(src: YamlSource, b: InventoryBuilder, group: string, value: unknown, at: SourceLocation): void {
  if (isNull(value)) return;
  if (isScalar(value)) {
    addHosts(b, group, typeof value.value === 'string' ? value.value : (value.source ?? String(value.value)), src.at(value), []);
    return;
  }
  if (!isMap(value)) {
    throw new InputError(
      'inventory',
      `hosts of group '${group}' must be a mapping of host names, found ${kindOf(value)}${isSeq(value) ? " (write each host as 'name:' on its own line)" : ''}`,
      valueAt(src, value, at),
    );
  }
  for (const pair of value.items) {
    const name = keyName(src, pair);
    const where = src.at(pair.key as Node);
    const body = src.deref(pair.value);
    let vars: [string, unknown, SourceLocation][] = [];
    if (!isNull(body)) {
      if (!isMap(body)) {
        const hint = isScalar(body) && typeof body.value === 'string' ? ` (to give its address, write 'ansible_host: ${body.value}' under it)` : '';
        throw new InputError('inventory', `host '${name}' must map to its vars (a mapping) or to nothing, found ${kindOf(body)}${hint}`, src.at(body as Node));
      }
      vars = varsOf(src, body);
    }
    addHosts(b, group, name, where, vars);
  }
}

function addHosts(b: InventoryBuilder, group: string, pattern: string, where: SourceLocation, vars: [string, unknown, SourceLocation][]): void {
  const { names, port } = expandHostPattern(pattern, where);
  for (const n of names) {
    b.addHost(n, group, where);
    if (port !== undefined) b.setHostVar(n, 'ansible_port', port);
    for (const [k, v] of vars) b.setHostVar(n, k, v);
  }
}

/** The pairs of a vars mapping as [name, value, where], with connection vars checked. */
function varsOf(src: YamlSource, map: YAMLMap): [string, unknown, SourceLocation][] {
  const out: [string, unknown, SourceLocation][] = [];
  const js = src.value(map);
  if (js === null || typeof js !== 'object' || Array.isArray(js)) return out;
  const record = js as Record<string, unknown>;
  const located = new Map<string, SourceLocation>();
  for (const pair of map.items) {
    if (isScalar(pair.key) && pair.key.value !== '<<') {
      located.set(String(pair.key.value), src.at((pair.value ?? pair.key) as Node));
    }
  }
  for (const [k, v] of Object.entries(record)) {
    const where = located.get(k) ?? src.at(map);
    checkInventoryVar(k, v, where);
    out.push([k, v, where]);
  }
  return out;
}

function keyName(src: YamlSource, pair: Pair): string {
  const key = src.deref(pair.key);
  // The source text, so a host named `1e3` or `0x10` keeps its name rather than becoming 1000.
  if (isScalar(key)) return key.value === null ? '' : typeof key.value === 'string' ? key.value : (key.source ?? String(key.value));
  throw new InputError('inventory', `keys must be plain names, found ${kindOf(key)}`, src.at(key as Node));
}

function checkGroupName(name: string, where: SourceLocation): void {
  // eslint-disable-next-line no-control-regex
  if (name === '' || /[\s\u0000-\u001f\u007f:]/u.test(name)) {
    throw new InputError('inventory', `invalid group name ${JSON.stringify(name)}: it must be non-empty, without spaces, colons or control characters`, where);
  }
}

/** Says what a duplicate key means in an inventory: a host listed twice, a group defined twice. */
function describeDuplicate(key: string, path: readonly unknown[]): string {
  const parentPair = path[path.length - 1];
  const groupPair = path[path.length - 3];
  const parentKey = isPair(parentPair) && isScalar(parentPair.key) ? String(parentPair.key.value) : undefined;
  const group = isPair(groupPair) && isScalar(groupPair.key) ? String(groupPair.key.value) : undefined;
  if (path.length === 1) return `group '${key}' is defined twice at the top level`;
  if (parentKey === 'hosts' && group !== undefined) return `host '${key}' is listed twice in group '${group}'`;
  if (parentKey === 'children' && group !== undefined) return `group '${key}' is listed twice in the children of '${group}'`;
  return `duplicate key '${key}'`;
}

function suggest(key: string): string {
  const k = key.toLowerCase();
  for (const good of GROUP_KEYS) {
    if (distance(k, good) <= 2 || (k.length >= 4 && good.startsWith(k.slice(0, 4)))) return ` (did you mean '${good}'?)`;
  }
  return '';
}

function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return (d[a.length] as number[])[b.length] ?? 0;
}

function isNull(v: unknown): boolean {
  return v === null || v === undefined || (isScalar(v) && v.value === null);
}

function kindOf(v: unknown): string {
  if (isMap(v)) return 'a mapping';
  if (isSeq(v)) return 'a list';
  if (isScalar(v)) {
    const x = v.value;
    if (x === null) return 'nothing';
    if (typeof x === 'string') return 'a string';
    if (typeof x === 'number') return 'a number';
    if (typeof x === 'boolean') return 'a boolean';
  }
  return 'a value of another kind';
}

function valueAt(src: YamlSource, value: unknown, fallback: SourceLocation): SourceLocation {
  return value && typeof value === 'object' && 'range' in value ? src.at(value as Node) : fallback;
}

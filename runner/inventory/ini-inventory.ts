// Ansible's INI inventory format: [group], [group:vars], [group:children] and host lines.
import { InputError, type SourceLocation } from '../errors.js';
import type { InventoryBuilder } from './builder.js';
import { checkInventoryVar } from './checked-vars.js';
import { expandHostPattern } from './host-range.js';
import { parsePythonLiteral } from './python-literal.js';
import { ShlexError, shlexSplit } from './shlex.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

interface Pending {
  readonly state: 'vars' | 'children';
  readonly where: SourceLocation;
  /** For `children`: the groups that listed it, each with where. */
  readonly parents: { group: string; where: SourceLocation }[];
}

/**
 * Adds one INI inventory file to `builder`, following ansible's ini plugin:
 * - lines before any section are hosts of `ungrouped`; `#` and `;` start comment lines;
 * - host lines are `name [key=value …]`, split like a shell (quotes, backslashes, `#` comments);
 * - `[g:vars]` lines are `key = value` (the rest of the line, comments included, is the value);
 * - every value goes through Python's literal_eval rules (see python-literal.ts): `22` and
 *   `True` become typed, anything that is not a Python literal stays text;
 * - `[g:vars]` for a group no section declares, and `[g:children]` naming a group no section
 *   declares, are errors, as in Ansible.
 */
export function parseIniInventory(text: string, file: string, builder: InventoryBuilder): void {
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state: 'hosts' | 'vars' | 'children' = 'hosts';
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const indent = raw.length - raw.trimStart().length;
    const at = (col: number): SourceLocation => ({ file, line, col });

    const section = SECTION.exec(trimmed);
    if (section) {
      const name = section[1] as string;
      const type = section[2] ?? 'hosts';
      if (type !== 'hosts' && type !== 'vars' && type !== 'children') {
        throw new InputError('inventory', `section [${name}:${type}] has an unknown type '${type}': use [${name}], [${name}:vars] or [${name}:children]`, at(indent + name.length + 3));
      }
      group = name;
      state = type;
      const where = at(indent + 2);
      if (!builder.hasGroup(name)) {
        if (type === 'vars' && !pending.has(name)) pending.set(name, { state: 'vars', where: at(indent + 1), parents: [] });
        builder.addGroup(name, where);
      } else {
        builder.addGroup(name, where);
      }
      const waiting = pending.get(name);
      if (waiting && type !== 'vars') {
        pending.delete(name);
        if (waiting.state === 'children') {
          for (const p of waiting.parents) builder.addChild(p.group, name, p.where);
        }
      }
      return;
    }
    if (trimmed.startsWith('[')) {
      const body = trimmed.replace(/\s*#.*$/, '');
      if (body.endsWith(']') || !body.includes(']')) {
        const why = body.includes(']')
          ? 'group names cannot contain spaces or colons, and the only suffixes are :vars and :children'
          : "it has no closing ']'";
        throw new InputError('inventory', `invalid section header '${body}': ${why}`, at(indent + 1));
      }
    }

    if (state === 'hosts') hostLine(builder, group, raw, at);
    else if (state === 'vars') {
      const eq = raw.indexOf('=');
      if (eq < 0) throw new InputError('inventory', `expected key=value in [${group}:vars], found '${trimmed}'`, at(indent + 1));
      const key = raw.slice(0, eq).trim();
      if (key === '') throw new InputError('inventory', `missing variable name before '=' in [${group}:vars]`, at(eq + 1));
      const valueText = raw.slice(eq + 1).trim();
      const value = literal(valueText);
      const valueCol = eq + 2 + (raw.slice(eq + 1).length - raw.slice(eq + 1).trimStart().length);
      checkInventoryVar(key, value, at(valueCol));
      builder.setGroupVar(group, key, value);
    } else {
      const m = GROUP_NAME.exec(trimmed);
      if (!m) throw new InputError('inventory', `expected a group name in [${group}:children], found '${trimmed}'`, at(indent + 1));
      const child = m[1] as string;
      const where = at(indent + 1);
      if (builder.hasGroup(child) && !isPendingVars(pending, child)) {
        builder.addChild(group, child, where);
      } else {
        const p = pending.get(child);
        if (p && p.state === 'children') p.parents.push({ group, where });
        else pending.set(child, { state: 'children', where, parents: [{ group, where }] });
      }
    }
  });
  for (const [name, p] of pending) {
    if (p.state === 'vars') {
      throw new InputError('inventory', `section [${name}:vars] is for group '${name}', which no [${name}] or [${name}:children] section declares`, p.where);
    }
    const parent = p.parents[0]?.group ?? '?';
    throw new InputError('inventory', `[${parent}:children] lists group '${name}', which no [${name}] or [${name}:children] section declares`, p.where);
  }
}

function isPendingVars(pending: ReadonlyMap<string, Pending>, name: string): boolean {
  return pending.get(name)?.state === 'vars';
}

function hostLine(builder: InventoryBuilder, group: string, raw: string, at: (col: number) => SourceLocation): void {
  let words;
  try {
    words = shlexSplit(raw);
  } catch (e) {
    if (e instanceof ShlexError) throw new InputError('inventory', `cannot split the host line: ${e.message}`, at(e.col));
    throw e;
  }
  const [first, ...rest] = words;
  if (!first) return;
  const where = at(first.col);
  if (first.text.includes('=') && !first.text.startsWith('[')) {
    throw new InputError('inventory', `expected a host name first, found the assignment '${first.text}' (put vars after the host name, or in a [${group}:vars] section)`, where);
  }
  const vars: [string, unknown][] = [];
  for (const w of rest) {
    const eq = w.text.indexOf('=');
    if (eq < 0) throw new InputError('inventory', `expected key=value after host '${first.text}', found '${w.text}'`, at(w.col));
    const key = w.text.slice(0, eq);
    if (key === '') throw new InputError('inventory', `missing variable name before '=' after host '${first.text}'`, at(w.col));
    const value = literal(w.text.slice(eq + 1));
    checkInventoryVar(key, value, at(w.col + eq + 1));
    vars.push([key, value]);
  }
  const { names, port } = expandHostPattern(first.text, where);
  for (const n of names) {
    builder.addHost(n, group, where);
    if (port !== undefined) builder.setHostVar(n, 'ansible_port', port);
    for (const [k, v] of vars) builder.setHostVar(n, k, v);
  }
}

function literal(text: string): unknown {
  const r = parsePythonLiteral(text);
  return r.ok ? r.value : text;
}

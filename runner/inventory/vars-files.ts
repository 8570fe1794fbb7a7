// group_vars/ and host_vars/ next to an inventory: YAML files of vars for one group or host each.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isScalar, type Node } from 'yaml';
import { InputError, type SourceLocation } from '../errors.js';
import type { InventoryWarning } from './types.js';
import type { VarsFiles } from './builder.js';
import { checkInventoryVar } from './checked-vars.js';
import { readSourceText } from './source-text.js';
import { parseYamlSource, rejectDuplicateKeys } from './yaml-source.js';
import type { VaultPasswords } from './yaml11.js';

type Vars = Record<string, unknown>;

/** Suffixes Ansible tries for `<dir>/<name><suffix>`, in order; the first that exists wins. */
const SUFFIXES = ['', '.yml', '.yaml', '.json'];
const VARS_EXTS = new Set(['', '.yml', '.yaml', '.json']);

/**
 * Loads `<baseDir>/group_vars/<group>` and `<baseDir>/host_vars/<host>` the way Ansible's
 * host_group_vars plugin does: for each name, the first of `<name>` (a file, or a directory read
 * recursively in sorted order), `<name>.yml`, `<name>.yaml`, `<name>.json`. Files of one
 * directory merge in sorted order, later winning. Entries that name no known group or host are
 * reported as warnings (Ansible ignores them silently; it is usually a typo).
 */
export async function loadVarsFiles(
  baseDir: string,
  groups: readonly string[],
  hosts: readonly string[],
  warnings: InventoryWarning[],
  vault: VaultPasswords = {},
): Promise<VarsFiles> {
  return {
    groups: await loadKind(join(baseDir, 'group_vars'), groups, 'group', warnings, vault),
    hosts: await loadKind(join(baseDir, 'host_vars'), hosts, 'host', warnings, vault),
  };
}

async function loadKind(dir: string, names: readonly string[], kind: 'group' | 'host', warnings: InventoryWarning[], vault: VaultPasswords): Promise<Map<string, Vars>> {
  const out = new Map<string, Vars>();
  const entries = await listDir(dir);
  if (entries === null) return out;
  const known = new Set(names);
  for (const entry of entries) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const ext = extOf(entry);
    const stem = known.has(entry) ? entry : VARS_EXTS.has(ext) ? entry.slice(0, entry.length - ext.length) : null;
    if (stem === null) continue;
    if (!known.has(stem)) {
      warnings.push({ message: `${join(dir, entry)}: there is no ${kind} '${stem}' in the inventory, so these vars are not used`, where: { file: join(dir, entry), line: 1, col: 1 } });
    }
  }
  for (const name of names) {
    const files = await filesFor(dir, name);
    if (files.length === 0) continue;
    const vars: Vars = {};
    for (const f of files) Object.assign(vars, await readVarsFile(f, vault));
    out.set(name, vars);
  }
  return out;
}

async function filesFor(dir: string, name: string): Promise<string[]> {
  for (const suffix of SUFFIXES) {
    const p = join(dir, name + suffix);
    const s = await stat(p).catch(() => null);
    if (!s) continue;
    if (s.isDirectory()) return suffix === '' ? varsFilesIn(p) : [];
    if (s.isFile()) return [p];
  }
  return [];
}

async function varsFilesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await listDir(dir)) ?? []) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const p = join(dir, entry);
    const s = await stat(p).catch(() => null);
    if (!s) continue;
    const ext = extOf(entry);
    if (s.isDirectory() && ext === '') out.push(...(await varsFilesIn(p)));
    else if (s.isFile() && VARS_EXTS.has(ext)) out.push(p);
  }
  return out;
}

/** One vars file: a mapping of names to values, or empty. */
export async function readVarsFile(file: string, vault: VaultPasswords = {}): Promise<Vars> {
  const src = parseYamlSource(await readSourceText(file), file, vault);
  rejectDuplicateKeys(src, (k, path) => (path.length === 1 ? `duplicate variable '${k}'` : `duplicate key '${k}'`));
  const root = src.deref(src.doc.contents);
  if (root === null || root === undefined || (isScalar(root) && root.value === null)) return {};
  if (!isMap(root)) {
    const what = isScalar(root) ? `a ${typeof root.value}` : 'a list';
    throw new InputError('inventory', `a vars file must be a mapping of variable names to values, found ${what}`, src.at(root as Node));
  }
  const located = new Map<string, SourceLocation>();
  for (const pair of root.items) {
    if (isScalar(pair.key)) located.set(String(pair.key.value), src.at((pair.value ?? pair.key) as Node));
  }
  const vars = src.value(root) as Vars;
  for (const [k, v] of Object.entries(vars)) checkInventoryVar(k, v, located.get(k) ?? src.at(root as Node));
  return vars;
}

async function listDir(dir: string): Promise<string[] | null> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return null;
  }
}

function extOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}

// Loads an inventory from a file, a directory, a `host1,host2` list, or nothing (implicit localhost).
import { readdir, stat } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { InputError } from '../errors.js';
import { InventoryBuilder } from './builder.js';
import { expandHostPattern } from './host-range.js';
import { parseIniInventory } from './ini-inventory.js';
import { readSourceText } from './source-text.js';
import type { Inventory } from './types.js';
import { loadVarsFiles } from './vars-files.js';
import { parseYamlInventory } from './yaml-inventory.js';
import type { VaultPasswords } from './yaml11.js';

/** Extensions Ansible skips in an inventory directory (INVENTORY_IGNORE_EXTS). */
const IGNORED_EXTS = new Set(['.pyc', '.pyo', '.swp', '.bak', '.rpm', '.md', '.txt', '.rst', '.orig', '.cfg', '.retry']);
const IGNORED_DIRS = new Set(['group_vars', 'host_vars', 'vars_plugins']);

/**
 * The inventory at `path`:
 * - undefined: the implicit inventory, only `localhost` with `ansible_connection: local`
 *   (unlike Ansible's implicit localhost, it is in `all`, so `hosts: all` runs locally);
 * - a file: YAML (`.yml`, `.yaml`, `.json`, or content that looks like YAML) or INI;
 * - a directory: every inventory file in it and its subdirectories, in sorted order, except
 *   dotfiles, `group_vars/`, `host_vars/` and the extensions Ansible ignores;
 * - a comma-separated host list such as `spark-01,spark-02` (when no such file exists).
 * For a file or a directory, `group_vars/` and `host_vars/` next to it (for a file) or in it
 * (for a directory) are read too, as Ansible does. A host named `localhost` for which nothing
 * sets `ansible_connection` gets `ansible_connection: local`.
 */
export async function loadInventory(path: string | undefined, vault: VaultPasswords = {}): Promise<Inventory> {
  const b = new InventoryBuilder();
  if (path === undefined) {
    b.addHost('localhost', 'ungrouped');
    b.setHostVar('localhost', 'ansible_connection', 'local');
    return b.build(null);
  }
  const s = await stat(path).catch((e: NodeJS.ErrnoException) => e);
  if (s instanceof Error) {
    if (s.code === 'ENOENT' && path.includes(',')) return hostList(path);
    const why = s.code === 'ENOENT' ? 'no such file or directory' : `cannot read (${s.code ?? s.message})`;
    throw new InputError('inventory', `inventory ${path}: ${why}`);
  }
  let baseDir: string;
  if (s.isDirectory()) {
    const files = await inventoryFilesIn(path);
    if (files.length === 0) b.warn(`inventory directory ${path} holds no inventory file`);
    for (const f of files) await parseFile(f, b, vault);
    baseDir = path;
  } else {
    await parseFile(path, b, vault);
    baseDir = dirname(path);
  }
  const files = await loadVarsFiles(baseDir, b.groupNames(), b.hostNames(), b.warnings, vault);
  return b.build(path, files);
}

/** Adds one inventory file, YAML or INI, to the builder. */
async function parseFile(file: string, b: InventoryBuilder, vault: VaultPasswords): Promise<void> {
  const text = await readSourceText(file);
  if (text.startsWith('#!')) {
    throw new InputError('inventory', 'executable inventory scripts are not supported; write the hosts in YAML or INI', { file, line: 1, col: 1 });
  }
  if (inventoryFormat(file, text) === 'yaml') parseYamlInventory(text, file, b, vault);
  else parseIniInventory(text, file, b);
}

/**
 * By extension, else by the first line that is not blank or a comment: YAML starts with
 * `---`, `%`, `{`, or a `key:` followed by a blank or the end of the line; anything else
 * (`[group]`, `host key=value`, `host:2222`) is INI.
 */
export function inventoryFormat(file: string, text: string): 'yaml' | 'ini' {
  const ext = extname(file).toLowerCase();
  if (ext === '.yml' || ext === '.yaml' || ext === '.json') return 'yaml';
  if (ext === '.ini') return 'ini';
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('---') || line.startsWith('%') || line.startsWith('{')) return 'yaml';
    if (/^(?:[^\s=[#;'"][^\s=]*|"[^"]*"|'[^']*'):(?:\s|$)/.test(line)) return 'yaml';
    return 'ini';
  }
  return 'yaml';
}

async function inventoryFilesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name.endsWith('~')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!IGNORED_DIRS.has(e.name)) out.push(...(await inventoryFilesIn(p)));
    } else if (e.isFile() || e.isSymbolicLink()) {
      if (!IGNORED_EXTS.has(extname(e.name).toLowerCase())) out.push(p);
    }
  }
  return out;
}

/** `-i spark-01,spark-02:2222` as Ansible's host_list source: ungrouped hosts, no vars files. */
function hostList(list: string): Inventory {
  const b = new InventoryBuilder();
  for (const item of list.split(',')) {
    const name = item.trim();
    if (name === '') continue;
    const { names, port } = expandHostPattern(name, { file: '<host list>', line: 1, col: list.indexOf(item) + 1 + (item.length - item.trimStart().length) });
    for (const n of names) {
      b.addHost(n, 'ungrouped');
      if (port !== undefined) b.setHostVar(n, 'ansible_port', port);
    }
  }
  return b.build(list);
}

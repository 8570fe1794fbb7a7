// How a rendered loop value becomes items, by Ansible's lookups: `loop`/`with_list` take the
// list as it is, `with_items` flattens one level, `with_dict` gives {key, value} pairs,
// `with_fileglob` the controller's files that match (sorted, files only, as Ansible's fileglob).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { TaskError, type SourceLocation } from '../errors.js';
import { globMatch } from '../connection/known-hosts.js';
import type { LoopStyle } from '../load/types.js';

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'mapping' : typeof v);

export function itemsOf(style: LoopStyle, value: unknown, where: SourceLocation | undefined, baseDir: string): unknown[] {
  switch (style) {
    case 'list':
      if (!Array.isArray(value)) throw new TaskError('template', `loop must be a list, got ${typeName(value)}`, where);
      return value;
    case 'items':
      // Ansible's with_items: a scalar is a one-item list; nested lists lose one level.
      return (Array.isArray(value) ? value : [value]).flatMap((x) => (Array.isArray(x) ? x : [x]));
    case 'dict':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TaskError('template', `with_dict needs a mapping, got ${typeName(value)}`, where);
      return Object.entries(value).map(([key, v]) => ({ key, value: v }));
    case 'together': {
      // Ansible's with_together: item N is the Nth of each list, null where a list is shorter.
      if (!Array.isArray(value) || !value.every(Array.isArray)) throw new TaskError('template', `with_together needs a list of lists, got ${typeName(value)}`, where);
      const lists = value as unknown[][];
      const length = Math.max(0, ...lists.map((l) => l.length));
      return Array.from({ length }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)));
    }
    case 'fileglob':
      return (Array.isArray(value) ? value : [value]).flatMap((p) => fileglob(String(p), baseDir, where));
  }
}

/** Files (not directories) matching `pattern`; wildcards (`*`, `?`) only in its last part. */
function fileglob(pattern: string, baseDir: string, where: SourceLocation | undefined): string[] {
  const full = path.resolve(baseDir, pattern);
  const dir = path.dirname(full);
  const name = path.basename(full);
  if (/[*?[]/.test(dir)) throw new TaskError('template', `with_fileglob: wildcards are matched in the file name only, not in '${path.dirname(pattern)}'`, where);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // Ansible: a directory that is not there matches nothing.
  }
  return names
    .filter((n) => globMatch(name, n, true) && (n.startsWith('.') ? name.startsWith('.') : true))
    .map((n) => path.join(dir, n))
    .filter((f) => {
      try {
        return statSync(f).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}

// Where a controller path of a task (template's and copy's `src`) is, found as Ansible finds it:
// for each base directory, innermost first (a role's, then the playbook's), base/<sub>/src,
// then base/src; an absolute src is itself. Used by the loader (a literal src that is nowhere
// is an error before any host is contacted) and by the executor (a templated src, and reading).
import { statSync } from 'node:fs';
import path from 'node:path';

/** The file found, or every place that was looked at (for the error). */
export type ControllerPathResult = { readonly found: string } | { readonly looked: readonly string[] };

/** The places `src` may be, in the order they are tried. */
const candidatesOf = (src: string, sub: string, baseDirs: readonly string[]): string[] =>
  path.isAbsolute(src) ? [src] : baseDirs.flatMap((base) => [path.join(base, sub, src), path.join(base, src)]);

/** Finds `src` for a param read from `sub` (`templates`, `files`) under `baseDirs`. */
export function findControllerFile(src: string, sub: string, baseDirs: readonly string[]): ControllerPathResult {
  const candidates = candidatesOf(src, sub, baseDirs);
  for (const candidate of candidates) {
    try {
      if (statSync(candidate).isFile()) return { found: candidate };
    } catch {
      // Not there: the next place.
    }
  }
  return { looked: unique(candidates) };
}

/** Is `candidate` a directory (copy refuses a directory src with its own message)? */
export function isControllerDirectory(src: string, sub: string, baseDirs: readonly string[]): string | undefined {
  for (const candidate of candidatesOf(src, sub, baseDirs)) {
    try {
      if (statSync(candidate).isDirectory()) return candidate;
    } catch {
      // Not there.
    }
  }
  return undefined;
}

/** The message for a src found nowhere. */
export function notFoundMessage(param: string, src: string, looked: readonly string[], directory: string | undefined): string {
  if (directory !== undefined) return `${param} '${src}' is a directory (${directory}): only a single file can be copied`;
  return `${param} '${src}' not found; looked in: ${looked.join(', ')}`;
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

// Version comparison for the `version` test: a hand-written loose order (like Ansible's default,
// Python's LooseVersion) that suits Ubuntu and Debian versions ("24.04", "1.2.3-4ubuntu1"), and
// semver (the `semver` package) when a playbook asks for it.
import semver from 'semver';
import type { SemVer } from 'semver';
import { TemplateFault } from './values.js';

export type VersionType = 'loose' | 'strict' | 'semver';

const OPERATORS: Readonly<Record<string, (c: number) => boolean>> = {
  '<': (c) => c < 0,
  lt: (c) => c < 0,
  '<=': (c) => c <= 0,
  le: (c) => c <= 0,
  '>': (c) => c > 0,
  gt: (c) => c > 0,
  '>=': (c) => c >= 0,
  ge: (c) => c >= 0,
  '==': (c) => c === 0,
  '=': (c) => c === 0,
  eq: (c) => c === 0,
  '!=': (c) => c !== 0,
  '<>': (c) => c !== 0,
  ne: (c) => c !== 0,
};

export const VERSION_OPERATORS: readonly string[] = Object.keys(OPERATORS);

/** `value is version(other, operator)`. */
export function versionMatches(value: unknown, other: unknown, operator: unknown, type: VersionType): boolean {
  if (typeof operator !== 'string' || !Object.hasOwn(OPERATORS, operator)) {
    throw new TemplateFault(`unknown version operator ${JSON.stringify(operator)} (use one of ${VERSION_OPERATORS.join(' ')})`);
  }
  const test = OPERATORS[operator] as (c: number) => boolean;
  return test(compareVersions(versionText(value), versionText(other), type));
}

function versionText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  throw new TemplateFault(`a version must be a string or a number, not ${value === null ? 'none' : typeof value}`);
}

/** Negative, zero or positive, as `a` is older than, equal to, or newer than `b`. */
export function compareVersions(a: string, b: string, type: VersionType): number {
  if (type === 'loose') return compareLoose(looseParts(a), looseParts(b));
  const pa = semverOf(a, type);
  const pb = semverOf(b, type);
  return semver.compare(pa, pb);
}

function semverOf(text: string, type: VersionType): SemVer {
  if (type === 'strict') {
    const parsed = semver.parse(text);
    if (parsed === null) throw new TemplateFault(`'${text}' is not a semantic version (strict)`);
    return parsed;
  }
  // "24.04" has a leading zero that semver refuses: drop leading zeros of numeric parts first.
  const normalized = text.replace(/(^|[.])0+(?=\d)/g, '$1');
  const parsed = semver.coerce(normalized, { includePrerelease: true });
  if (parsed === null) throw new TemplateFault(`'${text}' is not a version`);
  return parsed;
}

type Part = number | string;

/** LooseVersion's components: runs of digits (numbers), runs of a-z, and any other run; dots separate. */
export function looseParts(text: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    let j = i + 1;
    if (c === 46 /* . */) {
      i = j;
      continue;
    }
    if (isDigit(c)) {
      while (j < text.length && isDigit(text.charCodeAt(j))) j++;
      parts.push(Number(text.slice(i, j)));
    } else if (isLower(c)) {
      while (j < text.length && isLower(text.charCodeAt(j))) j++;
      parts.push(text.slice(i, j));
    } else {
      while (j < text.length && isOther(text.charCodeAt(j))) j++;
      parts.push(text.slice(i, j));
    }
    i = j;
  }
  return parts;
}

function compareLoose(a: readonly Part[], b: readonly Part[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as Part;
    const y = b[i] as Part;
    if (x === y) continue;
    // Python 3's LooseVersion fails on number-vs-text; a number ranks above text instead.
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return 1;
    if (typeof y === 'number') return -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}
function isOther(c: number): boolean {
  return c !== 46 && !isDigit(c) && !isLower(c);
}

// The value model the evaluator and the filters share: safe lookups (own data only), Python-like
// truthiness, equality and ordering, and how a value renders as text.

/** Thrown by value helpers and filters; the evaluator turns it into a located InputError. */
export class TemplateFault extends Error {}

/** The value of a missing variable or attribute, seen only by `default`, `is defined` and kin. */
export const UNDEFINED: unique symbol = Symbol('undefined');
export type Undefined = typeof UNDEFINED;

/** Names that never resolve, as variables, attributes or keys: they lead to prototypes. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Limits that keep hostile values from exhausting memory or the stack. */
export const MAX_VALUE_DEPTH = 1000;
export const MAX_STRING_LENGTH = 64 * 1024 * 1024;
export const MAX_LIST_LENGTH = 1024 * 1024;

/** A plain data object (from YAML, JSON, or a dict literal): nothing with a class. */
export function isMapping(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A new object for results: a normal prototype (callers compare and spread them freely) and no forbidden key. */
export function newMapping(): Record<string, unknown> {
  return {};
}

/** Sets `key` on a result object, refusing keys that could reach a prototype. */
export function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (FORBIDDEN_KEYS.has(key)) throw new TemplateFault(`'${key}' cannot be used as a key`);
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Own keys of a mapping, minus the forbidden ones. */
export function keysOf(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((k) => !FORBIDDEN_KEYS.has(k));
}

/** The own, enumerable data at `key`, or UNDEFINED: never inherited, never a function. */
export function lookup(container: unknown, key: string | number): unknown {
  if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) return UNDEFINED;
  if (Array.isArray(container) || typeof container === 'string') {
    const index = typeof key === 'number' ? key : /^(0|[1-9][0-9]{0,15})$/.test(key) ? Number(key) : NaN;
    if (!Number.isInteger(index)) return UNDEFINED;
    const at = index < 0 ? container.length + index : index;
    if (at < 0 || at >= container.length) return UNDEFINED;
    return container[at];
  }
  if (isMapping(container)) {
    const name = String(key);
    if (!Object.hasOwn(container, name)) return UNDEFINED;
    const value = container[name];
    if (value === undefined || typeof value === 'function') return UNDEFINED;
    return value;
  }
  return UNDEFINED;
}

/** Follows a dotted path (`a.b.0`) as `selectattr`/`map(attribute=)` do. */
export function lookupPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    current = lookup(current, part);
    if (current === UNDEFINED) return UNDEFINED;
  }
  return current;
}

/** Python's truthiness, as Jinja and Ansible use it. */
export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === UNDEFINED || value === false) return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0;
  if (isMapping(value)) return Object.keys(value).length > 0;
  return true;
}

/** A short name of a value's type, for messages and `type_debug`. */
export function typeName(value: unknown): string {
  if (value === null) return 'none';
  if (value === UNDEFINED || value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'list';
  if (isMapping(value)) return 'dict';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}

/**
 * How a value appears in text: Python's str(), as Ansible writes it. Strings as they are, `True` and
 * `False`, `None`, numbers as Python prints them, lists and dicts as Python reprs (`[1, 'a']`,
 * `{'k': None}`). (A lone none in a `{{ }}` of a longer string renders as '', see evaluate.ts.)
 */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === UNDEFINED) return '';
  checkNesting(value);
  return pythonRepr(value);
}

/** Python's repr(): strings quoted as Python quotes them, containers with their items' reprs. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined || value === UNDEFINED) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return pythonStringRepr(value);
  if (Array.isArray(value)) {
    const out = `[${value.map(pythonRepr).join(', ')}]`;
    checkSize(out.length, 'string');
    return out;
  }
  if (isMapping(value)) {
    const out = `{${keysOf(value).map((k) => `${pythonStringRepr(k)}: ${pythonRepr(value[k])}`).join(', ')}}`;
    checkSize(out.length, 'string');
    return out;
  }
  return String(value);
}

/** A number as Python prints it: integers in full, other floats in repr's shortest form (`1e-07`, `1e+16`). */
export function pythonNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  // An integer beyond 2**53 prints its exact binary value in full, as Python's int does (2**64).
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? String(n === 0 ? 0 : n) : BigInt(n).toString();
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  const exp = Number(exponent);
  if (exp >= -4 && exp < 16) return String(n);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function pythonStringRepr(text: string): string {
  const quoteChar = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quoteChar;
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === quoteChar) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 32 || c === 127) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quoteChar;
}

/** Refuses a value that contains itself or is nested absurdly deep, with a TemplateFault, before it is walked. */
export function checkNesting(value: unknown): void {
  checkDepth(value, 0, new Set());
}

function checkDepth(value: unknown, depth: number, active: Set<unknown>): void {
  if (typeof value !== 'object' || value === null) return;
  if (depth > MAX_VALUE_DEPTH) throw new TemplateFault(`value nested more than ${MAX_VALUE_DEPTH} levels deep`);
  if (active.has(value)) throw new TemplateFault('value contains itself (a cycle)');
  active.add(value);
  if (Array.isArray(value)) for (const item of value) checkDepth(item, depth + 1, active);
  else if (isMapping(value)) for (const k of Object.keys(value)) checkDepth(value[k], depth + 1, active);
  active.delete(value);
}

/** Python's ==: numbers by value, lists and dicts element by element. */
export function isEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (depth > MAX_VALUE_DEPTH) throw new TemplateFault(`value nested more than ${MAX_VALUE_DEPTH} levels deep to compare`);
  if (a === b) return true;
  // Python's bool is an int: True == 1, False == 0.
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => isEqual(item, b[i], depth + 1));
  }
  if (isMapping(a) && isMapping(b)) {
    const ka = keysOf(a);
    const kb = keysOf(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && isEqual(a[k], b[k], depth + 1));
  }
  return false;
}

/** Python's ordering of numbers, strings and lists; other pairs cannot be ordered. */
export function compareValues(a: unknown, b: unknown, depth = 0): number {
  if (depth > MAX_VALUE_DEPTH) throw new TemplateFault(`value nested more than ${MAX_VALUE_DEPTH} levels deep to compare`);
  if (isNumeric(a) && isNumeric(b)) return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i], depth + 1);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  throw new TemplateFault(`cannot compare ${typeName(a)} with ${typeName(b)}`);
}

/** A number or a boolean: Python's bool is a subclass of int, so both take part in arithmetic and comparison. */
export function isNumeric(value: unknown): value is number | boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

/** `needle in haystack`: substring, list member, or dict key. */
export function contains(haystack: unknown, needle: unknown): boolean {
  if (typeof haystack === 'string') {
    if (typeof needle !== 'string') throw new TemplateFault(`'in <string>' needs a string on the left, not ${typeName(needle)}`);
    return haystack.includes(needle);
  }
  if (Array.isArray(haystack)) return haystack.some((item) => isEqual(item, needle));
  if (isMapping(haystack)) {
    if (typeof needle !== 'string' && typeof needle !== 'number') return false;
    const key = String(needle);
    return !FORBIDDEN_KEYS.has(key) && Object.hasOwn(haystack, key) && haystack[key] !== undefined;
  }
  throw new TemplateFault(`cannot look for a value in ${typeName(haystack)}`);
}

/** A list, or the keys of a dict, or the characters of a string: what Python iterates. */
export function toList(value: unknown, what: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return Array.from(value);
  if (isMapping(value)) return keysOf(value);
  throw new TemplateFault(`${what} needs a list, not ${typeName(value)}`);
}

/** Refuses results that would exhaust memory (`'x' * 10**12`). */
export function checkSize(length: number, what: 'string' | 'list'): void {
  const max = what === 'string' ? MAX_STRING_LENGTH : MAX_LIST_LENGTH;
  if (!(length <= max)) throw new TemplateFault(`the result would be a ${what} longer than ${max}`);
}

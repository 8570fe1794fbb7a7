// The table of filters (`x | name(args)`), tests (`x is name(args)`) and global functions
// (`range(3)`): the only functions a template can call. docs/templates.md documents each one;
// a unit test checks that every name here appears there.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { Document as YamlDocument, parse as parseYaml } from 'yaml';
import { formatAddress, networkCidr, parseAddress, parseCidr, parseIpv4, parseIpv6, type Address } from './network.js';
import { allMatches, checkSubject, compileRegex, expandReplacement, groupText, namedGroupText } from './regex.js';
import { capitalized, padded, pySplit, replaced, splitLines, str, stripped } from './strings.js';
import {
  FORBIDDEN_KEYS,
  MAX_VALUE_DEPTH,
  TemplateFault,
  UNDEFINED,
  checkNesting,
  checkSize,
  compareValues,
  contains,
  isEqual,
  isMapping,
  isTruthy,
  keysOf,
  lookupPath,
  newMapping,
  setKey,
  pythonNumber,
  toList,
  toText,
  typeName,
} from './values.js';
import { versionMatches, type VersionType } from './version.js';

/** Lets map/select/reject apply other filters and tests by name. */
export interface CallContext {
  filter(name: string, input: unknown, args: readonly unknown[]): unknown;
  test(name: string, input: unknown, args: readonly unknown[]): boolean;
  /** A variable of the scope, or UNDEFINED: for lookup('vars', name). */
  variable(name: string): unknown;
}

/**
 * One callable. `params` name the arguments in order; a name starting with `*` collects the
 * remaining positional arguments, and the names after it are keyword-only. `call` gets the
 * named arguments in order (undefined when not given; the `*` one is skipped) and the rest.
 */
export interface Callable<R = unknown> {
  readonly params: readonly string[];
  readonly required?: number;
  /** The input may be UNDEFINED (default, mandatory, is defined). */
  readonly acceptsUndefined?: boolean;
  /** Keyword arguments that name no parameter are collected (`dict(a=1)`) instead of refused. */
  readonly extraKeywords?: boolean;
  readonly call: (
    input: unknown,
    args: readonly unknown[],
    rest: readonly unknown[],
    ctx: CallContext,
    extra: ReadonlyMap<string, unknown>,
  ) => R;
}

/** Aligns positional and keyword arguments with a callable's parameters. */
export function bindArguments(
  what: string,
  def: Callable,
  positional: readonly unknown[],
  keywords: ReadonlyMap<string, unknown>,
): { args: unknown[]; rest: unknown[]; extra: Map<string, unknown> } {
  const restAt = def.params.findIndex((p) => p.startsWith('*'));
  const names = def.params.filter((p) => !p.startsWith('*'));
  const positionalCount = restAt < 0 ? names.length : restAt;
  const args: unknown[] = new Array<unknown>(names.length).fill(undefined);
  const rest: unknown[] = [];
  positional.forEach((value, i) => {
    if (i < positionalCount) args[i] = value;
    else if (restAt >= 0) rest.push(value);
    else throw new TemplateFault(`${what} takes at most ${positionalCount} argument${positionalCount === 1 ? '' : 's'}`);
  });
  const extra = new Map<string, unknown>();
  for (const [name, value] of keywords) {
    const at = names.indexOf(name);
    if (at < 0 && def.extraKeywords === true) {
      extra.set(name, value);
      continue;
    }
    if (at < 0) throw new TemplateFault(`${what} has no argument '${name}'`);
    if (at < positional.length && at < positionalCount) throw new TemplateFault(`${what} got argument '${name}' twice`);
    args[at] = value;
  }
  const required = def.required ?? 0;
  for (let i = 0; i < required; i++) {
    if (args[i] === undefined) throw new TemplateFault(`${what} needs the argument '${names[i] ?? i}'`);
  }
  return { args, rest, extra };
}

// ---------------------------------------------------------------- helpers

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new TemplateFault(`${what} needs a list, not ${typeName(value)}`);
  return value;
}
function mapping(value: unknown, what: string): Record<string, unknown> {
  if (!isMapping(value)) throw new TemplateFault(`${what} needs a dict, not ${typeName(value)}`);
  return value;
}
function num(value: unknown, what: string): number {
  if (typeof value !== 'number') throw new TemplateFault(`${what} needs a number, not ${typeName(value)}`);
  return value;
}
function int(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TemplateFault(`${what} needs an integer, not ${typeName(value)}`);
  return value;
}
function flag(value: unknown): boolean {
  return value === undefined ? false : isTruthy(value);
}
function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) n++;
    else {
      const d = text.charCodeAt(i + 1);
      n++;
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

function pyBasename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function pyDirname(path: string): string {
  const head = path.slice(0, path.lastIndexOf('/') + 1);
  if (head !== '' && head !== '/'.repeat(head.length)) {
    let end = head.length;
    while (end > 0 && head[end - 1] === '/') end--;
    return head.slice(0, end);
  }
  return head;
}

/** Plain data from JSON or YAML text: forbidden keys refused, depth bounded. */
function sanitize(value: unknown, depth: number): unknown {
  if (depth > MAX_VALUE_DEPTH) throw new TemplateFault(`data nested more than ${MAX_VALUE_DEPTH} levels deep`);
  if (Array.isArray(value)) return value.map((v) => sanitize(v, depth + 1));
  if (value instanceof Map) {
    const out = newMapping();
    for (const [k, v] of value) setKey(out, String(k), sanitize(v, depth + 1));
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    const out = newMapping();
    for (const k of Object.keys(value)) setKey(out, k, sanitize((value as Record<string, unknown>)[k], depth + 1));
    return out;
  }
  return value;
}

function combineTwo(a: Record<string, unknown>, b: Record<string, unknown>, recursive: boolean, listMerge: string, depth: number): Record<string, unknown> {
  if (depth > MAX_VALUE_DEPTH) throw new TemplateFault(`combine: dicts nested more than ${MAX_VALUE_DEPTH} levels deep`);
  const out = newMapping();
  for (const k of keysOf(a)) setKey(out, k, a[k]);
  for (const k of keysOf(b)) {
    const before = out[k];
    const after = b[k];
    if (Object.hasOwn(out, k) && recursive && isMapping(before) && isMapping(after)) {
      setKey(out, k, combineTwo(before, after, recursive, listMerge, depth + 1));
    } else if (Object.hasOwn(out, k) && Array.isArray(before) && Array.isArray(after)) {
      const merged = listMerge === 'keep' ? before : listMerge === 'append' ? [...before, ...after] : listMerge === 'prepend' ? [...after, ...before] : after;
      setKey(out, k, merged);
    } else {
      setKey(out, k, after);
    }
  }
  return out;
}

function sortKey(value: unknown, caseSensitive: boolean): unknown {
  return !caseSensitive && typeof value === 'string' ? value.toLowerCase() : value;
}

function uniqueOf(items: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  const objects: unknown[] = [];
  const out: unknown[] = [];
  for (const item of items) {
    if (typeof item === 'object' && item !== null) {
      if (objects.some((o) => isEqual(o, item))) continue;
      objects.push(item);
    } else {
      const key = `${typeof item}:${String(item)}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(item);
  }
  return out;
}

function parseInteger(text: string, base: number): number | undefined {
  let t = text.trim().toLowerCase();
  let sign = 1;
  if (t.startsWith('-') || t.startsWith('+')) {
    if (t.startsWith('-')) sign = -1;
    t = t.slice(1);
  }
  const prefixes: Record<number, string> = { 16: '0x', 8: '0o', 2: '0b' };
  const prefix = prefixes[base];
  if (prefix !== undefined && t.startsWith(prefix)) t = t.slice(2);
  if (t === '' || t.startsWith('_') || t.endsWith('_') || t.includes('__')) return undefined;
  t = t.split('_').join('');
  let n = 0;
  for (const ch of t) {
    const d = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch >= 'a' && ch <= 'z' ? ch.charCodeAt(0) - 87 : 99;
    if (d >= base) return undefined;
    n = n * base + d;
  }
  return sign * n;
}

function parseFloatText(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (t === 'nan') return NaN;
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?$/.test(t)) return undefined;
  return Number(t);
}

/** Ansible's `bool` filter: none stays none; only yes, on, 1 and true (any case) and the number 1 are true. */
function toBool(value: unknown): boolean | null {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1;
  if (typeof value === 'string') return ['yes', 'on', '1', 'true'].includes(value.toLowerCase());
  return false;
}

/** Ansible's lenient boolean() (the truthy/falsy tests with convert_bool): also y, t and 1.0. */
function lenientBool(value: string): boolean {
  return ['y', 'yes', 'on', '1', 'true', 't', '1.0'].includes(value.trim().toLowerCase());
}

/** Python's round(): to the nearest, ties to even, on the exact binary value (2.675 is 2.67, 0.125 is 0.12). */
export function roundHalfEven(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  if (digits < 0) {
    const f = 10 ** -digits;
    return roundHalfEven(x / f, 0) * f;
  }
  if (Math.abs(x) >= 1e21 || digits > 80) return x;
  const exact = Math.abs(x).toFixed(100);
  const dot = exact.indexOf('.');
  const kept = exact.slice(0, dot + 1 + digits);
  const rest = exact.slice(dot + 1 + digits);
  let up: boolean;
  if (rest[0] === undefined || rest[0] < '5') up = false;
  else if (rest[0] > '5' || /[1-9]/.test(rest.slice(1))) up = true;
  else {
    const lastDigit = kept.replace('.', '').slice(-1);
    up = Number(lastDigit) % 2 === 1;
  }
  let result = Number(kept.endsWith('.') ? kept.slice(0, -1) : kept);
  if (up) result = Number((result + 10 ** -digits).toFixed(digits));
  return x < 0 ? -result : result;
}

/** Python's json.dumps: `, ` and `: ` between items unless indented, non-ASCII escaped (ensure_ascii). */
function pythonJson(value: unknown, indent: number | undefined, sortKeys: boolean): string {
  checkNesting(value);
  const escape = (text: string): string => {
    let out = '"';
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const ch = text[i] as string;
      if (ch === '"') out += '\\"';
      else if (ch === '\\') out += '\\\\';
      else if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else if (ch === '\b') out += '\\b';
      else if (ch === '\f') out += '\\f';
      else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
      else out += ch;
    }
    return `${out}"`;
  };
  const walk = (v: unknown, level: number): string => {
    if (v === null || v === undefined || v === UNDEFINED) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : pythonNumber(v);
    if (typeof v === 'string') return escape(v);
    const items: string[] = [];
    if (Array.isArray(v)) {
      for (const item of v) items.push(walk(item, level + 1));
    } else if (isMapping(v)) {
      const keys = keysOf(v);
      if (sortKeys) keys.sort();
      for (const k of keys) items.push(`${escape(k)}: ${walk(v[k], level + 1)}`);
    } else {
      return escape(String(v));
    }
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
    if (items.length === 0) return open + close;
    if (indent === undefined) return open + items.join(', ') + close;
    const inner = `\n${' '.repeat(indent * (level + 1))}`;
    return `${open}${inner}${items.join(`,${inner}`)}\n${' '.repeat(indent * level)}${close}`;
  };
  const out = walk(value, 0);
  checkSize(out.length, 'string');
  return out;
}

/** Python's type names, as Ansible's type_debug writes them. */
function pythonTypeName(value: unknown): string {
  if (value === null || value === UNDEFINED) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  if (isMapping(value)) return 'dict';
  return typeName(value);
}

/** Python's os.path.splitext: the extension of the last part, a leading dot not counting. */
function splitext(path: string): [string, string] {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) return [path, ''];
  let i = slash + 1;
  while (i < dot && path[i] === '.') i++;
  if (i === dot) return [path, ''];
  return [path.slice(0, dot), path.slice(dot)];
}

/** Ansible's to_uuid: a version-5 UUID in Ansible's own namespace. */
function uuid5(name: string, namespace = '361E6D51-FAEC-444A-9079-341386DA8E2E'): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(Buffer.concat([ns, Buffer.from(name, 'utf8')])).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Python's urllib quote as Jinja's urlencode uses it for text: unreserved characters and / stay. */
function urlQuote(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~/-]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function versionArgs(input: unknown, args: readonly unknown[]): boolean {
  const [other, operator, strict, versionType] = args;
  let type: VersionType = 'loose';
  if (versionType !== undefined && versionType !== null) {
    if (versionType !== 'loose' && versionType !== 'strict' && versionType !== 'semver') {
      throw new TemplateFault(`version_type must be loose, strict or semver, not ${JSON.stringify(versionType)}`);
    }
    type = versionType;
  } else if (flag(strict)) {
    type = 'strict';
  }
  return versionMatches(input, other, operator ?? 'eq', type);
}

/** ipaddr, ipv4 and ipv6 as filters: a list keeps the items that pass, a string gives the answer or false. */
function ipFilter(value: unknown, query: unknown, family: 4 | 6 | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => ipFilter(item, query, family)).filter((item) => item !== false);
  if (family !== undefined && typeof value === 'string' && parseAddress(value.split('/')[0]?.trim() ?? '')?.family !== family) return false;
  return ipQuery(value, query);
}

function maskOf(family: 4 | 6, prefix: number): Address {
  const width = family === 4 ? 8 : 16;
  const groups = Array.from({ length: family === 4 ? 4 : 8 }, (_, i) => {
    const bits = Math.max(0, Math.min(width, prefix - i * width));
    return bits === 0 ? 0 : ((1 << width) - 1) ^ ((1 << (width - bits)) - 1);
  });
  return { family, groups };
}

/** The address `n` places after `address` (IPv4), for ipaddr(N). */
function offsetAddress(address: Address, n: number): Address {
  if (address.family !== 4) throw new TemplateFault('ipaddr(N) is supported for IPv4 networks only');
  let value = address.groups.reduce((acc, g) => acc * 256 + g, 0) + n;
  const groups: number[] = [];
  for (let i = 0; i < 4; i++) {
    groups.unshift(value % 256);
    value = Math.floor(value / 256);
  }
  return { family: 4, groups };
}

function ipQuery(value: unknown, query: unknown): unknown {
  if (typeof value !== 'string') return false;
  const text = value.trim();
  if (text.includes('/')) {
    let cidr;
    try {
      cidr = parseCidr(text);
    } catch {
      return false;
    }
    switch (query) {
      case undefined:
      case null:
      case '':
        return value;
      case 'address':
        return formatAddress(cidr);
      case 'prefix':
        return cidr.prefix;
      case 'network/prefix':
      case 'subnet':
        return networkCidr(text);
      case 'network':
        return networkCidr(text).split('/')[0];
      case 'netmask':
        return formatAddress(maskOf(cidr.family, cidr.prefix));
      case 'host/prefix': {
        const network = networkCidr(text).split('/')[0];
        const max = cidr.family === 4 ? 32 : 128;
        const address = formatAddress(cidr);
        if (cidr.prefix < max - 1 && address === network) return false;
        if (cidr.family === 4 && cidr.prefix < 31 && address === formatAddress(offsetAddress(parseAddress(network as string) as Address, 2 ** (32 - cidr.prefix) - 1))) return false;
        return `${address}/${cidr.prefix}`;
      }
      case 'broadcast': {
        if (cidr.family !== 4) throw new TemplateFault('ipaddr(broadcast) is for IPv4');
        return formatAddress(offsetAddress(parseAddress(networkCidr(text).split('/')[0] as string) as Address, 2 ** (32 - cidr.prefix) - 1));
      }
      default:
        if (typeof query === 'number' && Number.isInteger(query)) {
          const network = parseAddress(networkCidr(text).split('/')[0] as string) as Address;
          return `${formatAddress(offsetAddress(network, query))}/${cidr.prefix}`;
        }
        throw new TemplateFault(
          `ipaddr: the query ${JSON.stringify(query)} is not supported (use address, network, prefix, netmask, broadcast, network/prefix, host/prefix or an index)`,
        );
    }
  }
  const address = parseAddress(text);
  if (address === undefined) return false;
  switch (query) {
    case undefined:
    case null:
    case '':
      return value;
    case 'address':
      return formatAddress(address);
    default:
      throw new TemplateFault(`ipaddr(${JSON.stringify(query)}) needs an address with a /prefix`);
  }
}

function regexOptions(args: readonly unknown[], at: number): { ignorecase: boolean; multiline: boolean } {
  return { ignorecase: flag(args[at]), multiline: flag(args[at + 1]) };
}

function regexGroupsOf(match: RegExpExecArray, refs: readonly unknown[]): string[] {
  return refs.map((ref) => {
    const text = str(ref, 'regex_search group');
    if (/^\\[0-9]+$/.test(text)) return groupText(match, Number(text.slice(1)), text.slice(1));
    if (text.startsWith('\\g<') && text.endsWith('>')) {
      const name = text.slice(3, -1);
      return /^[0-9]+$/.test(name) ? groupText(match, Number(name), name) : namedGroupText(match, name);
    }
    throw new TemplateFault(`regex_search: a group is '\\\\1' or '\\\\g<name>', not '${text}'`);
  });
}

function testResult(value: unknown, field: 'failed' | 'changed' | 'skipped'): boolean {
  const result = mapping(value, `the ${field} test (on a registered result)`);
  return isTruthy(result[field]);
}

// ---------------------------------------------------------------- filters

const filterTable: Record<string, Callable> = {
  default: {
    params: ['default_value', 'boolean'],
    acceptsUndefined: true,
    call: (input, [fallback, boolean]) =>
      input === UNDEFINED || (flag(boolean) && !isTruthy(input)) ? (fallback === undefined ? '' : fallback) : input,
  },
  mandatory: {
    params: ['msg'],
    acceptsUndefined: true,
    call: (input, [msg]) => {
      if (input === UNDEFINED) throw new TemplateFault(typeof msg === 'string' ? msg : 'mandatory variable is not defined');
      return input;
    },
  },
  lower: { params: [], call: (input) => toText(input).toLowerCase() },
  upper: { params: [], call: (input) => toText(input).toUpperCase() },
  capitalize: { params: [], call: (input) => capitalized(toText(input)) },
  title: {
    params: [],
    call: (input) => {
      const t = toText(input);
      // Jinja's title: a word begins after whitespace, '-', '(', '{', '[' or '<' only ('foo.bar' is 'Foo.bar').
      let out = '';
      let startOfWord = true;
      for (const ch of t) {
        out += startOfWord ? ch.toUpperCase() : ch.toLowerCase();
        startOfWord = /[-\s({[<]/u.test(ch);
      }
      return out;
    },
  },
  trim: {
    params: ['chars'],
    call: (input, [chars]) => stripped(toText(input), chars === undefined || chars === null ? undefined : str(chars, 'trim'), true, true),
  },
  int: {
    params: ['default', 'base'],
    call: (input, [fallback, base]) => {
      const dflt = fallback ?? 0;
      if (typeof input === 'boolean') return input ? 1 : 0;
      if (typeof input === 'number') return Number.isFinite(input) ? Math.trunc(input) : dflt;
      if (typeof input === 'string') {
        const b = base === undefined ? 10 : int(base, 'int(base)');
        if (b < 2 || b > 36) throw new TemplateFault('int: base must be 2 to 36');
        const n = parseInteger(input, b);
        if (n !== undefined) return n;
        const f = b === 10 ? parseFloatText(input) : undefined;
        return f !== undefined && Number.isFinite(f) ? Math.trunc(f) : dflt;
      }
      return dflt;
    },
  },
  float: {
    params: ['default'],
    call: (input, [fallback]) => {
      const dflt = fallback ?? 0;
      if (typeof input === 'number') return input;
      if (typeof input === 'boolean') return input ? 1 : 0;
      if (typeof input === 'string') return parseFloatText(input) ?? dflt;
      return dflt;
    },
  },
  string: { params: [], call: (input) => toText(input) },
  bool: { params: [], call: (input) => toBool(input) },
  splitext: { params: [], call: (input) => splitext(str(input, 'splitext')) },
  truncate: {
    params: ['length', 'killwords', 'end', 'leeway'],
    call: (input, [length, killwords, end, leeway]) => {
      const text = toText(input);
      const max = length === undefined ? 255 : int(length, 'truncate(length)');
      const tail = end === undefined ? '...' : toText(end);
      const slack = leeway === undefined || leeway === null ? 5 : int(leeway, 'truncate(leeway)');
      const chars = Array.from(text);
      if (chars.length <= max + slack) return text;
      const cut = chars.slice(0, Math.max(0, max - tail.length)).join('');
      if (flag(killwords)) return cut + tail;
      const space = cut.lastIndexOf(' ');
      return (space < 0 ? cut : cut.slice(0, space)) + tail;
    },
  },
  center: { params: ['width'], call: (input, [width]) => padded(toText(input), width === undefined ? 80 : int(width, 'center(width)'), ' ', 'center') },
  urlencode: { params: [], call: (input) => urlQuote(toText(input)) },
  wordcount: { params: [], call: (input) => (toText(input).match(/[\p{L}\p{N}_]+/gu) ?? []).length },
  dictsort: {
    params: ['case_sensitive', 'by', 'reverse'],
    call: (input, [caseSensitive, by, reverse]) => {
      const dict = mapping(input, 'dictsort');
      if (by !== undefined && by !== 'key' && by !== 'value') throw new TemplateFault("dictsort: by must be 'key' or 'value'");
      const at = by === 'value' ? 1 : 0;
      const pairs = keysOf(dict).map((k) => [k, dict[k]] as [string, unknown]);
      pairs.sort((a, b) => compareValues(sortKey(a[at], flag(caseSensitive)), sortKey(b[at], flag(caseSensitive))));
      return flag(reverse) ? pairs.reverse() : pairs;
    },
  },
  checksum: { params: [], call: (input) => createHash('sha1').update(toText(input), 'utf8').digest('hex') },
  md5: { params: [], call: (input) => createHash('md5').update(toText(input), 'utf8').digest('hex') },
  sha1: { params: [], call: (input) => createHash('sha1').update(toText(input), 'utf8').digest('hex') },
  to_uuid: { params: ['namespace'], call: (input, [namespace]) => uuid5(toText(input), namespace === undefined ? undefined : toText(namespace)) },
  product: {
    params: ['*lists'],
    call: (input, _args, lists) => {
      let out: unknown[][] = [[]];
      for (const l of [toList(input, 'product'), ...lists.map((x) => toList(x, 'product'))]) {
        out = out.flatMap((prefix) => l.map((item) => [...prefix, item]));
        checkSize(out.length, 'list');
      }
      return out;
    },
  },
  length: {
    params: [],
    call: (input) => {
      if (typeof input === 'string') return codePointLength(input);
      if (Array.isArray(input)) return input.length;
      if (isMapping(input)) return keysOf(input).length;
      throw new TemplateFault(`length of ${typeName(input)}`);
    },
  },
  join: {
    params: ['d', 'attribute'],
    call: (input, [sep, attribute]) => {
      let items = toList(input, 'join');
      if (attribute !== undefined) items = items.map((item) => lookupPath(item, toText(attribute)));
      const out = items.map(toText).join(sep === undefined ? '' : toText(sep));
      checkSize(out.length, 'string');
      return out;
    },
  },
  split: {
    params: ['sep', 'maxsplit'],
    call: (input, [sep, maxsplit]) => pySplit(str(input, 'split'), sep, maxsplit === undefined ? -1 : int(maxsplit, 'split(maxsplit)')),
  },
  splitlines: { params: [], call: (input) => splitLines(str(input, 'splitlines'), false) },
  replace: {
    params: ['old', 'new', 'count'],
    required: 2,
    call: (input, [old, replacement, count]) =>
      replaced(toText(input), toText(old), toText(replacement), count === undefined || count === null ? -1 : int(count, 'replace(count)')),
  },
  regex_replace: {
    params: ['regex', 'replacement', 'ignorecase', 'multiline', 'count'],
    required: 1,
    call: (input, args) => {
      const subject = checkSubject(toText(input), 'regex_replace');
      const re = compileRegex(args[0], regexOptions(args, 2));
      const replacement = args[1] === undefined ? '' : toText(args[1]);
      const limit = args[4] === undefined ? 0 : int(args[4], 'regex_replace(count)');
      let out = '';
      let last = 0;
      let done = 0;
      for (const m of allMatches(re, subject)) {
        if (limit > 0 && done >= limit) break;
        out += subject.slice(last, m.index) + expandReplacement(replacement, m);
        last = m.index + m[0].length;
        done++;
        checkSize(out.length, 'string');
      }
      return out + subject.slice(last);
    },
  },
  regex_search: {
    params: ['regex', '*groups', 'ignorecase', 'multiline'],
    required: 1,
    call: (input, args, groups) => {
      const subject = checkSubject(toText(input), 'regex_search');
      const re = compileRegex(args[0], regexOptions(args, 1));
      const m = re.exec(subject);
      if (m === null) return groups.length > 0 ? [] : null;
      return groups.length > 0 ? regexGroupsOf(m, groups) : m[0];
    },
  },
  regex_findall: {
    params: ['regex', 'ignorecase', 'multiline'],
    required: 1,
    call: (input, args) => {
      const subject = checkSubject(toText(input), 'regex_findall');
      const re = compileRegex(args[0], regexOptions(args, 1));
      const matches = allMatches(re, subject);
      checkSize(matches.length, 'list');
      return matches.map((m) => (m.length === 1 ? m[0] : m.length === 2 ? (m[1] ?? '') : m.slice(1).map((g) => g ?? '')));
    },
  },
  regex_escape: {
    params: [],
    call: (input) => {
      let out = '';
      for (const ch of toText(input)) out += '\\^$.|?*+()[]{}/-'.includes(ch) ? `\\${ch}` : ch;
      return out;
    },
  },
  first: {
    params: [],
    call: (input) => {
      const items = typeof input === 'string' ? input : list(input, 'first');
      if (items.length === 0) throw new TemplateFault('first of an empty list');
      return items[0];
    },
  },
  last: {
    params: [],
    call: (input) => {
      const items = typeof input === 'string' ? input : list(input, 'last');
      if (items.length === 0) throw new TemplateFault('last of an empty list');
      return items[items.length - 1];
    },
  },
  min: {
    params: ['attribute'],
    call: (input, [attribute]) => extreme(toList(input, 'min'), attribute, -1),
  },
  max: {
    params: ['attribute'],
    call: (input, [attribute]) => extreme(toList(input, 'max'), attribute, 1),
  },
  sum: {
    params: ['attribute', 'start'],
    call: (input, [attribute, start]) => {
      let total = start === undefined ? 0 : num(start, 'sum(start)');
      for (const item of list(input, 'sum')) total += num(attribute === undefined ? item : lookupPath(item, toText(attribute)), 'sum');
      return total;
    },
  },
  sort: {
    params: ['reverse', 'case_sensitive', 'attribute'],
    call: (input, [reverse, caseSensitive, attribute]) => {
      const items = [...toList(input, 'sort')];
      const keyOf = (item: unknown): unknown =>
        sortKey(attribute === undefined ? item : lookupPath(item, toText(attribute)), flag(caseSensitive));
      items.sort((a, b) => compareValues(keyOf(a), keyOf(b)));
      return flag(reverse) ? items.reverse() : items;
    },
  },
  unique: {
    params: ['case_sensitive', 'attribute'],
    call: (input, [caseSensitive, attribute]) => {
      // Jinja's unique: strings compare without case unless case_sensitive; the first one is kept.
      const items = toList(input, 'unique');
      const keyOf = (item: unknown): unknown => sortKey(attribute === undefined ? item : lookupPath(item, toText(attribute)), flag(caseSensitive));
      const keys = uniqueOf(items.map(keyOf));
      const out: unknown[] = [];
      const seen: unknown[] = [];
      for (const item of items) {
        const key = keyOf(item);
        if (seen.some((k) => isEqual(k, key))) continue;
        seen.push(key);
        out.push(item);
        if (seen.length === keys.length) break;
      }
      return out;
    },
  },
  list: { params: [], call: (input) => [...toList(input, 'list')] },
  reverse: {
    params: [],
    call: (input) => (typeof input === 'string' ? Array.from(input).reverse().join('') : [...list(input, 'reverse')].reverse()),
  },
  flatten: {
    params: ['levels'],
    call: (input, [levels]) => {
      const max = levels === undefined || levels === null ? MAX_VALUE_DEPTH : int(levels, 'flatten(levels)');
      const out: unknown[] = [];
      const walk = (items: readonly unknown[], depth: number): void => {
        for (const item of items) {
          if (Array.isArray(item) && depth < max) walk(item, depth + 1);
          else if (item !== null) out.push(item);
          checkSize(out.length, 'list');
        }
      };
      walk(list(input, 'flatten'), 0);
      return out;
    },
  },
  union: { params: ['other'], required: 1, call: (input, [other]) => uniqueOf([...list(input, 'union'), ...list(other, 'union')]) },
  intersect: {
    params: ['other'],
    required: 1,
    call: (input, [other]) => uniqueOf(list(input, 'intersect').filter((x) => contains(list(other, 'intersect'), x))),
  },
  difference: {
    params: ['other'],
    required: 1,
    call: (input, [other]) => uniqueOf(list(input, 'difference').filter((x) => !contains(list(other, 'difference'), x))),
  },
  symmetric_difference: {
    params: ['other'],
    required: 1,
    call: (input, [other]) => {
      const a = list(input, 'symmetric_difference');
      const b = list(other, 'symmetric_difference');
      return uniqueOf([...a.filter((x) => !contains(b, x)), ...b.filter((x) => !contains(a, x))]);
    },
  },
  zip: {
    params: ['*lists'],
    call: (input, _args, lists) => {
      const all = [list(input, 'zip'), ...lists.map((l) => list(l, 'zip'))];
      const n = Math.min(...all.map((l) => l.length));
      return Array.from({ length: n }, (_, i) => all.map((l) => l[i]));
    },
  },
  dict2items: {
    params: ['key_name', 'value_name'],
    call: (input, [keyName, valueName]) => {
      const dict = mapping(input, 'dict2items');
      const k = keyName === undefined ? 'key' : toText(keyName);
      const v = valueName === undefined ? 'value' : toText(valueName);
      return keysOf(dict).map((key) => {
        const item = newMapping();
        setKey(item, k, key);
        setKey(item, v, dict[key]);
        return item;
      });
    },
  },
  items2dict: {
    params: ['key_name', 'value_name'],
    call: (input, [keyName, valueName]) => {
      const k = keyName === undefined ? 'key' : toText(keyName);
      const v = valueName === undefined ? 'value' : toText(valueName);
      const out = newMapping();
      for (const item of list(input, 'items2dict')) {
        const entry = mapping(item, 'items2dict (each item)');
        if (!Object.hasOwn(entry, k) || !Object.hasOwn(entry, v)) throw new TemplateFault(`items2dict: an item has no '${k}' or '${v}'`);
        setKey(out, toText(entry[k]), entry[v]);
      }
      return out;
    },
  },
  keys: { params: [], call: (input) => keysOf(mapping(input, 'keys')) },
  values: {
    params: [],
    call: (input) => {
      const dict = mapping(input, 'values');
      return keysOf(dict).map((k) => dict[k]);
    },
  },
  items: {
    params: [],
    call: (input) => {
      const dict = mapping(input, 'items');
      return keysOf(dict).map((k) => [k, dict[k]]);
    },
  },
  combine: {
    params: ['*dicts', 'recursive', 'list_merge'],
    call: (input, [recursive, listMerge], dicts) => {
      const mode = listMerge === undefined ? 'replace' : toText(listMerge);
      if (!['replace', 'keep', 'append', 'prepend'].includes(mode)) throw new TemplateFault(`combine: list_merge must be replace, keep, append or prepend`);
      const sources = [input, ...dicts.flatMap((d) => (Array.isArray(d) ? d : [d]))];
      let out = newMapping();
      for (const source of sources) out = combineTwo(out, mapping(source, 'combine'), flag(recursive), mode, 0);
      return out;
    },
  },
  map: {
    params: ['*args', 'attribute', 'default'],
    call: (input, [attribute, fallback], args, ctx) => {
      const items = toList(input, 'map');
      if (attribute !== undefined) {
        const path = toText(attribute);
        return items.map((item) => {
          const value = lookupPath(item, path);
          if (value !== UNDEFINED) return value;
          if (fallback !== undefined) return fallback;
          throw new TemplateFault(`map: an item has no attribute '${path}'`);
        });
      }
      const [name, ...filterArgs] = args;
      return items.map((item) => ctx.filter(str(name, 'map (a filter name or attribute=)'), item, filterArgs));
    },
  },
  select: {
    params: ['*args'],
    call: (input, _a, args, ctx) => selectBy(toList(input, 'select'), args, ctx, true, undefined),
  },
  reject: {
    params: ['*args'],
    call: (input, _a, args, ctx) => selectBy(toList(input, 'reject'), args, ctx, false, undefined),
  },
  selectattr: {
    params: ['attribute', '*args'],
    required: 1,
    call: (input, [attribute], args, ctx) => selectBy(toList(input, 'selectattr'), args, ctx, true, toText(attribute)),
  },
  rejectattr: {
    params: ['attribute', '*args'],
    required: 1,
    call: (input, [attribute], args, ctx) => selectBy(toList(input, 'rejectattr'), args, ctx, false, toText(attribute)),
  },
  to_json: {
    params: ['indent', 'sort_keys'],
    call: (input, [indent, sortKeys]) =>
      pythonJson(input, indent === undefined || indent === null ? undefined : int(indent, 'to_json(indent)'), flag(sortKeys)),
  },
  to_nice_json: {
    params: ['indent', 'sort_keys'],
    call: (input, [indent, sortKeys]) =>
      pythonJson(input, indent === undefined ? 4 : int(indent, 'to_nice_json(indent)'), sortKeys === undefined ? true : flag(sortKeys)),
  },
  from_json: {
    params: [],
    call: (input) => {
      try {
        return sanitize(JSON.parse(str(input, 'from_json')), 0);
      } catch (error) {
        if (error instanceof TemplateFault) throw error;
        throw new TemplateFault(`from_json: ${(error as Error).message}`);
      }
    },
  },
  to_yaml: { params: ['indent'], call: (input, [indent]) => yamlOf(input, indent, false) },
  to_nice_yaml: { params: ['indent'], call: (input, [indent]) => yamlOf(input, indent, true) },
  from_yaml: {
    params: [],
    call: (input) => {
      try {
        return sanitize(parseYaml(str(input, 'from_yaml'), { maxAliasCount: 100 }), 0);
      } catch (error) {
        if (error instanceof TemplateFault) throw error;
        throw new TemplateFault(`from_yaml: ${(error as Error).message}`);
      }
    },
  },
  b64encode: { params: [], call: (input) => Buffer.from(toText(input), 'utf8').toString('base64') },
  b64decode: {
    params: [],
    call: (input) => {
      const text = str(input, 'b64decode').trim();
      if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) throw new TemplateFault('b64decode: not base64 text');
      return Buffer.from(text, 'base64').toString('utf8');
    },
  },
  basename: { params: [], call: (input) => pyBasename(str(input, 'basename')) },
  dirname: { params: [], call: (input) => pyDirname(str(input, 'dirname')) },
  path_join: {
    params: [],
    call: (input) => posix.join(...(typeof input === 'string' ? [input] : list(input, 'path_join').map((p) => str(p, 'path_join')))),
  },
  quote: {
    params: [],
    call: (input) => {
      const text = toText(input);
      if (text.includes('\0')) throw new TemplateFault('quote: a NUL byte cannot be passed to a shell');
      // Python's shlex.quote, as Ansible's quote filter: safe text as it is, else in single quotes.
      if (text === '') return "''";
      if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
      return `'${text.split("'").join(`'"'"'`)}'`;
    },
  },
  network_cidr: { params: [], call: (input) => networkCidr(input) },
  ipaddr: { params: ['query'], call: (input, [query]) => ipFilter(input, query, undefined) },
  ipv4: { params: ['query'], call: (input, [query]) => ipFilter(input, query, 4) },
  ipv6: { params: ['query'], call: (input, [query]) => ipFilter(input, query, 6) },
  ternary: {
    params: ['true_val', 'false_val', 'none_val'],
    required: 2,
    call: (input, [yes, no, none]) => (input === null && none !== undefined ? none : isTruthy(input) ? yes : no),
  },
  abs: { params: [], call: (input) => Math.abs(num(input, 'abs')) },
  round: {
    params: ['precision', 'method'],
    call: (input, [precision, method]) => {
      const p = precision === undefined ? 0 : int(precision, 'round(precision)');
      const f = 10 ** p;
      const m = method === undefined ? 'common' : toText(method);
      const value = num(typeof input === 'boolean' ? Number(input) : input, 'round');
      if (m === 'common') return roundHalfEven(value, p);
      if (m !== 'ceil' && m !== 'floor') throw new TemplateFault('round: method must be common, ceil or floor');
      return (m === 'ceil' ? Math.ceil(value * f) : Math.floor(value * f)) / f;
    },
  },
  hash: {
    params: ['algorithm'],
    call: (input, [algorithm]) => {
      const name = algorithm === undefined ? 'sha1' : toText(algorithm);
      if (!['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'].includes(name)) throw new TemplateFault(`hash: unknown algorithm '${name}'`);
      return createHash(name).update(toText(input), 'utf8').digest('hex');
    },
  },
  indent: {
    params: ['width', 'first', 'blank'],
    call: (input, [width, first, blank]) => {
      const pad = typeof width === 'string' ? width : ' '.repeat(width === undefined ? 4 : int(width, 'indent(width)'));
      const lines = toText(input).split('\n');
      const out = lines.map((line, i) => ((i > 0 || flag(first)) && (line !== '' || flag(blank)) ? pad + line : line)).join('\n');
      checkSize(out.length, 'string');
      return out;
    },
  },
  type_debug: { params: [], call: (input) => pythonTypeName(input) },
  version_compare: {
    params: ['version', 'operator', 'strict', 'version_type'],
    required: 1,
    call: (input, args) => versionArgs(input, args),
  },
};
filterTable['d'] = filterTable['default'] as Callable;
filterTable['count'] = filterTable['length'] as Callable;
filterTable['version'] = filterTable['version_compare'] as Callable;
// The network filters and tests by the names of the collections that ship them.
for (const collection of ['ansible.utils.', 'ansible.netcommon.']) {
  for (const name of ['ipaddr', 'ipv4', 'ipv6']) filterTable[collection + name] = filterTable[name] as Callable;
}

function extreme(items: readonly unknown[], attribute: unknown, sign: 1 | -1): unknown {
  if (items.length === 0) throw new TemplateFault(`${sign > 0 ? 'max' : 'min'} of an empty list`);
  const keyOf = (item: unknown): unknown => (attribute === undefined ? item : lookupPath(item, toText(attribute)));
  let best = items[0];
  for (const item of items.slice(1)) if (compareValues(keyOf(item), keyOf(best)) * sign > 0) best = item;
  return best;
}

function selectBy(items: readonly unknown[], args: readonly unknown[], ctx: CallContext, keep: boolean, attribute: string | undefined): unknown[] {
  const [name, ...testArgs] = args;
  return items.filter((item) => {
    const value = attribute === undefined ? item : lookupPath(item, attribute);
    const passed = name === undefined ? isTruthy(value) : ctx.test(str(name, 'select (a test name)'), value, testArgs);
    return passed === keep;
  });
}

function yamlOf(input: unknown, indent: unknown, nice: boolean): string {
  checkNesting(input);
  const width = indent === undefined ? (nice ? 4 : 2) : int(indent, 'to_yaml(indent)');
  if (width < 1 || width > 16) throw new TemplateFault('to_yaml: indent must be 1 to 16');
  const out = `${yamlLines(input, width, nice).join('\n')}\n`;
  checkSize(out.length, 'string');
  return out;
}

/**
 * YAML as PyYAML dumps it for Ansible: keys sorted, a sequence inside a mapping not indented, a
 * sequence item's content `width` columns in; to_yaml writes collections of scalars in flow style
 * (`[1, 2]`, `{a: 1}`), to_nice_yaml never does. Scalars are quoted by YAML 1.1's rules ('yes').
 */
function yamlLines(value: unknown, width: number, nice: boolean): string[] {
  const isCollection = (v: unknown): v is unknown[] | Record<string, unknown> => Array.isArray(v) || isMapping(v);
  const entries = (v: unknown[] | Record<string, unknown>): [string | undefined, unknown][] =>
    Array.isArray(v) ? v.map((item) => [undefined, item]) : keysOf(v).sort().map((k) => [k, v[k]]);
  const inline = (v: unknown): string | undefined => {
    if (!isCollection(v)) return yamlScalar(v);
    const items = entries(v);
    if (items.length === 0) return Array.isArray(v) ? '[]' : '{}';
    if (nice || items.some(([, item]) => isCollection(item))) return undefined;
    const body = items.map(([k, item]) => (k === undefined ? '' : `${yamlScalar(k)}: `) + yamlScalar(item)).join(', ');
    return Array.isArray(v) ? `[${body}]` : `{${body}}`;
  };
  const walk = (v: unknown): string[] => {
    const flat = inline(v);
    if (flat !== undefined) return [flat];
    const lines: string[] = [];
    for (const [key, item] of entries(v as unknown[] | Record<string, unknown>)) {
      const itemFlat = inline(item);
      if (key === undefined) {
        const inner = itemFlat !== undefined ? [itemFlat] : walk(item);
        // A scalar follows '- '; a collection starts `width` columns in, as PyYAML writes it.
        lines.push((itemFlat !== undefined ? '- ' : `-${' '.repeat(width - 1)}`) + (inner[0] ?? ''));
        for (const line of inner.slice(1)) lines.push(' '.repeat(width) + line);
      } else if (itemFlat !== undefined) {
        lines.push(`${yamlScalar(key)}: ${itemFlat}`);
      } else {
        lines.push(`${yamlScalar(key)}:`);
        const pad = Array.isArray(item) ? '' : ' '.repeat(width);
        for (const line of walk(item)) lines.push(pad + line);
      }
    }
    return lines;
  };
  return walk(value);
}

function yamlScalar(value: unknown): string {
  return new YamlDocument(value, { version: '1.1' }).toString({ singleQuote: true, lineWidth: 0 }).replace(/\n$/, '');
}

// ---------------------------------------------------------------- tests

const typeTest = (check: (v: unknown) => boolean): Callable<boolean> => ({ params: [], call: (input) => check(input) });
const compareTest = (check: (c: number) => boolean): Callable<boolean> => ({
  params: ['other'],
  required: 1,
  call: (input, [other]) => check(compareValues(input, other)),
});
const regexTest = (anchored: boolean): Callable<boolean> => ({
  params: ['pattern', 'ignorecase', 'multiline'],
  required: 1,
  call: (input, args) => {
    const subject = checkSubject(input, anchored ? 'match' : 'search');
    const re = compileRegex(args[0], regexOptions(args, 1), anchored ? 'y' : '');
    return re.test(subject);
  },
});

const testTable: Record<string, Callable<boolean>> = {
  defined: { params: [], acceptsUndefined: true, call: (input) => input !== UNDEFINED },
  undefined: { params: [], acceptsUndefined: true, call: (input) => input === UNDEFINED },
  none: typeTest((v) => v === null),
  string: typeTest((v) => typeof v === 'string'),
  // Jinja's number test is isinstance(v, Number), and Python's bool is a Number.
  number: typeTest((v) => typeof v === 'number' || typeof v === 'boolean'),
  integer: typeTest((v) => typeof v === 'number' && Number.isInteger(v)),
  float: typeTest((v) => typeof v === 'number' && !Number.isInteger(v)),
  boolean: typeTest((v) => typeof v === 'boolean'),
  mapping: typeTest(isMapping),
  sequence: typeTest((v) => typeof v === 'string' || Array.isArray(v) || isMapping(v)),
  iterable: typeTest((v) => typeof v === 'string' || Array.isArray(v) || isMapping(v)),
  truthy: {
    params: ['convert_bool'],
    call: (input, [convert]) => (flag(convert) && typeof input === 'string' ? lenientBool(input) : isTruthy(input)),
  },
  falsy: {
    params: ['convert_bool'],
    call: (input, [convert]) => !(flag(convert) && typeof input === 'string' ? lenientBool(input) : isTruthy(input)),
  },
  match: regexTest(true),
  search: regexTest(false),
  regex: {
    params: ['pattern', 'ignorecase', 'multiline', 'match_type'],
    required: 1,
    call: (input, args, rest, ctx, extra) => {
      const type = args[3] === undefined ? 'search' : toText(args[3]);
      if (type !== 'search' && type !== 'match') throw new TemplateFault("regex: match_type must be 'search' or 'match'");
      return (testTable[type] as Callable<boolean>).call(input, args.slice(0, 3), rest, ctx, extra);
    },
  },
  version: {
    params: ['version', 'operator', 'strict', 'version_type'],
    required: 1,
    call: (input, args) => versionArgs(input, args),
  },
  eq: { params: ['other'], required: 1, call: (input, [other]) => isEqual(input, other) },
  ne: { params: ['other'], required: 1, call: (input, [other]) => !isEqual(input, other) },
  lt: compareTest((c) => c < 0),
  le: compareTest((c) => c <= 0),
  gt: compareTest((c) => c > 0),
  ge: compareTest((c) => c >= 0),
  in: { params: ['seq'], required: 1, call: (input, [seq]) => contains(seq, input) },
  contains: { params: ['value'], required: 1, call: (input, [value]) => contains(input, value) },
  odd: typeTest((v) => Math.abs(int(v, 'odd') % 2) === 1),
  even: typeTest((v) => int(v, 'even') % 2 === 0),
  divisibleby: { params: ['num'], required: 1, call: (input, [n]) => int(input, 'divisibleby') % int(n, 'divisibleby') === 0 },
  sameas: { params: ['other'], required: 1, call: (input, [other]) => input === other },
  lower: typeTest((v) => typeof v === 'string' && v === v.toLowerCase()),
  upper: typeTest((v) => typeof v === 'string' && v === v.toUpperCase()),
  subset: { params: ['superset'], required: 1, call: (input, [sup]) => list(input, 'subset').every((x) => contains(list(sup, 'subset'), x)) },
  superset: { params: ['subset'], required: 1, call: (input, [sub]) => list(sub, 'superset').every((x) => contains(list(input, 'superset'), x)) },
  ipv4: typeTest((v) => typeof v === 'string' && (parseIpv4(v) !== undefined || (v.includes('/') && ipQuery(v, 'address') !== false && !v.includes(':')))),
  ipv6: typeTest((v) => typeof v === 'string' && (parseIpv6(v) !== undefined || (v.includes('/') && v.includes(':') && ipQuery(v, 'address') !== false))),
  failed: typeTest((v) => testResult(v, 'failed')),
  succeeded: typeTest((v) => !testResult(v, 'failed')),
  changed: typeTest((v) => testResult(v, 'changed')),
  skipped: typeTest((v) => testResult(v, 'skipped')),
};
testTable['equalto'] = testTable['eq'] as Callable<boolean>;
testTable['version_compare'] = testTable['version'] as Callable<boolean>;
testTable['success'] = testTable['succeeded'] as Callable<boolean>;
testTable['failure'] = testTable['failed'] as Callable<boolean>;
testTable['change'] = testTable['changed'] as Callable<boolean>;
testTable['skip'] = testTable['skipped'] as Callable<boolean>;
testTable['ansible.utils.ipv4'] = testTable['ipv4'] as Callable<boolean>;
testTable['ansible.utils.ipv6'] = testTable['ipv6'] as Callable<boolean>;

// ---------------------------------------------------------------- global functions

const functionTable: Record<string, Callable> = {
  dict: {
    params: ['*pairs'],
    extraKeywords: true,
    // Python's dict(): from a dict or a list of [key, value] pairs, then the keyword arguments.
    call: (_input, _args, pairs, _ctx, extra) => {
      if (pairs.length > 1) throw new TemplateFault('dict() takes at most one positional argument');
      const out = newMapping();
      const source = pairs[0];
      if (isMapping(source)) for (const k of keysOf(source)) setKey(out, k, source[k]);
      else if (source !== undefined) {
        for (const pair of list(source, 'dict()')) {
          const entry = list(pair, 'dict() (each pair)');
          if (entry.length !== 2) throw new TemplateFault('dict(): each item must be a [key, value] pair');
          setKey(out, toText(entry[0]), entry[1]);
        }
      }
      for (const [k, v] of extra) setKey(out, k, v);
      return out;
    },
  },
  range: {
    params: ['start', 'stop', 'step'],
    required: 1,
    call: (_input, args) => {
      const given = args.filter((a) => a !== undefined).map((a) => int(a, 'range'));
      const [start, stop, step] = given.length === 1 ? [0, given[0] as number, 1] : [given[0] as number, given[1] as number, given[2] ?? 1];
      if (step === 0) throw new TemplateFault('range: step must not be zero');
      const length = Math.max(0, Math.ceil((stop - start) / step));
      checkSize(length, 'list');
      return Array.from({ length }, (_, i) => start + i * step);
    },
  },
  lookup: {
    params: ['plugin', '*terms', 'default'],
    required: 1,
    call: (_input, [plugin, fallback], terms, ctx) => {
      if (plugin === 'vars') {
        // Ansible's vars lookup: the variables named by the terms (a list when several).
        const values = terms.map((t) => {
          const value = ctx.variable(str(t, "lookup('vars')"));
          if (value !== UNDEFINED) return value;
          if (fallback !== undefined) return fallback;
          throw new TemplateFault(`lookup('vars'): no variable named '${String(t)}'`);
        });
        return values.length === 1 ? values[0] : values;
      }
      if (plugin !== 'env') throw new TemplateFault(`lookup: only the 'env' and 'vars' lookups are supported, not ${JSON.stringify(plugin)}`);
      if (terms.length === 0) throw new TemplateFault("lookup('env', NAME) needs a variable name");
      // Reads the environment of the control machine (where sparkbook runs), never of a host.
      return terms
        .map((t) => {
          const name = str(t, "lookup('env')");
          const value = Object.hasOwn(process.env, name) && !FORBIDDEN_KEYS.has(name) ? process.env[name] : undefined;
          return value ?? (fallback === undefined ? '' : toText(fallback));
        })
        .join(',');
    },
  },
};

function freeze<T>(table: Record<string, T>): ReadonlyMap<string, T> {
  return new Map(Object.entries(table));
}

export const FILTERS: ReadonlyMap<string, Callable> = freeze(filterTable);
export const TESTS: ReadonlyMap<string, Callable<boolean>> = freeze(testTable);
export const FUNCTIONS: ReadonlyMap<string, Callable> = freeze(functionTable);

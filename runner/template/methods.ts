// The methods a template may call on a value (`x.split(',')`, `d.items()`, `d.get('k', 1)`): the
// Python methods of str, list and dict that roles use, with Python's meaning. Like filters they are
// a fixed table of pure functions; nothing that changes a value in place (append, update, pop…).
import type { Callable } from './filters.js';
import { strFormat } from './formatting.js';
import { capitalized, isPythonSpace, padded, pySplit, replaced, splitLines, str, stripped } from './strings.js';
import { TemplateFault, UNDEFINED, checkSize, isEqual, isMapping, keysOf, lookup, toText, typeName } from './values.js';

function intArg(value: unknown, what: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TemplateFault(`${what} needs an integer, not ${typeName(value)}`);
  return value;
}

/** The strip family's `chars` argument: none strips whitespace. */
function stripChars(chars: unknown): string | undefined {
  return chars === undefined || chars === null ? undefined : str(chars, 'strip');
}

/** Python's rsplit: splits from the right, at most `maxsplit` times. */
function rsplit(text: string, sep: unknown, maxsplit: number): string[] {
  if (maxsplit < 0) return pySplit(text, sep, -1);
  if (sep === undefined || sep === null) {
    let end = text.length;
    while (end > 0 && isPythonSpace(text[end - 1])) end--;
    const tail: string[] = [];
    while (tail.length < maxsplit && end > 0) {
      let start = end;
      while (start > 0 && !isPythonSpace(text[start - 1])) start--;
      if (start === 0) break;
      tail.unshift(text.slice(start, end));
      end = start;
      while (end > 0 && isPythonSpace(text[end - 1])) end--;
    }
    const head = stripped(text.slice(0, end), undefined, true, false);
    return head === '' ? tail : [head, ...tail];
  }
  const separator = str(sep, 'rsplit');
  if (separator === '') throw new TemplateFault('rsplit: empty separator');
  const pieces = text.split(separator);
  if (pieces.length <= maxsplit + 1) return pieces;
  const keep = pieces.length - maxsplit;
  return [pieces.slice(0, keep).join(separator), ...pieces.slice(keep)];
}

/** str.startswith / endswith: a prefix, or a tuple (a list here) of them. */
function affix(text: string, what: unknown, atStart: boolean): boolean {
  const options = Array.isArray(what) ? what : [what];
  return options.some((o) => {
    const s = str(o, atStart ? 'startswith' : 'endswith');
    return atStart ? text.startsWith(s) : text.endsWith(s);
  });
}

function count(text: string, sub: string): number {
  if (sub === '') return Array.from(text).length + 1;
  return text.split(sub).length - 1;
}

function pad(text: string, width: unknown, fill: unknown, where: 'center' | 'left' | 'right'): string {
  const w = intArg(width, where === 'center' ? 'center' : where === 'left' ? 'ljust' : 'rjust', 0);
  const f = fill === undefined ? ' ' : str(fill, 'the fill character');
  if (Array.from(f).length !== 1) throw new TemplateFault('the fill character must be exactly one character long');
  return padded(text, w, f, where);
}

function casedOnly(text: string, check: (ch: string) => boolean): boolean {
  let cased = false;
  for (const ch of text) {
    if (ch.toLowerCase() === ch.toUpperCase()) continue;
    cased = true;
    if (!check(ch)) return false;
  }
  return cased;
}

function allChars(text: string, re: RegExp): boolean {
  return text.length > 0 && Array.from(text).every((ch) => re.test(ch));
}

function title(text: string): string {
  let out = '';
  let previousCased = false;
  for (const ch of text) {
    const cased = ch.toLowerCase() !== ch.toUpperCase();
    out += cased ? (previousCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    previousCased = cased;
  }
  return out;
}

const m = (params: readonly string[], call: (self: never, args: readonly unknown[], rest: readonly unknown[]) => unknown, required = 0): Callable => ({
  params,
  required,
  call: (input, args, rest) => call(input as never, args, rest),
});

const STRING_METHODS: Readonly<Record<string, Callable>> = {
  strip: m(['chars'], (s: string, [chars]) => stripped(s, stripChars(chars), true, true)),
  lstrip: m(['chars'], (s: string, [chars]) => stripped(s, stripChars(chars), true, false)),
  rstrip: m(['chars'], (s: string, [chars]) => stripped(s, stripChars(chars), false, true)),
  lower: m([], (s: string) => s.toLowerCase()),
  upper: m([], (s: string) => s.toUpperCase()),
  title: m([], (s: string) => title(s)),
  capitalize: m([], (s: string) => capitalized(s)),
  swapcase: m([], (s: string) => Array.from(s, (ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join('')),
  split: m(['sep', 'maxsplit'], (s: string, [sep, max]) => pySplit(s, sep, intArg(max, 'split(maxsplit)', -1))),
  rsplit: m(['sep', 'maxsplit'], (s: string, [sep, max]) => rsplit(s, sep, intArg(max, 'rsplit(maxsplit)', -1))),
  splitlines: m(['keepends'], (s: string, [keep]) => splitLines(s, keep === true)),
  startswith: m(['prefix'], (s: string, [prefix]) => affix(s, prefix, true), 1),
  endswith: m(['suffix'], (s: string, [suffix]) => affix(s, suffix, false), 1),
  replace: m(
    ['old', 'new', 'count'],
    (s: string, [old, replacement, n]) => replaced(s, str(old, 'replace'), str(replacement, 'replace'), intArg(n, 'replace(count)', -1)),
    2,
  ),
  join: m(
    ['iterable'],
    (s: string, [items]) => {
      const list = typeof items === 'string' ? Array.from(items) : Array.isArray(items) ? items : isMapping(items) ? keysOf(items) : undefined;
      if (list === undefined) throw new TemplateFault(`join needs a list, not ${typeName(items)}`);
      const out = list.map((item, i) => str(item, `join (item ${i})`)).join(s);
      checkSize(out.length, 'string');
      return out;
    },
    1,
  ),
  format: { params: ['*args'], call: (input, _args, rest) => strFormat(input as string, rest) },
  find: m(['sub'], (s: string, [sub]) => s.indexOf(str(sub, 'find')), 1),
  rfind: m(['sub'], (s: string, [sub]) => s.lastIndexOf(str(sub, 'rfind')), 1),
  index: m(
    ['sub'],
    (s: string, [sub]) => {
      const at = s.indexOf(str(sub, 'index'));
      if (at < 0) throw new TemplateFault('index: substring not found');
      return at;
    },
    1,
  ),
  count: m(['sub'], (s: string, [sub]) => count(s, str(sub, 'count')), 1),
  isupper: m([], (s: string) => casedOnly(s, (ch) => ch === ch.toUpperCase())),
  islower: m([], (s: string) => casedOnly(s, (ch) => ch === ch.toLowerCase())),
  isalpha: m([], (s: string) => allChars(s, /^\p{L}$/u)),
  isdigit: m([], (s: string) => allChars(s, /^\p{Nd}$/u)),
  isalnum: m([], (s: string) => allChars(s, /^[\p{L}\p{N}]$/u)),
  isspace: m([], (s: string) => s.length > 0 && Array.from(s).every(isPythonSpace)),
  partition: m(
    ['sep'],
    (s: string, [sep]) => {
      const at = s.indexOf(str(sep, 'partition'));
      return at < 0 ? [s, '', ''] : [s.slice(0, at), sep, s.slice(at + (sep as string).length)];
    },
    1,
  ),
  rpartition: m(
    ['sep'],
    (s: string, [sep]) => {
      const at = s.lastIndexOf(str(sep, 'rpartition'));
      return at < 0 ? ['', '', s] : [s.slice(0, at), sep, s.slice(at + (sep as string).length)];
    },
    1,
  ),
  center: m(['width', 'fillchar'], (s: string, [w, f]) => pad(s, w, f, 'center'), 1),
  ljust: m(['width', 'fillchar'], (s: string, [w, f]) => pad(s, w, f, 'left'), 1),
  rjust: m(['width', 'fillchar'], (s: string, [w, f]) => pad(s, w, f, 'right'), 1),
  zfill: m(
    ['width'],
    (s: string, [w]) => {
      const sign = s.startsWith('-') || s.startsWith('+') ? (s[0] as string) : '';
      const body = s.slice(sign.length);
      const width = intArg(w, 'zfill', 0) - sign.length;
      checkSize(width, 'string');
      return sign + (body.length >= width ? body : '0'.repeat(width - body.length) + body);
    },
    1,
  ),
};

const LIST_METHODS: Readonly<Record<string, Callable>> = {
  index: m(
    ['value'],
    (l: unknown[], [value]) => {
      const at = l.findIndex((item) => isEqual(item, value));
      if (at < 0) throw new TemplateFault(`index: ${toText(value)} is not in the list`);
      return at;
    },
    1,
  ),
  count: m(['value'], (l: unknown[], [value]) => l.filter((item) => isEqual(item, value)).length, 1),
};

const DICT_METHODS: Readonly<Record<string, Callable>> = {
  items: m([], (d: Record<string, unknown>) => keysOf(d).map((k) => [k, d[k]])),
  keys: m([], (d: Record<string, unknown>) => keysOf(d)),
  values: m([], (d: Record<string, unknown>) => keysOf(d).map((k) => d[k])),
  get: m(
    ['key', 'default'],
    (d: Record<string, unknown>, [key, fallback]) => {
      const value = typeof key === 'string' || typeof key === 'number' ? lookup(d, key) : UNDEFINED;
      return value === UNDEFINED ? (fallback === undefined ? null : fallback) : value;
    },
    1,
  ),
};

/** Every method name, for the parser: an unknown one is a syntax error before anything runs. */
export const METHOD_NAMES: ReadonlySet<string> = new Set([...Object.keys(STRING_METHODS), ...Object.keys(LIST_METHODS), ...Object.keys(DICT_METHODS)]);

/** The method `name` of `value`, or undefined. */
export function methodOf(value: unknown, name: string): Callable | undefined {
  const table = typeof value === 'string' ? STRING_METHODS : Array.isArray(value) ? LIST_METHODS : isMapping(value) ? DICT_METHODS : undefined;
  return table !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;
}

/** A hint for a method that exists on another type (`ports.split`: a list has no split). */
export function methodHint(value: unknown, name: string): string {
  const on = [
    ['strings', STRING_METHODS],
    ['lists', LIST_METHODS],
    ['dicts', DICT_METHODS],
  ].filter(([, table]) => Object.hasOwn(table as object, name)).map(([what]) => what as string);
  return on.length === 0 || value === UNDEFINED ? '' : ` (it is a method of ${on.join(' and ')})`;
}

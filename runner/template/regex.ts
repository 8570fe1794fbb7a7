// User regular expressions for the regex filters and tests: Python's syntax translated to
// JavaScript's by a hand scan, with size limits. JavaScript's engine backtracks, so a
// catastrophic pattern is bounded only by these limits: the playbook's author writes the
// pattern, and the subject (perhaps a host's fact) is capped in length.
import { TemplateFault } from './values.js';

/** Longest subject a regex filter or test accepts. */
export const MAX_REGEX_SUBJECT = 1024 * 1024;
/** Longest pattern. */
export const MAX_REGEX_PATTERN = 4096;

export interface RegexOptions {
  readonly ignorecase?: boolean;
  readonly multiline?: boolean;
}

/** Compiles a Python-style pattern: (?P<n>…), (?P=n), \A, \Z, and leading inline flags (?aimsu). */
export function compileRegex(pattern: unknown, options: RegexOptions, extraFlags = ''): RegExp {
  if (typeof pattern !== 'string') throw new TemplateFault(`a regular expression must be a string, not ${typeof pattern}`);
  if (pattern.length > MAX_REGEX_PATTERN) throw new TemplateFault(`regular expression longer than ${MAX_REGEX_PATTERN} characters`);
  let flags = extraFlags;
  if (options.ignorecase === true) flags += 'i';
  if (options.multiline === true) flags += 'm';
  let source = pattern;
  if (source.startsWith('(?')) {
    let i = 2;
    let inline = '';
    while (i < source.length && 'aiLmsux'.includes(source[i] as string)) inline += source[i++];
    if (inline !== '' && source[i] === ')') {
      // (?x) (verbose) is not translated; Python itself refuses (?L) for text patterns.
      const refused = [...inline].find((f) => f === 'x' || f === 'L');
      if (refused !== undefined) throw new TemplateFault(`the Python flag (?${refused}) is not supported`);
      // (?a) and (?u) change nothing here: JavaScript's \w, \d and \s classes are ASCII already.
      for (const f of inline.replace(/[au]/g, '')) if (!flags.includes(f)) flags += f;
      source = source.slice(i + 1);
    }
  }
  try {
    return new RegExp(translate(source), flags);
  } catch (error) {
    throw new TemplateFault(`invalid regular expression '${clip(pattern)}': ${(error as Error).message}`);
  }
}

function translate(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const e = pattern[i + 1] ?? '';
      if (!inClass && e === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && e === 'Z') out += '(?![\\s\\S])';
      else out += c + e;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal in Python.
      if (pattern[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (pattern[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (pattern.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (pattern.startsWith('(?P=', i)) {
      const close = pattern.indexOf(')', i);
      if (close < 0) throw new TemplateFault('unclosed (?P=name) in a regular expression');
      out += `\\k<${pattern.slice(i + 4, close)}>`;
      i = close;
      continue;
    }
    out += c;
  }
  return out;
}

export function checkSubject(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new TemplateFault(`${what} needs a string, not ${value === null ? 'none' : typeof value}`);
  if (value.length > MAX_REGEX_SUBJECT) throw new TemplateFault(`${what}: the string is longer than ${MAX_REGEX_SUBJECT} characters`);
  return value;
}

/** Expands a Python replacement (\1, \g<1>, \g<name>, \n, \\) for one match. */
/** The escapes Python's re.sub and match.expand read in a replacement (`\\r` is a carriage return). */
const REPLACEMENT_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };

export function expandReplacement(replacement: string, match: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i] as string;
    if (c !== '\\' || i + 1 >= replacement.length) {
      out += c;
      continue;
    }
    const e = replacement[i + 1] as string;
    if (e >= '0' && e <= '9') {
      let digits = e;
      const next = replacement[i + 2];
      if (next !== undefined && next >= '0' && next <= '9') digits += next;
      out += groupText(match, Number(digits), digits);
      i += digits.length;
    } else if (e === 'g' && replacement[i + 2] === '<') {
      const close = replacement.indexOf('>', i + 3);
      if (close < 0) throw new TemplateFault('unclosed \\g<…> in a replacement');
      const ref = replacement.slice(i + 3, close);
      out += /^[0-9]+$/.test(ref) ? groupText(match, Number(ref), ref) : namedGroupText(match, ref);
      i = close;
    } else if (e in REPLACEMENT_ESCAPES) {
      out += REPLACEMENT_ESCAPES[e];
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

export function groupText(match: RegExpExecArray, index: number, label: string): string {
  if (index >= match.length) throw new TemplateFault(`the regular expression has no group ${label}`);
  return match[index] ?? '';
}

export function namedGroupText(match: RegExpExecArray, name: string): string {
  const groups = match.groups;
  if (groups === undefined || !Object.hasOwn(groups, name)) throw new TemplateFault(`the regular expression has no group named '${name}'`);
  return groups[name] ?? '';
}

/** Every match, left to right, advancing past empty matches as Python does. */
export function allMatches(re: RegExp, subject: string): RegExpExecArray[] {
  const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  const matches: RegExpExecArray[] = [];
  for (let m = global.exec(subject); m !== null; m = global.exec(subject)) {
    matches.push(m);
    if (m[0] === '') global.lastIndex++;
  }
  return matches;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

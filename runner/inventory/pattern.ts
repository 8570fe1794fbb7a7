// Ansible host patterns (`hosts:` and `--limit`): names, groups, globs, ~regex, :/, unions, & and !.
import { readFile } from 'node:fs/promises';
import { InputError, type SourceLocation } from '../errors.js';
import type { Inventory } from './types.js';

/** `name[3]`, `name[1:4]`, `name[2:]`: a subscript on what the name matched (Ansible's syntax). */
const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+):([0-9]*))\]$/s;

/**
 * The hosts `pattern` selects, in inventory order, each once. As in Ansible:
 * - terms are separated by `,` (or by `:` when there is no comma; a bare IPv6 address is one term);
 * - a term is `all` or `*`, a host name, a group name (its hosts and its descendants' hosts), a
 *   shell glob (`spark-0*`, `spark-0?`, `[ab]*`) matched against groups and hosts, or `~regex`
 *   matched from the start of host and group names;
 * - an exact host name wins over a group of the same name; a glob or regex matches both;
 * - a term may end in a subscript: `sparks[0]`, `sparks[-1]`, `sparks[0:2]` (inclusive), `sparks[1:]`,
 *   taken from the term's matches in inventory order; when the part before `[` matches nothing,
 *   the whole term is a glob instead (`spark-0[13]`), where Ansible would fail;
 * - plain terms are united first, then `&term`s intersect, then `!term`s exclude, whatever
 *   their order in the pattern; only `&`/`!` terms start from `all`.
 * A term that matches nothing is not an error (see `unmatchedTerms`). An empty term, a lone
 * `!` or `&`, a bad regex or a subscript past the end is an InputError of kind 'limit'.
 * `pattern` may also be a list of patterns (from `--limit @file`), united.
 */
export function selectHosts(inventory: Inventory, pattern: string | readonly string[], where?: SourceLocation): string[] {
  const terms = toTerms(pattern, where);
  const plain = terms.filter((t) => t.op === '');
  const and = terms.filter((t) => t.op === '&');
  const not = terms.filter((t) => t.op === '!');
  let chosen = new Set<string>();
  if (plain.length === 0) chosen = new Set(inventory.hosts.keys());
  for (const t of plain) for (const h of matchTerm(inventory, t, where)) chosen.add(h);
  for (const t of and) {
    const m = new Set(matchTerm(inventory, t, where));
    chosen = new Set([...chosen].filter((h) => m.has(h)));
  }
  for (const t of not) for (const h of matchTerm(inventory, t, where)) chosen.delete(h);
  return [...inventory.hosts.keys()].filter((h) => chosen.has(h));
}

/** The terms of `pattern` (as written, with `&`/`!`) that match no host: for a caller's warning. */
export function unmatchedTerms(inventory: Inventory, pattern: string | readonly string[], where?: SourceLocation): string[] {
  return toTerms(pattern, where)
    .filter((t) => !(t.op === '' && t.body === 'all') && matchTerm(inventory, t, where).length === 0)
    .map((t) => t.op + t.body);
}

/**
 * Splits a pattern into terms: by commas when there is one, else by colons outside `[…]`
 * (a bare IPv6 address stays whole). Whitespace around terms is ignored; empty terms are errors.
 */
export function splitPattern(pattern: string, where?: SourceLocation): string[] {
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (/^[0-9a-fA-F:.]+$/.test(pattern.trim()) && pattern.split(':').length > 2) parts = [pattern];
  else parts = splitOutsideBrackets(pattern);
  const out = parts.map((p) => p.trim());
  if (out.some((p) => p === '')) {
    throw new InputError('limit', `host pattern ${JSON.stringify(pattern)} has an empty term`, where);
  }
  return out;
}

/**
 * The patterns in a `--limit @file`: one per line (Ansible's retry files hold one host per
 * line); blank lines and `#` comments are skipped.
 */
export async function readLimitFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError('limit', `limit file ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? String(e)})`}`);
  }
  return text
    .split(/\r\n|\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** A `--limit` value as patterns: its terms, with each `@file` replaced by the file's lines. */
export async function expandLimit(limit: string): Promise<string[]> {
  const out: string[] = [];
  const terms = limit.trim().startsWith('@') && !limit.includes(',') ? [limit.trim()] : splitPattern(limit);
  for (const t of terms) {
    if (t.startsWith('@')) out.push(...(await readLimitFile(t.slice(1))));
    else out.push(t);
  }
  return out;
}

interface Term {
  readonly op: '' | '&' | '!';
  readonly body: string;
}

function toTerms(pattern: string | readonly string[], where?: SourceLocation): Term[] {
  const list = typeof pattern === 'string' ? [pattern] : pattern;
  const terms: Term[] = [];
  for (const p of list) {
    for (const raw of splitPattern(p, where)) {
      const op = raw[0] === '&' || raw[0] === '!' ? (raw[0] as '&' | '!') : '';
      const body = op === '' ? raw : raw.slice(1).trim();
      if (body === '' || body[0] === '&' || body[0] === '!') {
        throw new InputError('limit', `host pattern term ${JSON.stringify(raw)} needs a name, group, glob or ~regex after '${op || body[0]}'`, where);
      }
      terms.push({ op, body });
    }
  }
  return terms;
}

function matchTerm(inv: Inventory, t: Term, where?: SourceLocation): string[] {
  if (inv.hosts.has(t.body)) return [t.body];
  let expr = t.body;
  let sub: { start: number; end?: number | null } | null = null;
  if (!expr.startsWith('~')) {
    const m = SUBSCRIPT.exec(expr);
    if (m) {
      expr = m[1] as string;
      sub = m[2] !== undefined ? { start: Number(m[2]) } : { start: Number(m[3]), end: m[4] === '' ? null : Number(m[4]) };
    }
  }
  const ordered = matchExpr(inv, expr, where);
  if (!sub) return ordered;
  // Ansible would fail here; when the part before `[…]` matches nothing, `spark-0[13]` was
  // surely meant as a glob character class, so read it as one.
  if (ordered.length === 0) return matchExpr(inv, t.body, where);
  if (sub.end === undefined) {
    const i = sub.start < 0 ? ordered.length + sub.start : sub.start;
    const h = ordered[i];
    if (h === undefined) {
      throw new InputError('limit', `host pattern '${t.body}': index ${sub.start} is out of range (${ordered.length} host${ordered.length === 1 ? '' : 's'} matched '${expr}')`, where);
    }
    return [h];
  }
  const end = sub.end === null ? ordered.length - 1 : sub.end;
  return ordered.slice(sub.start, end + 1);
}

/** Hosts matching one expression (no subscript): groups it names, and hosts when it is a glob or regex. */
function matchExpr(inv: Inventory, expr: string, where?: SourceLocation): string[] {
  const test = compile(expr, where);
  const found = new Set<string>();
  const groups = [...inv.groups.keys()].filter((g) => test(g));
  for (const g of groups) for (const h of hostsUnder(inv, g)) found.add(h);
  if (groups.length === 0 || expr.startsWith('~') || /[.?*[]/.test(expr)) {
    for (const h of inv.hosts.keys()) if (test(h)) found.add(h);
  }
  return [...inv.hosts.keys()].filter((h) => found.has(h));
}

/** All hosts of a group and of its descendants. */
function hostsUnder(inv: Inventory, group: string): Set<string> {
  if (group === 'all') return new Set(inv.hosts.keys());
  const out = new Set<string>();
  const seen = new Set<string>();
  const stack = [group];
  while (stack.length > 0) {
    const g = inv.groups.get(stack.pop() as string);
    if (!g || seen.has(g.name)) continue;
    seen.add(g.name);
    for (const h of g.hosts) out.add(h);
    stack.push(...g.children);
  }
  return out;
}

/** A predicate for one term: `~regex` (Python-style, anchored at the start) or an fnmatch glob. */
function compile(expr: string, where?: SourceLocation): (name: string) => boolean {
  let source: string;
  let flags = '';
  if (expr.startsWith('~')) {
    let body = expr.slice(1);
    const inline = /^\(\?([aiLmsux]+)\)/.exec(body);
    if (inline) {
      body = body.slice(inline[0].length);
      if ((inline[1] ?? '').includes('i')) flags += 'i';
      if ((inline[1] ?? '').includes('s')) flags += 's';
      if ((inline[1] ?? '').includes('m')) flags += 'm';
    }
    body = body.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
    source = `^(?:${body})`;
  } else {
    source = `^(?:${globToRegex(expr)})$`;
    flags = 's';
  }
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch (e) {
    throw new InputError('limit', `host pattern '${expr}' is not a valid regular expression: ${e instanceof Error ? e.message : String(e)}`, where);
  }
  return (name) => re.test(name);
}

/** Python's fnmatch.translate: `*`, `?`, `[seq]`, `[!seq]`; an unclosed `[` is literal. */
function globToRegex(glob: string): string {
  let out = '';
  let i = 0;
  while (i < glob.length) {
    const c = glob[i] as string;
    i++;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      let j = i;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) {
        out += '\\[';
      } else {
        let set = glob.slice(i, j).replace(/\\/g, '\\\\');
        i = j + 1;
        if (set.startsWith('!')) set = '^' + set.slice(1);
        else if (set.startsWith('^')) set = '\\' + set;
        set = set.replace(/[[\]]/g, '\\$&');
        out += `[${set}]`;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return out;
}

function splitOutsideBrackets(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const c of s) {
    if (c === '[') depth++;
    else if (c === ']' && depth > 0) depth--;
    if (c === ':' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

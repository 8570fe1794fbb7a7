// Host name patterns as Ansible writes them: `spark-[01:20]`, `node-[a:c]`, `host:2222`.
import { InputError, type SourceLocation } from '../errors.js';

/** Upper bound on one pattern's expansion, so a typo like `[0:99999999]` fails fast. */
const MAX_EXPANSION = 10_000;
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export interface ExpandedHosts {
  readonly names: readonly string[];
  /** From a `name:port` suffix; becomes the host var `ansible_port`. */
  readonly port?: number;
}

/**
 * Splits an optional `:port` and expands every `[begin:end(:step)]` range, like Ansible's
 * `parse_address` + `expand_hostname_range`: numeric bounds with a leading zero are zero-padded
 * (and must have equal length), single letters give letter ranges, ranges may repeat.
 * A bare IPv6 address keeps its colons; a bracketed one may carry a port: `[fe80::1]:2222`.
 */
export function expandHostPattern(pattern: string, where: SourceLocation): ExpandedHosts {
  checkHostName(pattern, where);
  const { host, port } = splitPort(pattern);
  if (port !== undefined && (port < 1 || port > 65535)) {
    throw new InputError('inventory', `port ${port} of host '${pattern}' is not in 1-65535`, where);
  }
  const names = host.includes('[') || host.includes(']') ? expandRanges(host, pattern, where) : [host];
  for (const n of names) checkHostName(n, where);
  return port === undefined ? { names } : { names, port };
}

/** Rejects names no SSH target can have: empty, whitespace, control characters, NUL. */
export function checkHostName(name: string, where: SourceLocation): void {
  if (name.length === 0) throw new InputError('inventory', 'empty host name', where);
  const bad = /[\s\u0000-\u001f\u007f]/u.exec(name);
  if (bad) {
    const ch = bad[0];
    const what =
      ch === '\u0000'
        ? 'a NUL byte'
        : /\s/u.test(ch)
          ? 'whitespace'
          : `the control character U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw new InputError('inventory', `invalid host name ${JSON.stringify(name)}: it contains ${what}`, where);
  }
}

function splitPort(pattern: string): { host: string; port?: number } {
  const bracketed = /^\[([0-9a-fA-F:.]+)\]:([0-9]+)$/.exec(pattern);
  if (bracketed && (bracketed[1] ?? '').split(':').length > 2) {
    return { host: bracketed[1] ?? '', port: Number(bracketed[2]) };
  }
  const hostport = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/.exec(pattern);
  if (hostport) return { host: hostport[1] ?? '', port: Number(hostport[2]) };
  return { host: pattern };
}

function looksLikeIpv6(s: string): boolean {
  return /^[0-9a-fA-F:.]+$/.test(s) && s.split(':').length > 2;
}

function expandRanges(name: string, original: string, where: SourceLocation): string[] {
  if (looksLikeIpv6(name)) return [name];
  const open = name.indexOf('[');
  const close = name.indexOf(']');
  if (open < 0 || close < 0 || close < open) {
    throw new InputError('inventory', `unbalanced '[' ']' in host range '${original}'`, where);
  }
  const head = name.slice(0, open);
  const body = name.slice(open + 1, close);
  const tail = name.slice(close + 1);
  const bounds = body.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) {
    throw new InputError('inventory', `host range '[${body}]' in '${original}' must be [begin:end] or [begin:end:step]`, where);
  }
  const beg = bounds[0] === '' ? '0' : (bounds[0] ?? '0');
  const end = bounds[1] ?? '';
  const stepText = bounds[2] ?? '1';
  if (end === '') throw new InputError('inventory', `host range '[${body}]' in '${original}' has no end`, where);
  if (!/^[0-9]+$/.test(stepText) || Number(stepText) < 1) {
    throw new InputError('inventory', `host range step '${stepText}' in '${original}' must be a positive integer`, where);
  }
  const step = Number(stepText);
  let seq: string[];
  if (/^[a-zA-Z]$/.test(beg) && /^[a-zA-Z]$/.test(end)) {
    const b = LETTERS.indexOf(beg);
    const e = LETTERS.indexOf(end);
    if (b > e) throw new InputError('inventory', `host range '[${body}]' in '${original}' has begin after end`, where);
    seq = [];
    for (let i = b; i <= e; i += step) seq.push(LETTERS[i] ?? '');
  } else if (/^[0-9]+$/.test(beg) && /^[0-9]+$/.test(end)) {
    const padded = beg.length > 1 && beg.startsWith('0');
    if (padded && beg.length !== end.length) {
      throw new InputError('inventory', `host range '[${body}]' in '${original}' must give begin and end with the same number of digits`, where);
    }
    const b = Number(beg);
    const e = Number(end);
    if (b > e) throw new InputError('inventory', `host range '[${body}]' in '${original}' has begin after end`, where);
    if ((e - b) / step + 1 > MAX_EXPANSION) {
      throw new InputError('inventory', `host range '[${body}]' in '${original}' expands to more than ${MAX_EXPANSION} hosts`, where);
    }
    seq = [];
    for (let i = b; i <= e; i += step) seq.push(padded ? String(i).padStart(beg.length, '0') : String(i));
  } else {
    throw new InputError('inventory', `host range '[${body}]' in '${original}' must use numbers or single letters`, where);
  }
  const out: string[] = [];
  for (const s of seq) {
    const n = head + s + tail;
    if (n.includes('[') || n.includes(']')) out.push(...expandRanges(n, original, where));
    else out.push(n);
    if (out.length > MAX_EXPANSION) {
      throw new InputError('inventory', `host pattern '${original}' expands to more than ${MAX_EXPANSION} hosts`, where);
    }
  }
  return out;
}

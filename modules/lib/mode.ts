// File modes as users write them ('0600', '0o600', 600 from YAML 1.2, 'u=rw,g=r,o=') turned
// into the four octal digits chmod and stat agree on.
import { TaskError } from '../../runner/errors.js';

/** A mode as a task may give it. */
export type ModeInput = string | number;

const SYMBOLIC_CLAUSE = '[ugoa]*[-+=][rwxXst]*';
const SYMBOLIC = new RegExp(`^${SYMBOLIC_CLAUSE}$`);

/**
 * A mode string the parser below accepts: octal ('0644', '0o644') or symbolic clauses
 * ('u=rw,g=r,o='), as a schema pattern so `sparkbook validate` refuses the rest.
 */
export const MODE_STRING_PATTERN = `^\\s*(?:(?:0[oO])?[0-7]{1,4}|${SYMBOLIC_CLAUSE}(?:,${SYMBOLIC_CLAUSE})*)\\s*$`;
export const MODE_STRING_MESSAGE = "must be an octal mode ('0644', '0o644') or symbolic ('u=rw,g=r,o=')";
/**
 * An unquoted mode is read by its digits (below), so it is at most 7777. That each digit is
 * 0-7 is checked in code: a JSON Schema cannot look at the decimal digits of a number.
 */
export const MODE_NUMBER_MAXIMUM = 7777;

/**
 * The mode as four octal digits. `base` is the current mode (or the mode a new file would get);
 * it matters only for symbolic modes such as `u+x`.
 *
 * Numbers: sparkbook reads YAML 1.2, where `mode: 0644` is the integer 644 (Ansible's YAML 1.1
 * reads it as octal 0644 = 420). A number is therefore read by its decimal digits as octal
 * (644 → 0644), which is what the writer meant either way; a number with a digit 8 or 9 or
 * more than four digits is rejected: quote the mode instead.
 */
export function normalizeMode(mode: ModeInput, base: number, isDirectory: boolean): string {
  return formatMode(modeBits(mode, base, isDirectory));
}

/** Four octal digits of a mode's permission bits. */
export function formatMode(bits: number): string {
  return (bits & 0o7777).toString(8).padStart(4, '0');
}

/** A '0644'-style string as bits (NaN-free: callers pass parsed observations). */
export function parseOctal(mode: string): number {
  return Number.parseInt(mode, 8);
}

function modeBits(mode: ModeInput, base: number, isDirectory: boolean): number {
  if (typeof mode === 'number') {
    const digits = String(mode);
    if (!Number.isInteger(mode) || !/^[0-7]{1,4}$/.test(digits)) {
      throw new TaskError('module', `mode ${digits} is not an octal mode: write it quoted, like mode: '0644'`);
    }
    return Number.parseInt(digits, 8);
  }
  const text = mode.trim();
  const octal = /^(?:0o)?([0-7]{1,4})$/i.exec(text);
  if (octal) return Number.parseInt(octal[1] as string, 8);
  const clauses = text.split(',');
  if (text === '' || !clauses.every((c) => SYMBOLIC.test(c))) {
    throw new TaskError('module', `mode ${JSON.stringify(mode)} is neither octal ('0644') nor symbolic ('u=rw,g=r,o=')`);
  }
  let bits = base & 0o7777;
  for (const clause of clauses) bits = applyClause(clause, bits, isDirectory);
  return bits;
}

const WHO: Readonly<Record<string, number>> = { u: 0o4700, g: 0o2070, o: 0o1007, a: 0o7777 };

function applyClause(clause: string, bits: number, isDirectory: boolean): number {
  const opAt = clause.search(/[-+=]/);
  const who = clause.slice(0, opAt) || 'a';
  const op = clause[opAt];
  const perms = clause.slice(opAt + 1);
  let whoMask = 0;
  for (const w of who) whoMask |= WHO[w] ?? 0;
  let value = 0;
  for (const p of perms) {
    if (p === 'r') value |= 0o444;
    else if (p === 'w') value |= 0o222;
    else if (p === 'x') value |= 0o111;
    else if (p === 'X' && (isDirectory || (bits & 0o111) !== 0)) value |= 0o111;
    else if (p === 's') value |= 0o6000;
    else if (p === 't') value |= 0o1000;
  }
  value &= whoMask;
  if (op === '+') return bits | value;
  if (op === '-') return bits & ~value;
  return (bits & ~whoMask) | value;
}

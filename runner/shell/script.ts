// Shell text comes only from here: the `sh` tagged template quotes every interpolation for
// POSIX sh (Ubuntu's /bin/sh is dash, which has no $'…'), and a Secret stays masked except in
// raw(), the form sent on stdin to `sh -s`.
import { Secret } from './secret.js';

type Part = string | Secret;

/** A shell script as parts: literal text and secrets (which are quoted when rendered). */
export class Script {
  readonly #parts: readonly Part[];
  constructor(parts: readonly Part[]) {
    this.#parts = parts;
  }
  /** The script as it runs: secrets revealed (quoted). Send it on stdin; never log it. */
  raw(): string {
    return this.#parts.map((p) => (typeof p === 'string' ? p : quote(p.reveal()))).join('');
  }
  /** The script as people may read it: secrets masked. */
  toString(): string {
    return this.#parts.map((p) => (typeof p === 'string' ? p : quote(String(p)))).join('');
  }
  get isEmpty(): boolean {
    return this.#parts.every((p) => typeof p === 'string' && p.trim() === '');
  }
  /** @internal parts, for concatenation without revealing secrets. */
  get parts(): readonly Part[] {
    return this.#parts;
  }
}

/** Verbatim shell text, for constant fragments written in our own source only. */
export class RawShell {
  constructor(readonly text: string) {}
}

export type ShValue = string | number | bigint | boolean | Secret | Script | RawShell | readonly (string | number | Secret)[];

/** POSIX single-quoting: 'it'\''s'. Safe in sh, dash, bash. */
export function quote(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function partsOf(value: ShValue): Part[] {
  if (value instanceof Script) return [...value.parts];
  if (value instanceof RawShell) return [value.text];
  if (value instanceof Secret) return [value];
  if (Array.isArray(value)) {
    const out: Part[] = [];
    value.forEach((v: string | number | Secret, i: number) => {
      if (i > 0) out.push(' ');
      out.push(...partsOf(v));
    });
    return out;
  }
  const text = String(value);
  if (text.includes('\0')) throw new TypeError('a NUL byte cannot be passed to a shell');
  return [quote(text)];
}

/** Tagged template: sh`test -e ${path}` → a Script with `path` quoted. */
export function sh(strings: TemplateStringsArray, ...values: readonly ShValue[]): Script {
  const parts: Part[] = [];
  strings.forEach((s, i) => {
    parts.push(s);
    if (i < values.length) parts.push(...partsOf(values[i] as ShValue));
  });
  return new Script(parts);
}

/** Marks constant shell text (our own source, never user input) as verbatim. */
export function rawShell(text: string): RawShell {
  return new RawShell(text);
}

/** Joins scripts with a separator (default: newline), keeping secrets as secrets. */
export function joinScripts(scripts: readonly Script[], separator = '\n'): Script {
  const parts: Part[] = [];
  scripts.forEach((s, i) => {
    if (i > 0) parts.push(separator);
    parts.push(...s.parts);
  });
  return new Script(parts);
}

export const emptyScript = new Script([]);

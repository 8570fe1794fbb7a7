// The one output format of sparkbook's probe scripts: `@section NAME` … `@end` blocks holding
// `key value` lines, so several probes can share one channel and a parser never guesses.
import { sh, type Script } from '../../runner/shell/script.js';

/** Wraps a probe body so its output lands in the section `name` (a constant of our source). */
export function section(name: string, body: Script): Script {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new TypeError(`bad section name ${name}`);
  return sh`echo ${`@section ${name}`}
${body}
echo '@end'`;
}

/** Splits probe output into sections; lines outside any section are ignored. */
export function parseSections(stdout: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of stdout.split('\n')) {
    const start = /^@section (\S+)$/.exec(line);
    if (start) {
      current = [];
      out.set(start[1] as string, current);
    } else if (line === '@end') {
      current = null;
    } else if (current) {
      current.push(line);
    }
  }
  return out;
}

/** `key value` lines → map (the last value of a key wins; a key alone maps to ''). */
export function parseTagged(lines: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines) {
    if (line === '') continue;
    const space = line.indexOf(' ');
    if (space < 0) out.set(line, '');
    else out.set(line.slice(0, space), line.slice(space + 1));
  }
  return out;
}

/** `Key=Value` lines (systemctl show) → map. */
export function parseKeyEquals(lines: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq > 0) out.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return out;
}

/** A decimal integer, or null for anything else (missing, empty, garbage). */
export function intOrNull(value: string | undefined): number | null {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return null;
  return Number.parseInt(value.trim(), 10);
}

/** Non-empty trimmed string, or null. */
export function stringOrNull(value: string | undefined): string | null {
  if (value === undefined) return null;
  const v = value.trim();
  return v === '' ? null : v;
}

/** Bytes decoded from base64; invalid input decodes to what Node makes of it (never throws). */
export function fromBase64(value: string): Buffer {
  return Buffer.from(value.trim(), 'base64');
}

/** UTF-8 text, or null when the bytes are not text (invalid UTF-8 or a NUL byte). */
export function bytesToText(bytes: Buffer): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

// Text that may be a Secret: reveal it only to compute or to build a raw script, and keep the
// Secret wrapper on every value derived from it so reporters mask it.
import { Secret, isSecret } from '../../runner/shell/secret.js';
import type { Text } from '../../runner/module.js';

/** A param value as Text: a Secret stays a Secret, anything else becomes its string. */
export function toText(value: unknown): Text {
  if (isSecret(value)) return value;
  return typeof value === 'string' ? value : String(value);
}

/** The plain value, for comparison and hashing only (never for output). */
export function revealText(text: Text): string {
  return isSecret(text) ? text.reveal() : text;
}

/** Applies `fn` to the plain value; the result is a Secret when the input was one. */
export function mapText(text: Text, fn: (plain: string) => string): Text {
  return isSecret(text) ? new Secret(fn(text.reveal())) : fn(text);
}

/** What a human may see of a text: the string, or the redaction marker. */
export function showText(text: Text): string {
  return isSecret(text) ? String(text) : text;
}

/** Shortens a line for a summary, keeping it on one line. */
export function clip(text: string, max = 60): string {
  // One line for humans: control characters escaped, quotes left as they are.
  // eslint-disable-next-line no-control-regex
  const one = text.replace(/[\u0000-\u001f\u007f\\]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

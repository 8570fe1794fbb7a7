// A value that must never be printed: its only way out is reveal(), called by the script
// builder when it writes the raw script that travels on stdin.
import { inspect } from 'node:util';

export const REDACTED = '«redacted»';

/** Every secret value seen in this process, so reporters can scrub them from any text. */
const knownValues = new Set<string>();

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
    // Very short values would scrub ordinary words from output; they are still masked as Secret.
    if (value.length >= 4) knownValues.add(value);
  }
  /** The raw value: only for scripts sent on stdin and for files written with mode 0600. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}

/** Replaces every known secret value in `text` (the second line of defence, like Ansible's remove_values). */
export function redactKnownSecrets(text: string): string {
  let out = text;
  for (const value of knownValues) {
    if (out.includes(value)) out = out.split(value).join(REDACTED);
  }
  return out;
}

/** Whether `text` contains a known secret value (a rendered template with a vault value in it). */
export function holdsKnownSecret(text: string): boolean {
  for (const value of knownValues) if (text.includes(value)) return true;
  return false;
}

// Schema patterns shared by modules: values that reach a command line must never read as an option.

/** A user or group: a name or a numeric id (chown's own syntax, never `user:group`). */
export const OWNER_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]*[$]?$';

/**
 * A pattern matching `word` in any letter case. Schema patterns take no flags (ECMA-262 source
 * only, as ajv and editors compile them), so case is spelled out per letter.
 */
export function caseless(word: string): string {
  return [...word].map((c) => (c.toLowerCase() === c.toUpperCase() ? c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : `[${c.toUpperCase()}${c.toLowerCase()}]`)).join('');
}

/** A port number 1-65535 as decimal text, no leading zero. */
export const PORT_NUMBER_PATTERN = '(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';

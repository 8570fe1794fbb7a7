// Ansible's key=value form of module arguments (`apt: name=ufw state=present`,
// `command: /usr/bin/make install chdir=/src creates=/usr/local/bin/x`), read as Ansible's
// parse_kv reads it: words split on blanks, except inside quotes and {{ }} / {% %}; a word
// `key=value` is a parameter (outer quotes of the value removed); other words are the free-form
// text, which only a module with a free-form parameter takes. Ansible then converts each string
// by the parameter's declared type (bool, int, list); so do we, by the module's schema, so that
// `enabled=yes` is a boolean and `port=22` an integer, as the same task gives in Ansible.

export interface KeyValueArgs {
  readonly params: Record<string, unknown>;
  /** The text less its parameter words, blanks as written (as Ansible keeps them). */
  readonly freeForm: string;
}

const KEY = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/;

/** One word of the text and where it starts and ends. */
export interface Word {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** The words of `text`: blanks split them, except inside quotes and Jinja delimiters. */
export function splitArgs(text: string): Word[] | { readonly error: string } {
  const words: Word[] = [];
  let word = '';
  let start = 0;
  let quote: string | undefined;
  let jinja = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const two = text.slice(i, i + 2);
    if (quote === undefined && (two === '{{' || two === '{%' || two === '{#')) {
      jinja++;
      word += two;
      i++;
      continue;
    }
    if (quote === undefined && jinja > 0 && (two === '}}' || two === '%}' || two === '#}')) {
      jinja--;
      word += two;
      i++;
      continue;
    }
    if (quote !== undefined) {
      word += c;
      if (c === '\\' && i + 1 < text.length) {
        word += text[i + 1] as string;
        i++;
      } else if (c === quote) quote = undefined;
      continue;
    }
    if ((c === '"' || c === "'") && jinja === 0) {
      quote = c;
      word += c;
      continue;
    }
    if (/\s/.test(c) && jinja === 0) {
      if (word !== '') words.push({ text: word, start, end: i });
      word = '';
      start = i + 1;
      continue;
    }
    word += c;
  }
  if (quote !== undefined) return { error: `a ${quote === '"' ? 'double' : 'single'} quote is not closed` };
  if (jinja > 0) return { error: "a '{{' or '{%' is not closed" };
  if (word !== '') words.push({ text: word, start, end: text.length });
  return words;
}

/** A value without one pair of outer quotes, as Ansible's unquote does. */
function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) return value.slice(1, -1);
  return value;
}

/**
 * Reads `text` as key=value arguments. `isParam(key)` says which keys are parameters: for a
 * module with a free-form parameter, a `key=value` word whose key is none of its parameters
 * stays part of the free-form text (`echo a=b` echoes `a=b`, as in Ansible).
 */
export function parseKeyValue(text: string, isParam: (key: string) => boolean): KeyValueArgs | { readonly error: string } {
  const words = splitArgs(text);
  if (!Array.isArray(words)) return words;
  const params: Record<string, unknown> = {};
  // Each parameter word goes with the blanks after it, as in Ansible: `echo a  chdir=/tmp   b`
  // runs `echo a  b` (recorded from ansible-core 2.14).
  let freeForm = '';
  let from = 0;
  words.forEach((word, i) => {
    const m = KEY.exec(word.text);
    if (!m || !isParam(m[1] as string)) return;
    params[m[1] as string] = unquote(m[2] as string);
    freeForm += text.slice(from, word.start);
    from = words[i + 1]?.start ?? text.length;
  });
  freeForm = (freeForm + text.slice(from)).trim();
  return { params, freeForm };
}

type SchemaNode = Readonly<Record<string, unknown>>;

const TRUE_WORDS = new Set(['yes', 'on', '1', 'true', 'y', 't']);
const FALSE_WORDS = new Set(['no', 'off', '0', 'false', 'n', 'f']);

function typesOf(node: SchemaNode | undefined): readonly string[] {
  const t = node?.type;
  return typeof t === 'string' ? [t] : Array.isArray(t) ? (t as string[]) : [];
}

/**
 * A key=value string converted as Ansible converts it for a parameter of that type: a boolean
 * from yes/no/on/off/true/false/1/0 (any case), an integer from digits, a list from comma-separated
 * words. A parameter that also takes a string, or a templated value, stays a string.
 */
export function convertKeyValue(value: string, property: SchemaNode | undefined): unknown {
  const types = typesOf(property);
  if (types.length === 0 || types.includes('string') || value.includes('{{')) return value;
  const lower = value.toLowerCase();
  if (types.includes('boolean')) {
    if (TRUE_WORDS.has(lower)) return true;
    if (FALSE_WORDS.has(lower)) return false;
  }
  if (types.includes('integer') && /^[+-]?\d+$/.test(value)) return Number.parseInt(value, 10);
  if (types.includes('number') && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (types.includes('array')) return value === '' ? [] : value.split(',').map((s) => s.trim());
  return value;
}

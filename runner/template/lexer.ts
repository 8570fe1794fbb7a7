// The tokenizer of the expression language: one hand-written loop over the characters, linear
// in the input, no regular expressions, so hostile input cannot make it backtrack.
import { SyntaxFault } from './location.js';

export type TokenType = 'name' | 'string' | 'int' | 'float' | 'op' | 'end';

export interface Token {
  readonly type: TokenType;
  /** The name, the operator text, or the decoded string value. */
  readonly value: string;
  /** For int and float tokens. */
  readonly number?: number;
  /** Offsets into the whole source text: [start, end). */
  readonly start: number;
  readonly end: number;
}

/** What ended a template expression: `}}` or `-}}` (which trims the whitespace after it). */
export interface Lexed {
  readonly tokens: readonly Token[];
  /** Offset just after the closing `}}` or `%}` (template mode), or the end of the input. */
  readonly next: number;
  readonly trimAfter: boolean;
  /** The tag ended with `+%}`: the newline after it is kept (no trim_blocks for this tag). */
  readonly keepNewline: boolean;
}

/** What closes a piece in template mode: an expression `{{ … }}` or a statement tag `{% … %}`. */
export type Closer = '}}' | '%}';

const TWO_CHAR_OPS = new Set(['**', '//', '==', '!=', '<=', '>=']);
const ONE_CHAR_OPS = new Set(['+', '-', '*', '/', '%', '~', '<', '>', '(', ')', '[', ']', '{', '}', ',', ':', '.', '|', '=']);

const OPENER_OF: Readonly<Record<string, number>> = { ')': 40, ']': 91, '}': 123 };

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isNamePart(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}
function hexValue(c: number): number {
  if (isDigit(c)) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Tokenizes `source` from `start`. In template mode (`openedAt`: the offset of `{{`) it stops at the first `}}` outside brackets
 * (a dict literal's closing braces do not end the expression) and fails if there is none;
 * otherwise it reads to the end of the source.
 */
export function tokenize(source: string, start: number, openedAt?: number, closer: Closer = '}}', rawStrings = false): Lexed {
  const closeChar = closer.charCodeAt(0);
  const templateMode = openedAt !== undefined;
  const tokens: Token[] = [];
  const brackets: { char: number; at: number }[] = [];
  const n = source.length;
  let i = start;
  for (;;) {
    while (i < n && isSpace(source.charCodeAt(i))) i++;
    if (i >= n) {
      const open = brackets[brackets.length - 1];
      if (templateMode && open !== undefined) {
        throw new SyntaxFault(`'${String.fromCharCode(open.char)}' is not closed`, open.at);
      }
      if (templateMode) throw new SyntaxFault(closer === '}}' ? "'{{' is not closed by '}}'" : "'{%' is not closed by '%}'", openedAt);
      tokens.push({ type: 'end', value: '', start: n, end: n });
      return { tokens, next: n, trimAfter: false, keepNewline: false };
    }
    const c = source.charCodeAt(i);
    if (templateMode && brackets.length === 0) {
      if (c === closeChar && source.charCodeAt(i + 1) === 125 /* } */) {
        tokens.push({ type: 'end', value: closer, start: i, end: i + 2 });
        return { tokens, next: i + 2, trimAfter: false, keepNewline: false };
      }
      if ((c === 45 /* - */ || (c === 43 /* + */ && closer === '%}')) && source.charCodeAt(i + 1) === closeChar && source.charCodeAt(i + 2) === 125) {
        tokens.push({ type: 'end', value: `${source[i] as string}${closer}`, start: i, end: i + 3 });
        return { tokens, next: i + 3, trimAfter: c === 45, keepNewline: c === 43 };
      }
    }
    if (isNameStart(c)) {
      let j = i + 1;
      while (j < n && isNamePart(source.charCodeAt(j))) j++;
      tokens.push({ type: 'name', value: source.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (isDigit(c)) {
      const previous = tokens[tokens.length - 1];
      // After a dot (`list.0.1`), a number is an index, never a float.
      const afterDot = previous !== undefined && previous.type === 'op' && previous.value === '.';
      const token = afterDot ? readInteger(source, i) : readNumber(source, i);
      tokens.push(token);
      i = token.end;
      continue;
    }
    if (c === 39 /* ' */ || c === 34 /* " */) {
      const token = readString(source, i, rawStrings);
      tokens.push(token);
      i = token.end;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      tokens.push({ type: 'op', value: two, start: i, end: i + 2 });
      i += 2;
      continue;
    }
    const one = source[i] as string;
    if (ONE_CHAR_OPS.has(one)) {
      if (one === '(' || one === '[' || one === '{') brackets.push({ char: c, at: i });
      else if (brackets.length > 0 && brackets[brackets.length - 1]?.char === OPENER_OF[one]) brackets.pop();
      tokens.push({ type: 'op', value: one, start: i, end: i + 1 });
      i += 1;
      continue;
    }
    throw new SyntaxFault(`unexpected character ${describeChar(c)}`, i);
  }
}

function describeChar(c: number): string {
  if (c < 32 || c === 127) return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${String.fromCharCode(c)}'`;
}

function readDigits(source: string, i: number): number {
  let j = i;
  while (j < source.length) {
    const c = source.charCodeAt(j);
    // Underscores group digits (1_000), as in Python and Jinja.
    if (isDigit(c) || (c === 95 && isDigit(source.charCodeAt(j + 1)) && j > i)) j++;
    else break;
  }
  return j;
}

function readInteger(source: string, i: number): Token {
  const j = readDigits(source, i);
  const text = source.slice(i, j).split('_').join('');
  return { type: 'int', value: text, number: Number(text), start: i, end: j };
}

function readNumber(source: string, i: number): Token {
  let j = readDigits(source, i);
  let isFloat = false;
  if (source.charCodeAt(j) === 46 /* . */ && isDigit(source.charCodeAt(j + 1))) {
    j = readDigits(source, j + 1);
    isFloat = true;
  }
  const e = source.charCodeAt(j);
  if (e === 101 || e === 69) {
    let k = j + 1;
    const sign = source.charCodeAt(k);
    if (sign === 43 || sign === 45) k++;
    if (isDigit(source.charCodeAt(k))) {
      j = readDigits(source, k);
      isFloat = true;
    }
  }
  const text = source.slice(i, j).split('_').join('');
  return { type: isFloat ? 'float' : 'int', value: text, number: Number(text), start: i, end: j };
}

/**
 * A quoted string with Python's escapes; an unknown escape keeps its backslash ('\d' stays \d).
 * `raw`: every backslash is literal (a backslash still keeps the next quote inside the string), as
 * Ansible makes them inside a playbook string's `{{ }}` by doubling each one before Jinja reads it.
 */
function readString(source: string, start: number, raw = false): Token {
  const quoteChar = source.charCodeAt(start);
  const parts: string[] = [];
  let i = start + 1;
  let chunk = i;
  for (;;) {
    if (i >= source.length) throw new SyntaxFault('string is not closed', start);
    const c = source.charCodeAt(i);
    if (c === quoteChar) {
      parts.push(source.slice(chunk, i));
      return { type: 'string', value: parts.join(''), start, end: i + 1 };
    }
    if (c !== 92 /* \ */) {
      i++;
      continue;
    }
    if (raw) {
      if (i + 1 >= source.length) throw new SyntaxFault('string is not closed', start);
      i += 2;
      continue;
    }
    parts.push(source.slice(chunk, i));
    const e = source[i + 1];
    let consumed = 2;
    switch (e) {
      case undefined:
        throw new SyntaxFault('string is not closed', start);
      case '\\':
      case "'":
      case '"':
        parts.push(e);
        break;
      case 'n':
        parts.push('\n');
        break;
      case 't':
        parts.push('\t');
        break;
      case 'r':
        parts.push('\r');
        break;
      case '0':
        parts.push('\0');
        break;
      case 'x':
      case 'u':
      case 'U': {
        const width = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        let code = 0;
        for (let k = 0; k < width; k++) {
          const h = hexValue(source.charCodeAt(i + 2 + k));
          if (h < 0) throw new SyntaxFault(`bad \\${e} escape: ${width} hex digits expected`, i);
          code = code * 16 + h;
        }
        if (code > 0x10ffff) throw new SyntaxFault(`bad \\${e} escape: no such code point`, i);
        parts.push(String.fromCodePoint(code));
        consumed = 2 + width;
        break;
      }
      default:
        parts.push('\\', e);
    }
    i += consumed;
    chunk = i;
  }
}

// Python's str operations that both a filter and a method give (`x | trim` and `x.strip()`,
// `x | replace(a, b)` and `x.replace(a, b)`…): one implementation for both, so the two spellings
// cannot drift apart. Callers check and convert their arguments; these work on text.
import { TemplateFault, checkSize, typeName } from './values.js';

/** The value as a string, or a TemplateFault naming `what` (no conversion: Python's str methods). */
/** Python's whitespace (str.isspace): JavaScript's \s without U+FEFF, with \x1c-\x1f and \x85. */
const PYTHON_SPACE = /^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;

/** Whether `ch` is whitespace to Python's split() and strip() (all of it is in the BMP: one UTF-16 unit). */
export function isPythonSpace(ch: string | undefined): boolean {
  return ch !== undefined && PYTHON_SPACE.test(ch);
}

export function str(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new TemplateFault(`${what} needs a string, not ${typeName(value)}`);
  return value;
}

/** Python's str.split: no separator splits on runs of whitespace and drops empty ends. */
export function pySplit(text: string, sep: unknown, maxsplit: number): string[] {
  if (sep === undefined || sep === null) {
    const out: string[] = [];
    let i = 0;
    while (i < text.length) {
      while (i < text.length && isPythonSpace(text[i])) i++;
      if (i >= text.length) break;
      if (maxsplit >= 0 && out.length === maxsplit) {
        let end = text.length;
        while (end > i && isPythonSpace(text[end - 1])) end--;
        out.push(text.slice(i, end));
        break;
      }
      let j = i;
      while (j < text.length && !isPythonSpace(text[j])) j++;
      out.push(text.slice(i, j));
      i = j;
    }
    return out;
  }
  const separator = str(sep, 'split');
  if (separator === '') throw new TemplateFault('split: empty separator');
  const pieces = text.split(separator);
  if (maxsplit < 0 || pieces.length <= maxsplit + 1) return pieces;
  return [...pieces.slice(0, maxsplit), pieces.slice(maxsplit).join(separator)];
}

/** Python's str.strip family: whitespace, or any of the characters `chars` (code points, not UTF-16 units). */
export function stripped(text: string, chars: string | undefined, left: boolean, right: boolean): string {
  const drop = (ch: string): boolean => (chars === undefined ? isPythonSpace(ch) : chars.includes(ch));
  const letters = Array.from(text);
  let a = 0;
  let b = letters.length;
  if (left) while (a < b && drop(letters[a] as string)) a++;
  if (right) while (b > a && drop(letters[b - 1] as string)) b--;
  return letters.slice(a, b).join('');
}

/** Python's str.replace: every `from` (the first `limit` of them when limit >= 0) becomes `to`. */
export function replaced(text: string, from: string, to: string, limit: number): string {
  if (from === '') throw new TemplateFault('replace: the text to replace is empty');
  const pieces = text.split(from);
  const out = limit < 0 || pieces.length <= limit + 1 ? pieces.join(to) : pieces.slice(0, limit + 1).join(to) + from + pieces.slice(limit + 1).join(from);
  checkSize(out.length, 'string');
  return out;
}

/** Python's str.center / ljust / rjust: `text` padded with `fill` to `width` characters. */
export function padded(text: string, width: number, fill: string, where: 'center' | 'left' | 'right'): string {
  const length = Array.from(text).length;
  if (width <= length) return text;
  checkSize(width, 'string');
  const margin = width - length;
  // CPython's str.center: the odd character goes left when the width is odd.
  const left = where === 'center' ? Math.floor(margin / 2) + (margin & width & 1) : where === 'right' ? margin : 0;
  return fill.repeat(left) + text + fill.repeat(margin - left);
}

/** Python's str.capitalize: the first character upper case, the rest lower case. */
export function capitalized(text: string): string {
  return text.slice(0, 1).toUpperCase() + text.slice(1).toLowerCase();
}

/** Python's str.splitlines: at \n, \r\n, \r and the other line boundaries Python knows; no empty last line. */
export function splitLines(text: string, keepends: boolean): string[] {
  const out: string[] = [];
  const re = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/g;
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push(text.slice(last, keepends ? m.index + m[0].length : m.index));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

// POSIX shell-like word splitting for INI host lines (Python's shlex.split with comments), with columns.

export interface Word {
  readonly text: string;
  /** 1-based column in the line where the word starts. */
  readonly col: number;
}

/** A quoting error: `col` points at the opening quote or the lone backslash. */
export class ShlexError extends Error {
  constructor(
    message: string,
    readonly col: number,
  ) {
    super(message);
  }
}

/**
 * Splits like `shlex.split(line, comments=True)`: blanks separate words, `'…'` is literal,
 * `"…"` honours `\"` and `\\`, a backslash outside quotes escapes the next character, and an
 * unquoted `#` ends the line, even inside a word (`a#b` is `a`).
 */
export function shlexSplit(line: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && /\s/.test(line[i] as string)) i++;
    if (i >= n || line[i] === '#') break;
    const start = i;
    let text = '';
    let ended = false;
    while (i < n && !/\s/.test(line[i] as string)) {
      const c = line[i] as string;
      if (c === '#') {
        ended = true;
        break;
      }
      if (c === '\\') {
        if (i + 1 >= n) throw new ShlexError('no character after the backslash', i + 1);
        text += line[i + 1];
        i += 2;
      } else if (c === "'") {
        const close = line.indexOf("'", i + 1);
        if (close < 0) throw new ShlexError('no closing quotation', i + 1);
        text += line.slice(i + 1, close);
        i = close + 1;
      } else if (c === '"') {
        const open = i;
        i++;
        for (;;) {
          if (i >= n) throw new ShlexError('no closing quotation', open + 1);
          const d = line[i] as string;
          if (d === '"') {
            i++;
            break;
          }
          if (d === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
            text += line[i + 1];
            i += 2;
          } else {
            text += d;
            i++;
          }
        }
      } else {
        text += c;
        i++;
      }
    }
    words.push({ text, col: start + 1 });
    if (ended) break;
  }
  return words;
}

// POSIX shell-like word splitting, with columns: Python's shlex.split, with comments for INI host
// lines and ssh args, without them for a command module's cmdline (`echo a#b` has the word `a#b`).

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
 * unquoted `#` ends the line, even inside a word (`a#b` is `a`). `comments: false` is
 * `shlex.split(line)`: a `#` is a character like any other.
 */
export function shlexSplit(line: string, options: { readonly comments?: boolean } = {}): Word[] {
  const comments = options.comments ?? true;
  const words: Word[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && /\s/.test(line[i] as string)) i++;
    if (i >= n || (comments && line[i] === '#')) break;
    const start = i;
    let text = '';
    let ended = false;
    while (i < n && !/\s/.test(line[i] as string)) {
      const c = line[i] as string;
      if (comments && c === '#') {
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

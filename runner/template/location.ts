// Maps an offset inside a templated string to a file position, and the internal fault that carries
// such an offset until the public API turns it into a located InputError.
import { InputError, type InputErrorKind, type SourceLocation } from '../errors.js';

/**
 * The position of `offset` in `text`, given that `where` is the position of the text's first
 * character. Only the line moves when a newline comes before the offset; the column then counts
 * from that newline (a block scalar's indentation cannot be known here).
 */
export function locate(where: SourceLocation | undefined, text: string, offset: number): SourceLocation | undefined {
  if (where === undefined) return undefined;
  const at = Math.max(0, Math.min(offset, text.length));
  let newlines = 0;
  let lastNewline = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) {
    newlines++;
    lastNewline = i;
  }
  if (newlines === 0) return { file: where.file, line: where.line, col: where.col + at };
  return { file: where.file, line: where.line + newlines, col: at - lastNewline };
}

/** A syntax error at an offset of the source; parseTemplate/parseExpression relocate it. */
export class SyntaxFault extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
  toInputError(kind: InputErrorKind, text: string, where: SourceLocation | undefined): InputError {
    return new InputError(kind, this.message, locate(where, text, this.offset));
  }
}

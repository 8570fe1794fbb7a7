// The template text around expressions: `{{ … }}` outputs, `{% … %}` statements (if, for, set,
// raw), `{# … #}` comments and Jinja's whitespace control, read into a tree of parts. The
// whitespace rules are Ansible's template defaults, recorded from ansible-core in
// test/fixtures/ansible/template-statements.json: trim_blocks on (the newline right after a
// `%}` or `#}` goes, unless the tag ends `+%}`), lstrip_blocks off, `-` on either side of a
// tag removes all whitespace on that side. One linear scan; block nesting is bounded.
import { tokenize, type Closer, type Lexed } from './lexer.js';
import { SyntaxFault } from './location.js';
import { ExpressionParser, MAX_NESTING, type Body, type Node, type Part, type Template } from './parser.js';

export interface TemplateOptions {
  /**
   * A `{#` without its `#}` is an error (a template file, as in Jinja). Otherwise it is plain
   * text, so a playbook string with shell's `${#var}` needs no escaping.
   */
  readonly strictComments?: boolean;
  /**
   * Backslashes in string literals are literal (default: true, for strings of a playbook, as
   * Ansible's doubling makes them: 'a\nb' has 4 characters). A template file passes false: the
   * template module does not double them, so Python's escapes apply.
   */
  readonly rawStrings?: boolean;
}

/** One scanned piece before the blocks are nested. */
type Piece =
  | { readonly kind: 'text'; readonly value: string; readonly start: number; readonly end: number }
  | { readonly kind: 'output'; readonly expr: Node; readonly start: number; readonly end: number }
  | { readonly kind: 'tag'; readonly name: string; readonly parser: ExpressionParser; readonly start: number; readonly end: number };

/** Parses `text` into text, `{{ }}` outputs and `{% %}` statements. */
export function parseTemplateSource(text: string, options: TemplateOptions = {}): Template {
  const pieces = scan(text, options);
  const reader = new BlockReader(text, pieces);
  const parts = reader.body([]).body;
  return { type: 'template', source: text, parts, statements: reader.sawStatement };
}

/** The next `{{`, `{%` or `{#` at or after `from`, or -1. */
function findOpening(text: string, from: number): number {
  let i = text.indexOf('{', from);
  while (i >= 0) {
    const next = text.charCodeAt(i + 1);
    if (next === 123 /* { */ || next === 37 /* % */ || next === 35 /* # */) return i;
    i = text.indexOf('{', i + 1);
  }
  return -1;
}

function scan(text: string, options: TemplateOptions): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  /** How the text after the previous piece starts: trimmed (`-`), minus one newline (trim_blocks), or kept. */
  let lead: 'trim' | 'newline' | 'keep' = 'keep';
  const pushText = (from: number, to: number, trimEndToo: boolean): void => {
    let value = text.slice(from, to);
    // The whitespace a `-` removes is Python's `\s`; JavaScript's trim agrees.
    if (lead === 'trim') value = value.trimStart();
    else if (lead === 'newline' && value.startsWith('\n')) value = value.slice(1);
    if (trimEndToo) value = value.trimEnd();
    if (value !== '') pieces.push({ kind: 'text', value, start: from, end: to });
  };
  let searchFrom = 0;
  for (;;) {
    const open = findOpening(text, searchFrom);
    if (open < 0) {
      pushText(pos, text.length, false);
      return pieces;
    }
    const kind = text.charCodeAt(open + 1);
    const marker = text.charCodeAt(open + 2);
    const trimBefore = marker === 45; /* - */
    const inner = open + (trimBefore || (kind === 37 && marker === 43) /* {%+ */ ? 3 : 2);
    if (kind === 35 /* # */) {
      const close = text.indexOf('#}', inner);
      if (close < 0) {
        if (options.strictComments === true) throw new SyntaxFault("'{#' is not closed by '#}'", open);
        // Plain text, as before comments existed: `${#var}` in a shell command.
        searchFrom = open + 2;
        continue;
      }
      pushText(pos, open, trimBefore);
      const trimAfter = text.charCodeAt(close - 1) === 45 && close - 1 >= inner;
      lead = trimAfter ? 'trim' : 'newline';
      pos = searchFrom = close + 2;
      continue;
    }
    pushText(pos, open, trimBefore);
    const closer: Closer = kind === 37 ? '%}' : '}}';
    const lexed = tokenize(text, inner, open, closer, options.rawStrings ?? true);
    if (kind === 123) {
      const expr = new ExpressionParser(text, lexed.tokens).parseAll('an expression inside {{ }}');
      pieces.push({ kind: 'output', expr, start: open, end: lexed.next });
      lead = lexed.trimAfter ? 'trim' : 'keep';
      pos = searchFrom = lexed.next;
      continue;
    }
    const parser = new ExpressionParser(text, lexed.tokens);
    const first = parser.next();
    if (first.type !== 'name') throw new SyntaxFault(first.type === 'end' ? "'{% %}' is empty: a statement name is expected (if, for, set…)" : 'a statement name is expected after {% (if, for, set…)', first.start);
    if (first.value === 'raw') {
      parser.expectEnd("after 'raw'");
      const end = endOfRaw(text, lexed.next, open);
      lead = lexedLead(lexed);
      pushText(lexed.next, end.textEnd, end.trimBefore);
      lead = lexedLead(end.lexed);
      pos = searchFrom = end.lexed.next;
      continue;
    }
    pieces.push({ kind: 'tag', name: first.value, parser, start: open, end: lexed.next });
    lead = lexedLead(lexed);
    pos = searchFrom = lexed.next;
  }
}

function lexedLead(lexed: Lexed): 'trim' | 'newline' | 'keep' {
  return lexed.trimAfter ? 'trim' : lexed.keepNewline ? 'keep' : 'newline';
}

/** `{% raw %}…{% endraw %}`: where the kept text ends, and the closing tag. */
function endOfRaw(text: string, from: number, openedAt: number): { textEnd: number; trimBefore: boolean; lexed: Lexed } {
  let search = from;
  for (;;) {
    const at = text.indexOf('{%', search);
    if (at < 0) throw new SyntaxFault("'{% raw %}' is not closed by '{% endraw %}'", openedAt);
    const trimBefore = text.charCodeAt(at + 2) === 45;
    let i = at + (trimBefore ? 3 : 2);
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
    if (text.startsWith('endraw', i)) {
      const lexed = tokenize(text, i, at, '%}');
      if (lexed.tokens.length === 2 && lexed.tokens[0]?.value === 'endraw') return { textEnd: at, trimBefore, lexed };
    }
    search = at + 2;
  }
}

/** Keywords that end or divide a block, and the blocks they belong to. */
const CLOSERS: Readonly<Record<string, string>> = { endif: 'if', elif: 'if', else: 'if or for', endfor: 'for' };

/** Nests the scanned pieces into blocks: a recursive descent over the tags. */
class BlockReader {
  #i = 0;
  #depth = 0;
  sawStatement = false;

  constructor(
    readonly source: string,
    readonly pieces: readonly Piece[],
  ) {}

  /** Parts up to one of the tags `until` (returned, unconsumed-then-consumed), or the end. */
  body(until: readonly string[]): { body: Body; ender?: Extract<Piece, { kind: 'tag' }> } {
    const parts: Part[] = [];
    while (this.#i < this.pieces.length) {
      const piece = this.pieces[this.#i++] as Piece;
      if (piece.kind === 'text') parts.push({ type: 'text', value: piece.value, start: piece.start, end: piece.end });
      else if (piece.kind === 'output') parts.push({ type: 'output', expr: piece.expr, start: piece.start, end: piece.end });
      else {
        this.sawStatement = true;
        if (until.includes(piece.name)) return { body: parts, ender: piece };
        parts.push(this.#statement(piece));
      }
    }
    return { body: parts };
  }

  #statement(tag: Extract<Piece, { kind: 'tag' }>): Part {
    if (CLOSERS[tag.name] !== undefined) {
      throw new SyntaxFault(`'{% ${tag.name} %}' without an open '{% ${CLOSERS[tag.name]} %}'`, tag.start);
    }
    if (++this.#depth > MAX_NESTING) throw new SyntaxFault(`blocks nested too deeply (more than ${MAX_NESTING} levels)`, tag.start);
    try {
      switch (tag.name) {
        case 'if':
          return this.#if(tag);
        case 'for':
          return this.#for(tag);
        case 'set':
          return this.#set(tag);
        default:
          throw new SyntaxFault(`unknown statement '{% ${tag.name} %}' (the statements are if, elif, else, for, set, raw)`, tag.start);
      }
    } finally {
      this.#depth--;
    }
  }

  #closeOf(tag: Extract<Piece, { kind: 'tag' }>, until: readonly string[]): { body: Body; ender: Extract<Piece, { kind: 'tag' }> } {
    const { body, ender } = this.body(until);
    if (ender === undefined) throw new SyntaxFault(`'{% ${tag.name} %}' is not closed by '{% end${tag.name} %}'`, tag.start);
    return { body, ender };
  }

  #if(tag: Extract<Piece, { kind: 'tag' }>): Part {
    const branches: { test: Node; body: Body }[] = [];
    let test = this.#condition(tag);
    for (;;) {
      const { body, ender } = this.#closeOf(tag, ['elif', 'else', 'endif']);
      branches.push({ test, body });
      if (ender.name === 'elif') {
        test = this.#condition(ender);
        continue;
      }
      if (ender.name === 'endif') {
        ender.parser.expectEnd("after 'endif'");
        return { type: 'if', branches, start: tag.start, end: ender.end };
      }
      ender.parser.expectEnd("after 'else'");
      const otherwise = this.#closeOf(tag, ['endif']);
      otherwise.ender.parser.expectEnd("after 'endif'");
      return { type: 'if', branches, otherwise: otherwise.body, start: tag.start, end: otherwise.ender.end };
    }
  }

  #condition(tag: Extract<Piece, { kind: 'tag' }>): Node {
    if (tag.parser.peek().type === 'end') throw new SyntaxFault(`'{% ${tag.name} %}' needs a condition`, tag.start);
    const test = tag.parser.expression();
    tag.parser.expectEnd(`after the condition of '${tag.name}'`);
    return test;
  }

  /** Names before `in` or `=`: `x`, or `k, v` (tuple unpacking). */
  #targets(tag: Extract<Piece, { kind: 'tag' }>, stop: 'in' | '='): string[] {
    const names: string[] = [];
    for (;;) {
      const t = tag.parser.next();
      if (t.type !== 'name') throw new SyntaxFault(`'${tag.name}' needs a variable name here`, t.start);
      if (['loop', 'in', 'if', 'else', 'and', 'or', 'not', 'is', 'true', 'false', 'none', 'True', 'False', 'None'].includes(t.value)) {
        throw new SyntaxFault(`'${t.value}' cannot be assigned by '${tag.name}'`, t.start);
      }
      names.push(t.value);
      const after = tag.parser.peek();
      if (after.type === 'op' && after.value === ',') {
        tag.parser.next();
        continue;
      }
      const isStop = stop === 'in' ? after.type === 'name' && after.value === 'in' : after.type === 'op' && after.value === '=';
      if (!isStop) throw new SyntaxFault(`expected '${stop}' after the names of '${tag.name}'`, after.start);
      tag.parser.next();
      return names;
    }
  }

  #for(tag: Extract<Piece, { kind: 'tag' }>): Part {
    const targets = this.#targets(tag, 'in');
    const iterable = tag.parser.expressionWithoutIf();
    let condition: Node | undefined;
    const next = tag.parser.peek();
    if (next.type === 'name' && next.value === 'if') {
      tag.parser.next();
      condition = tag.parser.expression();
    }
    if (tag.parser.peek().type === 'name' && tag.parser.peek().value === 'recursive') {
      throw new SyntaxFault("recursive loops are not supported", tag.parser.peek().start);
    }
    tag.parser.expectEnd("after the list of 'for'");
    const { body, ender } = this.#closeOf(tag, ['else', 'endfor']);
    const base = { type: 'for' as const, targets, iterable, ...(condition !== undefined ? { condition } : {}), body, start: tag.start };
    if (ender.name === 'endfor') {
      ender.parser.expectEnd("after 'endfor'");
      return { ...base, end: ender.end };
    }
    ender.parser.expectEnd("after 'else'");
    const otherwise = this.#closeOf(tag, ['endfor']);
    otherwise.ender.parser.expectEnd("after 'endfor'");
    return { ...base, otherwise: otherwise.body, end: otherwise.ender.end };
  }

  #set(tag: Extract<Piece, { kind: 'tag' }>): Part {
    const targets = this.#targets(tag, '=');
    if (tag.parser.peek().type === 'end') throw new SyntaxFault("'set' needs a value after '='", tag.parser.peek().start);
    const value = tag.parser.tuple();
    tag.parser.expectEnd("after the value of 'set'");
    return { type: 'set', targets, value, start: tag.start, end: tag.end };
  }
}

// The syntax tree of templates and expressions, and the recursive-descent parser that builds it
// with Jinja's precedence. Nesting is bounded so hostile input gets a located error, not a stack
// overflow; unknown filters, tests and functions are rejected here, before anything runs.
import { tokenize, type Token } from './lexer.js';
import { SyntaxFault } from './location.js';
import { FILTERS, FUNCTIONS, TESTS } from './filters.js';
import { METHOD_NAMES } from './methods.js';

/** Offsets into the source text, [start, end). */
interface Span {
  readonly start: number;
  readonly end: number;
}

export interface LiteralNode extends Span {
  readonly type: 'literal';
  readonly value: string | number | boolean | null;
}
export interface ListNode extends Span {
  readonly type: 'list';
  readonly items: readonly Node[];
}
export interface DictNode extends Span {
  readonly type: 'dict';
  readonly entries: readonly { readonly key: Node; readonly value: Node }[];
}
export interface NameNode extends Span {
  readonly type: 'name';
  readonly name: string;
}
/** `a.b` or `a.0`. */
export interface AttrNode extends Span {
  readonly type: 'attr';
  readonly object: Node;
  readonly name: string;
  /** Offset of the attribute name, where an error about it points. */
  readonly nameStart: number;
}
/** `a[expr]`. */
export interface IndexNode extends Span {
  readonly type: 'index';
  readonly object: Node;
  readonly index: Node;
}
/** `a[start:stop:step]`, Python's slicing. */
export interface SliceNode extends Span {
  readonly type: 'slice';
  readonly object: Node;
  readonly from?: Node;
  readonly to?: Node;
  readonly step?: Node;
}
export interface UnaryNode extends Span {
  readonly type: 'unary';
  readonly op: 'not' | '-' | '+';
  readonly operand: Node;
}
export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '~' | 'and' | 'or';
export interface BinaryNode extends Span {
  readonly type: 'binary';
  readonly op: BinaryOp;
  readonly left: Node;
  readonly right: Node;
  /** Offset of the operator. */
  readonly opStart: number;
}
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';
/** `a < b <= c`: chained like Python, each operand evaluated once. */
export interface CompareNode extends Span {
  readonly type: 'compare';
  readonly first: Node;
  readonly rest: readonly { readonly op: CompareOp; readonly operand: Node; readonly opStart: number }[];
}
/** `then if test else otherwise`; without `else` the value is none. */
export interface ConditionalNode extends Span {
  readonly type: 'conditional';
  readonly test: Node;
  readonly then: Node;
  readonly otherwise?: Node;
}
export interface Arguments {
  readonly args: readonly Node[];
  readonly kwargs: readonly { readonly name: string; readonly value: Node }[];
}
export interface FilterNode extends Span, Arguments {
  readonly type: 'filter';
  readonly subject: Node;
  readonly name: string;
  readonly nameStart: number;
}
export interface TestNode extends Span, Arguments {
  readonly type: 'test';
  readonly subject: Node;
  readonly name: string;
  readonly negated: boolean;
  readonly nameStart: number;
}
/** `x.name(args)`: one of the methods of strings, lists and dicts that roles call (methods.ts). */
export interface MethodNode extends Span, Arguments {
  readonly type: 'method';
  readonly object: Node;
  readonly name: string;
  readonly nameStart: number;
}
/** A global function: `range(3)`, `lookup('env', 'HOME')`. */
export interface CallNode extends Span, Arguments {
  readonly type: 'call';
  readonly name: string;
}

export type Node =
  | LiteralNode
  | ListNode
  | DictNode
  | NameNode
  | AttrNode
  | IndexNode
  | SliceNode
  | UnaryNode
  | BinaryNode
  | CompareNode
  | ConditionalNode
  | FilterNode
  | TestNode
  | CallNode
  | MethodNode;

export interface TextPart extends Span {
  readonly type: 'text';
  readonly value: string;
}
export interface OutputPart extends Span {
  readonly type: 'output';
  readonly expr: Node;
}

/** `{% if %}…{% elif %}…{% else %}…{% endif %}`: the first branch whose test is truthy renders. */
export interface IfPart extends Span {
  readonly type: 'if';
  readonly branches: readonly { readonly test: Node; readonly body: Body }[];
  readonly otherwise?: Body;
}
/** `{% for a, b in iterable if cond %}…{% else %}…{% endfor %}`; `otherwise` renders when nothing was iterated. */
export interface ForPart extends Span {
  readonly type: 'for';
  readonly targets: readonly string[];
  readonly iterable: Node;
  readonly condition?: Node;
  readonly body: Body;
  readonly otherwise?: Body;
}
/** `{% set a = value %}` or `{% set a, b = 1, 2 %}`: binds names for the rest of the enclosing scope. */
export interface SetPart extends Span {
  readonly type: 'set';
  readonly targets: readonly string[];
  readonly value: Node;
}

export type Part = TextPart | OutputPart | IfPart | ForPart | SetPart;
export type Body = readonly Part[];

/** A string with `{{ … }}` pieces and, for `statements`, `{% … %}` blocks. */
export interface Template {
  readonly type: 'template';
  readonly source: string;
  readonly parts: Body;
  /** Whether any `{% %}` statement is in it: such a template always renders to text. */
  readonly statements: boolean;
}

/** A bare expression (`when:`), possibly written as one `{{ … }}`. */
export interface Expression {
  readonly type: 'expression';
  readonly source: string;
  readonly body: Node;
}

/** Nesting of brackets, parentheses and unary operators the parser accepts. */
export const MAX_NESTING = 64;
/** Height of the tree (a chain `a + b + c …` counts one per operator). */
export const MAX_DEPTH = 200;

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else']);
const LITERALS: ReadonlyMap<string, boolean | null> = new Map<string, boolean | null>([
  ['true', true],
  ['True', true],
  ['false', false],
  ['False', false],
  ['none', null],
  ['None', null],
  ['null', null],
]);
const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const QUALIFIED_PREFIX = 'ansible.builtin.';

/** Parses a bare expression; one surrounding `{{ … }}` is allowed and stripped. */
export function parseExpressionSource(text: string): Expression {
  let start = 0;
  while (start < text.length && isBlank(text.charCodeAt(start))) start++;
  if (text.startsWith('{{', start)) {
    const trimBefore = text.charCodeAt(start + 2) === 45; /* - */
    const lexed = tokenize(text, start + (trimBefore ? 3 : 2), start);
    const body = new ExpressionParser(text, lexed.tokens).parseAll('an expression inside {{ }}');
    if (text.slice(lexed.next).trim() !== '') {
      throw new SyntaxFault('an expression is either bare or exactly one {{ … }}, not text mixed with {{ }}', start);
    }
    return { type: 'expression', source: text, body };
  }
  const lexed = tokenize(text, 0);
  return { type: 'expression', source: text, body: new ExpressionParser(text, lexed.tokens).parseAll('an expression') };
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * The expression parser over the tokens of one `{{ }}` or `{% %}` piece. Statement tags
 * (statements.ts) read their keywords with peek/next and their expressions with expression().
 */
export class ExpressionParser {
  #i = 0;
  #nesting = 0;
  readonly #heights = new WeakMap<Node, number>();

  constructor(
    readonly source: string,
    readonly tokens: readonly Token[],
  ) {}

  parseAll(what: string): Node {
    const first = this.#peek();
    if (first.type === 'end') throw new SyntaxFault(`${what} is empty`, first.start);
    const node = this.#expression();
    const rest = this.#peek();
    if (rest.type !== 'end') throw new SyntaxFault(`unexpected ${describe(rest)} after ${what}`, rest.start);
    return node;
  }

  /** The token `ahead` of the current one (the end token stays the last). */
  peek(ahead = 0): Token {
    return this.#peek(ahead);
  }
  next(): Token {
    return this.#next();
  }
  /** A full expression, inline if included. */
  expression(): Node {
    return this.#expression();
  }
  /** An expression without a trailing inline if (a `for` iterable, whose `if` is a filter clause). */
  expressionWithoutIf(): Node {
    return this.#or();
  }
  /** `a, b, c` without brackets (`{% set a, b = 1, 2 %}`): one expression, or a list of them. */
  tuple(): Node {
    const first = this.#expression();
    if (!this.#isOp(',')) return first;
    const items = [first];
    while (this.#isOp(',')) {
      this.#next();
      if (this.#peek().type === 'end') break;
      items.push(this.#expression());
    }
    const last = items[items.length - 1] as Node;
    return this.#make({ type: 'list', items, start: first.start, end: last.end }, items);
  }
  /** Fails unless every token was read. */
  expectEnd(what: string): void {
    const rest = this.#peek();
    if (rest.type !== 'end') throw new SyntaxFault(`unexpected ${describe(rest)} ${what}`, rest.start);
  }

  #peek(ahead = 0): Token {
    return this.tokens[Math.min(this.#i + ahead, this.tokens.length - 1)] as Token;
  }
  #next(): Token {
    const t = this.#peek();
    if (this.#i < this.tokens.length - 1) this.#i++;
    return t;
  }
  #isOp(value: string, ahead = 0): boolean {
    const t = this.#peek(ahead);
    return t.type === 'op' && t.value === value;
  }
  #isKeyword(value: string, ahead = 0): boolean {
    const t = this.#peek(ahead);
    return t.type === 'name' && t.value === value;
  }
  #expectOp(value: string, context: string): Token {
    const t = this.#peek();
    if (t.type !== 'op' || t.value !== value) {
      throw new SyntaxFault(`expected '${value}' ${context}, found ${describe(t)}`, t.start);
    }
    return this.#next();
  }
  #enter(at: number): void {
    if (++this.#nesting > MAX_NESTING) {
      throw new SyntaxFault(`expression nested too deeply (more than ${MAX_NESTING} levels)`, at);
    }
  }
  #leave(): void {
    this.#nesting--;
  }
  /** Records the height of a new node and refuses trees too tall to evaluate safely. */
  #make<T extends Node>(node: T, children: readonly (Node | undefined)[] = []): T {
    let height = 0;
    for (const child of children) {
      if (child !== undefined) height = Math.max(height, this.#heights.get(child) ?? 1);
    }
    if (height + 1 > MAX_DEPTH) {
      throw new SyntaxFault(`expression nested too deeply (more than ${MAX_DEPTH} operations in a chain)`, node.start);
    }
    this.#heights.set(node, height + 1);
    return node;
  }

  #expression(): Node {
    return this.#conditional();
  }

  #conditional(): Node {
    let node = this.#or();
    while (this.#isKeyword('if')) {
      this.#next();
      const test = this.#or();
      let otherwise: Node | undefined;
      if (this.#isKeyword('else')) {
        this.#next();
        this.#enter(this.#peek().start);
        otherwise = this.#conditional();
        this.#leave();
      }
      const end = (otherwise ?? test).end;
      node = this.#make({ type: 'conditional', test, then: node, otherwise, start: node.start, end }, [test, node, otherwise]);
    }
    return node;
  }

  #or(): Node {
    let left = this.#and();
    while (this.#isKeyword('or')) {
      const op = this.#next();
      const right = this.#and();
      left = this.#make({ type: 'binary', op: 'or', left, right, opStart: op.start, start: left.start, end: right.end }, [left, right]);
    }
    return left;
  }

  #and(): Node {
    let left = this.#not();
    while (this.#isKeyword('and')) {
      const op = this.#next();
      const right = this.#not();
      left = this.#make({ type: 'binary', op: 'and', left, right, opStart: op.start, start: left.start, end: right.end }, [left, right]);
    }
    return left;
  }

  #not(): Node {
    if (this.#isKeyword('not')) {
      const op = this.#next();
      this.#enter(op.start);
      const operand = this.#not();
      this.#leave();
      return this.#make({ type: 'unary', op: 'not', operand, start: op.start, end: operand.end }, [operand]);
    }
    return this.#compare();
  }

  #compare(): Node {
    const first = this.#sum();
    const rest: { op: CompareOp; operand: Node; opStart: number }[] = [];
    for (;;) {
      const t = this.#peek();
      let op: CompareOp;
      if (t.type === 'op' && COMPARE_OPS.has(t.value)) {
        op = t.value as CompareOp;
        this.#next();
      } else if (this.#isKeyword('in')) {
        op = 'in';
        this.#next();
      } else if (this.#isKeyword('not') && this.#isKeyword('in', 1)) {
        op = 'not in';
        this.#next();
        this.#next();
      } else {
        break;
      }
      rest.push({ op, operand: this.#sum(), opStart: t.start });
    }
    const last = rest[rest.length - 1];
    if (last === undefined) return first;
    return this.#make({ type: 'compare', first, rest, start: first.start, end: last.operand.end }, [first, ...rest.map((r) => r.operand)]);
  }

  #binaryLevel(ops: ReadonlySet<string>, operand: () => Node): Node {
    let left = operand();
    for (;;) {
      const t = this.#peek();
      if (t.type !== 'op' || !ops.has(t.value)) return left;
      this.#next();
      const right = operand();
      left = this.#make(
        { type: 'binary', op: t.value as BinaryOp, left, right, opStart: t.start, start: left.start, end: right.end }, [left, right]);
    }
  }

  #sum(): Node {
    return this.#binaryLevel(SUM_OPS, () => this.#concat());
  }
  #concat(): Node {
    return this.#binaryLevel(CONCAT_OPS, () => this.#product());
  }
  #product(): Node {
    return this.#binaryLevel(PRODUCT_OPS, () => this.#power());
  }
  #power(): Node {
    return this.#binaryLevel(POWER_OPS, () => this.#unary(true));
  }

  #unary(withFilters: boolean): Node {
    const t = this.#peek();
    let node: Node;
    if (t.type === 'op' && (t.value === '-' || t.value === '+')) {
      this.#next();
      this.#enter(t.start);
      const operand = this.#unary(false);
      this.#leave();
      node = this.#make({ type: 'unary', op: t.value, operand, start: t.start, end: operand.end }, [operand]);
    } else {
      node = this.#primary();
    }
    node = this.#postfix(node);
    return withFilters ? this.#filtersAndTests(node) : node;
  }

  #primary(): Node {
    const t = this.#peek();
    switch (t.type) {
      case 'name': {
        if (LITERALS.has(t.value)) {
          this.#next();
          return this.#make({ type: 'literal', value: LITERALS.get(t.value) ?? null, start: t.start, end: t.end });
        }
        if (KEYWORDS.has(t.value)) throw new SyntaxFault(`unexpected keyword '${t.value}'`, t.start);
        this.#next();
        if (this.#isOp('(')) return this.#call(t);
        return this.#make({ type: 'name', name: t.value, start: t.start, end: t.end });
      }
      case 'string': {
        this.#next();
        // Adjacent strings join, as in Python: 'a' "b" is 'ab'.
        let value = t.value;
        let end = t.end;
        while (this.#peek().type === 'string') {
          const more = this.#next();
          value += more.value;
          end = more.end;
        }
        return this.#make({ type: 'literal', value, start: t.start, end });
      }
      case 'int':
      case 'float':
        this.#next();
        return this.#make({ type: 'literal', value: t.number ?? 0, start: t.start, end: t.end });
      case 'op':
        if (t.value === '(') return this.#parenthesized();
        if (t.value === '[') return this.#list();
        if (t.value === '{') return this.#dict();
        break;
      case 'end':
        throw new SyntaxFault('unexpected end of expression', t.start);
    }
    throw new SyntaxFault(`unexpected ${describe(t)}`, t.start);
  }

  /** `(expr)`, or a tuple `(a, b)` which is a list here. */
  #parenthesized(): Node {
    const open = this.#next();
    this.#enter(open.start);
    if (this.#isOp(')')) {
      const close = this.#next();
      this.#leave();
      return this.#make({ type: 'list', items: [], start: open.start, end: close.end });
    }
    const first = this.#expression();
    if (this.#isOp(')')) {
      this.#next();
      this.#leave();
      return first;
    }
    const items = [first];
    while (this.#isOp(',')) {
      this.#next();
      if (this.#isOp(')')) break;
      items.push(this.#expression());
    }
    const close = this.#expectOp(')', 'to close (');
    this.#leave();
    return this.#make({ type: 'list', items, start: open.start, end: close.end }, items);
  }

  #list(): Node {
    const open = this.#next();
    this.#enter(open.start);
    const items: Node[] = [];
    while (!this.#isOp(']')) {
      items.push(this.#expression());
      if (!this.#isOp(',')) break;
      this.#next();
    }
    const close = this.#expectOp(']', 'to close the list');
    this.#leave();
    return this.#make({ type: 'list', items, start: open.start, end: close.end }, items);
  }

  #dict(): Node {
    const open = this.#next();
    this.#enter(open.start);
    const entries: { key: Node; value: Node }[] = [];
    while (!this.#isOp('}')) {
      const key = this.#expression();
      this.#expectOp(':', 'after a dict key');
      const value = this.#expression();
      entries.push({ key, value });
      if (!this.#isOp(',')) break;
      this.#next();
    }
    const close = this.#expectOp('}', 'to close the dict');
    this.#leave();
    const children = entries.flatMap((e) => [e.key, e.value]);
    return this.#make({ type: 'dict', entries, start: open.start, end: close.end }, children);
  }

  #postfix(start: Node): Node {
    let node = start;
    for (;;) {
      const t = this.#peek();
      if (t.type !== 'op') return node;
      if (t.value === '.') {
        this.#next();
        const name = this.#next();
        if (name.type !== 'name' && name.type !== 'int') {
          throw new SyntaxFault(`expected an attribute name after '.', found ${describe(name)}`, name.start);
        }
        node = this.#make({ type: 'attr', object: node, name: name.value, nameStart: name.start, start: node.start, end: name.end }, [node]);
      } else if (t.value === '[') {
        node = this.#subscript(node);
      } else if (t.value === '(' && node.type === 'attr') {
        node = this.#method(node);
      } else if (t.value === '(') {
        throw new SyntaxFault('only global functions (range, lookup) and methods (x.split(",")) can be called', t.start);
      } else {
        return node;
      }
    }
  }

  /** `x.name(args)`: the attribute just parsed is a method's name. */
  #method(attr: Extract<Node, { type: 'attr' }>): Node {
    if (!METHOD_NAMES.has(attr.name)) {
      throw new SyntaxFault(
        `unknown method '${attr.name}' (not supported; the methods are those of strings, lists and dicts in docs/templates.md)`,
        attr.nameStart,
      );
    }
    const args = this.#arguments();
    return this.#make(
      { type: 'method', object: attr.object, name: attr.name, nameStart: attr.nameStart, args: args.args, kwargs: args.kwargs, start: attr.start, end: args.end },
      [attr.object, ...args.args, ...args.kwargs.map((k) => k.value)],
    );
  }

  #subscript(object: Node): Node {
    const open = this.#next();
    this.#enter(open.start);
    const bounds: (Node | undefined)[] = [];
    let colons = 0;
    let current: Node | undefined;
    for (;;) {
      if (this.#isOp(']')) break;
      if (this.#isOp(':')) {
        if (colons === 2) throw new SyntaxFault('a slice has at most start:stop:step', this.#peek().start);
        this.#next();
        bounds.push(current);
        current = undefined;
        colons++;
        continue;
      }
      if (current !== undefined) throw new SyntaxFault(`expected ']' or ':', found ${describe(this.#peek())}`, this.#peek().start);
      current = this.#expression();
    }
    bounds.push(current);
    const close = this.#expectOp(']', 'to close the subscript');
    this.#leave();
    if (colons === 0) {
      const index = bounds[0];
      if (index === undefined) throw new SyntaxFault('empty subscript []', open.start);
      return this.#make({ type: 'index', object, index, start: object.start, end: close.end }, [object, index]);
    }
    const [from, to, step] = bounds;
    return this.#make({ type: 'slice', object, from, to, step, start: object.start, end: close.end }, [object, from, to, step]);
  }

  #filtersAndTests(start: Node): Node {
    let node = start;
    for (;;) {
      if (this.#isOp('|')) {
        this.#next();
        const { name, nameStart } = this.#qualifiedName('a filter name after |');
        if (!FILTERS.has(name)) throw new SyntaxFault(`unknown filter '${name}'`, nameStart);
        const args = this.#isOp('(') ? this.#arguments() : { args: [], kwargs: [], end: this.#previousEnd() };
        node = this.#make(
          { type: 'filter', subject: node, name, nameStart, args: args.args, kwargs: args.kwargs, start: node.start, end: args.end }, [node, ...args.args, ...args.kwargs.map((k) => k.value)]);
      } else if (this.#isKeyword('is')) {
        this.#next();
        let negated = false;
        if (this.#isKeyword('not')) {
          this.#next();
          negated = true;
        }
        const { name, nameStart } = this.#qualifiedName("a test name after 'is'");
        if (!TESTS.has(name)) throw new SyntaxFault(`unknown test '${name}'`, nameStart);
        let args: Arguments & { end: number };
        if (this.#isOp('(')) {
          args = this.#arguments();
        } else if (this.#startsBareTestArgument()) {
          // Jinja's one-argument form: `x is divisibleby 3`, `x is sameas y`.
          this.#enter(this.#peek().start);
          const arg = this.#postfix(this.#primary());
          this.#leave();
          args = { args: [arg], kwargs: [], end: arg.end };
        } else {
          args = { args: [], kwargs: [], end: this.#previousEnd() };
        }
        node = this.#make(
          { type: 'test', subject: node, name, negated, nameStart, args: args.args, kwargs: args.kwargs, start: node.start, end: args.end }, [node, ...args.args, ...args.kwargs.map((k) => k.value)]);
      } else if (this.#isOp('(')) {
        throw new SyntaxFault('only global functions (range, lookup) and methods (x.split(",")) can be called', this.#peek().start);
      } else {
        return node;
      }
    }
  }

  #startsBareTestArgument(): boolean {
    const t = this.#peek();
    if (t.type === 'string' || t.type === 'int' || t.type === 'float') return true;
    if (t.type === 'name') return !KEYWORDS.has(t.value);
    return t.type === 'op' && (t.value === '[' || t.value === '{');
  }

  #previousEnd(): number {
    return (this.tokens[this.#i - 1] ?? this.#peek()).end;
  }

  /** `name` or `ansible.builtin.name` (Ansible's qualified names map to ours). */
  #qualifiedName(what: string): { name: string; nameStart: number } {
    const first = this.#next();
    if (first.type !== 'name') throw new SyntaxFault(`expected ${what}, found ${describe(first)}`, first.start);
    let name = first.value;
    while (this.#isOp('.') && this.#peek(1).type === 'name') {
      this.#next();
      name += `.${this.#next().value}`;
    }
    if (name.startsWith(QUALIFIED_PREFIX)) name = name.slice(QUALIFIED_PREFIX.length);
    return { name, nameStart: first.start };
  }

  #call(nameToken: Token): Node {
    if (!FUNCTIONS.has(nameToken.value)) {
      throw new SyntaxFault(
        `unknown function '${nameToken.value}' (not supported; the functions are: ${[...FUNCTIONS.keys()].join(', ')})`,
        nameToken.start,
      );
    }
    const args = this.#arguments();
    return this.#make(
      { type: 'call', name: nameToken.value, args: args.args, kwargs: args.kwargs, start: nameToken.start, end: args.end }, [...args.args, ...args.kwargs.map((k) => k.value)]);
  }

  /** `(a, b, key=value)`: positional arguments first. */
  #arguments(): Arguments & { end: number } {
    const open = this.#next();
    this.#enter(open.start);
    const args: Node[] = [];
    const kwargs: { name: string; value: Node }[] = [];
    while (!this.#isOp(')')) {
      const t = this.#peek();
      if (t.type === 'name' && this.#isOp('=', 1)) {
        this.#next();
        this.#next();
        if (kwargs.some((k) => k.name === t.value)) throw new SyntaxFault(`argument '${t.value}' given twice`, t.start);
        kwargs.push({ name: t.value, value: this.#expression() });
      } else {
        if (kwargs.length > 0) throw new SyntaxFault('a positional argument cannot follow a keyword argument', t.start);
        args.push(this.#expression());
      }
      if (!this.#isOp(',')) break;
      this.#next();
    }
    const close = this.#expectOp(')', 'to close the arguments');
    this.#leave();
    return { args, kwargs, end: close.end };
  }
}

const SUM_OPS: ReadonlySet<string> = new Set(['+', '-']);
const CONCAT_OPS: ReadonlySet<string> = new Set(['~']);
const PRODUCT_OPS: ReadonlySet<string> = new Set(['*', '/', '//', '%']);
const POWER_OPS: ReadonlySet<string> = new Set(['**']);

function describe(t: Token): string {
  switch (t.type) {
    case 'end':
      return t.value === '' ? 'end of expression' : `'${t.value}'`;
    case 'string':
      return 'a string';
    case 'int':
    case 'float':
      return `number ${t.value}`;
    case 'name':
      return `'${t.value}'`;
    default:
      return `'${t.value}'`;
  }
}

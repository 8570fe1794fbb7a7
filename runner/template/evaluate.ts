// Evaluates a parsed template or expression against a scope. Lookups read only own data;
// missing names raise 'undefined-variable' errors that name the path, and every other failure is
// a located 'template' error. Only `default`, `mandatory` and `is (un)defined` see undefined values.
import { InputError, SparkbookError, type SourceLocation } from '../errors.js';
import { FILTERS, FUNCTIONS, TESTS, bindArguments, type CallContext, type Callable } from './filters.js';
import { percentFormat } from './formatting.js';
import { locate } from './location.js';
import { methodHint, methodOf } from './methods.js';
import type { Arguments, BinaryNode, CompareNode, Expression, Node, Template } from './parser.js';
import {
  FORBIDDEN_KEYS,
  MAX_STRING_LENGTH,
  TemplateFault,
  UNDEFINED,
  checkSize,
  compareValues,
  contains,
  isEqual,
  isMapping,
  isNumeric,
  isTruthy,
  lookup,
  newMapping,
  setKey,
  toText,
  typeName,
} from './values.js';

export type Scope = Readonly<Record<string, unknown>>;

/** Names bound inside a template by `{% for %}` and `{% set %}`, read before the scope (UNDEFINED when unbound). */
export interface Locals {
  lookup(name: string): unknown;
}

/** Ansible's special variables that sparkbook does not have, and what to write instead. */
const NOT_SUPPORTED_NAMES: ReadonlyMap<string, string> = new Map([
  ['omit', ": Ansible's omit is not supported (leave the parameter out, or pick its value with an inline if)"],
  ['vars', ": Ansible's vars dict is not supported (name the variable itself)"],
]);

/** Renders a template: the native value of a lone `{{ expr }}`, otherwise the joined text. */
export function evaluateTemplate(template: Template, scope: Scope, where?: SourceLocation): unknown {
  const evaluator = new Evaluator(template.source, scope, where);
  const outputs = template.parts.filter((p) => p.type === 'output');
  const single = outputs[0];
  if (outputs.length === 1 && single !== undefined && template.parts.every((p) => p.type === 'output' || (p.type === 'text' && p.value.trim() === ''))) {
    return evaluator.evaluate(single.expr);
  }
  let text = '';
  for (const part of template.parts) {
    // Statements are rendered by statements-render.ts; a template here has text and outputs only.
    text += part.type === 'text' ? part.value : part.type === 'output' ? evaluator.text(part.expr) : '';
    if (text.length > MAX_STRING_LENGTH) throw new InputError('template', 'the rendered text is longer than 64 MiB', where);
  }
  return text;
}

/** The value of an expression. */
export function evaluateParsed(expression: Expression, scope: Scope, where?: SourceLocation): unknown {
  return new Evaluator(expression.source, scope, where).evaluate(expression.body);
}

export class Evaluator implements CallContext {
  constructor(
    readonly source: string,
    readonly scope: Scope,
    readonly where: SourceLocation | undefined,
    readonly locals?: Locals,
  ) {}

  evaluate(node: Node): unknown {
    const value = this.#evaluateNode(node);
    return value === UNDEFINED ? null : value;
  }

  text(node: Node): string {
    const value = this.#evaluateNode(node);
    // Ansible's finalize: a none inside a longer string renders as nothing (`{{ x ~ none }}` is 'None').
    return value === null ? '' : this.#guard(node.start, () => toText(value));
  }

  #fail(message: string, offset: number): InputError {
    return new InputError('template', message, locate(this.where, this.source, offset));
  }

  #undefinedError(message: string, offset: number): InputError {
    return new InputError('undefined-variable', message, locate(this.where, this.source, offset));
  }

  /** Runs value code; a TemplateFault or a JavaScript error (RangeError…) becomes a located InputError. */
  #guard<T>(offset: number, run: () => T, prefix = ''): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof SparkbookError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw this.#fail(prefix + message, offset);
    }
  }

  #pathText(node: Node): string {
    const text = this.source.slice(node.start, node.end);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  }

  /** Strict: a missing name or attribute is an error naming it. */
  #evaluateNode(node: Node): unknown {
    switch (node.type) {
      case 'literal':
        return node.value;
      case 'list':
        return node.items.map((item) => this.#evaluateNode(item));
      case 'dict': {
        const out = newMapping();
        for (const entry of node.entries) {
          const key = this.#evaluateNode(entry.key);
          if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') {
            throw this.#fail(`a dict key must be a string or a number, not ${typeName(key)}`, entry.key.start);
          }
          const value = this.#evaluateNode(entry.value);
          this.#guard(entry.key.start, () => setKey(out, String(key), value));
        }
        return out;
      }
      case 'name': {
        const value = this.#variable(node.name);
        if (value === UNDEFINED) throw this.#undefinedError(`undefined variable '${node.name}'${NOT_SUPPORTED_NAMES.get(node.name) ?? ''}`, node.start);
        return value;
      }
      case 'attr': {
        const object = this.#evaluateNode(node.object);
        const value = lookup(object, node.name);
        if (value === UNDEFINED) throw this.#undefinedError(this.#missingMessage(node.object, object, `attribute '${node.name}'`), node.nameStart);
        return value;
      }
      case 'index': {
        const object = this.#evaluateNode(node.object);
        const key = this.#evaluateNode(node.index);
        if (typeof key !== 'string' && typeof key !== 'number') {
          throw this.#fail(`an index must be a string or a number, not ${typeName(key)}`, node.index.start);
        }
        const value = lookup(object, key);
        if (value === UNDEFINED) {
          const what = typeof key === 'number' ? `item ${key}` : `key ${JSON.stringify(key)}`;
          throw this.#undefinedError(this.#missingMessage(node.object, object, what), node.index.start);
        }
        return value;
      }
      case 'slice':
        return this.#slice(node);
      case 'unary': {
        const operand = this.#evaluateNode(node.operand);
        if (node.op === 'not') return !isTruthy(operand);
        if (typeof operand === 'boolean') return node.op === '-' ? -Number(operand) : Number(operand);
        if (typeof operand !== 'number') throw this.#fail(`unary ${node.op} needs a number, not ${typeName(operand)}`, node.start);
        return node.op === '-' ? -operand : operand;
      }
      case 'binary':
        return this.#binary(node);
      case 'compare':
        return this.#compare(node);
      case 'conditional':
        if (isTruthy(this.#evaluateNode(node.test))) return this.#evaluateNode(node.then);
        return node.otherwise === undefined ? null : this.#evaluateNode(node.otherwise);
      case 'filter': {
        const def = FILTERS.get(node.name);
        if (def === undefined) throw this.#fail(`unknown filter '${node.name}'`, node.nameStart);
        const input = def.acceptsUndefined === true ? this.#soft(node.subject) : this.#evaluateNode(node.subject);
        if (node.name === 'mandatory' && input === UNDEFINED && node.args.length === 0 && node.kwargs.length === 0) {
          this.#evaluateNode(node.subject); // raises the error that names the missing path
        }
        return this.#invoke(`filter '${node.name}'`, def, input, node, node.nameStart);
      }
      case 'test': {
        const def = TESTS.get(node.name);
        if (def === undefined) throw this.#fail(`unknown test '${node.name}'`, node.nameStart);
        const input = def.acceptsUndefined === true ? this.#soft(node.subject) : this.#evaluateNode(node.subject);
        const passed = this.#invoke(`test '${node.name}'`, def, input, node, node.nameStart) === true;
        return node.negated ? !passed : passed;
      }
      case 'method': {
        const object = this.#evaluateNode(node.object);
        const def = methodOf(object, node.name);
        if (def === undefined) throw this.#fail(`${typeName(object)} has no method '${node.name}'${methodHint(object, node.name)}`, node.nameStart);
        return this.#invoke(`${node.name}()`, def, object, node, node.nameStart);
      }
      case 'call': {
        const def = FUNCTIONS.get(node.name);
        if (def === undefined) throw this.#fail(`unknown function '${node.name}'`, node.start);
        return this.#invoke(`${node.name}()`, def, undefined, node, node.start);
      }
    }
  }

  /** Lenient: a missing name or attribute along a lookup chain is UNDEFINED, not an error. */
  #soft(node: Node): unknown {
    switch (node.type) {
      case 'name':
        return this.#variable(node.name);
      case 'attr': {
        const object = this.#soft(node.object);
        return object === UNDEFINED ? UNDEFINED : lookup(object, node.name);
      }
      case 'index': {
        const object = this.#soft(node.object);
        if (object === UNDEFINED) return UNDEFINED;
        const key = this.#evaluateNode(node.index);
        return typeof key === 'string' || typeof key === 'number' ? lookup(object, key) : UNDEFINED;
      }
      default:
        return this.#evaluateNode(node);
    }
  }

  #variable(name: string): unknown {
    if (FORBIDDEN_KEYS.has(name)) return UNDEFINED;
    const local = this.locals === undefined ? UNDEFINED : this.locals.lookup(name);
    if (local !== UNDEFINED) return local;
    if (!Object.hasOwn(this.scope, name)) return UNDEFINED;
    const value = this.scope[name];
    return value === undefined || typeof value === 'function' ? UNDEFINED : value;
  }

  #missingMessage(objectNode: Node, object: unknown, what: string): string {
    const path = this.#pathText(objectNode);
    if (object === null) return `'${path}' is none, so it has no ${what}`;
    return `'${path}' has no ${what}`;
  }

  #invoke(what: string, def: Callable, input: unknown, node: Arguments, offset: number): unknown {
    const positional = node.args.map((a) => this.#evaluateNode(a));
    const keywords = new Map<string, unknown>(node.kwargs.map((k) => [k.name, this.#evaluateNode(k.value)]));
    return this.#guard(
      offset,
      () => {
        const { args, rest, extra } = bindArguments(what, def, positional, keywords);
        return def.call(input, args, rest, this, extra);
      },
      `${what}: `,
    );
  }

  /** CallContext: map('upper'), select('defined'). */
  filter(name: string, input: unknown, args: readonly unknown[]): unknown {
    const def = FILTERS.get(name);
    if (def === undefined) throw new TemplateFault(`unknown filter '${name}'`);
    const { args: bound, rest, extra } = bindArguments(`filter '${name}'`, def, args, new Map());
    return def.call(input, bound, rest, this, extra);
  }

  variable(name: string): unknown {
    return this.#variable(name);
  }

  test(name: string, input: unknown, args: readonly unknown[]): boolean {
    const def = TESTS.get(name);
    if (def === undefined) throw new TemplateFault(`unknown test '${name}'`);
    if (input === UNDEFINED && def.acceptsUndefined !== true) throw new TemplateFault(`test '${name}' of an undefined value`);
    const { args: bound, rest, extra } = bindArguments(`test '${name}'`, def, args, new Map());
    return def.call(input, bound, rest, this, extra) === true;
  }

  #slice(node: Extract<Node, { type: 'slice' }>): unknown {
    const object = this.#evaluateNode(node.object);
    const bound = (n: Node | undefined): number | undefined => {
      if (n === undefined) return undefined;
      const v = this.#evaluateNode(n);
      if (v === null) return undefined;
      if (typeof v !== 'number' || !Number.isInteger(v)) throw this.#fail(`a slice bound must be an integer, not ${typeName(v)}`, n.start);
      return v;
    };
    const from = bound(node.from);
    const to = bound(node.to);
    const step = bound(node.step) ?? 1;
    if (step === 0) throw this.#fail('a slice step cannot be zero', node.start);
    if (!Array.isArray(object) && typeof object !== 'string') throw this.#fail(`cannot slice ${typeName(object)}`, node.start);
    const length = object.length;
    const clamp = (v: number | undefined, dflt: number, lo: number, hi: number): number => {
      if (v === undefined) return dflt;
      const x = v < 0 ? v + length : v;
      return Math.min(Math.max(x, lo), hi);
    };
    const picked: unknown[] = [];
    if (step > 0) {
      const a = clamp(from, 0, 0, length);
      const b = clamp(to, length, 0, length);
      for (let i = a; i < b; i += step) picked.push(object[i]);
    } else {
      const a = clamp(from, length - 1, -1, length - 1);
      const b = clamp(to, -1, -1, length - 1);
      for (let i = a; i > b; i += step) picked.push(object[i]);
    }
    return typeof object === 'string' ? picked.join('') : picked;
  }

  #binary(node: BinaryNode): unknown {
    if (node.op === 'and') {
      const left = this.#evaluateNode(node.left);
      return isTruthy(left) ? this.#evaluateNode(node.right) : left;
    }
    if (node.op === 'or') {
      const left = this.#evaluateNode(node.left);
      return isTruthy(left) ? left : this.#evaluateNode(node.right);
    }
    const left = this.#evaluateNode(node.left);
    const right = this.#evaluateNode(node.right);
    return this.#guard(node.opStart, () => arithmetic(node.op, left, right));
  }

  #compare(node: CompareNode): boolean {
    let left = this.#evaluateNode(node.first);
    for (const { op, operand, opStart } of node.rest) {
      const right = this.#evaluateNode(operand);
      const ok = this.#guard(opStart, () => {
        switch (op) {
          case '==':
            return isEqual(left, right);
          case '!=':
            return !isEqual(left, right);
          case '<':
            return compareValues(left, right) < 0;
          case '<=':
            return compareValues(left, right) <= 0;
          case '>':
            return compareValues(left, right) > 0;
          case '>=':
            return compareValues(left, right) >= 0;
          case 'in':
            return contains(right, left);
          case 'not in':
            return !contains(right, left);
        }
      });
      if (!ok) return false;
      left = right;
    }
    return true;
  }
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number';
}

/** + - * / // % ** ~ with Python's meaning; mixing types is an error, not a coercion. */
function arithmetic(op: BinaryNode['op'], leftValue: unknown, rightValue: unknown): unknown {
  if (op === '~') {
    const text = toText(leftValue) + toText(rightValue);
    checkSize(text.length, 'string');
    return text;
  }
  if (op === '%' && typeof leftValue === 'string') return percentFormat(leftValue, rightValue);
  // Python's bool is an int: True + 1 is 2.
  const left = typeof leftValue === 'boolean' && isNumeric(rightValue) ? Number(leftValue) : leftValue;
  const right = typeof rightValue === 'boolean' && isNumeric(leftValue) ? Number(rightValue) : rightValue;
  if (isNumber(left) && isNumber(right)) {
    const result = numeric(op, left, right);
    if (Number.isInteger(left) && Number.isInteger(right) && Number.isInteger(result) && !Number.isSafeInteger(result)) checkExactInteger(op, left, right, result);
    return result;
  }
  if (op === '+' && typeof left === 'string' && typeof right === 'string') {
    checkSize(left.length + right.length, 'string');
    return left + right;
  }
  if (op === '+' && Array.isArray(left) && Array.isArray(right)) {
    checkSize(left.length + right.length, 'list');
    return [...left, ...right];
  }
  if (op === '*') {
    const [seq, times] = isNumber(right) ? [left, right] : [right, left];
    if (isNumber(times) && Number.isInteger(times) && (typeof seq === 'string' || Array.isArray(seq))) {
      const n = Math.max(0, times);
      checkSize(seq.length * n, typeof seq === 'string' ? 'string' : 'list');
      if (typeof seq === 'string') return seq.repeat(n);
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) for (const item of seq) out.push(item);
      return out;
    }
  }
  if (op === '+' && isMapping(left) && isMapping(right)) {
    throw new TemplateFault("cannot add two dicts with '+': use the combine filter");
  }
  throw new TemplateFault(`cannot apply '${op}' to ${typeName(left)} and ${typeName(right)}`);
}

/** + - * / // % ** on two numbers, with Python's floor division and modulo. */
function numeric(op: BinaryNode['op'], left: number, right: number): number {
  switch (op) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '**':
      return left ** right;
    case '/':
      if (right === 0) throw new TemplateFault('division by zero');
      return left / right;
    case '//':
      if (right === 0) throw new TemplateFault('division by zero');
      return Math.floor(left / right);
    case '%':
      if (right === 0) throw new TemplateFault('modulo by zero');
      return left - right * Math.floor(left / right);
  }
  throw new TemplateFault(`cannot apply '${op}' to numbers`);
}

/**
 * Integers beyond 2**53 exist in Python but not in JavaScript's numbers: a result that the double
 * holds exactly (2**64) is kept and prints in full; one it cannot hold is refused, never rounded.
 */
function checkExactInteger(op: BinaryNode['op'], left: number, right: number, result: number): void {
  const a = BigInt(left);
  const b = BigInt(right);
  let exact: bigint | undefined;
  if (op === '+') exact = a + b;
  else if (op === '-') exact = a - b;
  else if (op === '*') exact = a * b;
  else if (op === '**' && right >= 0 && right <= 4096) exact = a ** b;
  if (exact !== undefined && BigInt(result) !== exact) {
    throw new TemplateFault(`integers beyond 2**53 are not supported: the result ${exact} cannot be held exactly (sparkbook's numbers are JavaScript's)`);
  }
}

// Render strings and whole structures, evaluate `when:` conditions, and parse without running for
// the validator: the language's core operations, handed to the rest of the engine by index.ts.
import { InputError, type SourceLocation } from '../errors.js';
import { evaluateParsed, evaluateTemplate, type Scope } from './evaluate.js';
import { SyntaxFault } from './location.js';
import { ParseCache } from './parse-cache.js';
import { parseExpressionSource, type Body, type Expression, type Node, type Template } from './parser.js';
import { parseTemplateSource, type TemplateOptions } from './statements.js';
import { renderStatements } from './statements-render.js';
import { FORBIDDEN_KEYS, isMapping } from './values.js';

export type { Scope } from './evaluate.js';

/** Deeper structures than this are refused by renderDeep (and cycles always are). */
export const MAX_RENDER_DEPTH = 500;

/** Trees of the strings, template files and expressions parsed so far (about 30 MB at most). */
const templates = new ParseCache<Template>(1 << 20);
const expressions = new ParseCache<Expression>(1 << 18);

/** Whether `text` has template syntax (`{{`, `{%`, or a `{# … #}` comment); other strings render as themselves. */
export function isTemplated(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || (text.includes('{#') && text.includes('#}'));
}

/** Parses `text` with its `{{ … }}` pieces and `{% %}` statements. Syntax errors are InputError('template'). */
export function parseTemplate(text: string, where?: SourceLocation, options?: TemplateOptions): Template {
  try {
    const key = `${options?.strictComments === true ? 1 : 0}${options?.rawStrings === false ? 0 : 1}${text}`;
    return templates.get(key, () => parseTemplateSource(text, options));
  } catch (error) {
    if (error instanceof SyntaxFault) throw error.toInputError('template', text, where);
    throw error;
  }
}

/** Parses a bare expression (or one `{{ … }}`). Syntax errors are InputError('expression'). */
export function parseExpression(expr: string, where?: SourceLocation): Expression {
  try {
    return expressions.get(expr, () => parseExpressionSource(expr));
  } catch (error) {
    if (error instanceof SyntaxFault) throw error.toInputError('expression', expr, where);
    throw error;
  }
}

/**
 * Renders a string. A string that is exactly one `{{ expr }}` (blank around it allowed) gives the
 * expression's native value (a list stays a list); otherwise the pieces join into a string, with
 * none as '' and lists/dicts as JSON. Strings without template syntax come back unchanged.
 */
export function renderString(text: string, scope: Scope, where?: SourceLocation): unknown {
  if (!isTemplated(text)) return text;
  const template = parseTemplate(text, where);
  return template.statements ? renderStatements(template, scope, where) : evaluateTemplate(template, scope, where);
}

/**
 * Renders a template file (the `template` module's src) to text, as Ansible's template module
 * does: newlines normalized to \n, an unclosed `{#` is an error, the result is always text.
 * Errors are located at FILE:LINE:COL of the file.
 */
export function renderTemplateFile(text: string, scope: Scope, file: string): string {
  const where: SourceLocation = { file, line: 1, col: 1 };
  return renderStatements(parseTemplateFile(text, file), scope, where);
}

/** Parses a template file as renderTemplateFile reads it (the loader checks its syntax early). */
export function parseTemplateFile(text: string, file: string): Template {
  return parseTemplate(text.replace(/\r\n?/g, '\n'), { file, line: 1, col: 1 }, { strictComments: true, rawStrings: false });
}

/** The value of an expression such as a `when:` or `loop:` (a lone `{{ … }}` is stripped). */
export function evaluateExpression(expr: string, scope: Scope, where?: SourceLocation): unknown {
  return evaluateParsed(parseExpression(expr, where), scope, where);
}

/**
 * A `when:` condition. Python's truthiness, except that a string spelling a boolean counts as
 * that boolean ('false', 'no', 'off', '0' are false), because `-e flag=false` gives a string.
 */
export function evaluateCondition(expr: string, scope: Scope, where?: SourceLocation): boolean {
  return conditionValue(evaluateExpression(expr, scope, where));
}

/** How a condition's value decides (exported for `when:` values that YAML already typed). */
export function conditionValue(value: unknown): boolean {
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (['false', 'no', 'off', '0', ''].includes(word)) return false;
    return true;
  }
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (Array.isArray(value)) return value.length > 0;
  if (isMapping(value)) return Object.keys(value).length > 0;
  return true;
}

/**
 * Templates every string inside arrays and plain objects (keys are kept as they are) and returns
 * a new structure; the input is never changed. `__proto__`, `constructor` and `prototype` keys
 * are refused, so a result can never reach a prototype.
 */
export function renderDeep(
  value: unknown,
  scope: Scope,
  whereOf?: (path: readonly (string | number)[]) => SourceLocation | undefined,
): unknown {
  const active = new Set<object>();
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (typeof v === 'string') return isTemplated(v) ? renderString(v, scope, whereOf?.(path)) : v;
    if (typeof v !== 'object' || v === null) return v;
    if (!Array.isArray(v) && !isMapping(v)) return v;
    if (path.length > MAX_RENDER_DEPTH) throw new InputError('template', `data nested more than ${MAX_RENDER_DEPTH} levels deep`, whereOf?.(path));
    if (active.has(v)) throw new InputError('template', 'data contains itself (a cycle)', whereOf?.(path));
    active.add(v);
    try {
      if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) {
        if (FORBIDDEN_KEYS.has(key)) throw new InputError('template', `'${key}' cannot be used as a key`, whereOf?.([...path, key]));
        Object.defineProperty(out, key, { value: walk(v[key], [...path, key]), enumerable: true, writable: true, configurable: true });
      }
      return out;
    } finally {
      active.delete(v);
    }
  };
  return walk(value, []);
}

/** Root variable names an AST reads, in order of first use (filter and function names excluded). */
export function referencedVariables(ast: Template | Expression | Node): string[] {
  const names = new Set<string>();
  visit(ast, (node) => {
    if (node.type === 'name') names.add(node.name);
  }, false);
  return [...names];
}

/**
 * Root variable names read where a missing one is certainly an error: not guarded by `default`,
 * `mandatory` or `is (un)defined`, and not inside a branch that might be skipped (the right side
 * of and/or, the arms of an inline if). The validator reports these statically.
 */
export function unguardedVariables(ast: Template | Expression | Node): string[] {
  const names = new Set<string>();
  visit(ast, (node) => {
    if (node.type === 'name') names.add(node.name);
  }, true);
  return [...names];
}

/** The expressions of a template body, the names its for/set statements bind, and whether each may be skipped. */
function bodyRoots(body: Body, out: { node: Node; maySkip: boolean }[], bound: Set<string>, maySkip: boolean): void {
  for (const part of body) {
    switch (part.type) {
      case 'text':
        break;
      case 'output':
        out.push({ node: part.expr, maySkip });
        break;
      case 'if':
        part.branches.forEach((b, i) => {
          out.push({ node: b.test, maySkip: maySkip || i > 0 });
          bodyRoots(b.body, out, bound, true);
        });
        if (part.otherwise !== undefined) bodyRoots(part.otherwise, out, bound, true);
        break;
      case 'for':
        out.push({ node: part.iterable, maySkip });
        for (const t of part.targets) bound.add(t);
        bound.add('loop');
        if (part.condition !== undefined) out.push({ node: part.condition, maySkip: true });
        bodyRoots(part.body, out, bound, true);
        if (part.otherwise !== undefined) bodyRoots(part.otherwise, out, bound, true);
        break;
      case 'set':
        out.push({ node: part.value, maySkip });
        for (const t of part.targets) bound.add(t);
        break;
    }
  }
}

function visit(ast: Template | Expression | Node, onNode: (node: Node) => void, skipGuarded: boolean): void {
  if (ast.type === 'template' && ast.statements) {
    // Names bound by for/set are the template's own; what a skippable branch reads is not certain.
    const roots: { node: Node; maySkip: boolean }[] = [];
    const bound = new Set<string>();
    bodyRoots(ast.parts, roots, bound, false);
    for (const root of roots) {
      if (skipGuarded && root.maySkip) continue;
      visit(root.node, (node) => {
        if (!(node.type === 'name' && bound.has(node.name))) onNode(node);
      }, skipGuarded);
    }
    return;
  }
  const roots: Node[] = ast.type === 'template' ? ast.parts.flatMap((p) => (p.type === 'output' ? [p.expr] : [])) : ast.type === 'expression' ? [ast.body] : [ast];
  const stack: Node[] = [...roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    onNode(node);
    const children: (Node | undefined)[] = [];
    switch (node.type) {
      case 'literal':
      case 'name':
        break;
      case 'list':
        pushAll(children, node.items);
        break;
      case 'dict':
        for (const e of node.entries) children.push(e.key, e.value);
        break;
      case 'attr':
        children.push(node.object);
        break;
      case 'index':
        children.push(node.object, node.index);
        break;
      case 'slice':
        children.push(node.object, node.from, node.to, node.step);
        break;
      case 'unary':
        children.push(node.operand);
        break;
      case 'binary':
        children.push(node.left);
        if (!(skipGuarded && (node.op === 'and' || node.op === 'or'))) children.push(node.right);
        break;
      case 'compare':
        children.push(node.first, ...node.rest.map((r) => r.operand));
        break;
      case 'conditional':
        children.push(node.test);
        if (!skipGuarded) children.push(node.then, node.otherwise);
        break;
      case 'filter':
        if (!(skipGuarded && (node.name === 'default' || node.name === 'd' || node.name === 'mandatory'))) children.push(node.subject);
        else pushAll(children, lookupIndexes(node.subject));
        pushAll(children, node.args);
        pushAll(children, node.kwargs.map((k) => k.value));
        break;
      case 'test':
        if (!(skipGuarded && (node.name === 'defined' || node.name === 'undefined'))) children.push(node.subject);
        else pushAll(children, lookupIndexes(node.subject));
        pushAll(children, node.args);
        pushAll(children, node.kwargs.map((k) => k.value));
        break;
      case 'method':
        children.push(node.object);
        pushAll(children, node.args);
        pushAll(children, node.kwargs.map((k) => k.value));
        break;
      case 'call':
        pushAll(children, node.args);
        pushAll(children, node.kwargs.map((k) => k.value));
        break;
    }
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child !== undefined) stack.push(child);
    }
  }
}

/** push(...source) without spreading arguments onto the stack (a list literal may be huge). */
function pushAll<T>(target: T[], source: readonly T[]): void {
  for (const item of source) target.push(item);
}

/** In a guarded lookup chain `a[b].c`, the index expressions (`b`) are still read strictly. */
function lookupIndexes(node: Node): Node[] {
  const out: Node[] = [];
  let current: Node = node;
  for (;;) {
    if (current.type === 'attr') current = current.object;
    else if (current.type === 'index') {
      out.push(current.index);
      current = current.object;
    } else break;
  }
  if (current.type !== 'name') out.push(current);
  return out;
}

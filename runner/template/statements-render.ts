// Renders a template with `{% %}` statements to text: if/elif/else, for (with `loop`, tuple
// unpacking, a filter clause and an else), set. Names bound by for and set live in frames read
// before the scope; a loop body gets a fresh frame per item, so a `set` inside it does not leak
// out (Jinja's scoping). Bounded like the rest of the language: the output by MAX_STRING_LENGTH,
// all loops of one render together by MAX_LIST_LENGTH iterations.
import { InputError, type SourceLocation } from '../errors.js';
import { Evaluator, type Locals, type Scope } from './evaluate.js';
import { locate } from './location.js';
import type { Body, ForPart, Node, Template } from './parser.js';
import { MAX_LIST_LENGTH, MAX_STRING_LENGTH, TemplateFault, UNDEFINED, isTruthy, newMapping, setKey, toList, typeName } from './values.js';

/** The names one block level binds, over those of the levels around it. */
class Frame implements Locals {
  readonly #names = new Map<string, unknown>();
  constructor(readonly parent?: Frame) {}
  lookup(name: string): unknown {
    for (let frame: Frame | undefined = this; frame !== undefined; frame = frame.parent) {
      if (frame.#names.has(name)) return frame.#names.get(name);
    }
    return UNDEFINED;
  }
  bind(name: string, value: unknown): void {
    this.#names.set(name, value);
  }
}

/**
 * The text of `template`, with Ansible's newline rule at the end (Jinja's keep_trailing_newline
 * off, then Ansible's preserve_trailing_newlines): the output ends with at least as many newlines
 * as the source does.
 */
export function renderStatements(template: Template, scope: Scope, where: SourceLocation | undefined): string {
  const run = new Run(template, scope, where);
  run.body(template.parts, new Frame());
  let text = run.text();
  const source = template.source;
  const last = template.parts[template.parts.length - 1];
  // Jinja drops the source's final newline before rendering; it can only be in the last text.
  if (source.endsWith('\n') && last?.type === 'text' && last.end === source.length && last.value.endsWith('\n') && text.endsWith('\n')) {
    text = text.slice(0, -1);
  }
  const missing = trailingNewlines(source) - trailingNewlines(text);
  return missing > 0 ? text + '\n'.repeat(missing) : text;
}

function trailingNewlines(text: string): number {
  let n = 0;
  while (n < text.length && text.charCodeAt(text.length - 1 - n) === 10) n++;
  return n;
}

class Run {
  readonly #chunks: string[] = [];
  #length = 0;
  #iterations = 0;

  constructor(
    readonly template: Template,
    readonly scope: Scope,
    readonly where: SourceLocation | undefined,
  ) {}

  text(): string {
    return this.#chunks.join('');
  }

  #fail(message: string, offset: number): InputError {
    return new InputError('template', message, locate(this.where, this.template.source, offset));
  }

  #emit(text: string, offset: number): void {
    this.#length += text.length;
    if (this.#length > MAX_STRING_LENGTH) throw this.#fail(`the rendered text is longer than ${MAX_STRING_LENGTH} characters`, offset);
    this.#chunks.push(text);
  }

  #evaluator(frame: Frame): Evaluator {
    return new Evaluator(this.template.source, this.scope, this.where, frame);
  }

  body(parts: Body, frame: Frame): void {
    const evaluator = this.#evaluator(frame);
    for (const part of parts) {
      switch (part.type) {
        case 'text':
          this.#emit(part.value, part.start);
          break;
        case 'output':
          this.#emit(evaluator.text(part.expr), part.start);
          break;
        case 'if': {
          const branch = part.branches.find((b) => isTruthy(evaluator.evaluate(b.test)));
          const chosen = branch?.body ?? part.otherwise;
          // An if is no scope in Jinja: a set inside it is seen after it.
          if (chosen !== undefined) this.body(chosen, frame);
          break;
        }
        case 'for':
          this.#for(part, frame, evaluator);
          break;
        case 'set':
          this.#bind(part.targets, evaluator.evaluate(part.value), frame, part.value);
          break;
      }
    }
  }

  #bind(targets: readonly string[], value: unknown, frame: Frame, node: Node): void {
    if (targets.length === 1) {
      frame.bind(targets[0] as string, value);
      return;
    }
    if (!Array.isArray(value) || value.length !== targets.length) {
      const what = Array.isArray(value) ? `${value.length} values` : typeName(value);
      throw this.#fail(`cannot unpack ${what} into ${targets.length} names (${targets.join(', ')})`, node.start);
    }
    targets.forEach((name, i) => frame.bind(name, value[i]));
  }

  #items(part: ForPart, evaluator: Evaluator): unknown[] {
    const value = evaluator.evaluate(part.iterable);
    if (value === null) throw this.#fail(`'${this.template.source.slice(part.iterable.start, part.iterable.end)}' is none: there is nothing to loop over`, part.iterable.start);
    try {
      return toList(value, 'for');
    } catch (error) {
      if (error instanceof TemplateFault) throw this.#fail(error.message, part.iterable.start);
      throw error;
    }
  }

  #for(part: ForPart, frame: Frame, evaluator: Evaluator): void {
    let items = this.#items(part, evaluator);
    if (part.condition !== undefined) {
      const condition = part.condition;
      items = items.filter((item) => {
        this.#count(part);
        const probe = new Frame(frame);
        this.#bind(part.targets, item, probe, part.iterable);
        return isTruthy(this.#evaluator(probe).evaluate(condition));
      });
    }
    if (items.length === 0) {
      if (part.otherwise !== undefined) this.body(part.otherwise, frame);
      return;
    }
    const length = items.length;
    items.forEach((item, i) => {
      this.#count(part);
      const inner = new Frame(frame);
      this.#bind(part.targets, item, inner, part.iterable);
      const loop = newMapping();
      setKey(loop, 'index', i + 1);
      setKey(loop, 'index0', i);
      setKey(loop, 'revindex', length - i);
      setKey(loop, 'revindex0', length - i - 1);
      setKey(loop, 'first', i === 0);
      setKey(loop, 'last', i === length - 1);
      setKey(loop, 'length', length);
      setKey(loop, 'depth', 1);
      setKey(loop, 'depth0', 0);
      if (i > 0) setKey(loop, 'previtem', items[i - 1]);
      if (i < length - 1) setKey(loop, 'nextitem', items[i + 1]);
      inner.bind('loop', loop);
      this.body(part.body, inner);
    });
  }

  #count(part: ForPart): void {
    if (++this.#iterations > MAX_LIST_LENGTH) {
      throw this.#fail(`the loops of this template ran more than ${MAX_LIST_LENGTH} times`, part.start);
    }
  }
}

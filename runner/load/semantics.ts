// Checks of a loaded playbook that the schema cannot express: every notify names a handler (or a
// listen topic) of its play, and every variable a template reads is defined somewhere knowable.
import { InputError, InputErrors, type SourceLocation } from '../errors.js';
import type { AnyModule } from '../module.js';
import {
  isTemplated,
  locateOffset,
  parseExpression,
  parseTemplate,
  referencedVariables,
  unguardedVariables,
  type Expression,
  type Template,
} from '../template/index.js';
import { didYouMean, sortErrors } from '../schema/validate.js';
import { pointer, stringsIn } from './walk.js';
import { modules as registry } from '../../modules/index.js';
import type { PlaybookSpec, PlaySpec, TaskSpec } from './types.js';

/**
 * Names every host has without any inventory declaring them. Names starting with `ansible_` are
 * always accepted too (connection settings and Ansible's magic variables).
 */
export const MAGIC_VARIABLES: ReadonlySet<string> = new Set([
  'facts',
  'ansible_facts',
  'inventory_hostname',
  'inventory_hostname_short',
  'inventory_dir',
  'inventory_file',
  'group_names',
  'groups',
  'hostvars',
  'play_hosts',
  'playbook_dir',
  'omit',
  'environment',
  'sparkbook_version',
]);

/** notify names that match no handler name and no listen topic of their play. */
export function checkHandlers(playbook: PlaybookSpec): InputError[] {
  const out: InputError[] = [];
  for (const play of playbook.plays) {
    const topics = new Set<string>();
    for (const h of play.handlers) {
      topics.add(h.name);
      for (const l of h.listen) topics.add(l);
    }
    for (const task of [...play.tasks, ...play.handlers]) {
      task.notify.forEach((name, i) => {
        if (topics.has(name)) return;
        const hint = didYouMean(name, topics);
        const where = task.notifyWhere?.[i] ?? task.where;
        const known = topics.size === 0 ? 'the play has no handlers' : hint ? `did you mean '${hint}'?` : `handlers: ${[...topics].map((t) => `'${t}'`).join(', ')}`;
        out.push(new InputError('schema', `notify: no handler or listen topic named '${name}' in play '${play.name}' (${known})`, where));
      });
    }
  }
  return out;
}

/**
 * Variables read by templates and expressions that nothing defines. Known at a task: `knownNames`
 * (inventory and extra vars; the caller passes them), MAGIC_VARIABLES, `ansible_*`, the play's
 * vars, the task's vars (blocks' included), its loop variable when it loops, and names registered
 * by earlier tasks of this or an earlier play (handlers see every task's). changed_when and
 * failed_when also see the task's own register. Reads guarded by `default`, `is defined` or a
 * branch of and/or/if are not reported (see unguardedVariables).
 */
export function findUndefinedVariables(playbook: PlaybookSpec, knownNames: ReadonlySet<string>, modules: readonly AnyModule[] = registry): InputError[] {
  const expressionParams = new Map(modules.map((m) => [m.name, new Set(m.expressionParams ?? [])]));
  const out: InputError[] = [];
  const registered = new Set<string>();
  for (const play of playbook.plays) {
    const playKnown = new Set<string>([...knownNames, ...Object.keys(play.vars), ...Object.keys(play.roleDefaults ?? {}), ...Object.keys(play.roleVars ?? {})]);
    // An include_tasks loop over a template is rendered when the play starts (include-loops.ts):
    // what this play registers is not there yet.
    const registeredBefore = new Set(registered);
    const check = (task: TaskSpec): void => {
      const own = [...Object.keys(task.vars), ...Object.keys(task.role?.defaults ?? {}), ...Object.keys(task.role?.vars ?? {})];
      const known = new Set<string>([...playKnown, ...registered, ...own]);
      if (task.loop !== undefined) known.add(task.loopVar);
      if (task.loop !== undefined && task.indexVar !== undefined) known.add(task.indexVar);
      if (task.includeLoop !== undefined) {
        known.add(task.includeLoop.loopVar);
        const { loop, loopWhere } = task.includeLoop;
        const bare: TaskSpec = { ...task, params: {}, paramWhere: {}, when: [], changedWhen: [], failedWhen: [], loop, loopWhere };
        for (const { name, error } of taskUndefined(bare, new Set([...playKnown, ...registeredBefore, ...own]), new Set())) {
          const why = `'${name}' is registered in this play before the include, but an include_tasks loop over a template is rendered when the play starts (not supported yet)`;
          out.push(registered.has(name) ? new InputError('undefined-variable', why, error.where) : error);
        }
      }
      out.push(...taskUndefined(task, known, expressionParams.get(task.module) ?? new Set()).map((u) => u.error));
    };
    for (const task of play.tasks) {
      check(task);
      for (const name of definedBy(task)) registered.add(name);
    }
    for (const handler of play.handlers) check(handler);
    for (const handler of play.handlers) for (const name of definedBy(handler)) registered.add(name);
  }
  return sortErrors(out);
}

/** The names a task defines for later tasks: its register, and the variables a set_fact sets. */
function definedBy(task: TaskSpec): string[] {
  const names = task.register ? [task.register] : [];
  if (task.action === 'set_fact') names.push(...Object.keys(task.params).filter((k) => k !== 'cacheable'));
  return names;
}

/** findUndefinedVariables, thrown as InputErrors when there is any. */
export function checkUndefinedVariables(playbook: PlaybookSpec, knownNames: ReadonlySet<string>, modules: readonly AnyModule[] = registry): void {
  const errors = findUndefinedVariables(playbook, knownNames, modules);
  if (errors.length > 0) throw new InputErrors(errors);
}

/** Each undefined read of the task: the name, and the error that says so. */
function taskUndefined(task: TaskSpec, known: ReadonlySet<string>, expressionParams: ReadonlySet<string>): { readonly name: string; readonly error: InputError }[] {
  const out: { name: string; error: InputError }[] = [];
  const isKnown = (name: string): boolean => known.has(name) || MAGIC_VARIABLES.has(name) || name.startsWith('ansible_');
  const report = (ast: Template | Expression, text: string, where: SourceLocation | undefined, extra: readonly string[] = []): void => {
    for (const name of unguardedVariables(ast)) {
      if (isKnown(name) || extra.includes(name)) continue;
      // Magic names too: `inventory_hostnam` is a typo of one far more often than of a user var.
      const hint = didYouMean(name, [...known, ...extra, ...MAGIC_VARIABLES]);
      const at = where ? (locateOffset(where, text, nameOffset(ast, name)) ?? where) : task.where;
      out.push({ name, error: new InputError('undefined-variable', `undefined variable '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`, at) });
    }
  };
  // A name the task's `when:` reads is guarded for the rest of the task: `when: x is defined`
  // protects `{{ x }}` in the params (an unguarded read in the when itself is still reported).
  const guardedByWhen: string[] = [];
  for (const c of task.when) {
    try {
      guardedByWhen.push(...referencedVariables(parseExpression(c.expr, c.where)));
    } catch {
      // reported by the loader
    }
  }
  const template = (text: string, where: SourceLocation | undefined): void => {
    if (!isTemplated(text)) return;
    report(parseTemplate(text, where), text, where, guardedByWhen);
  };
  const expression = (text: string, where: SourceLocation | undefined, extra: readonly string[] = []): void => {
    report(parseExpression(text, where), text, where, extra);
  };
  try {
    for (const [key, value] of Object.entries(task.params)) {
      const top = task.paramWhere[key];
      if (expressionParams.has(key)) {
        if (typeof value === 'string') expression(value, top, guardedByWhen);
        else if (Array.isArray(value)) value.forEach((v, i) => typeof v === 'string' && expression(v, task.templateWhere?.[pointer([key, i])] ?? top, guardedByWhen));
        continue;
      }
      for (const { text, rel } of stringsIn(value, [key])) template(text, task.templateWhere?.[pointer(rel)] ?? top);
    }
    if (typeof task.loop === 'string') template(task.loop, task.loopWhere);
    for (const c of task.when) expression(c.expr, c.where);
    const own = task.register ? [task.register] : [];
    for (const c of [...task.changedWhen, ...task.failedWhen, ...(task.until ?? [])]) expression(c.expr, c.where, [...own, 'result']);
  } catch (e) {
    // A syntax error was already reported by the loader; nothing more to say here.
    if (!(e instanceof InputError)) throw e;
  }
  return out;
}

/** Offset of the first node reading `name` (the whole text when not found). */
function nameOffset(ast: unknown, name: string): number {
  let best = -1;
  const stack: unknown[] = [ast];
  const seen = new Set<unknown>();
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    const n = node as { type?: unknown; name?: unknown; start?: unknown };
    if (n.type === 'name' && n.name === name && typeof n.start === 'number' && (best < 0 || n.start < best)) best = n.start;
    for (const v of Object.values(node)) if (typeof v === 'object' && v !== null) stack.push(v);
  }
  return Math.max(0, best);
}

// Variables that refer to other variables (`lan: "{{ facts.defaultRoute.cidr }}"`, then
// `rule: "from {{ lan }}"`) are rendered in dependency order, as Ansible's lazy templating does.
// Only the given vars are rendered: facts and registered results stay data, so text that came
// from a host can never be run as a template.
import { InputError, type SourceLocation } from '../errors.js';
import type { Scope } from './evaluate.js';
import { renderDeep, isTemplated, parseTemplate, referencedVariables } from './render.js';
import { FORBIDDEN_KEYS, isMapping } from './values.js';

/** Where a string inside variable `name` is (path within its value), if known. */
export type VariableLocator = (name: string, path: readonly (string | number)[]) => SourceLocation | undefined;

/**
 * Renders every variable of `vars` against `base` plus the other vars, each after the vars it
 * uses. Returns the new scope (base, then the rendered vars). A cycle is an InputError that
 * lists it: `variables refer to each other: a → b → a`.
 */
export function resolveVariables(vars: Readonly<Record<string, unknown>>, base: Scope, whereOf?: VariableLocator): Record<string, unknown> {
  const scope: Record<string, unknown> = { ...base };
  const state = new Map<string, 'active' | 'done'>();
  const own = (name: string): boolean => !FORBIDDEN_KEYS.has(name) && Object.hasOwn(vars, name);

  const resolve = (name: string, chain: readonly string[]): void => {
    const now = state.get(name);
    if (now === 'done') return;
    if (now === 'active') {
      const cycle = [...chain.slice(chain.indexOf(name)), name].join(' → ');
      throw new InputError('template', `variables refer to each other: ${cycle}`, whereOf?.(name, []));
    }
    state.set(name, 'active');
    const value = vars[name];
    for (const { text, path } of templatedStrings(value)) {
      for (const dependency of referencedVariables(parseTemplate(text, whereOf?.(name, path)))) {
        if (own(dependency)) resolve(dependency, [...chain, name]);
      }
    }
    Object.defineProperty(scope, name, {
      value: renderDeep(value, scope, (path) => whereOf?.(name, path)),
      enumerable: true,
      writable: true,
      configurable: true,
    });
    state.set(name, 'done');
  };

  for (const name of Object.keys(vars)) {
    if (FORBIDDEN_KEYS.has(name)) throw new InputError('vars', `'${name}' cannot be a variable name`, whereOf?.(name, []));
    resolve(name, []);
  }
  return scope;
}

function templatedStrings(value: unknown): { text: string; path: (string | number)[] }[] {
  const found: { text: string; path: (string | number)[] }[] = [];
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  const seen = new Set<unknown>();
  while (stack.length > 0) {
    const { v, path } = stack.pop() as { v: unknown; path: (string | number)[] };
    if (typeof v === 'string') {
      if (isTemplated(v)) found.push({ text: v, path });
    } else if (typeof v === 'object' && v !== null && !seen.has(v)) {
      seen.add(v);
      if (Array.isArray(v)) v.forEach((item, i) => stack.push({ v: item, path: [...path, i] }));
      else if (isMapping(v)) for (const k of Object.keys(v)) stack.push({ v: v[k], path: [...path, k] });
    }
  }
  return found;
}

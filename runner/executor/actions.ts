// Task keys the executor does itself (runner/schema/actions.ts): set_fact sets host variables;
// meta steers the play (its flush_handlers is done by the play loop in run.ts). Neither touches
// the host, so check mode changes nothing about them: set_fact sets its variables in check mode
// too, as Ansible does, and later tasks are planned with them.
import { renderDeep, type Scope } from '../template/render.js';
import type { TaskSpec } from '../load/types.js';
import { failureOf, type TaskOutcome } from './task.js';

const BOOLEAN_WORDS: ReadonlySet<string> = new Set(['true', 'false', 'yes', 'no']);

/** A set_fact task's variables, rendered in `scope`; `cacheable` is Ansible's and ignored. */
export function runSetFact(task: TaskSpec, scope: Scope): TaskOutcome & { readonly facts?: Record<string, unknown> } {
  try {
    const rendered = renderDeep(task.params, scope, (path) => task.paramWhere[String(path[0])]) as Record<string, unknown>;
    const { cacheable: _ignored, ...given } = rendered;
    // As Ansible's set_fact (without jinja2_native): a string true/false/yes/no, rendered or
    // written, becomes the boolean, so `set_fact: flag=yes` and `flag: "{{ 'no' }}"` are booleans.
    const facts = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, typeof v === 'string' && BOOLEAN_WORDS.has(v.toLowerCase()) ? ['true', 'yes'].includes(v.toLowerCase()) : v]));
    return { status: 'ok', pending: false, changes: [], facts, registered: { changed: false, failed: false, skipped: false, ansible_facts: facts } };
  } catch (error) {
    return failureOf(error);
  }
}

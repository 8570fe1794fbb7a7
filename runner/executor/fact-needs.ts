// Which fact groups a play must gather on a host (runner/facts/groups.ts): `base` always, plus
// what its templates, expressions and modules can read, plus what the host's inventory vars and
// the extra vars can read (they are templated in the host's scope): withFactGroupsOf.
import { ALL_FACT_GROUPS, type FactGroup } from '../facts/groups.js';
import { findControllerFile } from '../load/controller-files.js';
import { controllerFileText } from './controller-files.js';
import { scanForFactGroups } from '../facts/scan-groups.js';
import type { InventoryHost } from '../inventory/types.js';
import type { AnyModule } from '../module.js';
import type { PlaySpec, TaskSpec } from '../load/types.js';
import { isTemplated } from '../template/index.js';

/** What of a task is templated or evaluated in the host's scope. */
function taskText(task: TaskSpec): unknown[] {
  return [
    task.params,
    task.when.map((w) => w.expr),
    task.loop,
    task.includeLoop?.loop,
    task.vars,
    // A role's own defaults and vars (an include_role's are not play-wide).
    task.role?.defaults ?? {},
    task.role?.vars ?? {},
    task.changedWhen.map((c) => c.expr),
    task.failedWhen.map((c) => c.expr),
    // A name is only read as a template when it has one ("gather facts" is just words).
    isTemplated(task.name) ? task.name : '',
  ];
}

/**
 * The text of the templates a task renders on the controller (rule 12 of Module), read now so
 * their fact reads count; undefined when one cannot be known before the task runs (a templated src).
 */
function renderedFiles(task: TaskSpec, module: AnyModule | undefined): string[] | undefined {
  const texts: string[] = [];
  for (const [param, spec] of Object.entries(module?.controllerFiles ?? {})) {
    const src = task.params[param];
    if (!spec.render || typeof src !== 'string') continue;
    if (isTemplated(src)) return undefined;
    const result = findControllerFile(src, spec.under, task.baseDirs);
    if (!('found' in result)) continue; // the loader already refused it
    try {
      texts.push(controllerFileText(result.found, param, task.paramWhere[param]));
    } catch {
      return undefined;
    }
  }
  return texts;
}

/** The groups a play reads through its own text and modules; ALL when something can read any fact. */
export function playFactGroups(play: PlaySpec, findModule: (name: string) => AnyModule | undefined): ReadonlySet<FactGroup> {
  const groups = new Set<FactGroup>(['base']);
  const tasks = [...play.tasks, ...play.handlers];
  const files: string[] = [];
  for (const task of tasks) {
    const texts = renderedFiles(task, findModule(task.module));
    if (texts === undefined) return ALL_FACT_GROUPS;
    files.push(...texts);
  }
  if (!scanForFactGroups([play.vars, play.roleDefaults ?? {}, play.roleVars ?? {}, ...tasks.map(taskText), files], groups)) return ALL_FACT_GROUPS;
  for (const task of tasks) {
    const module = findModule(task.module);
    // A module we cannot name here fails later on its own; it reads nothing meanwhile.
    for (const g of module?.factGroups ?? []) groups.add(g);
  }
  return groups;
}

/** `groups` plus what `vars` (a host's inventory vars, the extra vars) can read. */
export function withFactGroupsOf(groups: ReadonlySet<FactGroup>, vars: Readonly<Record<string, unknown>>): ReadonlySet<FactGroup> {
  if (groups === ALL_FACT_GROUPS) return groups;
  const more = new Set(groups);
  return scanForFactGroups(vars, more) ? more : ALL_FACT_GROUPS;
}

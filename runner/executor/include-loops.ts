// The tasks of an include_tasks that loops over a template (`loop: "{{ users }}"`), run once per
// item. The loader reads and checks the included tasks once (TaskSpec.includeLoop); here, per host
// when its play starts, the loop is rendered and the group of tasks repeated for each item, in
// order, with the loop variable in their vars: all tasks for the first item, then for the next,
// as Ansible runs them. Ansible renders the loop when the include is reached; rendering it at the
// start of the play means it cannot read what this play registers before the include (that is a
// located error naming the variable, as any undefined variable).
import type { InventoryHost } from '../inventory/types.js';
import type { PlaySpec, TaskSpec } from '../load/types.js';
import { renderString, type Scope } from '../template/index.js';
import { itemsOf } from './loop-items.js';
import { withOwnRole } from './role-scope.js';
import { taskScope } from './vars.js';

/** What rendering an include's loop needs of the host and the run. */
export interface IncludeLoopContext {
  readonly scope: Scope;
  readonly registered: Readonly<Record<string, unknown>>;
  readonly play: PlaySpec;
  readonly host: InventoryHost;
  readonly extraVars: Readonly<Record<string, unknown>>;
}

/** `tasks` with every include loop group repeated per item; `tasks` itself when there is none. Throws a located error when a loop does not render to a list. */
export function expandIncludeLoops(tasks: readonly TaskSpec[], ctx: IncludeLoopContext): readonly TaskSpec[] {
  if (!tasks.some((t) => t.includeLoop !== undefined)) return tasks;
  const out: TaskSpec[] = [];
  for (let i = 0; i < tasks.length; ) {
    const first = tasks[i] as TaskSpec;
    const loop = first.includeLoop;
    if (loop === undefined) {
      out.push(first);
      i++;
      continue;
    }
    let end = i;
    while (end < tasks.length && tasks[end]?.includeLoop === loop) end++;
    const group = tasks.slice(i, end);
    const scope = taskScope(withOwnRole(ctx.scope, first, ctx.play, ctx.host, ctx.extraVars), ctx.registered, first.vars, undefined, ctx.extraVars);
    // An include's loop is `loop:` (the loader takes no with_* on an include): a list, whatever the included tasks loop over.
    const items = itemsOf('list', renderString(loop.loop, scope, loop.loopWhere), loop.loopWhere, '.');
    for (const item of items) for (const task of group) out.push({ ...task, vars: { ...task.vars, [loop.loopVar]: item } });
    i = end;
  }
  return out;
}

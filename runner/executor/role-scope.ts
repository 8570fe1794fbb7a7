// A role's own defaults and vars over the play-wide ones, for the role's own tasks. Every role's
// defaults (level 0) and vars (level 2) are merged play-wide in hostScope, the later role winning;
// Ansible's VariableManager then adds the task's own role's defaults and vars again, so a role's
// tasks see their own value where two roles set the same name. Applied here on the host's scope,
// below registered results, task vars and extra vars, as taskScope then adds them.
import type { InventoryHost } from '../inventory/types.js';
import type { PlaySpec, RoleScope, TaskSpec } from '../load/types.js';
import { resolveVariables, type Scope } from '../template/index.js';

/** Per host scope object, the scope of each role (one object per role brought in): built once. */
const cache = new WeakMap<Scope, Map<RoleScope, Scope>>();

/** `scope` as the tasks of `task.role` see it; `scope` itself for a task outside any role. */
export function withOwnRole(scope: Scope, task: TaskSpec, play: PlaySpec, host: InventoryHost, extraVars: Readonly<Record<string, unknown>>): Scope {
  const role = task.role;
  if (!role) return scope;
  let byRole = cache.get(scope);
  if (!byRole) {
    byRole = new Map();
    cache.set(scope, byRole);
  }
  const known = byRole.get(role);
  if (known) return known;
  const own: Record<string, unknown> = {};
  // A role default only counts where nothing above level 0 sets the name.
  const above = (name: string): boolean => name in host.vars || name in play.vars || name in (play.roleVars ?? {}) || name in extraVars;
  for (const [name, value] of Object.entries(role.defaults)) if (!above(name) && play.roleDefaults?.[name] !== value) own[name] = value;
  for (const [name, value] of Object.entries(role.vars)) if (!(name in extraVars) && play.roleVars?.[name] !== value) own[name] = value;
  const out = Object.keys(own).length === 0 ? scope : resolveVariables(own, scope);
  byRole.set(role, out);
  return out;
}

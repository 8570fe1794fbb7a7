// `environment:` (play, block, task): variables exported for a task's scripts on the host. The
// layers are rendered per host and merged (the task's over its blocks' over the play's); names are
// checked, values quoted by the `sh` template, so a value never becomes shell syntax.
import { TaskError, type SourceLocation } from '../errors.js';
import { joinScripts, rawShell, sh, type Script } from '../shell/script.js';
import { renderDeep, renderString, type Scope } from '../template/render.js';
import type { TaskSpec } from '../load/types.js';

/** A shell variable name: what `export NAME=` accepts. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The task's environment layers rendered in `scope` and merged; {} without any. */
export function renderEnvironment(task: TaskSpec, scope: Scope): Record<string, string> {
  const out: Record<string, string> = {};
  for (const layer of task.environment ?? []) {
    const where: SourceLocation | undefined = layer.where;
    const value = typeof layer.value === 'string' ? renderString(layer.value, scope, where) : renderDeep(layer.value, scope, () => where);
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new TaskError('template', `environment must be a mapping of variables, got ${Array.isArray(value) ? 'list' : typeof value}`, where);
    for (const [name, v] of Object.entries(value)) {
      if (!ENV_NAME.test(name)) throw new TaskError('template', `environment: '${name}' is not a shell variable name`, where);
      if (v !== null && typeof v === 'object') throw new TaskError('template', `environment: '${name}' must be a string, number or boolean`, where);
      out[name] = v === null || v === undefined ? '' : String(v);
    }
  }
  return out;
}

/** `script` preceded by an `export NAME='value'` line per variable. */
export function withEnvironment(env: Readonly<Record<string, string>>, script: Script): Script {
  // The names were checked against ENV_NAME; the values are quoted by sh.
  const exports = Object.entries(env).map(([name, value]) => {
    if (!ENV_NAME.test(name)) throw new TaskError('template', `environment: '${name}' is not a shell variable name`);
    return sh`export ${rawShell(name)}=${value}`;
  });
  return joinScripts([...exports, script]);
}

// One task on one host: when → template → probe → plan → (check: stop) → apply → verify.
// The only place where check mode is decided: modules never see it.
import { HostError, TaskError, formatLocated, type FailureKind } from '../errors.js';
import type { Connection, RunOptions, RunResult } from '../connection/connection.js';
import { withEnvironment } from './environment.js';
import type { Facts } from '../facts/facts.js';
import { countsTowardConvergence, isRunOnly, moduleRegistered, plannedOf, type AnyModule, type Change, type PlanContext } from '../module.js';
import type { TaskSpec } from '../load/types.js';
import { joinScripts, sh, type Script } from '../shell/script.js';
import { isSecret, redactKnownSecrets } from '../shell/secret.js';
import { conditionValue, evaluateCondition, evaluateExpression, renderDeep, renderString, type Scope } from '../template/render.js';
import { renderUnifiedDiff } from '../text/diff.js';
import type { ChangeReport, TaskStatus } from './events.js';
import { errorText, failureKindOf } from './failure.js';
import { readControllerFiles } from './controller-files.js';
import { prepareParams } from './params.js';
import { itemsOf } from './loop-items.js';
import type { ProbeBatch } from './probe-batch.js';

export interface TaskRunContext {
  readonly conn: Connection;
  readonly facts: Facts;
  readonly check: boolean;
  readonly diff: boolean;
  readonly becomeUser: string | undefined;
  readonly timeoutMs: number | undefined;
  readonly module: AnyModule;
  /** An earlier task on this host is pending (check mode): unmet preconditions may be its doing. */
  readonly earlierPending: boolean;
  /** Prefetched probe answers (probe-batch.ts); consulted before a probe runs on its own. */
  readonly probes?: ProbeBatch;
  /** `environment:` rendered: variables exported for every script of the task. */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * Whether this task runs in check mode: the run's --check, unless the task says otherwise
 * (`check_mode: true` always plans only; `check_mode: false` applies even under --check).
 */
export function checksTask(task: TaskSpec, runCheck: boolean): boolean {
  return task.checkMode ?? runCheck;
}

/** The outcome of one task (or one loop item) before it becomes a TaskResult event. */
export interface TaskOutcome {
  readonly status: Exclude<TaskStatus, 'unreachable'>;
  readonly pending: boolean;
  readonly changes: readonly ChangeReport[];
  readonly message?: string;
  readonly reason?: string;
  /** What kind of failure, when status is failed (runner/errors.ts). */
  readonly errorKind?: FailureKind;
  /** What `register:` stores. */
  readonly registered: Record<string, unknown>;
  /** The connection endpoint changed (an SSH port move). */
  readonly endpointChanged?: boolean;
}

/** A failed outcome as every failure reports and registers it: `msg` is the reason, `extra` adds to what is registered. */
export function failedOutcome(kind: FailureKind, reason: string, extra: Record<string, unknown> = {}): TaskOutcome {
  return { status: 'failed', pending: false, changes: [], reason, errorKind: kind, registered: { changed: false, failed: true, skipped: false, msg: reason, ...extra } };
}

/** The failed outcome of a thrown error: its kind and its text. */
export function failureOf(error: unknown): TaskOutcome {
  return failedOutcome(failureKindOf(error), errorText(error));
}

function masked(text: string): string {
  return redactKnownSecrets(text);
}

function reportChange(change: Change, withDiff: boolean, noLog: boolean): ChangeReport {
  const base = { action: change.action, target: change.target, summary: noLog ? '(output hidden by no_log)' : masked(change.summary) };
  if (!withDiff || !change.diff || noLog) return base;
  const { before, after } = change.diff;
  const diff = isSecret(before) || isSecret(after)
    ? '(secret content: diff not shown)'
    : masked(renderUnifiedDiff(before, after, { before: `${change.target} (before)`, after: `${change.target} (after)` }));
  return { ...base, diff };
}

function runResultVars(result: RunResult | undefined): Record<string, unknown> {
  if (!result) return {};
  const stdout = masked(result.stdout.replace(/\n$/, ''));
  const stderr = masked(result.stderr.replace(/\n$/, ''));
  return {
    rc: result.exitCode,
    stdout,
    stderr,
    stdout_lines: stdout === '' ? [] : stdout.split('\n'),
    stderr_lines: stderr === '' ? [] : stderr.split('\n'),
  };
}

function describeFailure(result: RunResult, what: string): string {
  if (result.timedOut) return `${what} timed out after ${Math.round(result.durationMs / 1000)} s`;
  const err = masked(result.stderr.trim() || result.stdout.trim());
  const tail = err.length > 2000 ? `…${err.slice(-2000)}` : err;
  return `${what} failed (exit ${result.exitCode ?? result.signal})${tail ? `: ${tail}` : ''}`;
}

/** Evaluates the params named in expressionParams, and reads the controller files (rule 12), into the PlanContext. */
function evaluateExpressions(module: AnyModule, task: TaskSpec, params: Record<string, unknown>, scope: Scope): PlanContext {
  const expressions = new Map<string, unknown>();
  for (const name of module.expressionParams ?? []) {
    const raw = params[name];
    const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    for (const item of list) {
      if (typeof item === 'boolean') expressions.set(String(item), item);
      else if (typeof item === 'string') expressions.set(item, evaluateExpression(item, scope, task.paramWhere[name]));
    }
  }
  return { expressions, files: readControllerFiles(module, task, params, scope) };
}

/** Templates a task's params, checks them against the module's schema, evaluates its expressions. */
function prepareTaskParams(task: TaskSpec, module: AnyModule, scope: Scope): { params: Record<string, unknown>; planContext: PlanContext } | { error: string } {
  const rendered = renderDeep(task.params, scope, (path) => task.paramWhere[String(path[0])]) as Record<string, unknown>;
  const prepared = prepareParams(module, rendered);
  if ('error' in prepared) return { error: formatLocated(prepared.error, task.where) };
  return { params: prepared.params, planContext: evaluateExpressions(module, task, prepared.params, scope) };
}

/** The probe script a task would run now, or undefined when it has none or cannot tell yet. */
export function plannedProbeScript(task: TaskSpec, module: AnyModule, scope: Scope, facts: Facts): Script | undefined {
  try {
    if (!whenHolds(task, scope)) return undefined;
    const prepared = prepareTaskParams(task, module, scope);
    if ('error' in prepared) return undefined;
    const script = module.probe(prepared.params, facts, prepared.planContext).script;
    return script.isEmpty ? undefined : script;
  } catch {
    // Depends on something not known yet (a result registered later): probed just in time.
    return undefined;
  }
}

/** The changes of a plan and the private data its module's apply receives untouched. */
interface PlanOutcome {
  readonly changes: readonly Change[];
  readonly privateData: unknown;
  readonly observed: unknown;
}

/**
 * Runs one task (one loop item) on one host, by the rules of runner/module.ts. Never throws for a
 * task failure: failures are outcomes with a kind. A HostError (the connection is gone)
 * propagates: the caller marks the host unreachable.
 */
export async function runTaskOnce(task: TaskSpec, scope: Scope, ctx: TaskRunContext): Promise<TaskOutcome> {
  const { module } = ctx;
  const check = checksTask(task, ctx.check);
  const env = ctx.environment ?? {};
  const withEnv = Object.keys(env).length > 0;
  // With an environment, every script starts with its exports; a prefetched probe ran without them.
  const run = (script: Script, options: RunOptions): Promise<RunResult> => ctx.conn.run(withEnv ? withEnvironment(env, script) : script, options);
  const probes = withEnv ? undefined : ctx.probes;
  const runOptions = {
    ...(ctx.becomeUser ? { becomeUser: ctx.becomeUser } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
  };

  let params: Record<string, unknown>;
  let planContext: PlanContext;
  try {
    const prepared = prepareTaskParams(task, module, scope);
    if ('error' in prepared) return failedOutcome('schema', prepared.error);
    ({ params, planContext } = prepared);
  } catch (error) {
    return failureOf(error);
  }

  const probeAndPlan = async (): Promise<PlanOutcome | TaskOutcome> => {
    let probe;
    try {
      probe = module.probe(params, ctx.facts, planContext);
    } catch (error) {
      return failureOf(error);
    }
    let observed: unknown;
    if (probe.script.isEmpty) {
      observed = probe.parse({ exitCode: 0, signal: null, stdout: '', stderr: '', durationMs: 0, timedOut: false });
    } else {
      const result = probes?.take(probe.script, ctx.becomeUser) ?? (await run(probe.script, runOptions));
      if (result.timedOut) return failedOutcome('timeout', describeFailure(result, 'probe'));
      try {
        observed = probe.parse(result);
      } catch (error) {
        return failedOutcome(failureKindOf(error), `could not read the host's state: ${errorText(error)}`);
      }
    }
    try {
      const planned = plannedOf(module.plan(params, observed, ctx.facts, planContext));
      return { changes: planned.changes, privateData: planned.private, observed };
    } catch (error) {
      if (check && ctx.earlierPending && error instanceof TaskError && error.kind === 'precondition') {
        const reason = `depends on earlier pending changes: ${errorText(error)}`;
        return { status: 'changed', pending: true, changes: [], reason, registered: { changed: true, failed: false, skipped: false, pending: true, msg: reason } };
      }
      return failureOf(error);
    }
  };

  const first = await probeAndPlan();
  if ('status' in first) return first;
  const message = (() => {
    try {
      const m = module.message?.(params, first.observed, planContext);
      return m === undefined ? undefined : (task.noLog ? '(output hidden by no_log)' : masked(m));
    } catch {
      return undefined;
    }
  })();
  const reports = first.changes.map((c) => reportChange(c, ctx.diff, task.noLog));
  // Rule 11 of Module: the module's own registered values, under the executor's keys.
  const summaryVars = { ...moduleRegistered(module.register?.(params, first.observed)), changes: reports.map((r) => ({ action: r.action, target: r.target, summary: r.summary })) };
  if (first.changes.length === 0) {
    return {
      status: 'ok', pending: false, changes: [], ...(message !== undefined ? { message } : {}),
      registered: { changed: false, failed: false, skipped: false, ...(message !== undefined ? { msg: message } : {}), ...summaryVars },
    };
  }
  if (check) {
    return {
      status: 'changed', pending: true, changes: reports, ...(message !== undefined ? { message } : {}),
      registered: { changed: true, failed: false, skipped: false, pending: true, ...summaryVars },
    };
  }

  // Apply (rule 6). From here on the host changes: no prefetched probe answer is current any more.
  ctx.probes?.invalidate();
  let applyResult: RunResult | undefined;
  let endpointChanged = false;
  try {
    if (module.apply) {
      const log: string[] = [];
      const before = ctx.conn.endpoint;
      await module.apply(first.changes, {
        run: (script) => run(script, runOptions),
        reconnect: async (target) => {
          if (!ctx.conn.reconnect) throw new TaskError('module', `this connection (${ctx.conn.endpoint.transport}) cannot reconnect to another port`);
          return ctx.conn.reconnect(target);
        },
        get endpoint() {
          return ctx.conn.endpoint;
        },
        log: (line) => log.push(masked(line)),
      }, first.privateData);
      endpointChanged = ctx.conn.endpoint.port !== before.port || ctx.conn.endpoint.address !== before.address;
    } else {
      const scripts = first.changes.map((c) => c.script);
      const missing = first.changes.find((c) => c.script === undefined);
      if (missing !== undefined) {
        return { ...failedOutcome('internal', `${module.name}: the change "${masked(missing.summary)}" has no script and the module no apply (a bug in the module)`), changes: reports };
      }
      applyResult = await run(joinScripts([sh`set -e`, ...(scripts as Script[])]), runOptions);
      if (applyResult.exitCode !== 0) {
        const runOnly = isRunOnly(first.changes);
        const kind: FailureKind = applyResult.timedOut ? 'timeout' : runOnly ? 'command' : 'module';
        return { ...failedOutcome(kind, describeFailure(applyResult, runOnly ? 'command' : 'change'), runResultVars(applyResult)), changes: reports };
      }
    }
  } catch (error) {
    if (error instanceof HostError) throw error;
    return { ...failureOf(error), changes: reports };
  }

  // Verify (rule 7).
  if (module.verify !== false) {
    const second = await probeAndPlan();
    if ('status' in second) return { ...second, changes: reports };
    const leftover = second.changes.filter(countsTowardConvergence);
    if (leftover.length > 0) {
      const reason = `did not converge: after applying, ${leftover.length} change(s) remain: ${leftover.map((c) => masked(c.summary)).join('; ')}`;
      return { ...failedOutcome('not-converged', reason), changes: reports };
    }
  }
  return {
    status: 'changed', pending: false, changes: reports, ...(message !== undefined ? { message } : {}), endpointChanged,
    registered: { changed: true, failed: false, skipped: false, ...runResultVars(applyResult), ...summaryVars },
  };
}

/** Applies `changed_when` / `failed_when` to an outcome, with the result bound to `result` and the register name. */
export function applyResultConditions(task: TaskSpec, outcome: TaskOutcome, scope: Scope): TaskOutcome {
  if (task.changedWhen.length === 0 && task.failedWhen.length === 0) return outcome;
  if (outcome.pending) return outcome;
  const bound: Record<string, unknown> = { ...scope, result: outcome.registered };
  if (task.register) bound[task.register] = outcome.registered;
  let status = outcome.status;
  try {
    if (task.failedWhen.length > 0) {
      const failed = task.failedWhen.every((c) => evaluateCondition(c.expr, bound, c.where));
      if (failed && status !== 'failed') status = 'failed';
      if (!failed && status === 'failed') status = outcome.changes.length > 0 ? 'changed' : 'ok';
    }
    if (status !== 'failed' && task.changedWhen.length > 0) {
      const changed = task.changedWhen.every((c) => evaluateCondition(c.expr, bound, c.where));
      status = changed ? 'changed' : 'ok';
    }
  } catch (error) {
    return { ...outcome, status: 'failed', reason: errorText(error), errorKind: failureKindOf(error) };
  }
  const { reason: previousReason, errorKind: previousKind, ...rest } = outcome;
  return {
    ...rest,
    status,
    ...(status === 'failed' ? { reason: previousReason ?? 'failed_when is true', errorKind: previousKind ?? 'module' } : {}),
    registered: { ...outcome.registered, changed: status === 'changed', failed: status === 'failed' },
  };
}

/** Evaluates a task's `when:` list (all must hold). */
export function whenHolds(task: TaskSpec, scope: Scope): boolean {
  return task.when.every((w) => conditionValue(evaluateExpression(w.expr, scope, w.where)));
}

/**
 * Renders `loop:` (or a `with_*` form) into a list of items, by the task's loop style
 * (loop-items.ts); `baseDir` is where with_fileglob's relative patterns start (the playbook's).
 */
export function loopItems(task: TaskSpec, scope: Scope, baseDir = '.'): unknown[] | undefined {
  if (task.loop === undefined) return undefined;
  const value = typeof task.loop === 'string' ? renderString(task.loop, scope, task.loopWhere) : renderDeep(task.loop, scope, () => task.loopWhere);
  return itemsOf(task.loopStyle ?? 'list', value, task.loopWhere, baseDir);
}


/** Waits between `until` attempts; replaced in tests. */
export type Sleep = (ms: number) => Promise<void>;
const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `until`/`retries`/`delay`: runs `attempt` until the conditions hold on its result (bound to the
 * register name and `result`), at most `retries` + 1 times (Ansible's count), `delay` seconds
 * apart. `attempts` is added to the result. In check mode a pending attempt is final: nothing
 * ran, so nothing can have become true by waiting.
 */
export async function runUntil(task: TaskSpec, scope: Scope, attempt: () => Promise<TaskOutcome>, wait: Sleep = sleep): Promise<TaskOutcome> {
  const conditions = task.until ?? [];
  const most = (task.retries ?? 3) + 1;
  for (let n = 1; ; n++) {
    const outcome = await attempt();
    const counted = { ...outcome, registered: { ...outcome.registered, attempts: n } };
    if (outcome.pending) return counted;
    const bound: Record<string, unknown> = { ...scope, result: counted.registered };
    if (task.register) bound[task.register] = counted.registered;
    if (conditions.every((c) => evaluateCondition(c.expr, bound, c.where))) return counted;
    if (n >= most) {
      const reason = `until was still false after ${n} attempt(s)${outcome.reason ? `: ${outcome.reason}` : ''}`;
      return { ...counted, status: 'failed', reason, errorKind: outcome.errorKind ?? 'assert', registered: { ...counted.registered, failed: true, msg: reason } };
    }
    await wait((task.delay ?? 5) * 1000);
  }
}

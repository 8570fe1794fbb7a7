// Plays, batches and hosts. Plays are barriers; within a play every host moves through its
// tasks on its own (a slow host never holds the others), up to --forks at once; `serial:`
// splits a play's hosts into batches, and a batch over the failure budget stops the rollout.
import { HostError, formatLocated, type FailureKind } from '../errors.js';
import type { Connection } from '../connection/connection.js';
import { emptyFacts, type Facts } from '../facts/facts.js';
import { mergeFacts, type FactGroup } from '../facts/groups.js';
import { playFactGroups, withFactGroupsOf } from './fact-needs.js';
import type { Inventory, InventoryHost } from '../inventory/types.js';
import { selectHosts } from '../inventory/pattern.js';
import type { PlaybookSpec, PlaySpec, TaskSpec } from '../load/types.js';
import type { AnyModule } from '../module.js';
import path from 'node:path';
import { isTemplated, renderDeep, renderString, type Scope } from '../template/render.js';
import { splitIntoBatches } from './batches.js';
import { leaveFailingBlocks, recover, skipUnenteredRescues, type Failing, type Recovery } from './blocks.js';
import { errorText, failureKindOf } from './failure.js';
import type { HostRecap, RunEventListener, TaskResult, TaskStatus } from './events.js';
import type { ExecutorOptions, HostAccess } from './options.js';
import { runPool } from './pool.js';
import { runnableTasksByPlay } from './selection.js';
import { applyResultConditions, checksTask, failureOf, loopItems, plannedProbeScript, runTaskOnce, runUntil, whenHolds, type TaskOutcome } from './task.js';
import { runSetFact } from './actions.js';
import { RunOnce } from './run-once.js';
import { renderEnvironment } from './environment.js';
import { hostScope, taskScope } from './vars.js';
import { withOwnRole } from './role-scope.js';
import { expandIncludeLoops } from './include-loops.js';
import { isInShard } from './shard.js';
import { ProbeBatch, type PlannedProbe } from './probe-batch.js';

export interface RunInput {
  readonly playbook: PlaybookSpec;
  readonly inventory: Inventory;
  readonly options: ExecutorOptions;
  readonly access: HostAccess;
  readonly findModule: (name: string) => AnyModule | undefined;
  readonly emit: RunEventListener;
}

export interface RunSummary {
  readonly recap: readonly HostRecap[];
  /** Hosts that failed or were unreachable (for the retry file). */
  readonly failedHosts: readonly string[];
  /** Some task would change something (check mode) or changed something. */
  readonly changed: boolean;
  readonly durationMs: number;
  readonly stopped: boolean;
}

interface HostState {
  readonly host: InventoryHost;
  conn?: Connection;
  facts?: Facts;
  /** The fact groups `facts` holds (a play gathers only what it reads: fact-needs.ts). */
  factGroups: ReadonlySet<FactGroup>;
  /** Something changed on the host since its facts were gathered. */
  factsStale: boolean;
  failed: boolean;
  unreachable: boolean;
  started: boolean;
  registered: Record<string, unknown>;
  /** A task on this host is pending in check mode. */
  pending: boolean;
  readonly recap: HostRecap;
}

const GATHER_TASK = 'Gathering Facts';

/** What every host of a play runs, decided once per play. */
interface PlayPlan {
  /** The play's tasks from --start-at-task on (none when it is in a later play), those the tags select. */
  readonly tasks: readonly TaskSpec[];
  /** Fact groups the play and the extra vars read (fact-needs.ts); empty without gather_facts. */
  readonly factGroups: ReadonlySet<FactGroup>;
}

const NO_FACT_GROUPS: ReadonlySet<FactGroup> = new Set();

const FATAL_NOT_STARTED = 'skipped (rollout stopped: any_errors_fatal)';
/** A host that had started when another failed under any_errors_fatal: its later tasks never ran. */
const FATAL_STOPPED = 'stopped (any_errors_fatal: another host failed)';

export async function runPlaybook(input: RunInput): Promise<RunSummary> {
  const { playbook, inventory, options, access, emit } = input;
  const started = Date.now();
  const inScope = (name: string): boolean =>
    (!options.limit || options.limit.has(name)) && (!options.shard || isInShard(name, options.shard.index, options.shard.count));

  // Every host any play may touch, in inventory order: the recap lists each exactly once.
  const allHosts = new Set<string>();
  for (const play of playbook.plays) for (const h of selectHosts(inventory, play.hosts, play.where)) if (inScope(h)) allHosts.add(h);
  const states = new Map<string, HostState>();
  for (const name of allHosts) {
    const host = inventory.hosts.get(name)!;
    states.set(name, {
      host, factGroups: new Set(), factsStale: true, failed: false, unreachable: false, started: false, registered: {}, pending: false,
      recap: { host: name, ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, durationMs: 0 },
    });
  }
  emit({ type: 'run:start', playbook: playbook.file, hosts: [...allHosts], check: options.check });

  let stopped = false;
  let changed = false;
  const runnable = runnableTasksByPlay(playbook, options);

  try {
    for (const [playIndex, play] of playbook.plays.entries()) {
      if (stopped) break;
      const playHosts = selectHosts(inventory, play.hosts, play.where).filter((h) => states.has(h));
      const active = playHosts.filter((h) => !states.get(h)!.failed && !states.get(h)!.unreachable);
      emit({ type: 'play:start', play: play.name, hosts: active });
      const plan: PlayPlan = {
        tasks: runnable[playIndex] ?? [],
        factGroups: play.gatherFacts ? withFactGroupsOf(playFactGroups(play, input.findModule), options.extraVars) : NO_FACT_GROUPS,
      };

      const fatal = { stop: false };
      const batches = splitIntoBatches(active, options.serial ?? play.serial);
      const maxFail = options.maxFailPercentage ?? play.maxFailPercentage;
      for (const [b, batch] of batches.entries()) {
        const once = new RunOnce<TaskRun>();
        await runPool(batch, options.forks, async (name) => {
          const state = states.get(name)!;
          // Waiting for a fork when another host failed fatally: never start.
          if (fatal.stop) {
            state.recap.note ??= FATAL_NOT_STARTED;
            return;
          }
          const t0 = Date.now();
          const result = await runHostPlay(state, play, plan, playHosts, input, fatal, once);
          state.recap.durationMs += Date.now() - t0;
          if (result.changed) changed = true;
          if (play.anyErrorsFatal && (state.failed || state.unreachable)) fatal.stop = true;
        });
        const lost = batch.filter((h) => states.get(h)!.failed || states.get(h)!.unreachable).length;
        const overBudget = maxFail !== undefined && batch.length > 0 && (lost / batch.length) * 100 > maxFail;
        if (fatal.stop || overBudget) {
          stopped = true;
          const why = fatal.stop ? FATAL_NOT_STARTED : `skipped (rollout stopped: ${lost} of ${batch.length} hosts failed, over max_fail_percentage ${maxFail})`;
          for (const rest of batches.slice(b + 1)) for (const h of rest) states.get(h)!.recap.note ??= why;
          break;
        }
      }
      emit({ type: 'play:end', play: play.name });
    }
  } finally {
    await Promise.all([...states.values()].map(async (s) => s.conn?.close().catch(() => undefined)));
  }

  for (const state of states.values()) {
    if (!state.started && !state.recap.note) state.recap.note = stopped ? 'skipped (rollout stopped)' : 'not run';
  }
  const recap = [...states.values()].map((s) => ({ ...s.recap }));
  const durationMs = Date.now() - started;
  emit({ type: 'run:end', recap, durationMs });
  return {
    recap,
    failedHosts: [...states.values()].filter((s) => s.failed || s.unreachable).map((s) => s.host.name),
    changed,
    durationMs,
    stopped,
  };
}

function count(recap: HostRecap, status: TaskStatus): void {
  recap[status] += 1;
}

/** Counts a task's run in the recap: an ignored failure is Ansible's `ignored`, not `failed`. */
function countTask(recap: HostRecap, task: TaskSpec, status: TaskStatus): void {
  if (status === 'failed' && task.ignoreErrors) recap.ignored = (recap.ignored ?? 0) + 1;
  else count(recap, status);
}

/** What a result event says beyond its host, play and task (one shape for every emitter). */
type ResultOutcome = Pick<TaskResult, 'status' | 'pending' | 'changes'> & {
  readonly message?: string | undefined;
  readonly reason?: string | undefined;
  readonly errorKind?: FailureKind | undefined;
  readonly item?: unknown;
  /** The task's return values (TaskResult.detail). */
  readonly registered?: Readonly<Record<string, unknown>> | undefined;
};

/** One host's run of one play: what every task on it reads, in one object. */
interface HostPlay {
  readonly state: HostState;
  readonly play: PlaySpec;
  readonly input: RunInput;
  readonly conn: Connection;
  /** The host's facts and scope; re-pointed when an SSH port move changes the connection. */
  facts: Facts;
  scope: Scope;
  emitResult(task: string, module: string, outcome: ResultOutcome, t0: number): void;
}

/** One run of a task on a host: a loop item (or the task itself) with its scope and become user. */
interface TaskInstance {
  readonly scope: Scope;
  readonly becomeUser: string | undefined;
  /** Set for a loop item: the item, and what the output shows for it (loop_control.label). */
  readonly item?: { readonly value: unknown; readonly shown: unknown };
}

/** The become user a task runs as on this play, or undefined without become. */
function becomeUserOf(task: TaskSpec, play: PlaySpec): string | undefined {
  return (task.become ?? play.become) ? (task.becomeUser ?? play.becomeUser) : undefined;
}

/**
 * The runs of a task, lazily: one per loop item, or one. The loop is rendered first (it may throw:
 * the caller decides what that means); each item's scope is built when it is reached, so a loop
 * item sees what the previous items registered.
 */
function* taskInstances(task: TaskSpec, hp: HostPlay): Generator<TaskInstance> {
  const { state, input, play } = hp;
  const extra = input.options.extraVars;
  // A task's own check_mode is what ansible_check_mode says to it (as in Ansible).
  const hostScope = task.checkMode === undefined ? hp.scope : { ...hp.scope, ansible_check_mode: checksTask(task, input.options.check) };
  const base = withOwnRole(hostScope, task, play, state.host, extra);
  // The loop's scope is a copy of the host's: made only for a task that loops.
  const items = task.loop === undefined ? undefined : loopItems(task, taskScope(base, state.registered, {}, undefined, extra), path.dirname(input.playbook.file));
  const becomeUser = becomeUserOf(task, play);
  if (items === undefined) {
    yield { scope: taskScope(base, state.registered, task.vars, undefined, extra), becomeUser };
    return;
  }
  for (const [index, value] of items.entries()) {
    const loop = { name: task.loopVar, value, ...(task.indexVar !== undefined ? { index: { name: task.indexVar, value: index } } : {}) };
    const scope = taskScope(base, state.registered, task.vars, loop, extra);
    yield { scope, becomeUser, item: { value, shown: task.loopLabel === undefined ? value : renderDeep(task.loopLabel, scope, () => task.where) } };
  }
}

/** One host through one play. Returns whether anything changed (or would, in check mode). */
async function runHostPlay(state: HostState, play: PlaySpec, plan: PlayPlan, playHosts: readonly string[], input: RunInput, fatal: { stop: boolean }, once: RunOnce<TaskRun>): Promise<{ changed: boolean }> {
  const { options, access, emit, inventory } = input;
  const name = state.host.name;
  state.started = true;
  emit({ type: 'host:start', play: play.name, host: name });
  let changedAny = false;

  const emitResult = (task: string, module: string, outcome: ResultOutcome, t0: number): void => {
    const result: TaskResult = {
      host: name, play: play.name, task, module, status: outcome.status, pending: outcome.pending, changes: outcome.changes,
      ...(outcome.message !== undefined ? { message: outcome.message } : {}),
      ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
      ...(outcome.errorKind !== undefined && (outcome.status === 'failed' || outcome.status === 'unreachable') ? { errorKind: outcome.errorKind } : {}),
      ...(outcome.item !== undefined ? { item: outcome.item } : {}),
      ...(outcome.registered !== undefined ? { detail: outcome.registered } : {}),
      startedAt: new Date(t0).toISOString(), durationMs: Date.now() - t0,
    };
    emit({ type: 'task:end', result });
  };
  const unreachable = (task: string, error: unknown, t0: number): void => {
    state.unreachable = true;
    count(state.recap, 'unreachable');
    emitResult(task, 'connection', { status: 'unreachable', pending: false, changes: [], reason: errorText(error), errorKind: failureKindOf(error) }, t0);
  };

  try {
    // Connect (once per run) and gather facts (again only when something changed since).
    const playBecome = play.become ? play.becomeUser : undefined;
    const t0 = Date.now();
    if (!state.conn) {
      try {
        state.conn = await access.open(state.host);
      } catch (error) {
        unreachable(play.gatherFacts ? GATHER_TASK : 'connect', error, t0);
        return { changed: false };
      }
    }
    const conn = state.conn;
    if (play.connection === 'local' && conn.endpoint.transport !== 'local') {
      // Running another host's tasks on this machine would act on the wrong host: refused, not rerouted.
      const reason = formatLocated(`connection: local, but ${name} connects over ${conn.endpoint.transport}: sparkbook runs a play's tasks on its own hosts only; use hosts: localhost (or ansible_connection: local in the inventory) for tasks on this machine`, play.where);
      state.failed = true;
      count(state.recap, 'failed');
      emitResult('connection', 'connection', { status: 'failed', pending: false, changes: [], reason, errorKind: 'input' }, t0);
      return { changed: false };
    }
    // Gather what this play reads and the host's facts lack: everything it reads when they are stale.
    const wanted = plan.factGroups.size === 0 ? plan.factGroups : withFactGroupsOf(plan.factGroups, state.host.vars);
    const fresh = !state.factsStale && state.facts !== undefined;
    const missing = new Set([...wanted].filter((g) => !fresh || !state.factGroups.has(g)));
    if (missing.size > 0) {
      emit({ type: 'task:start', play: play.name, host: name, task: GATHER_TASK });
      try {
        const gathered = await access.gather(conn, playBecome, missing);
        state.facts = fresh && state.facts ? mergeFacts(state.facts, gathered, missing) : gathered;
        state.factGroups = fresh ? new Set([...state.factGroups, ...missing]) : missing;
        state.factsStale = false;
        count(state.recap, 'ok');
        emitResult(GATHER_TASK, 'facts', { status: 'ok', pending: false, changes: [] }, t0);
      } catch (error) {
        if (error instanceof HostError) unreachable(GATHER_TASK, error, t0);
        else {
          state.failed = true;
          count(state.recap, 'failed');
          emitResult(GATHER_TASK, 'facts', { status: 'failed', pending: false, changes: [], reason: errorText(error), errorKind: failureKindOf(error) }, t0);
        }
        return { changed: false };
      }
    }
    const facts = state.facts ?? emptyFacts({ ...conn.endpoint });

    let scope: Scope;
    try {
      scope = hostScope({ host: state.host, inventory, playVars: play.vars, roleDefaults: play.roleDefaults, roleVars: play.roleVars, extraVars: options.extraVars, facts, check: options.check, playHosts, diff: options.diff, forks: options.forks, playbookFile: input.playbook.file });
    } catch (error) {
      state.failed = true;
      count(state.recap, 'failed');
      emitResult('variables', 'vars', { status: 'failed', pending: false, changes: [], reason: errorText(error), errorKind: failureKindOf(error) }, Date.now());
      return { changed: false };
    }
    const hp: HostPlay = { state, play, input, conn, facts, scope, emitResult };
    let tasks: readonly TaskSpec[];
    let handlers: readonly TaskSpec[];
    try {
      const loops = { scope, registered: state.registered, play, host: state.host, extraVars: options.extraVars };
      tasks = expandIncludeLoops(plan.tasks, loops);
      handlers = expandIncludeLoops(play.handlers, loops);
    } catch (error) {
      state.failed = true;
      count(state.recap, 'failed');
      emitResult('include_tasks loop', 'include_tasks', { status: 'failed', pending: false, changes: [], reason: errorText(error), errorKind: failureKindOf(error) }, Date.now());
      return { changed: false };
    }

    const notified = new Set<string>();
    const runList = async (tasks: readonly TaskSpec[], isHandlers: boolean, batch: ProbeBatch | undefined): Promise<boolean> => {
      // Block rules (blocks.ts): a failure jumps to a rescue or an always instead of stopping the host.
      const failing: Failing = new Map();
      let lastFailure: { task: TaskSpec; module: string; result: Record<string, unknown> } | undefined;
      const rescued = (): void => {
        state.recap.failed -= 1;
        state.recap.rescued = (state.recap.rescued ?? 0) + 1;
        if (lastFailure) {
          state.registered.ansible_failed_task = { name: lastFailure.task.name, action: lastFailure.module };
          state.registered.ansible_failed_result = lastFailure.result;
        }
      };
      const rescuing = new Set<number>();
      /** Goes on at a recovery: a rescue entered counts the failure as rescued. */
      const goOn = (on: Recovery): number => {
        if (on.rescuedBy !== undefined) {
          rescuing.add(on.rescuedBy);
          rescued();
        }
        return on.next;
      };
      let i = 0;
      for (;;) {
        // Settle where the host is: past rescues of blocks that went well, out of failing blocks.
        for (let settled = false; !settled; ) {
          const j = skipUnenteredRescues(tasks, i, rescuing);
          const on = failing.size > 0 ? leaveFailingBlocks(tasks, j, failing) : { next: j };
          if (on === undefined) {
            state.failed = true;
            return false;
          }
          const k = goOn(on);
          settled = k === i;
          i = k;
        }
        const task = tasks[i];
        if (task === undefined) return true;
        if (fatal.stop) {
          state.recap.note ??= FATAL_STOPPED;
          return false;
        }
        if (isHandlers && !notified.has(task.name) && !task.listen.some((l) => notified.has(l))) {
          i++;
          continue;
        }
        if (task.action === 'meta') {
          // flush_handlers: the handlers notified so far run now, and are notified afresh later.
          if (task.params.action === 'flush_handlers' && !isHandlers && notified.size > 0) {
            const flushed = await runList(handlers, true, undefined);
            notified.clear();
            if (!flushed) return false;
          }
          i++;
          continue;
        }
        const outcome = task.runOnce ? await runOnceInBatch(task, hp, batch, once) : await runTask(task, hp, batch);
        // An SSH port move re-pointed the connection: later tasks (a ufw guard rule) must see it.
        if (conn.endpoint.port !== hp.facts.connection.port || conn.endpoint.address !== hp.facts.connection.address) {
          hp.facts = { ...hp.facts, connection: { ...conn.endpoint } };
          state.facts = hp.facts;
          hp.scope = { ...hp.scope, facts: hp.facts };
        }
        if (outcome.status === 'changed') {
          changedAny = true;
          if (!outcome.pending) state.factsStale = true;
          for (const n of task.notify) notified.add(n);
        }
        if (state.unreachable) return false;
        if (outcome.status === 'failed' && !task.ignoreErrors) {
          lastFailure = { task, module: task.module, result: outcome.result };
          const on = recover(tasks, i, task.blocks ?? [], failing);
          if (on === undefined) {
            state.failed = true;
            return false;
          }
          i = goOn(on);
          continue;
        }
        i++;
      }
    };
    // One channel for the probes of the play's tasks, valid until the first apply on this host.
    const probes = new ProbeBatch();
    await probes.prefetch(conn, plannedProbes(tasks, hp), options.timeoutMs ? { timeoutMs: options.timeoutMs } : {});
    const ok = await runList(tasks, false, probes);
    if (ok && notified.size > 0) await runList(handlers, true, undefined);
  } finally {
    emit({ type: 'host:end', play: play.name, host: name });
  }
  return { changed: changedAny };
}

/** A run_once task (run-once.ts): run here if this host is first, else take the first host's run. */
async function runOnceInBatch(task: TaskSpec, hp: HostPlay, probes: ProbeBatch | undefined, once: RunOnce<TaskRun>): Promise<TaskRun> {
  const { state, play, input } = hp;
  const { leader, result } = once.get(task, state.host.name, () => runTask(task, hp, probes));
  if (leader) return (await result).run;
  const t0 = Date.now();
  const title = displayName(task, hp);
  input.emit({ type: 'task:start', play: play.name, host: state.host.name, task: title });
  const { host, run } = await result;
  if (task.register) state.registered[task.register] = run.result;
  const facts = run.result.ansible_facts;
  if (task.action === 'set_fact' && typeof facts === 'object' && facts !== null) Object.assign(state.registered, facts);
  const status = run.status === 'unreachable' ? 'failed' : run.status;
  hp.emitResult(title, task.module, { status, pending: run.pending, changes: [], message: `run_once: the result of ${host}`, ...(status === 'failed' ? { reason: `run_once: failed on ${host}`, errorKind: 'module' as const } : {}) }, t0);
  countTask(state.recap, task, status);
  return { ...run, status };
}

/** How a task ended on a host: its status and what `register:` stores (or would). */
interface TaskRun {
  readonly status: TaskStatus;
  readonly pending: boolean;
  readonly result: Record<string, unknown>;
}

/** One task (all its loop items) on one host; counts it once in the recap. */
async function runTask(task: TaskSpec, hp: HostPlay, probes: ProbeBatch | undefined): Promise<TaskRun> {
  const { state, play, input, conn } = hp;
  const { options, emit } = input;
  const t0 = Date.now();
  const title = displayName(task, hp);
  emit({ type: 'task:start', play: play.name, host: state.host.name, task: title });
  // An action (set_fact) is done here, not by a module (runner/schema/actions.ts).
  const module = task.action === undefined ? input.findModule(task.module) : undefined;
  const moduleName = module?.name ?? task.module;
  const finish = (status: TaskStatus, pending: boolean, result: Record<string, unknown> = { failed: status === 'failed' }): TaskRun => {
    countTask(state.recap, task, status);
    return { status, pending, result };
  };
  if (!module && task.action === undefined) {
    hp.emitResult(title, task.module, { status: 'failed', pending: false, changes: [], reason: formatLocated(`unknown module '${task.module}'`, task.where), errorKind: 'schema' }, t0);
    return finish('failed', false);
  }

  /** One loop item (or the task): a `when`, environment or `until` that cannot be evaluated fails it; a lost connection throws. */
  const runOne = async (instance: TaskInstance): Promise<TaskOutcome> => {
    try {
      if (!whenHolds(task, instance.scope)) {
        return { status: 'skipped', pending: false, changes: [], reason: 'condition is false', registered: { changed: false, failed: false, skipped: true, skip_reason: 'condition is false' } };
      }
      // The only action that reaches a task run is set_fact: meta is done by the play loop.
      if (!module) {
        const outcome = runSetFact(task, instance.scope);
        // Host-scoped from here on: the next loop item and every later task see them.
        if (outcome.facts) Object.assign(state.registered, outcome.facts);
        return outcome;
      }
      const environment = renderEnvironment(task, instance.scope);
      const attempt = async (): Promise<TaskOutcome> => {
        const outcome = await runTaskOnce(task, instance.scope, {
          environment,
          conn, facts: hp.facts, check: options.check, diff: options.diff, becomeUser: instance.becomeUser, timeoutMs: options.timeoutMs, module,
          earlierPending: state.pending, ...(probes ? { probes } : {}),
        });
        return applyResultConditions(task, outcome, instance.scope);
      };
      return await (task.until === undefined ? attempt() : runUntil(task, instance.scope, attempt));
    } catch (error) {
      if (error instanceof HostError) throw error;
      return failureOf(error);
    }
  };

  const looped = task.loop !== undefined;
  const outcomes: { outcome: TaskOutcome; item?: unknown; shown?: unknown }[] = [];
  try {
    for (const instance of taskInstances(task, hp)) {
      if (instance.item && task.loopPause && outcomes.length > 0) await new Promise((resolve) => setTimeout(resolve, (task.loopPause ?? 0) * 1000));
      const outcome = await runOne(instance);
      outcomes.push({ outcome, ...(instance.item ? { item: instance.item.value, shown: instance.item.shown } : {}) });
      if (outcome.status === 'failed' && !task.ignoreErrors) break;
    }
  } catch (error) {
    if (error instanceof HostError) {
      hp.emitResult(title, moduleName, { status: 'unreachable', pending: false, changes: [], reason: errorText(error), errorKind: failureKindOf(error) }, t0);
      if (task.ignoreUnreachable) {
        // Ansible's ignore_unreachable: counted ok and ignored; the host goes on to its next task.
        state.recap.ignored = (state.recap.ignored ?? 0) + 1;
        const result = { changed: false, failed: false, skipped: false, unreachable: true, msg: errorText(error) };
        if (task.register) state.registered[task.register] = result;
        return finish('ok', false, result);
      }
      state.unreachable = true;
      return finish('unreachable', false);
    }
    // The loop or an item's scope does not render: the task fails there, after what ran before it.
    outcomes.push({ outcome: failureOf(error) });
  }

  for (const { outcome, shown } of outcomes) {
    // Said on the failure itself, as Ansible's "...ignoring": the host goes on.
    const ignored = outcome.status === 'failed' && task.ignoreErrors ? { reason: `${outcome.reason ?? 'failed'} (ignored: ignore_errors)` } : {};
    hp.emitResult(title, moduleName, { ...outcome, ...ignored, ...(shown !== undefined ? { item: shown } : {}), ...(task.noLog ? { registered: undefined } : {}) }, t0);
  }
  const statuses = outcomes.map((o) => o.outcome.status);
  const status: TaskStatus = statuses.includes('failed') ? 'failed'
    : statuses.includes('changed') ? 'changed'
    : statuses.length === 0 || statuses.every((s) => s === 'skipped') ? 'skipped' : 'ok';
  const pending = outcomes.some((o) => o.outcome.pending);
  if (pending) state.pending = true;
  // A failure outside any item (the loop did not render) is the looped task's own message.
  const unlooped = outcomes.find((o) => !('item' in o));
  const result = !looped
    ? (outcomes[0]?.outcome.registered ?? {})
    : {
        results: outcomes.flatMap((o) => ('item' in o ? [{ ...o.outcome.registered, item: o.item }] : [])),
        changed: status === 'changed', failed: status === 'failed', skipped: status === 'skipped',
        ...(unlooped ? { msg: unlooped.outcome.reason } : {}),
      };
  if (task.register) state.registered[task.register] = result;
  return finish(status, pending, result);
}

/** The probes the given tasks would run now, as far as they can be known before any of them runs. */
function plannedProbes(tasks: readonly TaskSpec[], hp: HostPlay): PlannedProbe[] {
  const out: PlannedProbe[] = [];
  for (const task of tasks) {
    const module = hp.input.findModule(task.module);
    // A task with an environment probes with its exports, never from the batch.
    if (!module || task.environment !== undefined) continue;
    try {
      for (const instance of taskInstances(task, hp)) {
        const script = plannedProbeScript(task, module, instance.scope, hp.facts);
        if (script) out.push({ script, becomeUser: instance.becomeUser });
      }
    } catch {
      // The loop or a scope depends on what has not run yet: those probes run just in time.
      continue;
    }
  }
  return out;
}

/**
 * A task's name as shown: templated like Ansible's (`SSH on port {{ ssh_port }}`) in the host's
 * scope with the task's own role over it, or as written if it cannot be.
 */
function displayName(task: TaskSpec, hp: HostPlay): string {
  if (!isTemplated(task.name)) return task.name;
  try {
    return String(renderString(task.name, withOwnRole(hp.scope, task, hp.play, hp.state.host, hp.input.options.extraVars)));
  } catch {
    return task.name;
  }
}

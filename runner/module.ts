// THE module contract. A module is data plus pure functions: probe BUILDS a read-only script,
// plan compares what the probe observed with what the task wants, and the executor does the
// rest. Check mode and diff fall out of this structurally: no module ever sees a check flag,
// so none can forget one.
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { FactGroup } from './facts/groups.js';
import type { Facts } from './facts/facts.js';
import type { RunResult, Endpoint } from './connection/connection.js';
import type { Script } from './shell/script.js';
import type { Secret } from './shell/secret.js';

/** The typed parameters of a module, inferred from its schema so the two cannot drift. */
export type Params<S extends JSONSchema> = FromSchema<S>;

/** File content in a diff; a Secret-bearing text is masked wherever it is shown. */
export type Text = string | Secret;

/**
 * One thing a task would change. The symbols are Terraform's: `+` create, `~` update,
 * `-` delete, `!` run (a command whose effect is not a state we can read back).
 */
export interface Change {
  readonly action: '+' | '~' | '-' | '!';
  /** What is changed: a path, "sysctl net.ipv4.ip_forward", "ufw allow 51820/udp". */
  readonly target: string;
  /** One human line, secrets already masked: "net.ipv4.ip_forward: 0 → 1". */
  readonly summary: string;
  /** Before/after text for `--diff` (rendered by runner/report/diff.ts). */
  readonly diff?: { readonly before: Text; readonly after: Text };
  /**
   * How to make this change on the host; must exit non-zero when it fails. Absent only when the
   * module's own `apply` makes the change (rule 6 of Module): then nothing pretends to be a script.
   */
  readonly script?: Script;
}

/**
 * A plan with data for the module's own `apply` (Terraform's PlannedPrivate): the executor never
 * reads `private`, only relays it untouched from the first plan to `apply`.
 */
export interface Planned<P> {
  readonly changes: Change[];
  readonly private: P;
}

/** What `plan` returns: bare changes, or changes with private data when the module has one (P). */
export type PlanResult<P> = [P] extends [undefined] ? Change[] : Planned<P>;

/** The changes and private data of any plan result (the executor's one way to read a plan). */
export function plannedOf<P>(result: Change[] | Planned<P>): { readonly changes: readonly Change[]; readonly private: P | undefined } {
  return Array.isArray(result) ? { changes: result, private: undefined } : result;
}

/**
 * Rule 7 of Module: a `!` change reports that something will RUN, not a state to reach, so the
 * second plan's `!` changes never make a task "did not converge" (a command may run every time;
 * an sshd activation is proven by its fresh connection, not by a re-read).
 */
export function countsTowardConvergence(change: Change): boolean {
  return change.action !== '!';
}

/**
 * Rule 8 of Module: when the default apply fails, a plan made only of runs failed as a command
 * (kind `command`: its output is the user's); anything else failed as a change (kind `module`).
 */
export function isRunOnly(changes: readonly Change[]): boolean {
  return changes.length > 0 && changes.every((c) => c.action === '!');
}

/** Keys of a registered result that only the executor sets (rule 11 of Module). */
const EXECUTOR_REGISTERED_KEYS: ReadonlySet<string> = new Set(['changed', 'failed', 'skipped', 'pending', 'msg', 'changes', 'rc', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines']);

/** Rule 11 of Module: a module's registered values, without the keys the executor owns. */
export function moduleRegistered(values: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values ?? {}).filter(([k]) => !EXECUTOR_REGISTERED_KEYS.has(k)));
}

/**
 * A read-only script and the parser of its output. Rules: the script changes nothing on the
 * host; `parse` is pure and total over what the script can print (a missing tool is data,
 * not an exception).
 */
export interface Probe<O> {
  readonly script: Script;
  parse(result: RunResult): O;
}

/** A controller file the engine read for a module (rule 12): where it was found and its text. */
export interface ControllerFile {
  /** The path found on the controller (for messages and the diff header). */
  readonly path: string;
  /** Its content: rendered with the host's variables when the module asked; a Secret when it holds one. */
  readonly content: Text;
}

/** How a param names a controller file (rule 12): the folder it is looked up in, and whether it is a template. */
export interface ControllerFileParam {
  /** `templates` or `files`: base/<under>/src is looked at before base/src. */
  readonly under: string;
  /** Render the file with the host's variables (the template module). */
  readonly render: boolean;
}

/** What a module's probe and plan may know beyond its params and facts. */
export interface PlanContext {
  /** Values of the params named in `Module.expressionParams`, keyed by expression text. */
  readonly expressions: ReadonlyMap<string, unknown>;
  /** The files of the params named in `Module.controllerFiles`, keyed by param name (absent: none). */
  readonly files?: ReadonlyMap<string, ControllerFile>;
}

/** What a lockout-sensitive module's own `apply` may do. */
export interface ApplyContext {
  /** Runs a script on the host over the current connection. */
  run(script: Script): Promise<RunResult>;
  /** See Connection.reconnect: proves a FRESH connection on `port` (same host key). */
  reconnect(target: { readonly port: number; readonly adopt: boolean }): Promise<Endpoint>;
  /** Where the connection goes now. */
  readonly endpoint: Endpoint;
  /** A line for the task's result (shown in verbose output and the report). */
  log(line: string): void;
}

/**
 * A module. Every rule the executor (runner/executor/task.ts) applies is written here:
 * 1. `name` is the YAML key of the task (`sshd_config`); the registry (modules/index.ts) is an
 *    explicit list. Nothing in runner/ tests a module's name.
 * 2. `schema` is a JSON Schema written `as const` with `additionalProperties: false`, a
 *    `description` on every property and an `examples` array. Every constraint between params
 *    (required together, exclusive, required if) is in the schema, so `sparkbook validate`,
 *    editors and the executor refuse the same tasks before any host is contacted.
 * 3. `probe` and `plan` are pure and synchronous: same inputs, same output, no I/O. The probe's
 *    script may be empty (nothing to read): the executor then parses an empty result.
 * 4. `plan` returns no change when the host is already as wanted (status ok). It may throw a
 *    TaskError for a task that must fail (assert, an impossible request; kind `precondition`
 *    when an earlier task may yet make it possible: in check mode after pending changes, the
 *    task is then pending, not failed).
 * 5. In check mode the executor stops after the first plan: a non-empty plan is `changed`
 *    (pending). No module sees a check flag.
 * 6. Otherwise the executor applies: with the module's `apply` when it has one (lockout-sensitive
 *    modules only), given the changes and the plan's private data untouched; else it runs the
 *    changes' scripts in order in one script that stops at the first failure. Without `apply`,
 *    every change must have a script (a change without one fails the task as a bug).
 * 7. After applying, it probes and plans again; a second plan with a change that counts toward
 *    convergence (`countsTowardConvergence`: every action but `!`) fails the task with kind
 *    `not-converged`. `verify: false` skips this for modules that only run things (command).
 * 8. A default apply that fails is kind `command` when the plan was only runs (`isRunOnly`),
 *    `module` otherwise; a probe or apply past --timeout is kind `timeout`.
 * 9. `aliases` are other YAML keys of the same module (Ansible's FQCN `ansible.builtin.copy`, its
 *    own names `lineinfile`): the registry, validation, the editor schema, `sparkbook doc` and
 *    the loader resolve them to the module, and everything after the loader (TaskSpec.module,
 *    events, reports) carries `name`. Two keys of one module in one task is an error. An alias
 *    never names two modules, nor a module's `name` (the registry test proves it).
 * 10. A string under the task's module key is Ansible's key=value form (`sysctl: name=x value=1`,
 *    values converted by the schema's types). `freeForm` names the param its other words fill
 *    (`command: echo hi chdir=/tmp` is `command: { cmdline: echo hi, chdir: /tmp }`; a word that
 *    is not one of the module's params stays text); a module without it takes a mapping or
 *    key=value words only. The task's `args:` mapping is merged into the params (a key in both
 *    is an error).
 * 11. `register(params, observed)` returns values added to what `register:` stores once the
 *    first plan succeeded (ok, pending or changed; stat's `stat.exists`); it is pure, like plan,
 *    and never overrides the executor's own keys (changed, failed, skipped, msg, rc, stdout…).
 * 12. `controllerFiles` names params whose value is a file on the controller (template's and
 *    copy's `src`); a module never reads a file itself. The engine finds it through
 *    TaskSpec.baseDirs (for each base, innermost first: base/<under>/src, then base/src; an
 *    absolute src is itself): the loader refuses a literal src found nowhere, naming every place
 *    looked, before any host is contacted; the executor finds a templated one at task time.
 *    It reads the file (UTF-8 text, at most MAX_CONTROLLER_FILE_BYTES), renders it with the
 *    host's variables when `render` is set (errors at FILE:LINE:COL of the file), wraps it in a
 *    Secret when it holds a known secret (a vault value), and hands it to probe and plan as
 *    `context.files.get(param)`.
 */
export interface Module<S extends JSONSchema = JSONSchema, O = unknown, P = undefined> {
  readonly name: string;
  /** Other YAML keys of this module (rule 9): `ansible.builtin.lineinfile`. */
  readonly aliases?: readonly string[];
  /** The param a free-form string fills (rule 10): `command: echo hi`. */
  readonly freeForm?: string;
  /** One line for `sparkbook doc` and the schema's description. */
  readonly summary: string;
  readonly schema: S;
  /** Params wrapped in Secret after templating, masked in every output. */
  readonly secretParams?: readonly string[];
  /** Params that name controller files, read (and rendered) by the engine (rule 12). */
  readonly controllerFiles?: Readonly<Record<string, ControllerFileParam>>;
  /** Params whose strings are `when:`-style expressions, evaluated by the executor. */
  readonly expressionParams?: readonly string[];
  /** false for modules whose changes are runs, not states (command). Default true. */
  readonly verify?: boolean;
  /**
   * Fact groups probe or plan reads (runner/facts/groups.ts); a play gathers only what its
   * templates and modules read. `facts.connection` is always there.
   */
  readonly factGroups?: readonly FactGroup[];
  /** Builds the read-only script that observes the host, and its parser (rule 3). */
  probe(params: Params<S>, facts: Facts, context?: PlanContext): Probe<O>;
  /** The changes from `observed` to what the params want (rules 4, 7); with private data when P is set. */
  plan(params: Params<S>, observed: O, facts: Facts, context: PlanContext): PlanResult<P>;
  /** A message for the task's result (debug's msg, assert's verdict). */
  message?(params: Params<S>, observed: O, context: PlanContext): string | undefined;
  /** Values added to the registered result (rule 11): `{ stat: { exists: true, … } }`. */
  register?(params: Params<S>, observed: O): Record<string, unknown>;
  /** Makes the changes itself (rule 6); `privateData` is what the first plan returned beside them. */
  apply?(changes: readonly Change[], context: ApplyContext, privateData: P): Promise<void>;
}

/** The largest controller file the engine reads for a module (rule 12). */
export const MAX_CONTROLLER_FILE_BYTES = 16 * 1024 * 1024;

/** A module with its type parameters erased, as the registry and executor hold it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<any, any, any>;

/**
 * Erases a module's type parameters for the registry and the executor. defineModule already
 * checked the module against the contract; checking Module<S, O, P> against AnyModule again makes
 * tsc expand every schema (and give up on deep ones).
 */
export function eraseModule(module: { readonly name: string; readonly summary: string }): AnyModule {
  return module as AnyModule;
}

/** Identity helper that keeps a module's schema literal type while checking the contract. */
export function defineModule<const S extends JSONSchema, O, P = undefined>(module: Module<S, O, P>): Module<S, O, P> {
  return module;
}

/** The YAML keys of a module: its name, then its aliases (rule 9). */
export function keysOf(m: AnyModule): readonly string[] {
  return [m.name, ...(m.aliases ?? [])];
}

/** Every YAML key that names a module in `list`, to the module (rule 9). */
export function moduleKeys(list: readonly AnyModule[]): Map<string, AnyModule> {
  const out = new Map<string, AnyModule>();
  for (const m of list) {
    for (const key of keysOf(m)) {
      const other = out.get(key);
      // A programming error of the registry, caught by the first test that loads it.
      if (other !== undefined && other !== m) throw new Error(`module key '${key}' names both '${other.name}' and '${m.name}'`);
      out.set(key, m);
    }
  }
  return out;
}

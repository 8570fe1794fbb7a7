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
  /** How to make this change on the host. Must exit non-zero when it fails. */
  readonly script: Script;
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

/** What a module's plan may know beyond its params and facts. */
export interface PlanContext {
  /** Values of the params named in `Module.expressionParams`, keyed by expression text. */
  readonly expressions: ReadonlyMap<string, unknown>;
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
 * A module. Rules:
 * - `name` is the YAML key of the task (`sshd_config`); the registry is an explicit list.
 * - `schema` is a JSON Schema written `as const` with `additionalProperties: false`, a
 *   `description` on every property and an `examples` array: it feeds validation, types,
 *   `sparkbook doc` and editors.
 * - `probe` and `plan` are pure and synchronous: same inputs, same output, no I/O.
 * - `plan` returns [] when the host is already as wanted (status ok). It may throw a
 *   TaskError for a task that must fail (assert, an impossible request).
 * - After `apply`, the executor probes and plans again; a non-empty second plan fails the
 *   task as "did not converge" (unless `verify` is false, for modules that only run things).
 * - `apply` is for lockout-sensitive modules only; by default the executor runs the change
 *   scripts, in order, in one channel, stopping at the first that fails.
 */
export interface Module<S extends JSONSchema = JSONSchema, O = unknown> {
  readonly name: string;
  /** One line for `sparkbook doc` and the schema's description. */
  readonly summary: string;
  readonly schema: S;
  /** Params wrapped in Secret after templating, masked in every output. */
  readonly secretParams?: readonly string[];
  /** Params whose strings are `when:`-style expressions, evaluated by the executor. */
  readonly expressionParams?: readonly string[];
  /** false for modules whose changes are runs, not states (command). Default true. */
  readonly verify?: boolean;
  /**
   * Fact groups probe or plan reads (runner/facts/groups.ts); a play gathers only what its
   * templates and modules read. `facts.connection` is always there.
   */
  readonly factGroups?: readonly FactGroup[];
  /** Whether the module must run as root (the executor adds become when the play did not). */
  probe(params: Params<S>, facts: Facts): Probe<O>;
  plan(params: Params<S>, observed: O, facts: Facts, context: PlanContext): Change[];
  /** A message for the task's result (debug's msg, assert's verdict). */
  message?(params: Params<S>, observed: O, context: PlanContext): string | undefined;
  apply?(changes: readonly Change[], context: ApplyContext): Promise<void>;
}

/** A module with its type parameters erased, as the registry and executor hold it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<any, any>;

/** Identity helper that keeps a module's schema literal type while checking the contract. */
export function defineModule<const S extends JSONSchema, O>(module: Module<S, O>): Module<S, O> {
  return module;
}

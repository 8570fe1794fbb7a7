// What a run is asked to do, after the CLI parsed it, and the seams the executor calls out through.
import type { Connection } from '../connection/connection.js';
import type { Facts } from '../facts/facts.js';
import type { FactGroup } from '../facts/groups.js';
import type { InventoryHost } from '../inventory/types.js';

export const DEFAULT_FORKS = 50;

export interface ExecutorOptions {
  /** Plan only: a non-empty plan is reported as a pending change and nothing is applied. */
  readonly check: boolean;
  /** Attach unified diffs to changes. */
  readonly diff: boolean;
  /** Hosts run in parallel up to this many. */
  readonly forks: number;
  /** Host names selected by --limit (already expanded); undefined = no limit. */
  readonly limit?: ReadonlySet<string>;
  readonly tags: readonly string[];
  readonly skipTags: readonly string[];
  /** Skip tasks until one with this name (in the first play that has it). */
  readonly startAtTask?: string;
  /** -e values: the highest precedence of all variables. */
  readonly extraVars: Readonly<Record<string, unknown>>;
  /** --serial overrides every play's `serial:`. */
  readonly serial?: readonly (number | string)[];
  readonly maxFailPercentage?: number;
  /** Per-command timeout. */
  readonly timeoutMs?: number;
  /** --shard K/N: run only a stable 1/N slice of the selected hosts. */
  readonly shard?: { readonly index: number; readonly count: number };
}

/** How the executor reaches hosts: connections and facts come from outside runner/executor/. */
export interface HostAccess {
  /** Opens (once per run) the connection to a host; throws HostError when it cannot. */
  open(host: InventoryHost): Promise<Connection>;
  /** Gathers the facts of `groups` over an open connection (the rest stay empty). */
  gather(connection: Connection, becomeUser: string | undefined, groups: ReadonlySet<FactGroup>): Promise<Facts>;
}

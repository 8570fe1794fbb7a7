// The typed events the executor emits; reporters (pretty, plain, jsonl, report, junit)
// subscribe. Nothing in runner/executor/ prints: it only emits these.
import type { FailureKind } from '../errors.js';

/** Status words shared with the report schema. */
export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

/** A change as reported: the module's Change without its script. */
export interface ChangeReport {
  readonly action: '+' | '~' | '-' | '!';
  readonly target: string;
  readonly summary: string;
  /** Unified diff text, only with --diff, secrets masked. */
  readonly diff?: string;
}

export interface TaskResult {
  readonly host: string;
  readonly play: string;
  readonly task: string;
  readonly module: string;
  readonly status: TaskStatus;
  /** In check mode a `changed` result is pending: nothing was changed. */
  readonly pending: boolean;
  readonly changes: readonly ChangeReport[];
  readonly message?: string;
  /** Why it failed, skipped or was unreachable, secrets masked. */
  readonly reason?: string;
  /** What kind of failure, for a failed or unreachable result (runner/errors.ts). */
  readonly errorKind?: FailureKind;
  /** The loop item, when the task has `loop:`. */
  readonly item?: unknown;
  /** What the task returned, as `register:` stores it (rc, stdout, stderr, msg…), for -v; absent under no_log. */
  readonly detail?: Readonly<Record<string, unknown>>;
  readonly startedAt: string;
  readonly durationMs: number;
}

export interface HostRecap {
  readonly host: string;
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
  /** Failures a block's rescue handled: not counted in `failed` (Ansible's recap). */
  rescued?: number;
  /** Failures of `ignore_errors` tasks: not counted in `failed` (Ansible's recap). */
  ignored?: number;
  durationMs: number;
  /** Set when the host never ran because a rollout stopped or it was excluded mid-run. */
  note?: string;
}

export type RunEvent =
  | { readonly type: 'run:start'; readonly playbook: string; readonly hosts: readonly string[]; readonly check: boolean }
  | { readonly type: 'play:start'; readonly play: string; readonly hosts: readonly string[] }
  | { readonly type: 'host:start'; readonly play: string; readonly host: string }
  | { readonly type: 'task:start'; readonly play: string; readonly host: string; readonly task: string }
  | { readonly type: 'task:end'; readonly result: TaskResult }
  | { readonly type: 'host:end'; readonly play: string; readonly host: string }
  | { readonly type: 'play:end'; readonly play: string }
  | { readonly type: 'run:end'; readonly recap: readonly HostRecap[]; readonly durationMs: number };

export type RunEventListener = (event: RunEvent) => void;

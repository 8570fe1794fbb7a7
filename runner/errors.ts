// The one error hierarchy: every failure is a value with a kind and, where there is one, a
// source location. Errors are rendered once, at the edge (runner/cli.ts).

/** A position in a user's file, 1-based, as editors show it. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** Kinds of bad input: exit code 2, and nothing on any host was contacted. */
export const INPUT_ERROR_KINDS = [
  'usage', 'yaml', 'schema', 'template', 'expression', 'undefined-variable', 'inventory', 'import', 'vars', 'limit', 'ssh-config', 'file',
] as const;
export type InputErrorKind = (typeof INPUT_ERROR_KINDS)[number];

/** Kinds of failure that make a host unreachable: they live in that host's result only. */
export const HOST_ERROR_KINDS = ['unreachable', 'auth', 'hostkey', 'become'] as const;
export type HostErrorKind = (typeof HOST_ERROR_KINDS)[number];

/**
 * Kinds of task failure on a reachable host (the rules behind them: runner/module.ts).
 * - `module`: the module refused the task or its change failed.
 * - `precondition`: the host is not yet as the task needs (a file to edit is missing, a tool is
 *   not installed). In check mode, after earlier pending changes on the host, the task is reported
 *   as pending rather than failed: an earlier task may well create what is missing.
 * - `command`: a plan made only of runs (the command module) exited non-zero.
 * - `not-converged`: after applying, the second plan still had changes.
 * - `assert`: an assert task's condition was false.
 * - `template`: a value rendered at run time has the wrong shape (a loop that is not a list).
 * - `timeout`: a probe or a change ran past --timeout.
 */
export const TASK_ERROR_KINDS = ['module', 'precondition', 'command', 'not-converged', 'assert', 'template', 'timeout'] as const;
export type TaskErrorKind = (typeof TASK_ERROR_KINDS)[number];

/** The kind of any failure a result can carry: bad input (`input`: several at once), a host's, a task's, or a bug. */
// Each kind once (the report schema's enum): `template` is both an input and a task kind.
export const FAILURE_KINDS = [...INPUT_ERROR_KINDS, 'input', ...HOST_ERROR_KINDS, ...TASK_ERROR_KINDS.filter((k) => k !== 'template'), 'internal'] as const;
export type FailureKind = InputErrorKind | 'input' | HostErrorKind | TaskErrorKind | 'internal';

const FAILURE_KIND_SET: ReadonlySet<string> = new Set(FAILURE_KINDS);

/** Whether a kind is one a result can carry (test tooling raises kinds of its own). */
export function isFailureKind(kind: string): kind is FailureKind {
  return FAILURE_KIND_SET.has(kind);
}

/** Base of every error sparkbook raises on purpose. */
export class SparkbookError extends Error {
  override name = 'SparkbookError';
  constructor(
    readonly kind: string,
    message: string,
    readonly where?: SourceLocation,
  ) {
    super(message);
  }
}

/** The user's input is wrong: usage, YAML, schema, template, inventory, vars. Exit 2. */
export class InputError extends SparkbookError {
  override name = 'InputError';
  constructor(
    override readonly kind: InputErrorKind,
    message: string,
    where?: SourceLocation,
  ) {
    super(kind, message, where);
  }
}

/** Several input errors found in one pass (ajv allErrors, a corpus of files). Exit 2. */
export class InputErrors extends SparkbookError {
  override name = 'InputErrors';
  constructor(readonly errors: readonly InputError[]) {
    super('input', errors.map((e) => e.message).join('\n'));
  }
}

/** A host could not be reached or trusted. Never crosses the host boundary. */
export class HostError extends SparkbookError {
  override name = 'HostError';
  constructor(
    override readonly kind: HostErrorKind,
    readonly host: string,
    message: string,
  ) {
    super(kind, message);
  }
}

/** A task failed on a reachable host; the message already has secrets masked. */
export class TaskError extends SparkbookError {
  override name = 'TaskError';
  constructor(
    override readonly kind: TaskErrorKind,
    message: string,
    where?: SourceLocation,
  ) {
    super(kind, message, where);
  }
}

/** A bug in sparkbook. Exit 1. */
export class InternalError extends SparkbookError {
  override name = 'InternalError';
  constructor(message: string) {
    super('internal', message);
  }
}

/** `FILE:LINE:COL: message`, or just the message when there is no location. */
export function formatLocated(message: string, where?: SourceLocation): string {
  return where ? `${where.file}:${where.line}:${where.col}: ${message}` : message;
}

// The plan of plays: what the loader hands to the executor after YAML, imports and schema
// checks. Values are raw (untemplated); every piece keeps where it came from so a later error
// (a template, an undefined variable) can name FILE:LINE:COL.
import type { SourceLocation } from '../errors.js';

export interface TaskSpec {
  /** The task's `name:`, or `<module> <first param>` when it has none. */
  readonly name: string;
  /** The module key (`file`, `sysctl`, …): exactly one per task. */
  readonly module: string;
  /** The module's params as written (strings may hold `{{ }}`). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Where each top-level param's value is, for errors raised while templating it. */
  readonly paramWhere: Readonly<Record<string, SourceLocation>>;
  /**
   * Where each templated string inside params starts (after an opening quote), keyed by a JSON
   * pointer relative to params ('/path', '/rules/0/from'): for errors inside nested params.
   */
  readonly templateWhere?: Readonly<Record<string, SourceLocation>>;
  /** `when:` expressions (a list means all must hold); from enclosing blocks first. */
  readonly when: readonly LocatedExpression[];
  /** `loop:` as written: a list, or a template string that renders to one. */
  readonly loop?: unknown;
  readonly loopWhere?: SourceLocation;
  /** `loop_control.loop_var`, default `item`. */
  readonly loopVar: string;
  readonly register?: string;
  /** Handler names or `listen` topics this task notifies when it changes something. */
  readonly notify: readonly string[];
  /** Where each `notify` entry is, in the same order. */
  readonly notifyWhere?: readonly SourceLocation[];
  /** Where the `register` value is. */
  readonly registerWhere?: SourceLocation;
  readonly tags: readonly string[];
  readonly vars: Readonly<Record<string, unknown>>;
  /** Inherited from block and play when the task does not say. */
  readonly become?: boolean;
  readonly becomeUser?: string;
  readonly changedWhen: readonly LocatedExpression[];
  readonly failedWhen: readonly LocatedExpression[];
  readonly ignoreErrors: boolean;
  /** `no_log: true`: the task's params, output and diff are masked in every report. */
  readonly noLog: boolean;
  /** Handlers only: extra topics the handler answers to (`listen:`). */
  readonly listen: readonly string[];
  /** Directories, innermost first, where a relative controller path (copy/template `src`) is looked up: a role's directory, then the playbook's. */
  readonly baseDirs: readonly string[];
  /** The role the task comes from (its tasks/ or handlers/), for the role's own defaults and vars. */
  readonly role?: RoleScope;
  /** Set on the tasks of an include_tasks that loops over a template: they run once per item, together. */
  readonly includeLoop?: IncludeLoop;
  readonly where: SourceLocation;
}

/**
 * A role as its own tasks see it. Every role's defaults and vars are play-wide (PlaySpec), later
 * roles winning; a role's own tasks see their own first, as in Ansible: its defaults (dependencies'
 * first) over the other roles' defaults, and its vars over the other roles' vars.
 */
/**
 * The loop of an include_tasks whose items only a host knows (`loop: "{{ users }}"`). Its tasks
 * are read when the playbook is loaded like any include's; the executor renders the loop once per
 * host when the play starts and runs the included tasks in order for each item
 * (runner/executor/include-loops.ts). The tasks of one include share this object.
 */
export interface IncludeLoop {
  readonly loop: string;
  readonly loopWhere: SourceLocation;
  readonly loopVar: string;
}

export interface RoleScope {
  readonly name: string;
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly vars: Readonly<Record<string, unknown>>;
}

export interface LocatedExpression {
  readonly expr: string;
  readonly where: SourceLocation;
}

export interface PlaySpec {
  readonly name: string;
  /** The host pattern, as in `--limit`. */
  readonly hosts: string;
  readonly become: boolean;
  readonly becomeUser: string;
  readonly gatherFacts: boolean;
  readonly vars: Readonly<Record<string, unknown>>;
  /** The defaults of the play's roles (`defaults/main.yml`), dependencies first: below every other variable. */
  readonly roleDefaults?: Readonly<Record<string, unknown>>;
  /** The vars of the play's roles (a role entry's `vars:`, then `vars/main.yml`): above the play's vars. */
  readonly roleVars?: Readonly<Record<string, unknown>>;
  /** pre_tasks, the roles' tasks, tasks and post_tasks in order. */
  readonly tasks: readonly TaskSpec[];
  readonly handlers: readonly TaskSpec[];
  /** `serial:` batch sizes: numbers or percentages like "25%"; the last repeats. */
  readonly serial?: readonly (number | string)[];
  readonly maxFailPercentage?: number;
  readonly anyErrorsFatal: boolean;
  readonly tags: readonly string[];
  readonly where: SourceLocation;
}

export interface PlaybookSpec {
  /** The playbook file as given on the command line. */
  readonly file: string;
  readonly plays: readonly PlaySpec[];
}

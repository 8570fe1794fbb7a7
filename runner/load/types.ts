// The plan of plays: what the loader hands to the executor after YAML, imports and schema
// checks. Values are raw (untemplated); every piece keeps where it came from so a later error
// (a template, an undefined variable) can name FILE:LINE:COL.
import type { SourceLocation } from '../errors.js';
import type { ExecutorAction } from '../schema/actions.js';

export interface TaskSpec {
  /** The task's `name:`, or `<module> <first param>` when it has none. */
  readonly name: string;
  /** The module key (`file`, `sysctl`, …): exactly one per task. */
  readonly module: string;
  /** Set when the key is not a module but an action the executor does (`set_fact`, `meta`). */
  readonly action?: ExecutorAction;
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
  /**
   * How the rendered loop value becomes items (runner/load/loops.ts): `list` as it is (`loop`,
   * `with_list`), `items` flattened one level (`with_items`), `dict` as key/value pairs
   * (`with_dict`), `fileglob` as the controller files its patterns match (`with_fileglob`),
   * `together` the lists zipped (`with_together`).
   * Absent means `list`.
   */
  readonly loopStyle?: LoopStyle;
  /** `loop_control.loop_var`, default `item`. */
  readonly loopVar: string;
  /** `loop_control.index_var`: a variable holding the item's index (from 0). */
  readonly indexVar?: string;
  /** `loop_control.label`: what the output shows for each item instead of the item (templated). */
  readonly loopLabel?: unknown;
  /** `loop_control.pause`: seconds between items. */
  readonly loopPause?: number;
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
  /** `until:` (all must hold): the task is run again until they do, `retries` more times at most. */
  readonly until?: readonly LocatedExpression[];
  /** Retries after the first attempt when `until` does not hold (Ansible's default 3). */
  readonly retries?: number;
  /** Seconds between attempts (Ansible's default 5). */
  readonly delay?: number;
  readonly failedWhen: readonly LocatedExpression[];
  readonly ignoreErrors: boolean;
  /** `environment:` layers as written, outermost first (play, blocks, task): merged per host. */
  readonly environment?: readonly LocatedValue[];
  /** `run_once:` the first host of the batch runs it; every host of the batch gets its result. */
  readonly runOnce?: boolean;
  /** `ignore_unreachable:` a lost connection during this task does not stop the host. */
  readonly ignoreUnreachable?: boolean;
  /** `check_mode:` of the task or its blocks or play: overrides --check for this task. */
  readonly checkMode?: boolean;
  /** `no_log: true`: the task's params, output and diff are masked in every report. */
  readonly noLog: boolean;
  /** Directories, innermost first, where a relative controller path (copy/template `src`) is looked up: a role's directory, then the playbook's. */
  readonly baseDirs: readonly string[];
  /** Handlers only: extra topics the handler answers to (`listen:`). */
  readonly listen: readonly string[];
  /**
   * The blocks the task is inside, outermost first, and which part of each (block, rescue,
   * always). Task lists stay flat; the executor finds a block's rescue and always by these.
   */
  readonly blocks?: readonly BlockFrame[];
  /** The role the task comes from (its tasks/ or handlers/), for the role's own defaults and vars. */
  readonly role?: RoleScope;
  /** Set on the tasks of an include_tasks that loops over a template: they run once per item, together. */
  readonly includeLoop?: IncludeLoop;
  readonly where: SourceLocation;
}

/** One enclosing block of a task: its id (unique in the playbook) and the part the task is in. */
export interface BlockFrame {
  readonly id: number;
  readonly part: BlockPart;
}

export type BlockPart = 'block' | 'rescue' | 'always';

export type LoopStyle = 'list' | 'items' | 'dict' | 'fileglob' | 'together';

export interface LocatedValue {
  readonly value: unknown;
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
  /** `connection: local`: every host of the play must already connect locally (checked per host). */
  readonly connection?: 'local' | 'ssh';
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

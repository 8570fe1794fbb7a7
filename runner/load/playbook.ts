// Loads a playbook: reads and parses the YAML, follows import_playbook/import_tasks/vars_files
// (relative paths, cycles named), validates every piece, checks template and expression syntax,
// and converts it into the plan of plays (PlaySpec/TaskSpec) with a source location on each part.
import { readFileSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError, InputErrors, type SourceLocation } from '../errors.js';
import { moduleKeys, type AnyModule } from '../module.js';
import { modules as registry } from '../../modules/index.js';
import { ACTION_MODULES, actionOf } from '../schema/actions.js';
import { FORBIDDEN_KEYS, isTemplated, parseExpression, parseTemplate, parseTemplateFile } from '../template/index.js';
import { BLOCK_KEY, BLOCK_PARTS, IMPORT_PLAYBOOK_KEY, IMPORT_ROLE_KEY, IMPORT_TASKS_KEY, INCLUDE_ROLE_KEY, INCLUDE_TASKS_KEY } from '../schema/playbook.js';
import {
  moduleKeyOf,
  sortErrors,
  taskParams,
  validatePlay,
  validateTaskList,
  validateTasksFileValue,
  validatePlaybookValue,
  type ModuleTable,
} from '../schema/validate.js';
import type { JsonPath, Locator } from '../schema/locator.js';
import { findControllerFile, isControllerDirectory, notFoundMessage } from './controller-files.js';
import { defined } from './defined.js';
import { makeLocator } from './locate.js';
import { LOOP_KEYS, loopKeysOf } from './loops.js';
import { includeRole, includeTasks, importRole, playRoles, PlayRoles, roleSearchDirs, type RoleLoaderHost } from './roles.js';
import type { ChainLink, Inherited, TaskListSource } from './inherited.js';
import { checkHandlers } from './semantics.js';
import type { BlockFrame, IncludeLoop, LocatedExpression, LocatedValue, PlaySpec, PlaybookSpec, RoleScope, TaskSpec } from './types.js';
import { pointer, stringsIn } from './walk.js';
import { loadYaml, type LoadedYaml } from './yaml.js';

/** Imports nested deeper than this are refused, whatever the files. */
export const MAX_IMPORT_DEPTH = 64;
/** More tasks than this after imports (a fan-out of imports) is refused. */
export const MAX_TASKS = 100_000;

export interface LoadOptions {
  /** The module registry to validate against (default: modules/index.ts). */
  readonly modules?: readonly AnyModule[];
  /** Passwords for `!vault` values and vaulted vars files; without them those are errors. */
  readonly vaultPasswords?: readonly string[];
  /** Directories to look for roles in after roles/ next to the playbook (-r/--roles-path, SPARKBOOK_ROLES_PATH). */
  readonly rolesPath?: readonly string[];
  /** What a play that does not say gets: `-b`/`--become-user` and ansible.cfg's [privilege_escalation]. */
  readonly playDefaults?: PlayDefaults;
}

export interface PlayDefaults {
  readonly become?: boolean;
  readonly becomeUser?: string;
}

/**
 * Loads `file` into a PlaybookSpec. Every error found (in this file and the files it imports) is
 * thrown together as InputErrors, deduplicated and sorted by file and position; nothing is
 * returned half-checked. Handler names used by `notify` are checked here too (checkHandlers);
 * undefined variables need the inventory, see checkUndefinedVariables in semantics.ts.
 *
 * Paths of imports and vars_files are relative to the importing file. Absolute paths and paths
 * with a NUL byte are refused, and so is a path that leaves the project: the parent directory
 * of the directory that holds the top playbook (so playbooks/secure.yml may import
 * ../common/tasks.yml, and nothing above the repository). Error locations name files as the user
 * gave them, joined with the import paths: relative stays relative.
 */
export async function loadPlaybook(file: string, options: LoadOptions = {}): Promise<PlaybookSpec> {
  const modules = options.modules ?? registry;
  const loader = new Loader(moduleKeys([...modules, ...ACTION_MODULES]), path.dirname(path.dirname(path.resolve(file))), options.vaultPasswords ?? [], options.rolesPath ?? [], options.playDefaults ?? {});
  const plays = await loader.playbook(file, [], undefined);
  if (loader.errors.length === 0) {
    const spec: PlaybookSpec = { file, plays };
    loader.errors.push(...checkHandlers(spec));
    if (loader.errors.length === 0) return spec;
  }
  throw new InputErrors(sortErrors(loader.errors, loader.files));
}

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => typeof v === 'object' && v !== null && !Array.isArray(v);

const toList = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const splitTags = (v: unknown): string[] =>
  toList(v)
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter((t) => t !== '');
const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

class Loader implements RoleLoaderHost {
  readonly errors: InputError[] = [];
  /** Files in the order they were first read, for sorting errors. */
  readonly files: string[] = [];
  private readonly cache = new Map<string, Promise<LoadedYaml | undefined>>();
  /** Tasks files already validated, by real path and kind (handlers may `listen`): whether they passed. */
  private readonly validated = new Map<string, boolean>();
  /** Template files whose syntax was already checked: a role brought in per loop item reads its templates once. */
  private readonly checkedTemplates = new Set<string>();
  /** Paths already entered: their real path and whether each is a regular file (pathInfo). */
  private readonly paths = new Map<string, Promise<{ readonly real: string; readonly regular: boolean } | undefined>>();
  /** Vars files whose variable names and templates were already checked. */
  private readonly checkedVarsFiles = new Set<string>();
  private taskCount = 0;
  private blockCount = 0;
  /** Directories outside the project that imports may read: those of roles found on the roles path. */
  private readonly roots: string[] = [];
  /** The roles of the play being converted: their vars, defaults and handlers, and which ran. */
  roles = new PlayRoles([]);

  constructor(
    private readonly modules: ModuleTable,
    private readonly projectRoot: string,
    private readonly vaultPasswords: readonly string[],
    private readonly rolesPath: readonly string[],
    private readonly playDefaults: PlayDefaults = {},
  ) {}

  /** Rule 12 of Module: a literal controller path found nowhere is an error now, naming the places looked. */
  private checkControllerFiles(module: AnyModule, task: TaskSpec): void {
    for (const [param, spec] of Object.entries(module.controllerFiles ?? {})) {
      const src = task.params[param];
      if (typeof src !== 'string' || isTemplated(src)) continue;
      const result = findControllerFile(src, spec.under, task.baseDirs);
      if ('looked' in result) {
        this.errors.push(new InputError('file', notFoundMessage(param, src, result.looked, isControllerDirectory(src, spec.under, task.baseDirs)), task.paramWhere[param]));
      } else if (spec.render && !this.checkedTemplates.has(path.resolve(result.found))) {
        // A template's syntax errors are found now, at FILE:LINE:COL of the template.
        const found = result.found;
        this.checkedTemplates.add(path.resolve(found));
        this.syntax(() => parseTemplateFile(readFileSync(found, 'utf8'), found));
      }
    }
  }

  /** Loads a playbook file; `importedAt` is the import_playbook value that named it. */
  async playbook(shown: string, chain: readonly ChainLink[], importedAt: SourceLocation | undefined): Promise<PlaySpec[]> {
    const link = await this.enter(shown, chain, importedAt);
    if (!link) return [];
    const loaded = await this.read(shown, link.real, importedAt);
    if (!loaded) return [];
    const at = makeLocator(loaded.yaml);
    const value = loaded.value;
    if (!Array.isArray(value)) {
      this.errors.push(...validatePlaybookValue(value, at, this.modules));
      return [];
    }
    const inner = [...chain, link];
    const plays: PlaySpec[] = [];
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const errors = validatePlay(item, [i], at, this.modules);
      if (errors.length > 0) {
        this.errors.push(...errors);
        if (isMapping(item)) await this.scanImports(item, [i], at, shown, inner);
        continue;
      }
      const play = item as Mapping;
      if (IMPORT_PLAYBOOK_KEY in play) {
        const target = this.resolve(shown, play[IMPORT_PLAYBOOK_KEY] as string, at.value([i, IMPORT_PLAYBOOK_KEY]));
        if (target) plays.push(...(await this.playbook(target, inner, at.value([i, IMPORT_PLAYBOOK_KEY]))));
        continue;
      }
      const spec = await this.play(play, [i], at, shown, inner);
      if (spec) plays.push(spec);
    }
    return plays;
  }

  private async play(play: Mapping, p: JsonPath, at: Locator, shown: string, chain: readonly ChainLink[]): Promise<PlaySpec | undefined> {
    const before = this.errors.length;
    const hosts = Array.isArray(play.hosts) ? (play.hosts as string[]).join(',') : (play.hosts as string);
    const become = (play.become as boolean | undefined) ?? this.playDefaults.become ?? false;
    const becomeUser = (play.become_user as string | undefined) ?? this.playDefaults.becomeUser ?? 'root';
    const vars: Mapping = { ...((play.vars as Mapping | undefined) ?? {}) };
    this.checkVars(play.vars, [...p, 'vars'], at);
    const varsFiles = (play.vars_files as string[] | undefined) ?? [];
    for (let i = 0; i < varsFiles.length; i++) {
      const where = at.value([...p, 'vars_files', i]);
      const target = this.resolve(shown, varsFiles[i] as string, where);
      if (target) Object.assign(vars, await this.varsFile(target, where));
    }
    const inherit: Inherited = {
      when: [], tags: [], vars: {}, become, becomeUser, baseDirs: [path.dirname(shown)],
      ...this.environmentOf(play, p, at, undefined),
      ...(typeof play.check_mode === 'boolean' ? { checkMode: play.check_mode } : {}),
    };
    this.roles = new PlayRoles(roleSearchDirs(shown, this.rolesPath));
    const src: TaskListSource = { at, shown, chain, handler: false };
    const tasks: TaskSpec[] = [];
    for (const list of ['pre_tasks', 'tasks', 'post_tasks'] as const) {
      // Roles run after pre_tasks and before tasks, as in Ansible.
      if (list === 'tasks' && Array.isArray(play.roles)) tasks.push(...(await playRoles(this, play.roles, [...p, 'roles'], src, inherit)));
      const items = play[list];
      if (Array.isArray(items)) tasks.push(...(await this.tasks(items, [...p, list], src, inherit)));
    }
    const ownHandlers = Array.isArray(play.handlers) ? await this.tasks(play.handlers, [...p, 'handlers'], { ...src, handler: true }, inherit) : [];
    // The roles' handlers come first, as in Ansible (a notify runs every handler of that name).
    const handlers = [...this.roles.handlers, ...ownHandlers];
    if (this.errors.length > before) return undefined;
    const spec: PlaySpec = {
      name: (play.name as string | undefined) ?? hosts,
      hosts,
      become,
      becomeUser,
      gatherFacts: (play.gather_facts as boolean | undefined) ?? true,
      vars,
      tasks,
      handlers,
      ...defined({
        connection: play.connection === 'local' || play.connection === 'ssh' ? play.connection : undefined,
        roleDefaults: Object.keys(this.roles.defaults).length > 0 ? this.roles.defaults : undefined,
        roleVars: Object.keys(this.roles.vars).length > 0 ? this.roles.vars : undefined,
        serial: play.serial !== undefined ? normaliseSerial(play.serial) : undefined,
        maxFailPercentage: play.max_fail_percentage as number | undefined,
      }),
      anyErrorsFatal: (play.any_errors_fatal as boolean | undefined) ?? false,
      tags: unique(splitTags(play.tags)),
      where: at.value(p),
    };
    return spec;
  }

  /**
   * For a play that has errors and is not converted: still reads the task files it imports, so
   * their errors are reported in the same run.
   */
  private async scanImports(node: Mapping, p: JsonPath, at: Locator, shown: string, chain: readonly ChainLink[]): Promise<void> {
    for (const list of ['pre_tasks', 'tasks', 'post_tasks', 'handlers', ...BLOCK_PARTS]) {
      const items = node[list];
      if (Array.isArray(items)) await this.scanList(items, [...p, list], at, shown, chain);
    }
  }

  private async scanList(items: readonly unknown[], p: JsonPath, at: Locator, shown: string, chain: readonly ChainLink[]): Promise<void> {
    for (let i = 0; i < items.length; i++) {
      const item: unknown = items[i];
      if (!isMapping(item)) continue;
      const ip = [...p, i];
      if (BLOCK_KEY in item) await this.scanImports(item, ip, at, shown, chain);
      const target = item[IMPORT_TASKS_KEY];
      if (typeof target !== 'string') continue;
      const where = at.value([...ip, IMPORT_TASKS_KEY]);
      const file = this.resolve(shown, target, where);
      if (!file) continue;
      const link = await this.enter(file, chain, where);
      if (!link) continue;
      const loaded = await this.read(file, link.real, where);
      if (!loaded) continue;
      const fileAt = makeLocator(loaded.yaml);
      this.errors.push(...validateTasksFileValue(loaded.value, fileAt, this.modules));
      if (Array.isArray(loaded.value)) await this.scanList(loaded.value, [], fileAt, file, [...chain, link]);
    }
  }

  /** Converts a task list; blocks and import_tasks are flattened into it. */
  private async tasks(items: readonly unknown[], p: JsonPath, src: TaskListSource, inherit: Inherited): Promise<TaskSpec[]> {
    const { at, shown, chain, handler } = src;
    const out: TaskSpec[] = [];
    for (let i = 0; i < items.length; i++) {
      const task = items[i] as Mapping;
      const tp = [...p, i];
      if (BLOCK_KEY in task) {
        const inner = this.inherit(inherit, task, tp, at);
        const id = this.blockCount++;
        for (const part of BLOCK_PARTS) {
          const list = task[part];
          if (!Array.isArray(list)) continue;
          const framed: Inherited = { ...inner, blocks: [...(inner.blocks ?? []), { id, part }] };
          out.push(...(await this.tasks(list, [...tp, part], src, framed)));
        }
      } else if (IMPORT_TASKS_KEY in task) {
        const where = at.value([...tp, IMPORT_TASKS_KEY]);
        const target = this.resolve(shown, task[IMPORT_TASKS_KEY] as string, where);
        if (target) out.push(...(await this.tasksFile(target, where, this.inherit(inherit, task, tp, at), chain, handler)));
      } else if (INCLUDE_TASKS_KEY in task) {
        out.push(...(await includeTasks(this, task, tp, src, inherit)));
      } else if (IMPORT_ROLE_KEY in task) {
        out.push(...(await importRole(this, task, tp, src, inherit, IMPORT_ROLE_KEY)));
      } else if (INCLUDE_ROLE_KEY in task) {
        out.push(...(await includeRole(this, task, tp, src, inherit)));
      } else {
        if (++this.taskCount > MAX_TASKS) {
          this.errors.push(new InputError('import', `more than ${MAX_TASKS} tasks after imports`, at.value(tp)));
          return out;
        }
        out.push(this.task(task, tp, at, inherit, handler));
      }
    }
    return out;
  }

  /** The tasks of a tasks file (import_tasks, include_tasks, a role's tasks/ and handlers/), converted under `inherit`. */
  async tasksFile(target: string, where: SourceLocation, inherit: Inherited, chain: readonly ChainLink[], handler: boolean): Promise<TaskSpec[]> {
    const link = await this.enter(target, chain, where);
    if (!link) return [];
    const loaded = await this.read(target, link.real, where);
    if (!loaded) return [];
    const fileAt = makeLocator(loaded.yaml);
    // A file brought in again (per loop item, by two roles) is validated once: its errors are its own.
    const validatedKey = `${handler ? 'handlers' : 'tasks'}:${link.real}`;
    let valid = this.validated.get(validatedKey);
    if (valid === undefined) {
      // A handlers file (a role's handlers/, an import in handlers:) may use `listen`.
      const errors = handler && Array.isArray(loaded.value) ? sortErrors(validateTaskList(loaded.value, [], fileAt, this.modules, true)) : validateTasksFileValue(loaded.value, fileAt, this.modules);
      this.errors.push(...errors);
      valid = errors.length === 0;
      this.validated.set(validatedKey, valid);
    }
    if (!valid) return [];
    const list = Array.isArray(loaded.value) ? loaded.value : [];
    return this.tasks(list, [], { at: fileAt, shown: target, chain: [...chain, link], handler }, inherit);
  }

  /** A YAML file's value and locator (a vars file, a role's meta/main.yml), or undefined after recording why not. */
  async data(shown: string, where: SourceLocation): Promise<{ readonly value: unknown; readonly at: Locator } | undefined> {
    const link = await this.enter(shown, [], where);
    if (!link) return undefined;
    const loaded = await this.read(shown, link.real, where);
    return loaded ? { value: loaded.value, at: makeLocator(loaded.yaml) } : undefined;
  }

  /** Lets imports read files under `dir` (a role found on the roles path, outside the project). */
  allowRoot(dir: string): void {
    const resolved = path.resolve(dir);
    if (!this.roots.includes(resolved)) this.roots.push(resolved);
  }

  /** The inheritance for the tasks inside a block or import: its own keywords added. */
  inherit(outer: Inherited, task: Mapping, p: JsonPath, at: Locator): Inherited {
    this.checkVars(task.vars, [...p, 'vars'], at);
    return {
      ...outer,
      when: [...outer.when, ...this.conditions(task.when, [...p, 'when'], at)],
      tags: unique([...outer.tags, ...splitTags(task.tags)]),
      vars: { ...outer.vars, ...((task.vars as Mapping | undefined) ?? {}) },
      ...defined({
        become: task.become as boolean | undefined,
        becomeUser: task.become_user as string | undefined,
        ignoreErrors: task.ignore_errors as boolean | undefined,
        noLog: task.no_log as boolean | undefined,
        checkMode: typeof task.check_mode === 'boolean' ? task.check_mode : undefined,
      }),
      ...this.environmentOf(task, p, at, outer.environment),
    };
  }

  /** The `environment` layers of a play, block or task over the outer ones; template syntax checked. */
  private environmentOf(node: Mapping, p: JsonPath, at: Locator, outer: readonly LocatedValue[] | undefined): { environment?: readonly LocatedValue[] } {
    const value = node.environment;
    if (value === undefined || value === null) return outer !== undefined ? { environment: outer } : {};
    const where = at.text([...p, 'environment']);
    if (typeof value === 'string') this.syntax(() => parseTemplate(value, where));
    else this.checkTemplates(value, [...p, 'environment'], at);
    return { environment: [...(outer ?? []), { value, where }] };
  }

  private task(task: Mapping, p: JsonPath, at: Locator, inherit: Inherited, handler: boolean): TaskSpec {
    // The key as written (an alias maybe); everything after the loader knows the module's name.
    const written = moduleKeyOf(task, this.modules) as string;
    const moduleSpec = this.modules.get(written) as AnyModule;
    const module = moduleSpec.name;
    const { params } = taskParams(task, written, moduleSpec);
    const raw = task[written];
    // Where a param stands: under the module key, in args, or the free-form string itself.
    const paramPath = (key: string): JsonPath =>
      isMapping(raw) && key in raw ? [...p, written, key] : isMapping(task.args) && key in task.args ? [...p, 'args', key] : [...p, written];
    const paramWhere: Record<string, SourceLocation> = {};
    for (const key of Object.keys(params)) paramWhere[key] = at.text(paramPath(key));
    const templateWhere: Record<string, SourceLocation> = {};
    for (const { text, rel } of stringsIn(params)) {
      if (!isTemplated(text)) continue;
      const where = at.text([...paramPath(String(rel[0])), ...rel.slice(1)]);
      templateWhere[pointer(rel)] = where;
      this.syntax(() => parseTemplate(text, where));
    }
    const expressionParams = moduleSpec.expressionParams ?? [];
    for (const name of expressionParams) {
      const v = params[name];
      const items = Array.isArray(v) ? v.map((x, i) => ({ x, rel: [i] })) : [{ x: v, rel: [] }];
      for (const { x, rel } of items) if (typeof x === 'string') this.syntax(() => parseExpression(x, at.text([...paramPath(name), ...rel])));
    }
    if (typeof task.name === 'string' && isTemplated(task.name)) this.syntax(() => parseTemplate(task.name as string, at.text([...p, 'name'])));
    this.checkVars(task.vars, [...p, 'vars'], at);
    const loopKeys = loopKeysOf(task);
    for (const extra of loopKeys.slice(1)) this.errors.push(new InputError('schema', `a task has one loop: '${extra}' and '${loopKeys[0] ?? ''}' both given`, at.key([...p, extra])));
    const loopKey = loopKeys[0];
    const loop = loopKey === undefined ? undefined : task[loopKey];
    if (loopKey !== undefined && typeof loop === 'string') this.syntax(() => parseTemplate(loop, at.text([...p, loopKey])));
    else if (loopKey !== undefined && loop !== undefined) this.checkTemplates(loop, [...p, loopKey], at);
    const notify = toList(task.notify);
    const notifyWhere = Array.isArray(task.notify) ? notify.map((_, i) => at.text([...p, 'notify', i])) : notify.map(() => at.text([...p, 'notify']));
    const loopControl = task.loop_control as { loop_var?: string; index_var?: string; label?: unknown; pause?: number } | undefined;
    for (const key of ['loop_var', 'index_var'] as const) {
      const name = loopControl?.[key];
      if (typeof name === 'string' && FORBIDDEN_KEYS.has(name)) this.errors.push(new InputError('vars', `'${name}' cannot be a variable name`, at.value([...p, 'loop_control', key])));
    }
    if (loopControl?.label !== undefined) this.checkTemplates(loopControl.label, [...p, 'loop_control', 'label'], at);
    if (typeof task.register === 'string' && FORBIDDEN_KEYS.has(task.register)) {
      this.errors.push(new InputError('vars', `'${task.register}' cannot be a variable name`, at.value([...p, 'register'])));
    }
    const action = actionOf(module);
    const until = this.conditions(task.until, [...p, 'until'], at);
    const ownName = typeof task.name === 'string' ? task.name : defaultName(written, params);
    const spec: TaskSpec = {
      name: inherit.role === undefined ? ownName : `${inherit.role.name} : ${ownName}`,
      module,
      ...(until.length > 0 ? { until, retries: (task.retries as number | undefined) ?? 3, delay: (task.delay as number | undefined) ?? 5 } : {}),
      params,
      paramWhere,
      templateWhere,
      when: [...inherit.when, ...this.conditions(task.when, [...p, 'when'], at)],
      ...(loopKey !== undefined && loop !== undefined ? { loop, loopWhere: at.text([...p, loopKey]), ...(LOOP_KEYS[loopKey] !== 'list' ? { loopStyle: LOOP_KEYS[loopKey] } : {}) } : {}),
      loopVar: loopControl?.loop_var ?? 'item',
      ...(typeof task.register === 'string' ? { register: task.register, registerWhere: at.value([...p, 'register']) } : {}),
      notify,
      notifyWhere,
      tags: unique([...inherit.tags, ...splitTags(task.tags)]),
      vars: { ...inherit.vars, ...((task.vars as Mapping | undefined) ?? {}) },
      become: (task.become as boolean | undefined) ?? inherit.become ?? false,
      becomeUser: (task.become_user as string | undefined) ?? inherit.becomeUser ?? 'root',
      changedWhen: this.conditions(task.changed_when, [...p, 'changed_when'], at),
      failedWhen: this.conditions(task.failed_when, [...p, 'failed_when'], at),
      ignoreErrors: (task.ignore_errors as boolean | undefined) ?? inherit.ignoreErrors ?? false,
      ...this.environmentOf(task, p, at, inherit.environment),
      noLog: (task.no_log as boolean | undefined) ?? inherit.noLog ?? false,
      // A role's handler answers to its own name as well as to `ROLE : name`.
      listen: handler ? unique([...toList(task.listen), ...(inherit.role === undefined ? [] : [ownName])]) : [],
      baseDirs: inherit.baseDirs,
      ...defined({
        action,
        indexVar: loopControl?.index_var,
        loopLabel: loopControl?.label,
        loopPause: loopControl?.pause,
        runOnce: task.run_once === true ? true : undefined,
        ignoreUnreachable: task.ignore_unreachable === true ? true : undefined,
        checkMode: typeof task.check_mode === 'boolean' ? task.check_mode : inherit.checkMode,
        blocks: inherit.blocks,
        role: inherit.role,
        includeLoop: inherit.includeLoop,
      }),
      where: at.value(p),
    };
    this.checkControllerFiles(moduleSpec, spec);
    return spec;
  }

  /** `when`-style values as located expressions; booleans become 'true'/'false'. */
  conditions(value: unknown, p: JsonPath, at: Locator): LocatedExpression[] {
    if (value === undefined || value === null) return [];
    const items = Array.isArray(value) ? value.map((v, i) => ({ v, where: at.text([...p, i]) })) : [{ v: value, where: at.text(p) }];
    const out: LocatedExpression[] = [];
    for (const { v, where } of items) {
      const expr = String(v);
      this.syntax(() => parseExpression(expr, where));
      out.push({ expr, where });
    }
    return out;
  }

  /** Checks the template syntax of every string inside a vars mapping or loop list. */
  checkTemplates(value: unknown, p: JsonPath, at: Locator): void {
    if (value === undefined) return;
    for (const { text, rel } of stringsIn(value)) {
      if (isTemplated(text)) this.syntax(() => parseTemplate(text, at.text([...p, ...rel])));
    }
  }

  private syntax(parse: () => unknown): void {
    try {
      parse();
    } catch (e) {
      if (e instanceof InputError) this.errors.push(e);
      else throw e;
    }
  }

  /**
   * The file an import names, as shown in messages (joined to the importing file's directory),
   * or undefined after recording why the path is refused.
   */
  resolve(fromShown: string, target: string, where: SourceLocation): string | undefined {
    if (target.includes('\0')) {
      this.errors.push(new InputError('import', 'import path contains a NUL byte', where));
      return undefined;
    }
    if (isTemplated(target)) {
      this.errors.push(new InputError('import', `import path '${target}' cannot be templated: imports are read before any host is known`, where));
      return undefined;
    }
    if (path.isAbsolute(target)) {
      this.errors.push(new InputError('import', `import path '${target}' must be relative to the importing file`, where));
      return undefined;
    }
    const shown = path.join(path.dirname(fromShown), target);
    const inside = (root: string): boolean => {
      const relative = path.relative(root, path.resolve(shown));
      return !relative.startsWith('..') && !path.isAbsolute(relative);
    };
    if (!inside(this.projectRoot) && !this.roots.some(inside)) {
      // Named as the user sees it (relative to the working directory), like every path in errors.
      const root = path.relative(process.cwd(), this.projectRoot) || '.';
      this.errors.push(new InputError('import', `import path '${target}' leaves the project directory ${root}`, where));
      return undefined;
    }
    return shown;
  }

  /** The chain link for `shown`, or undefined after recording a missing file or a cycle. */
  private async enter(shown: string, chain: readonly ChainLink[], where: SourceLocation | undefined): Promise<ChainLink | undefined> {
    const info = await this.pathInfo(shown);
    if (!info) {
      if (where) this.errors.push(new InputError('import', `imported file not found: ${shown}`, where));
      else this.errors.push(new InputError('file', `${shown}: no such file`));
      return undefined;
    }
    const { real, regular } = info;
    const seen = chain.findIndex((l) => l.real === real);
    if (seen >= 0) {
      const loop = [...chain.slice(seen), { real, shown }];
      const base = path.dirname(path.resolve(loop[0]?.shown ?? shown));
      const names = loop.map((l) => path.relative(base, path.resolve(l.shown)));
      this.errors.push(new InputError('import', `import cycle: ${names.join(' → ')}`, where));
      return undefined;
    }
    // An imported pipe would block the loader forever and a device never ends: imports are files.
    if (where && !regular) {
      this.errors.push(new InputError('import', `imported path is not a regular file: ${shown}`, where));
      return undefined;
    }
    if (chain.length >= MAX_IMPORT_DEPTH) {
      this.errors.push(new InputError('import', `imports nested more than ${MAX_IMPORT_DEPTH} deep`, where));
      return undefined;
    }
    return { real, shown };
  }

  /** A path's real path and whether it is a regular file (undefined: not there), asked once per load. */
  private pathInfo(shown: string): Promise<{ readonly real: string; readonly regular: boolean } | undefined> {
    const key = path.resolve(shown);
    let info = this.paths.get(key);
    if (!info) {
      info = realpath(shown).then(
        async (real) => ({ real, regular: await stat(real).then((s) => s.isFile(), () => true) }),
        () => undefined,
      );
      this.paths.set(key, info);
    }
    return info;
  }

  /** Reads and parses a file once; its errors are recorded, located at `where` when unreadable. */
  private read(shown: string, real: string, where: SourceLocation | undefined): Promise<LoadedYaml | undefined> {
    let pending = this.cache.get(real);
    if (!pending) {
      if (!this.files.includes(shown)) this.files.push(shown);
      pending = loadYaml(shown, { vaultPasswords: this.vaultPasswords }).then(
        (loaded) => loaded,
        (e: unknown) => {
          if (!(e instanceof InputErrors)) throw e;
          for (const err of e.errors) this.errors.push(err.where || !where ? err : new InputError(err.kind === 'file' ? 'import' : err.kind, err.message, where));
          return undefined;
        },
      );
      this.cache.set(real, pending);
    }
    return pending;
  }

  /**
   * A mapping of variables (vars:, a vars file, role parameters): its templates' syntax, and its
   * names: `__proto__`, `constructor` and `prototype` name Object's own machinery, so as variables
   * they would be refused on every host at run time; they are refused here, before any host is contacted.
   */
  checkVars(vars: unknown, p: JsonPath, at: Locator): void {
    this.checkTemplates(vars, p, at);
    if (!isMapping(vars)) return;
    for (const key of Object.keys(vars)) {
      if (FORBIDDEN_KEYS.has(key)) this.errors.push(new InputError('vars', `'${key}' cannot be a variable name`, at.key([...p, key])));
    }
  }

  /** A vars file: a mapping of variables, merged over the play's vars. */
  async varsFile(shown: string, where: SourceLocation): Promise<Mapping> {
    const loaded = await this.data(shown, where);
    if (!loaded || loaded.value === null) return {};
    const { value, at } = loaded;
    if (!isMapping(value)) {
      this.errors.push(new InputError('vars', `a vars file must be a mapping of variables, got ${Array.isArray(value) ? 'list' : typeof value}`, at.value([])));
      return {};
    }
    // A role's defaults and vars are brought in again per include_role loop item: checked once.
    const checked = path.resolve(shown);
    if (this.checkedVarsFiles.has(checked)) return value;
    this.checkedVarsFiles.add(checked);
    for (const key of Object.keys(value)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) this.errors.push(new InputError('vars', `'${key}' is not a valid variable name (letters, digits and _, not starting with a digit)`, at.key([key])));
    }
    this.checkVars(value, [], at);
    return value;
  }
}

/** `serial` as a list of counts and percentages ("3" becomes 3). */
function normaliseSerial(v: unknown): (number | string)[] {
  const items = Array.isArray(v) ? v : [v];
  return items.map((x) => (typeof x === 'string' && /^[0-9]+$/.test(x) ? Number(x) : (x as number | string)));
}

/** `<module> <first scalar param>`, or the module's name alone. */
function defaultName(module: string, params: Mapping): string {
  for (const v of Object.values(params)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return `${module} ${String(v)}`;
  }
  return module;
}

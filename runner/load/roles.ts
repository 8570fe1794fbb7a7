// Roles (Ansible's roles/NAME/{tasks,handlers,defaults,vars,meta}/main.yml) and the task entries
// that bring in other tasks: import_role, include_role and include_tasks. Everything here is read
// when the playbook is loaded, like import_tasks: a role's files are validated and flattened into
// the play before any host is contacted, and every error names the role file's FILE:LINE:COL.
// Ansible reads include_* at run time; what only run time can know (a templated role or file
// name, a loop over a variable) is refused here with a located error instead.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError, type SourceLocation } from '../errors.js';
import { isTemplated } from '../template/index.js';
import { INCLUDE_ROLE_KEY, INCLUDE_TASKS_KEY, ROLE_ENTRY_KEYWORDS } from '../schema/playbook.js';
import type { JsonPath, Locator } from '../schema/locator.js';
import { checkRoleEntry, describeValue } from '../schema/validate.js';
import { defined } from './defined.js';
import type { ChainLink, Inherited, TaskListSource } from './inherited.js';
import type { IncludeLoop, RoleScope, TaskSpec } from './types.js';

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => typeof v === 'object' && v !== null && !Array.isArray(v);
const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

/** What the loader lends to role loading: reading files as its imports do, and its checks. */
export interface RoleLoaderHost {
  readonly errors: InputError[];
  /** The roles of the play being converted. */
  readonly roles: PlayRoles;
  tasksFile(target: string, where: SourceLocation, inherit: Inherited, chain: readonly ChainLink[], handler: boolean): Promise<TaskSpec[]>;
  data(shown: string, where: SourceLocation): Promise<{ readonly value: unknown; readonly at: Locator } | undefined>;
  varsFile(shown: string, where: SourceLocation): Promise<Mapping>;
  inherit(outer: Inherited, node: Mapping, p: JsonPath, at: Locator): Inherited;
  resolve(fromShown: string, target: string, where: SourceLocation): string | undefined;
  checkTemplates(value: unknown, p: JsonPath, at: Locator): void;
  checkVars(vars: unknown, p: JsonPath, at: Locator): void;
  allowRoot(dir: string): void;
}

/** What the roles of one play add to it, gathered while its task lists are converted. */
export class PlayRoles {
  /** defaults/main.yml of every role, in the order the roles are read (dependencies first). */
  readonly defaults: Mapping = {};
  /** A role entry's `vars:`, then its vars/main.yml, of every role in the same order. */
  readonly vars: Mapping = {};
  readonly handlers: TaskSpec[] = [];
  /** `roles:` entries and dependencies already brought in: Ansible runs a role once per play unless its parameters differ. */
  readonly seen = new Map<string, { readonly defaults: Mapping; readonly vars: Mapping }>();
  /** Handler files already read: a role brought in twice does not run its handlers twice. */
  readonly handlerFiles = new Set<string>();
  /** Role directories and files already looked up (stat, realpath): a role brought in per loop item looks once. */
  readonly lookups = new Map<string, Promise<string | undefined>>();
  constructor(readonly searchDirs: readonly string[]) {}
}

/**
 * Where a play's roles are looked for, in order, as Ansible does: roles/ next to the playbook, the
 * roles path (-r/--roles-path, SPARKBOOK_ROLES_PATH, ANSIBLE_ROLES_PATH), then the playbook's own
 * directory.
 */
export function roleSearchDirs(playbookShown: string, rolesPath: readonly string[]): string[] {
  const dir = path.dirname(playbookShown);
  return unique([path.join(dir, 'roles'), ...rolesPath, dir]);
}

const isDirectory = (p: string): Promise<boolean> => stat(p).then((s) => s.isDirectory(), () => false);
const isFile = (p: string): Promise<boolean> => stat(p).then((s) => s.isFile(), () => false);

/** `find()`, once per play for `key`. */
function lookup(roles: PlayRoles, key: readonly string[], find: () => Promise<string | undefined>): Promise<string | undefined> {
  const k = key.join('\0');
  let found = roles.lookups.get(k);
  if (!found) {
    found = find();
    roles.lookups.set(k, found);
  }
  return found;
}

/** The directory of role `name`: the first search directory that holds it. */
function findRoleDir(roles: PlayRoles, name: string, dirs: readonly string[]): Promise<string | undefined> {
  return lookup(roles, ['dir', name, ...dirs], async () => {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (await isDirectory(candidate)) return candidate;
    }
    return undefined;
  });
}

/** A role's file `sub/name`: as written when it has an extension, else name.yml, name.yaml, name.json, name (Ansible's order). */
function roleFile(roles: PlayRoles, roleDir: string, sub: string, name: string): Promise<string | undefined> {
  return lookup(roles, ['file', roleDir, sub, name], async () => {
    const names = /\.(ya?ml|json)$/.test(name) ? [name] : [`${name}.yml`, `${name}.yaml`, `${name}.json`, name];
    for (const n of names) {
      const candidate = path.join(roleDir, sub, n);
      if (await isFile(candidate)) return candidate;
    }
    return undefined;
  });
}

/** One role to bring in, from a `roles:` entry, a dependency or an import_role. */
interface RoleRef {
  readonly name: string;
  /** Where the role's name is written. */
  readonly where: SourceLocation;
  /** The entry's when/tags/become/…, passed to the role's tasks (an import_role's vars too). */
  readonly keywords: Mapping;
  readonly keywordPath: JsonPath;
  readonly at: Locator;
  /** A `roles:` entry's `vars:`: role vars, below the role's vars/main.yml. */
  readonly entryVars: Mapping;
  /** A `roles:` entry's other keys: variables of the role's tasks. */
  readonly params: Mapping;
  readonly from: { readonly tasks?: string; readonly vars?: string; readonly defaults?: string; readonly handlers?: string };
  /** Ansible runs a role of `roles:` or of a dependency once per play; import_role every time. */
  readonly dedupe: boolean;
  /** Whether the role's defaults and vars are play-wide: not for an include_role without `public: true`, as in Ansible. */
  readonly exposed: boolean;
  /** More directories to search: a dependency's siblings. */
  readonly extraSearch: readonly string[];
}

/** A `roles:` entry (already schema-checked) as a RoleRef. */
function entryRef(entry: unknown, p: JsonPath, at: Locator, extraSearch: readonly string[]): RoleRef {
  if (typeof entry === 'string') {
    return { name: entry, where: at.text(p), keywords: {}, keywordPath: p, at, entryVars: {}, params: {}, from: {}, dedupe: true, exposed: true, extraSearch };
  }
  const e = entry as Mapping;
  const nameKey = typeof e.role === 'string' ? 'role' : 'name';
  const keywords: Mapping = {};
  const params: Mapping = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'role' || k === 'name' || k === 'vars') continue;
    if (ROLE_ENTRY_KEYWORDS.has(k)) keywords[k] = v;
    else params[k] = v;
  }
  return {
    name: e[nameKey] as string,
    where: at.text([...p, nameKey]),
    keywords,
    keywordPath: p,
    at,
    entryVars: isMapping(e.vars) ? e.vars : {},
    params,
    from: {},
    dedupe: true,
    exposed: true,
    extraSearch,
  };
}

/** The tasks of a play's `roles:`, in order; their vars, defaults and handlers go to host.roles. */
export async function playRoles(host: RoleLoaderHost, entries: readonly unknown[], p: JsonPath, { at, chain }: TaskListSource, inherit: Inherited): Promise<TaskSpec[]> {
  const out: TaskSpec[] = [];
  // The entries were checked with the play (validatePlay).
  for (let i = 0; i < entries.length; i++) out.push(...(await loadRole(host, entryRef(entries[i], [...p, i], at, []), inherit, chain, [])).tasks);
  return out;
}

/** `import_role:` (and include_role when it is static): the role's tasks in place of the entry. */
export async function importRole(host: RoleLoaderHost, task: Mapping, p: JsonPath, src: TaskListSource, inherit: Inherited, key: string): Promise<TaskSpec[]> {
  const { at, chain } = src;
  const spec = task[key] as { name: string; tasks_from?: string; vars_from?: string; defaults_from?: string; handlers_from?: string; public?: boolean };
  const from = defined({ tasks: spec.tasks_from, vars: spec.vars_from, defaults: spec.defaults_from, handlers: spec.handlers_from });
  const { [key]: _ref, loop: _loop, loop_control: _control, ...keywords } = task;
  const ref: RoleRef = { name: spec.name, where: at.text([...p, key, 'name']), keywords, keywordPath: p, at, entryVars: {}, params: {}, from, dedupe: false, exposed: key !== INCLUDE_ROLE_KEY || spec.public === true, extraSearch: [] };
  return (await loadRole(host, ref, inherit, chain, [])).tasks;
}

/**
 * `include_role:`: static when its name is not templated, so it is read as import_role is; a
 * literal `loop:` brings the role in once per item, with the loop variable set.
 */
export async function includeRole(host: RoleLoaderHost, task: Mapping, p: JsonPath, src: TaskListSource, inherit: Inherited): Promise<TaskSpec[]> {
  const { at } = src;
  const name = (task[INCLUDE_ROLE_KEY] as { name: string }).name;
  if (isTemplated(name)) {
    host.errors.push(new InputError('import', `include_role with a templated name ('${name}') is not supported yet: roles are read when the playbook is loaded; name the role`, at.text([...p, INCLUDE_ROLE_KEY, 'name'])));
    return [];
  }
  const templated = templatedLoop(host, task, p, at, inherit);
  if (templated === false) return [];
  if (templated !== undefined) return importRole(host, task, p, src, { ...inherit, includeLoop: templated }, INCLUDE_ROLE_KEY);
  const items = loopItems(host, task, p, at, INCLUDE_ROLE_KEY);
  if (items === undefined) return importRole(host, task, p, src, inherit, INCLUDE_ROLE_KEY);
  const out: TaskSpec[] = [];
  for (const item of items) out.push(...(await importRole(host, task, p, src, withVar(inherit, loopVarOf(task), item), INCLUDE_ROLE_KEY)));
  return out;
}

/**
 * `include_tasks: file.yml` (or `{ file: … }`): read when the playbook is loaded, as import_tasks
 * is (so its tasks are validated before any host is contacted); a literal `loop:` brings the file
 * in once per item, with the loop variable set.
 */
export async function includeTasks(host: RoleLoaderHost, task: Mapping, p: JsonPath, src: TaskListSource, inherit: Inherited): Promise<TaskSpec[]> {
  const { at, shown, chain, handler } = src;
  const value = task[INCLUDE_TASKS_KEY];
  const filePath = isMapping(value) ? [...p, INCLUDE_TASKS_KEY, 'file'] : [...p, INCLUDE_TASKS_KEY];
  const file = isMapping(value) ? (value.file as string) : (value as string);
  const where = at.value(filePath);
  if (isTemplated(file)) {
    host.errors.push(new InputError('import', `include_tasks with a templated file name ('${file}') is not supported yet: task files are read when the playbook is loaded; name the file, or use a when: on an import_tasks per file`, at.text(filePath)));
    return [];
  }
  const target = host.resolve(shown, file, where);
  if (!target) return [];
  const { loop: _loop, loop_control: _control, ...keywords } = task;
  const inner = host.inherit(inherit, keywords, p, at);
  const templated = templatedLoop(host, task, p, at, inherit);
  if (templated === false) return [];
  if (templated !== undefined) return host.tasksFile(target, where, { ...inner, includeLoop: templated }, chain, handler);
  const items = loopItems(host, task, p, at, INCLUDE_TASKS_KEY);
  if (items === undefined) return host.tasksFile(target, where, inner, chain, handler);
  const out: TaskSpec[] = [];
  for (const item of items) out.push(...(await host.tasksFile(target, where, withVar(inner, loopVarOf(task), item), chain, handler)));
  return out;
}

/**
 * An include's loop over a template, which only a host can render: its tasks are read now and run
 * per item (IncludeLoop, runner/executor/include-loops.ts). Undefined without one; false after
 * recording a loop inside another such loop.
 */
function templatedLoop(host: RoleLoaderHost, task: Mapping, p: JsonPath, at: Locator, inherit: Inherited): IncludeLoop | false | undefined {
  if (typeof task.loop !== 'string' || !isTemplated(task.loop)) return undefined;
  const loopWhere = at.text([...p, 'loop']);
  if (inherit.includeLoop !== undefined) {
    host.errors.push(new InputError('import', 'an include that loops over a template inside another one is not supported yet: give one of the loops as a list', loopWhere));
    return false;
  }
  host.checkTemplates(task.loop, [...p, 'loop'], at);
  return { loop: task.loop, loopWhere, loopVar: loopVarOf(task) };
}

/** An include's literal loop items; undefined without a loop; [] after recording a templated loop. */
function loopItems(host: RoleLoaderHost, task: Mapping, p: JsonPath, at: Locator, key: string): readonly unknown[] | undefined {
  const loop = task.loop;
  if (loop === undefined) return undefined;
  if (Array.isArray(loop)) {
    host.checkTemplates(loop, [...p, 'loop'], at);
    return loop;
  }
  host.errors.push(new InputError('schema', `'loop' of ${key} must be a list or a template that gives one, got '${String(loop)}'`, at.text([...p, 'loop'])));
  return [];
}

const loopVarOf = (task: Mapping): string => {
  const control = task.loop_control;
  return isMapping(control) && typeof control.loop_var === 'string' ? control.loop_var : 'item';
};

const withVar = (inherit: Inherited, name: string, value: unknown): Inherited => ({ ...inherit, vars: { ...inherit.vars, [name]: value } });

/** A role brought in: its tasks (dependencies' first), and the defaults and vars it sees as its own. */
interface LoadedRole {
  readonly tasks: TaskSpec[];
  readonly defaults: Mapping;
  readonly vars: Mapping;
}

/** Brings in one role: its dependencies' tasks, then its own; its vars, defaults and handlers go to host.roles. */
async function loadRole(host: RoleLoaderHost, ref: RoleRef, outer: Inherited, chain: readonly ChainLink[], roleChain: readonly string[]): Promise<LoadedRole> {
  const none: LoadedRole = { tasks: [], defaults: {}, vars: {} };
  const searched = [...host.roles.searchDirs, ...ref.extraSearch];
  if (isTemplated(ref.name)) {
    host.errors.push(new InputError('import', `role name '${ref.name}' cannot be templated: roles are read when the playbook is loaded`, ref.where));
    return none;
  }
  // Like an import path, a role may not lead out of where roles are looked for.
  if (ref.name.includes('\0') || path.isAbsolute(ref.name) || ref.name.split(/[\\/]/).includes('..')) {
    host.errors.push(new InputError('import', `role '${ref.name}' must be a role's name or a relative path without '..' (roles are looked for in: ${unique(searched).join(', ')})`, ref.where));
    return none;
  }
  const dir = await findRoleDir(host.roles, ref.name, searched);
  if (!dir) {
    host.errors.push(new InputError('import', `role '${ref.name}' not found; looked in: ${unique(searched).join(', ')}`, ref.where));
    return none;
  }
  const real = (await lookup(host.roles, ['real', dir], () => realpath(dir))) as string;
  if (roleChain.includes(real)) {
    const names = [...roleChain, real].map((r) => path.basename(r));
    host.errors.push(new InputError('import', `role dependency cycle: ${names.join(' → ')}`, ref.where));
    return none;
  }
  host.allowRoot(dir);
  const name = path.basename(ref.name);
  host.checkVars(ref.entryVars, [...ref.keywordPath, 'vars'], ref.at);
  host.checkVars(ref.params, ref.keywordPath, ref.at);

  const meta = await readMeta(host, dir, ref.where);
  // The same role with the same parameters in the same place runs once, as in Ansible (its
  // variables still count for a role that depends on it).
  const key = ref.dedupe && !meta.allowDuplicates ? JSON.stringify([real, ref.from, ref.params, ref.entryVars, ref.keywords, outer.vars, outer.when, outer.tags]) : undefined;
  const seen = key === undefined ? undefined : host.roles.seen.get(key);
  if (seen) return { tasks: [], ...seen };

  // The entry's when/tags/become apply to the role's dependencies and to its own tasks.
  const keywordInherit: Inherited = { ...host.inherit(outer, ref.keywords, ref.keywordPath, ref.at), baseDirs: [dir, ...outer.baseDirs] };
  const tasks: TaskSpec[] = [];
  const ownDefaults: Mapping = {};
  const ownVars: Mapping = {};
  for (const dep of meta.dependencies) {
    const loaded = await loadRole(host, { ...dep, exposed: ref.exposed, extraSearch: [path.dirname(dir)] }, keywordInherit, chain, [...roleChain, real]);
    tasks.push(...loaded.tasks);
    Object.assign(ownDefaults, loaded.defaults);
    Object.assign(ownVars, loaded.vars);
  }

  const defaultsFile = await wantedFile(host, dir, 'defaults', ref.from.defaults, ref.where);
  if (defaultsFile) Object.assign(ownDefaults, await host.varsFile(defaultsFile, ref.where));
  Object.assign(ownVars, ref.entryVars);
  const varsFile = await wantedFile(host, dir, 'vars', ref.from.vars, ref.where);
  if (varsFile) Object.assign(ownVars, await host.varsFile(varsFile, ref.where));
  // Play-wide, in the order roles are read: a later role's value wins outside the role itself.
  if (ref.exposed) {
    Object.assign(host.roles.defaults, ownDefaults);
    Object.assign(host.roles.vars, ownVars);
  }

  if (key !== undefined) host.roles.seen.set(key, { defaults: ownDefaults, vars: ownVars });
  const role: RoleScope = { name, defaults: ownDefaults, vars: ownVars };
  const inner: Inherited = {
    ...keywordInherit,
    // role_path and role_name are Ansible's magic variables of a role's tasks.
    vars: { ...keywordInherit.vars, ...ref.params, role_name: name, role_path: path.resolve(dir) },
    role,
  };
  const tasksFile = await wantedFile(host, dir, 'tasks', ref.from.tasks, ref.where);
  if (tasksFile) tasks.push(...(await host.tasksFile(tasksFile, ref.where, inner, chain, false)));
  const handlersFile = await wantedFile(host, dir, 'handlers', ref.from.handlers, ref.where);
  if (handlersFile && !host.roles.handlerFiles.has(path.resolve(handlersFile))) {
    host.roles.handlerFiles.add(path.resolve(handlersFile));
    // Handlers run once per notify, not per item of a looping include_role.
    const { includeLoop: _loop, ...handlerInherit } = inner;
    host.roles.handlers.push(...(await host.tasksFile(handlersFile, ref.where, handlerInherit, chain, true)));
  }
  return { tasks, defaults: ownDefaults, vars: ownVars };
}

/** A role's `sub/` file: main when not named (absent is fine), or the `*_from` file (absent is an error). */
async function wantedFile(host: RoleLoaderHost, dir: string, sub: string, named: string | undefined, where: SourceLocation): Promise<string | undefined> {
  if (named !== undefined && (named.includes('\0') || path.isAbsolute(named) || path.normalize(named).startsWith('..'))) {
    host.errors.push(new InputError('import', `${sub}_from '${named}' must name a file inside the role's ${sub}/ directory`, where));
    return undefined;
  }
  const file = await roleFile(host.roles, dir, sub, named ?? 'main');
  if (!file && named !== undefined) host.errors.push(new InputError('import', `role file not found: ${path.join(dir, sub, named)} (also tried .yml, .yaml, .json)`, where));
  return file;
}

interface RoleMeta {
  readonly dependencies: readonly Omit<RoleRef, 'extraSearch' | 'exposed'>[];
  readonly allowDuplicates: boolean;
}

/** meta/main.yml: `dependencies:` (role entries, as in `roles:`) and `allow_duplicates:`; other keys (galaxy_info, …) are ignored. */
async function readMeta(host: RoleLoaderHost, dir: string, where: SourceLocation): Promise<RoleMeta> {
  const none: RoleMeta = { dependencies: [], allowDuplicates: false };
  const file = await roleFile(host.roles, dir, 'meta', 'main');
  if (!file) return none;
  const loaded = await host.data(file, where);
  if (!loaded || loaded.value === null || loaded.value === undefined) return none;
  const { value, at } = loaded;
  if (!isMapping(value)) {
    host.errors.push(new InputError('schema', 'a role\'s meta/main.yml must be a mapping (dependencies:, galaxy_info:, …)', at.value([])));
    return none;
  }
  const allowDuplicates = value.allow_duplicates === true;
  const deps = value.dependencies;
  if (deps === undefined || deps === null) return { dependencies: [], allowDuplicates };
  if (!Array.isArray(deps)) {
    host.errors.push(new InputError('schema', `'dependencies' must be a list of roles, got ${describeValue(deps)}`, at.value(['dependencies'])));
    return none;
  }
  const errors = deps.flatMap((d, i) => checkRoleEntry(d, ['dependencies', i], at));
  if (errors.length > 0) {
    host.errors.push(...errors);
    return none;
  }
  const list = deps as unknown[];
  return { dependencies: list.map((d, i) => entryRef(d, ['dependencies', i], at, [])), allowDuplicates };
}

// The playbook's JSON Schema: static pieces (plays, task keywords, blocks, imports) written
// `as const` so their types are inferred, and the whole schema generated from the module registry
// for validation-aware editors (`sparkbook schema`).
import type { FromSchema } from 'json-schema-to-ts';
import { keysOf, type AnyModule } from '../module.js';

/** A variable name: what `register`, `loop_var` and `vars` keys must be. */
export const IDENTIFIER_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';

/** `serial` as one string: a positive count or a percentage from 1% to 100%. */
export const SERIAL_STRING_PATTERN = '^(?:[1-9][0-9]*|(?:[1-9][0-9]?|100)%)$';

const conditionItem = { type: ['string', 'boolean'] } as const;

/** `when`, `changed_when`, `failed_when`: an expression, a boolean, or a list that must all hold. */
export const CONDITION_SCHEMA = {
  description: 'An expression (no {{ }} needed), a boolean, or a list of them that must all hold.',
  anyOf: [conditionItem, { type: 'array', items: conditionItem }],
} as const;

/** A string or a list of strings (`tags`, `notify`, `listen`). */
export const STRING_OR_LIST_SCHEMA = {
  anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
} as const;

/** `environment:`: shell variables exported for a task's scripts, or a template that gives them. */
export const ENVIRONMENT_SCHEMA = {
  description: "Shell variables exported for the task's commands on the host (values quoted), or a template that gives a mapping (\"{{ proxy_env }}\").",
  anyOf: [
    { type: 'object', propertyNames: { pattern: IDENTIFIER_PATTERN }, additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
    { type: 'string', pattern: '\\{\\{' },
  ],
} as const;

/** `check_mode:` on a task, block or play. */
export const CHECK_MODE_SCHEMA = {
  type: 'boolean',
  description: 'true: only plan this task, even without --check; false: apply it even under --check.',
} as const;

/** A mapping of variables; keys are identifiers. */
export const VARS_SCHEMA = {
  type: 'object',
  propertyNames: { pattern: IDENTIFIER_PATTERN },
  description: 'Variables for templates, by name.',
} as const;

const serialItem = {
  anyOf: [
    { type: 'integer', minimum: 1 },
    { type: 'string', pattern: SERIAL_STRING_PATTERN },
  ],
} as const;

/** The keywords a task may carry besides its one module key. */
export const TASK_KEYWORD_PROPERTIES = {
  name: { type: 'string', description: 'What the task does, shown in the output. Default: the module and its first parameter.' },
  when: { ...CONDITION_SCHEMA, description: 'Run the task only when this holds (a list: when all hold).' },
  loop: {
    description: 'Run the task once per item: a list, or a template that gives one ("{{ users }}").',
    anyOf: [{ type: 'array' }, { type: 'string' }],
  },
  with_items: { description: 'Ansible\'s older loop: a list (nested lists flattened one level) or a template that gives one.', anyOf: [{ type: 'array' }, { type: 'string' }] },
  with_list: { description: 'Ansible\'s older loop: the list as it is (like loop:).', anyOf: [{ type: 'array' }, { type: 'string' }] },
  with_dict: { description: 'Loop over a mapping: item.key and item.value.', anyOf: [{ type: 'object' }, { type: 'string', pattern: '\\{\\{' }] },
  with_together: { description: 'Loop over lists side by side: item is [first[i], second[i], …], null where a list is shorter.', anyOf: [{ type: 'array' }, { type: 'string', pattern: '\\{\\{' }] },
  with_fileglob: {
    description: 'Loop over the files on the controller that these patterns match (relative to the playbook; * and ? in the file name), sorted.',
    anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 } }],
  },
  loop_control: {
    type: 'object',
    additionalProperties: false,
    properties: {
      loop_var: { type: 'string', pattern: IDENTIFIER_PATTERN, description: 'The name of the loop variable (default item).' },
      index_var: { type: 'string', pattern: IDENTIFIER_PATTERN, description: "A variable holding the item's index, from 0." },
      label: { description: 'What the output shows for each item instead of the whole item (a template: "{{ item.name }}").' },
      pause: { type: 'number', minimum: 0, description: 'Seconds to wait between items.' },
    },
    description: 'How the loop names its variables and shows its items.',
  },
  register: { type: 'string', pattern: IDENTIFIER_PATTERN, description: "Keep the task's result in this variable for later tasks." },
  notify: { ...STRING_OR_LIST_SCHEMA, description: 'Handlers (names or listen topics) to run at the end of the play when this task changed something.' },
  tags: { ...STRING_OR_LIST_SCHEMA, description: 'Tags for --tags and --skip-tags.' },
  vars: VARS_SCHEMA,
  become: { type: 'boolean', description: 'Run as another user (sudo).' },
  become_user: { type: 'string', minLength: 1, description: 'The user to become (default root).' },
  changed_when: { ...CONDITION_SCHEMA, description: 'Overrides when the task counts as changed.' },
  failed_when: { ...CONDITION_SCHEMA, description: 'Overrides when the task counts as failed.' },
  ignore_errors: { type: 'boolean', description: 'A failure of this task does not stop the host.' },
  until: { ...CONDITION_SCHEMA, description: 'Run the task again until this holds (the result is bound to the register name and `result`), `retries` more times at most.' },
  retries: { type: 'integer', minimum: 0, description: 'With until: how many times to run the task again at most (default 3).' },
  delay: { type: 'number', minimum: 0, description: 'With until: seconds to wait between attempts (default 5).' },
  no_log: { type: 'boolean', description: "Mask the task's parameters, output and diff in every report." },
  environment: ENVIRONMENT_SCHEMA,
  check_mode: CHECK_MODE_SCHEMA,
  run_once: { type: 'boolean', description: 'Run on the first host of the batch only; every host of the batch gets its result (register, set_fact).' },
  ignore_unreachable: { type: 'boolean', description: 'A lost connection during this task does not stop the host: it goes on to the next task.' },
  args: { type: 'object', description: "More parameters of the task's module (Ansible's `args:`), merged with those under the module key; a parameter may not be in both." },
} as const;

/** Task keywords as a schema over a mapping holding only keywords (the module key removed). */
export const TASK_KEYWORDS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: TASK_KEYWORD_PROPERTIES,
} as const;

/** Handlers take the task keywords plus `listen`. */
export const HANDLER_KEYWORDS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...TASK_KEYWORD_PROPERTIES,
    listen: { ...STRING_OR_LIST_SCHEMA, description: 'Topics this handler also answers to in notify.' },
  },
} as const;

/** Keywords a block or an import passes down to the tasks inside it. */
const INHERITED_PROPERTIES = {
  name: { type: 'string', description: 'A label; not shown.' },
  when: { ...CONDITION_SCHEMA, description: 'Added to the `when` of every task inside.' },
  tags: { ...STRING_OR_LIST_SCHEMA, description: 'Added to the tags of every task inside.' },
  vars: VARS_SCHEMA,
  become: TASK_KEYWORD_PROPERTIES.become,
  become_user: TASK_KEYWORD_PROPERTIES.become_user,
  environment: ENVIRONMENT_SCHEMA,
  check_mode: CHECK_MODE_SCHEMA,
} as const;

/** `block:` groups tasks that share when/tags/vars/become; `rescue` and `always` as in Ansible. */
export const BLOCK_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['block'],
  properties: {
    ...INHERITED_PROPERTIES,
    block: { type: 'array', description: 'The tasks of the block.' },
    rescue: { type: 'array', description: 'Tasks run when a task of the block fails; a failure they rescue does not fail the host (ansible_failed_task and ansible_failed_result say what failed).' },
    always: { type: 'array', description: 'Tasks run after the block (and rescue), whether they failed or not.' },
    ignore_errors: TASK_KEYWORD_PROPERTIES.ignore_errors,
    no_log: TASK_KEYWORD_PROPERTIES.no_log,
  },
} as const;

/** `import_tasks: file.yml`, read when the playbook is loaded, relative to the importing file. */
export const IMPORT_TASKS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['import_tasks'],
  properties: {
    ...INHERITED_PROPERTIES,
    import_tasks: { type: 'string', minLength: 1, description: 'A file with a list of tasks, relative to this file.' },
  },
} as const;

/** The loop keywords an include_tasks or include_role may carry (literal lists are expanded when loaded). */
const INCLUDE_LOOP_PROPERTIES = {
  loop: TASK_KEYWORD_PROPERTIES.loop,
  loop_control: TASK_KEYWORD_PROPERTIES.loop_control,
} as const;

/** `include_tasks: file.yml` (or `{ file: … }`): read when the playbook is loaded, like import_tasks. */
export const INCLUDE_TASKS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['include_tasks'],
  properties: {
    ...INHERITED_PROPERTIES,
    ...INCLUDE_LOOP_PROPERTIES,
    include_tasks: {
      description: 'A file with a list of tasks, relative to this file; read when the playbook is loaded (a literal loop: once per item).',
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'object', additionalProperties: false, required: ['file'], properties: { file: { type: 'string', minLength: 1 } } },
      ],
    },
  },
} as const;

/** What `import_role:` / `include_role:` take. */
const ROLE_REFERENCE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, description: 'The role: a directory under roles/ next to the playbook or on the roles path.' },
    tasks_from: { type: 'string', minLength: 1, description: 'The tasks file in the role\'s tasks/ to run instead of main.yml.' },
    vars_from: { type: 'string', minLength: 1, description: 'The file in vars/ to read instead of main.yml.' },
    defaults_from: { type: 'string', minLength: 1, description: 'The file in defaults/ to read instead of main.yml.' },
    handlers_from: { type: 'string', minLength: 1, description: 'The file in handlers/ to read instead of main.yml.' },
  },
} as const;

/** `import_role: { name: … }`: the role's tasks in place, read when the playbook is loaded. */
export const IMPORT_ROLE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['import_role'],
  properties: { ...INHERITED_PROPERTIES, import_role: ROLE_REFERENCE_SCHEMA },
} as const;

/** `include_role: { name: … }`: read when the playbook is loaded, as import_role (a literal loop: once per item). */
export const INCLUDE_ROLE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['include_role'],
  properties: {
    ...INHERITED_PROPERTIES,
    ...INCLUDE_LOOP_PROPERTIES,
    include_role: {
      ...ROLE_REFERENCE_SCHEMA,
      properties: {
        ...ROLE_REFERENCE_SCHEMA.properties,
        public: { type: 'boolean', description: "Make the role's defaults and vars play-wide (default: only the role's own tasks see them)." },
      },
    },
  },
} as const;

/** A `roles:` entry written as a mapping: `role:` (or `name:`), keywords, and role parameters. */
export const ROLE_ENTRY_MAPPING_SCHEMA = {
  type: 'object',
  properties: {
    role: { type: 'string', minLength: 1, description: 'The role (or `name:`).' },
    name: { type: 'string', minLength: 1, description: 'The role (when `role:` is not given).' },
    when: INHERITED_PROPERTIES.when,
    tags: INHERITED_PROPERTIES.tags,
    vars: { ...VARS_SCHEMA, description: "Vars of the role: below the role's own vars/main.yml, as in Ansible." },
    become: INHERITED_PROPERTIES.become,
    become_user: INHERITED_PROPERTIES.become_user,
    ignore_errors: TASK_KEYWORD_PROPERTIES.ignore_errors,
    no_log: TASK_KEYWORD_PROPERTIES.no_log,
  },
  propertyNames: { pattern: IDENTIFIER_PATTERN },
  description: "Other keys are role parameters: variables of the role's tasks above everything but extra vars.",
} as const;

/** An entry of a play's `roles:` (or of a role's meta dependencies), for editors; the loader checks entries one by one. */
export const ROLE_ENTRY_SCHEMA = {
  anyOf: [{ type: 'string', minLength: 1 }, { ...ROLE_ENTRY_MAPPING_SCHEMA, anyOf: [{ required: ['role'] }, { required: ['name'] }] }],
} as const;

/** `- import_playbook: file.yml` at the top level of a playbook. */
export const IMPORT_PLAYBOOK_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['import_playbook'],
  properties: {
    import_playbook: { type: 'string', minLength: 1, description: 'A playbook file, relative to this file.' },
    name: { type: 'string', description: 'A label; not shown.' },
  },
} as const;

/** A play; its task lists are only checked to be lists here (tasks are checked one by one). */
export const PLAY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['hosts'],
  properties: {
    name: { type: 'string', description: 'The name of the play. Default: its hosts pattern.' },
    hosts: {
      description: 'Host pattern (as in --limit): hosts, groups, globs, `!exclude`, `&intersect`; a list is a union.',
      anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }],
    },
    become: { type: 'boolean', description: 'Run every task as another user (sudo) unless it says otherwise.' },
    become_user: { type: 'string', minLength: 1, description: 'The user to become (default root).' },
    gather_facts: { type: 'boolean', description: 'Gather facts before the first task (default true).' },
    connection: {
      enum: ['local', 'ssh'],
      description: "local: the play's hosts must be this machine (ansible_connection: local, as localhost is); sparkbook refuses to run another host's tasks here. ssh: the default.",
    },
    environment: ENVIRONMENT_SCHEMA,
    check_mode: CHECK_MODE_SCHEMA,
    vars: VARS_SCHEMA,
    vars_files: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'YAML files of variables, relative to the playbook; later files win over earlier ones and over `vars`.',
    },
    pre_tasks: { type: 'array', description: 'Tasks run before `tasks`.' },
    tasks: { type: 'array', description: 'The tasks of the play.' },
    post_tasks: { type: 'array', description: 'Tasks run after `tasks`.' },
    handlers: { type: 'array', description: 'Tasks run once at the end of the play when notified.' },
    serial: {
      description: 'Roll out in batches: a count, a percentage ("25%"), or a list of them (the last repeats).',
      anyOf: [...serialItem.anyOf, { type: 'array', minItems: 1, items: serialItem }],
    },
    max_fail_percentage: { type: 'number', minimum: 0, maximum: 100, description: 'Stop the rollout when more than this share of a batch failed.' },
    any_errors_fatal: { type: 'boolean', description: 'Stop the whole play at the first failed host.' },
    tags: { ...STRING_OR_LIST_SCHEMA, description: 'Tags of every task in the play.' },
    roles: { type: 'array', description: 'Roles whose tasks run after pre_tasks and before tasks (roles/NAME next to the playbook, or on the roles path).' },
  },
} as const;

export type PlayKeywords = FromSchema<typeof PLAY_SCHEMA>;
export type TaskKeywords = FromSchema<typeof HANDLER_KEYWORDS_SCHEMA>;
export type BlockKeywords = FromSchema<typeof BLOCK_SCHEMA>;
export type ImportTasksKeywords = FromSchema<typeof IMPORT_TASKS_SCHEMA>;
export type ImportPlaybookEntry = FromSchema<typeof IMPORT_PLAYBOOK_SCHEMA>;

/** Keys that make a task a block or an import rather than a module task. */
export const BLOCK_KEY = 'block';
/** The task lists of a block, in the order they run. */
export const BLOCK_PARTS = ['block', 'rescue', 'always'] as const;
export const IMPORT_TASKS_KEY = 'import_tasks';
export const IMPORT_PLAYBOOK_KEY = 'import_playbook';
export const IMPORT_ROLE_KEY = 'import_role';
export const INCLUDE_ROLE_KEY = 'include_role';
export const INCLUDE_TASKS_KEY = 'include_tasks';

/** Task keywords by name (handlers add `listen`). */
export const TASK_KEYWORDS: ReadonlySet<string> = new Set(Object.keys(TASK_KEYWORD_PROPERTIES));
export const HANDLER_KEYWORDS: ReadonlySet<string> = new Set(Object.keys(HANDLER_KEYWORDS_SCHEMA.properties));
export const PLAY_KEYWORDS: ReadonlySet<string> = new Set(Object.keys(PLAY_SCHEMA.properties));
/** Keys of a `roles:` entry that are keywords, not role parameters. */
export const ROLE_ENTRY_KEYWORDS: ReadonlySet<string> = new Set(Object.keys(ROLE_ENTRY_MAPPING_SCHEMA.properties));

/**
 * The whole playbook schema for editors: a list of plays or import_playbook entries, whose task
 * lists hold module tasks (exactly one module key, validated by that module's schema), blocks
 * and import_tasks entries. The loader does not validate with this schema in one go (its oneOf
 * errors would be noise); it checks piece by piece with the static schemas above.
 */
export function buildPlaybookSchema(modules: readonly AnyModule[]): Record<string, unknown> {
  const moduleTask = (keywords: Record<string, unknown>): Record<string, unknown> => ({
    type: 'object',
    additionalProperties: false,
    properties: {
      ...keywords,
      ...Object.fromEntries(modules.flatMap((m) => keysOf(m).map((key) => [key, moduleProperty(m, key)]))),
    },
    oneOf: modules.flatMap((m) => keysOf(m).map((key) => ({ required: [key] }))),
  });
  const withBlock = (task: string): Record<string, unknown> => ({
    ...BLOCK_SCHEMA,
    properties: {
      ...BLOCK_SCHEMA.properties,
      ...Object.fromEntries(BLOCK_PARTS.map((part) => [part, { ...BLOCK_SCHEMA.properties[part], items: { $ref: `#/definitions/${task}` } }])),
    },
  });
  const tasks = (task: string): Record<string, unknown> => ({ type: 'array', items: { $ref: `#/definitions/${task}` } });
  const play = {
    ...PLAY_SCHEMA,
    properties: {
      ...PLAY_SCHEMA.properties,
      pre_tasks: { ...PLAY_SCHEMA.properties.pre_tasks, ...tasks('task') },
      tasks: { ...PLAY_SCHEMA.properties.tasks, ...tasks('task') },
      post_tasks: { ...PLAY_SCHEMA.properties.post_tasks, ...tasks('task') },
      handlers: { ...PLAY_SCHEMA.properties.handlers, ...tasks('handler') },
      roles: { ...PLAY_SCHEMA.properties.roles, items: ROLE_ENTRY_SCHEMA },
    },
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'sparkbook playbook',
    description: 'A list of plays (Ansible-shaped). See sparkbook doc <module> for module parameters.',
    type: 'array',
    items: { anyOf: [IMPORT_PLAYBOOK_SCHEMA, { $ref: '#/definitions/play' }] },
    definitions: {
      play,
      task: { anyOf: [moduleTask(TASK_KEYWORD_PROPERTIES), withBlock('task'), IMPORT_TASKS_SCHEMA, ...roleTaskRefs] },
      handler: { anyOf: [moduleTask(HANDLER_KEYWORDS_SCHEMA.properties), withBlock('handler'), IMPORT_TASKS_SCHEMA, ...roleTaskRefs] },
      ...Object.fromEntries(Object.entries(ROLE_TASK_SCHEMAS)),
      // Each module's params once, whatever number of keys (name, aliases) and task kinds use them.
      ...Object.fromEntries(modules.map((m) => [moduleDefinition(m), moduleParams(m)])),
    },
  };
}

/** The task entries that bring in other tasks besides import_tasks, by definition name: written once, used by tasks and handlers. */
const ROLE_TASK_SCHEMAS = { include_tasks: INCLUDE_TASKS_SCHEMA, import_role: IMPORT_ROLE_SCHEMA, include_role: INCLUDE_ROLE_SCHEMA } as const;
const roleTaskRefs = Object.keys(ROLE_TASK_SCHEMAS).map((name) => ({ $ref: `#/definitions/${name}` }));


const moduleDefinition = (m: AnyModule): string => `module:${m.name}`;

/** A module's params as the editor sees them: templates allowed, and a free-form string if it takes one. */
function moduleParams(m: AnyModule): Record<string, unknown> {
  const params = allowTemplates(m.schema) as Record<string, unknown>;
  if (m.freeForm === undefined) return { anyOf: [params, { type: 'string', pattern: '^\\s*[A-Za-z_][A-Za-z0-9_]*=', description: "Ansible's key=value form: name=ufw state=present." }] };
  return { anyOf: [params, { type: 'string', minLength: 1, description: `Free form: the module's '${m.freeForm}', and its options as key=value.` }] };
}

/** A module key's property: a reference to the module's params, described as the module or as an alias of it. */
function moduleProperty(m: AnyModule, key: string): Record<string, unknown> {
  const description = key === m.name ? m.summary : `The module '${m.name}' under another name (see sparkbook doc ${m.name}): ${m.summary}`;
  // allOf, not a bare $ref: draft-07 ignores a $ref's siblings, and editors show this description.
  return { description, allOf: [{ $ref: `#/definitions/${moduleDefinition(m)}` }] };
}

/** The schema of a tasks file (what import_tasks reads): a list of tasks. */
export function buildTasksFileSchema(modules: readonly AnyModule[]): Record<string, unknown> {
  const playbook = buildPlaybookSchema(modules);
  return { ...playbook, title: 'sparkbook tasks file', items: { $ref: '#/definitions/task' } };
}

/** A string holding `{{`: what a templated value looks like before it is rendered. */
export const TEMPLATED_STRING_SCHEMA = { type: 'string', pattern: '\\{\\{', description: 'A template, rendered per host.' } as const;

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs'] as const;
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf'] as const;
const SUBSCHEMA_ONE = ['items', 'additionalProperties', 'then', 'else'] as const;

/**
 * A copy of a module schema in which every typed or constrained value also accepts a templated
 * string, as the loader does: editors then do not flag `port: "{{ ssh_port }}"`. `if` and `not`
 * are kept as they are, so their meaning does not change.
 */
export function allowTemplates(schema: unknown, root = true): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const src = schema as Record<string, unknown>;
  const out: Record<string, unknown> = { ...src };
  for (const key of SUBSCHEMA_MAPS) {
    const map = src[key];
    if (typeof map === 'object' && map !== null) out[key] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, allowTemplates(v, false)]));
  }
  for (const key of SUBSCHEMA_LISTS) {
    const list = src[key];
    if (Array.isArray(list)) out[key] = list.map((x) => allowTemplates(x, false));
  }
  for (const key of SUBSCHEMA_ONE) if (key in src) out[key] = allowTemplates(src[key], false);
  const type = src.type;
  const types = typeof type === 'string' ? [type] : Array.isArray(type) ? (type as string[]) : [];
  const constrained = 'enum' in src || 'const' in src || 'pattern' in src || 'format' in src || 'minLength' in src;
  const scalarOnly = types.length > 0 && !types.includes('object') && !types.includes('array');
  // A mapping or list param may be one template that renders to it (`settings: "{{ hardening }}"`),
  // as the loader accepts; the params mapping itself may not.
  const collection = !root && types.length > 0 && !types.includes('string') && (types.includes('object') || types.includes('array'));
  if (collection || (scalarOnly && (!types.includes('string') || constrained))) {
    const { description, examples, default: dflt, ...rest } = out;
    return {
      ...(description !== undefined ? { description } : {}),
      ...(examples !== undefined ? { examples } : {}),
      ...(dflt !== undefined ? { default: dflt } : {}),
      anyOf: [rest, TEMPLATED_STRING_SCHEMA],
    };
  }
  return out;
}

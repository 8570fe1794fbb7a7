// Validation of playbooks, task files and module params: one ajv instance with a compile cache,
// a structural pre-check that names plays, tasks and modules plainly, and the mapping of EVERY
// ajv error to a located InputError('schema') that names the offending key.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { InputError, type SourceLocation } from '../errors.js';
import { compileRegex, isTemplated, TemplateFault } from '../template/index.js';
import type { AnyModule } from '../module.js';
import { convertKeyValue, parseKeyValue } from './key-value.js';
import type { JsonPath, Locator } from './locator.js';
import {
  BLOCK_KEY,
  BLOCK_PARTS,
  BLOCK_SCHEMA,
  HANDLER_KEYWORDS,
  HANDLER_KEYWORDS_SCHEMA,
  IDENTIFIER_PATTERN,
  IMPORT_PLAYBOOK_KEY,
  IMPORT_PLAYBOOK_SCHEMA,
  IMPORT_TASKS_KEY,
  IMPORT_TASKS_SCHEMA,
  IMPORT_ROLE_KEY,
  IMPORT_ROLE_SCHEMA,
  INCLUDE_ROLE_KEY,
  INCLUDE_ROLE_SCHEMA,
  INCLUDE_TASKS_KEY,
  INCLUDE_TASKS_SCHEMA,
  PLAY_KEYWORDS,
  PLAY_SCHEMA,
  ROLE_ENTRY_MAPPING_SCHEMA,
  TASK_KEYWORDS,
  TASK_KEYWORDS_SCHEMA,
} from './playbook.js';

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, $data: false, validateSchema: false });

/**
 * `pythonRegex: true` on a string param: a literal value must compile as a Python pattern (as the
 * module compiles it), so `sparkbook validate` refuses `regexp: "^(Port"` before any host is
 * contacted. A templated value is checked after rendering, by the module.
 */
const checkPythonRegex = (enabled: boolean, data: unknown): boolean => {
  if (!enabled || typeof data !== 'string' || isTemplated(data)) return true;
  try {
    compileRegex(data, {});
    return true;
  } catch (error) {
    if (!(error instanceof TemplateFault)) throw error;
    checkPythonRegex.errors = [{ keyword: 'pythonRegex', message: `is not a usable regular expression: ${error.message}`, params: {} }];
    return false;
  }
};
checkPythonRegex.errors = [] as Partial<ErrorObject>[];
ajv.addKeyword({ keyword: 'pythonRegex', type: 'string', schemaType: 'boolean', errors: true, validate: checkPythonRegex });
const compiled = new WeakMap<object, ValidateFunction>();

/** The validator of `schema`, compiled once (cached by schema object). */
export function compileSchema(schema: object): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/** Blocks nested deeper than this are refused (a stack-safe bound on hostile input). */
export const MAX_BLOCK_DEPTH = 32;

/** How messages name the thing a schema validates, and its unknown or missing keys. */
export interface Subject {
  /** `unknown play keyword 'x'`, `unknown parameter 'x' for module 'file'`. */
  unknownKey(key: string): string;
  /** `play is missing 'hosts'`. */
  missing(key: string): string;
  /** `parameters of module 'file'`: used when the root value has the wrong type. */
  readonly root: string;
  /** `module 'file'`, `play`: the owner of the root keys, in messages about which keys go together. */
  readonly owner?: string;
  /** Keys the suggestion for an unknown key is drawn from, besides the schema's own. */
  readonly extraCandidates?: readonly string[];
  /** Whether a templated string is accepted wherever the schema wants another type or form. */
  readonly templatedValues?: boolean;
  /** Messages for whole keywords whose ajv errors would be noise: keyword → message. */
  readonly keywordMessages?: Readonly<Record<string, (value: unknown) => string>>;
  /** Hints for well-known keys that are not supported. */
  readonly hints?: Readonly<Record<string, string>>;
}

const PLAY_HINTS: Readonly<Record<string, string>> = {
  remote_user: "'remote_user' is not a play keyword here: set ansible_user in the inventory",
  import_tasks: "'import_tasks' goes in a task list (tasks:), not on the play",
  vars_prompt: "'vars_prompt' is not supported: sparkbook never prompts (runs are unattended); pass the values with -e name=value or -e @vars.yml",
};

const TASK_HINTS: Readonly<Record<string, string>> = {
  include: "'include' was removed in Ansible 2.16: use import_tasks (read when the playbook is loaded) or include_tasks",
  include_vars: "'include_vars' is not supported yet: put the variables in the play's vars_files:, or in a role's vars/main.yml or defaults/main.yml",
  import_playbook: "'import_playbook' is only allowed at the top level of a playbook, as a list item of its own",
  rescue: "'rescue' belongs to a block: put the tasks it guards under 'block:'",
  always: "'always' belongs to a block: put the tasks it follows under 'block:'",
  action: "'action' is not supported: write the module as the task's key",
  local_action: "'local_action' is not supported: put the task in a play with hosts: localhost (a play's tasks run on its own hosts only)",
  delegate_to: "'delegate_to' is not supported: put the task in a play of its own for that host (hosts: localhost for this machine); a play's tasks run on its own hosts only",
  connection: "'connection' on a task is not supported: set it on the play (connection: local) or as ansible_connection in the inventory",
};

const typeWord = (v: unknown): string =>
  v === null || v === undefined ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'mapping' : typeof v === 'number' ? 'number' : typeof v;

/** `string`, `list`, `mapping`, `number`, `boolean`, `null`, and the string itself when short. */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') {
    const short = v.length > 40 ? `${v.slice(0, 37)}...` : v;
    // A message is one line (FILE:LINE:COL: message), even for a value that holds a newline.
    return `'${short.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}'`;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeWord(v)} ${String(v)}`;
  return typeWord(v);
}

const SCHEMA_TYPE_WORDS: Readonly<Record<string, string>> = { array: 'list', object: 'mapping' };
const schemaTypeWord = (t: string): string => SCHEMA_TYPE_WORDS[t] ?? t;

/** Names a path relative to the validated root: `mode`, `rules[0].port`. */
export function pathName(path: JsonPath): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number' || /^[0-9]+$/.test(step)) out += `[${step}]`;
    else out += out === '' ? step : `.${step}`;
  }
  return out;
}

function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The optimal string alignment distance (Levenshtein plus adjacent swaps), so `fiel` is 1 from `file`. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = best;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The closest candidate within a third of the name's length (at least 1, case ignored), if any. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > 100) return undefined;
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === name || c.length > 100) continue;
    const distance = editDistance(name.toLowerCase(), c.toLowerCase());
    if (distance <= limit && distance < bestDistance) {
      best = c;
      bestDistance = distance;
    }
  }
  return best;
}

const suggest = (name: string, candidates: Iterable<string>): string => {
  const s = didYouMean(name, candidates);
  return s === undefined ? '' : ` (did you mean '${s}'?)`;
};

/** Subject for a module's params. */
export function moduleSubject(module: AnyModule, written = module.name): Subject {
  // Messages name the module as the task wrote it (an alias included).
  const name = written;
  return {
    root: `parameters of module '${name}'`,
    owner: `module '${name}'`,
    unknownKey: (key) => `unknown parameter '${key}' for module '${name}'`,
    missing: (key) => `module '${name}' is missing required parameter '${key}'`,
    templatedValues: true,
  };
}

const notAList = (what: string) => (v: unknown) => `'${what}' must be a string or a list of strings, got ${describeValue(v)}`;
const conditionMessage = (what: string) => (v: unknown) => `'${what}' must be an expression string, a boolean, or a list of those, got ${describeValue(v)}`;

const TASK_KEYWORD_MESSAGES: Readonly<Record<string, (value: unknown) => string>> = {
  when: conditionMessage('when'),
  changed_when: conditionMessage('changed_when'),
  failed_when: conditionMessage('failed_when'),
  until: conditionMessage('until'),
  loop: (v) => `'loop' must be a list or a template string that gives one, got ${describeValue(v)}`,
  notify: (v) => `'notify' must be a handler name or a list of them, got ${describeValue(v)}`,
  tags: notAList('tags'),
  listen: notAList('listen'),
};

const PLAY_SUBJECT: Subject = {
  root: 'a play',
  unknownKey: (key) => `unknown play keyword '${key}'`,
  missing: (key) => `play is missing '${key}'`,
  hints: PLAY_HINTS,
  keywordMessages: {
    hosts: (v) => `'hosts' must be a host pattern or a list of them, got ${describeValue(v)}`,
    serial: (v) => `'serial' must be a positive integer, a percentage like '25%', or a list of those, got ${describeValue(v)}`,
    tags: notAList('tags'),
  },
};

const IMPORT_PLAYBOOK_SUBJECT: Subject = {
  root: 'an import_playbook entry',
  unknownKey: (key) => `unknown key '${key}' in an import_playbook entry (it takes only import_playbook and name)`,
  missing: (key) => `import_playbook entry is missing '${key}'`,
};

const taskListMessage = (what: string) => (v: unknown) => `'${what}' must be a list of tasks, got ${describeValue(v)}`;

const blockSubject = (handler: boolean): Subject => ({
  root: 'a block',
  unknownKey: (key) => `unknown block keyword '${key}'`,
  missing: (key) => `block is missing '${key}'`,
  hints: TASK_HINTS,
  keywordMessages: { ...TASK_KEYWORD_MESSAGES, ...Object.fromEntries(BLOCK_PARTS.map((part) => [part, taskListMessage(part)])) },
  extraCandidates: handler ? ['listen'] : [],
});

const IMPORT_TASKS_SUBJECT: Subject = {
  root: 'an import_tasks entry',
  unknownKey: (key) => `unknown import_tasks keyword '${key}'`,
  missing: (key) => `import_tasks entry is missing '${key}'`,
  hints: TASK_HINTS,
  keywordMessages: TASK_KEYWORD_MESSAGES,
};

/** Task entries that bring in a role or a tasks file, besides import_tasks. */
const INCLUDE_ENTRIES: readonly { readonly key: string; readonly schema: object }[] = [
  { key: INCLUDE_TASKS_KEY, schema: INCLUDE_TASKS_SCHEMA },
  { key: IMPORT_ROLE_KEY, schema: IMPORT_ROLE_SCHEMA },
  { key: INCLUDE_ROLE_KEY, schema: INCLUDE_ROLE_SCHEMA },
];

const includeSubject = (key: string): Subject => ({
  root: `an ${key} entry`,
  unknownKey: (k) => `unknown ${key} keyword '${k}'`,
  missing: (k) => `${key} entry is missing '${k}'`,
  hints: TASK_HINTS,
  keywordMessages: TASK_KEYWORD_MESSAGES,
});

const TASK_SUBJECT: Subject = {
  root: 'a task',
  unknownKey: (key) => `unknown task keyword '${key}'`,
  missing: (key) => `task is missing '${key}'`,
  keywordMessages: TASK_KEYWORD_MESSAGES,
};

interface SchemaNode {
  type?: string | readonly string[];
  items?: unknown;
  const?: unknown;
  enum?: readonly unknown[];
  pattern?: string;
  properties?: Record<string, unknown>;
  required?: readonly string[];
  default?: unknown;
  if?: unknown;
  /**
   * The message for a failed `pattern` of this node: an extension of VS Code's JSON and
   * yaml-language-server, so the editor shows the words `sparkbook validate` shows. Written as
   * what the value must be: "must be host:port".
   */
  patternErrorMessage?: string;
  /**
   * The same extension for a whole rule (an allOf entry with `not`, or with `if`/`then`), written
   * as a sentence about the mapping the rule is on: "a port range needs proto tcp or udp".
   */
  errorMessage?: string;
}

function jsonTypeOf(v: unknown): string[] {
  if (v === null) return ['null'];
  if (Array.isArray(v)) return ['array'];
  if (typeof v === 'number') return Number.isInteger(v) ? ['integer', 'number'] : ['number'];
  return [typeof v];
}

function acceptsType(schema: unknown, v: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return true;
  const t = (schema as SchemaNode).type;
  if (t === undefined) return true;
  const types = typeof t === 'string' ? [t] : t;
  return jsonTypeOf(v).some((x) => types.includes(x));
}

function describeSchema(schema: unknown): string {
  if (typeof schema !== 'object' || schema === null) return 'something else';
  const s = schema as SchemaNode;
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return `one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  const types = s.type === undefined ? [] : typeof s.type === 'string' ? [s.type] : [...s.type];
  const words = types.map((t) => {
    if (t === 'array') {
      const item = s.items as SchemaNode | undefined;
      const itemType = typeof item?.type === 'string' ? item.type : undefined;
      return itemType ? `a list of ${schemaTypeWord(itemType)}s` : 'a list';
    }
    if (t === 'object') return 'a mapping';
    if (t === 'integer') return 'an integer';
    return `a ${t}`;
  });
  return words.length > 0 ? words.join(' or ') : 'something else';
}

const joinOr = (words: readonly string[]): string =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1] ?? ''}`;

/**
 * Validates `data` (found at `base` in the file) against `schema` and maps every ajv error to a
 * located InputError. Rules: additionalProperties → the unknown key at the key, with a
 * suggestion; required → at the mapping; anyOf/oneOf → the errors of the one alternative whose
 * type fits, or one message listing the forms; keywordMessages replace all errors under a keyword.
 * A rule's errorMessage, or a pattern's patternErrorMessage, is its message; an error under
 * `then` says its `if` in words ("when 'state' is "link""); propertyNames and dependencies
 * errors point at the key.
 */
export function schemaErrors(schema: object, data: unknown, base: JsonPath, at: Locator, subject: Subject): InputError[] {
  const validate = compileSchema(schema);
  if (validate(data)) return [];
  const all = [...(validate.errors ?? [])];
  // `if` failures are explained by their `then` errors. A key refused by propertyNames gets one
  // message, worded from the errors about the key itself, which are set aside for that.
  const keyErrors = all.filter((e) => e.propertyName !== undefined);
  let errors = all.filter((e) => e.keyword !== 'if' && e.propertyName === undefined);
  if (subject.templatedValues) errors = errors.filter((e) => !(e.instancePath !== '' && typeof e.data === 'string' && isTemplated(e.data) && e.keyword !== 'additionalProperties' && e.keyword !== 'required'));
  errors = collapseAlternatives(errors);
  const out: InputError[] = [];
  const replaced = new Set<string>();
  for (const e of errors) {
    const rel = splitPointer(e.instancePath);
    const first = rel[0];
    const keywordMessage = first !== undefined ? own(subject.keywordMessages, first) : undefined;
    if (keywordMessage && first !== undefined && e.keyword !== 'additionalProperties') {
      if (replaced.has(first)) continue;
      replaced.add(first);
      const value = (data as Record<string, unknown>)[first];
      out.push(new InputError('schema', keywordMessage(value), at.value([...base, first])));
      continue;
    }
    out.push(mapError(e, rel, base, at, subject, schema, keyErrors));
  }
  return out;
}

/** Keeps only the useful errors of anyOf/oneOf (see schemaErrors). */
function collapseAlternatives(errors: ErrorObject[]): ErrorObject[] {
  let out = errors;
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') continue;
    if (!out.includes(e)) continue;
    const prefix = `${e.schemaPath}/`;
    const alternatives = Array.isArray(e.schema) ? (e.schema as unknown[]) : [];
    const fitting = alternatives.map((alt, i) => (acceptsType(alt, e.data) ? i : -1)).filter((i) => i >= 0);
    const matchedMany = e.keyword === 'oneOf' && (e.params as { passingSchemas?: unknown }).passingSchemas != null;
    if (fitting.length === 1 && !matchedMany) {
      const keep = `${prefix}${fitting[0] ?? 0}/`;
      const inside = out.filter((x) => x.schemaPath.startsWith(keep));
      if (inside.length > 0) {
        out = out.filter((x) => x !== e && (!x.schemaPath.startsWith(prefix) || x.schemaPath.startsWith(keep)));
        continue;
      }
    }
    out = out.filter((x) => !x.schemaPath.startsWith(prefix));
  }
  return out;
}

/** `record[key]` for the record's own keys only: a user's `constructor` key must not find Object's. */
function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** The hint for a key, written short or as Ansible's FQCN (`ansible.builtin.include_vars` gets include_vars's). */
function hintFor(hints: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  return own(hints, key) ?? own(hints, key.replace(/^ansible\.(builtin|legacy)\./, ''));
}

function mapError(e: ErrorObject, rel: string[], base: JsonPath, at: Locator, subject: Subject, rootSchema: object, keyErrors: readonly ErrorObject[]): InputError {
  const path = [...base, ...rel];
  const name = pathName(rel);
  const quoted = `'${name}'`;
  const params = e.params as Record<string, unknown>;
  const value = (msg: string): InputError => new InputError('schema', msg, at.value(path));
  const ownerOf = (r: readonly string[]): string => (r.length === 0 ? (subject.owner ?? subject.root) : `'${pathName(r)}'`);
  const owner = ownerOf(rel);
  const rule = explainRule(e, rel, rootSchema);
  if (rule.message !== undefined && e.keyword !== 'additionalProperties' && e.keyword !== 'propertyNames') return value(`${ownerOf(rule.message.rel)}: ${rule.message.text}`);
  const when = rule.condition === undefined ? '' : ` when ${rule.condition}`;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((e.parentSchema as SchemaNode | undefined)?.properties ?? {});
      const where = at.key([...path, key]);
      const hint = rel.length === 0 ? hintFor(subject.hints, key) : undefined;
      if (hint) return new InputError('schema', hint, where);
      const head = rel.length === 0 ? subject.unknownKey(key) : `unknown key '${key}' in ${quoted}`;
      return new InputError('schema', `${head}${suggest(key, [...known, ...(rel.length === 0 ? (subject.extraCandidates ?? []) : [])])}`, where);
    }
    case 'required': {
      const key = String(params.missingProperty);
      if (when !== '') return value(`${owner} needs '${key}'${when}`);
      return value(rel.length === 0 ? subject.missing(key) : `${quoted} is missing '${key}'`);
    }
    case 'type': {
      const want = String(params.type).split(',').map(schemaTypeWord);
      if (rel.length === 0) return value(`${subject.root} must be ${joinOr(want.map((w) => (w === 'mapping' ? 'a mapping' : w)))}, got ${typeWord(e.data)}`);
      let msg = `${quoted} must be ${joinOr(want)}, got ${typeWord(e.data)}`;
      if (want.includes('boolean') && typeof e.data === 'string' && /^(yes|no|on|off|y|n|true|false|True|False)$/.test(e.data)) {
        msg += ` (write true or false: YAML 1.2 reads '${e.data}' as a string)`;
      }
      return value(msg);
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[] | undefined) ?? [];
      const words = allowed.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)));
      const got = describeValue(e.data);
      const hint = typeof e.data === 'string' ? suggest(e.data, allowed.filter((a): a is string => typeof a === 'string')) : '';
      return value(`${name === '' ? subject.root : quoted} must be one of: ${words.join(', ')}${when}; got ${got}${hint}`);
    }
    case 'const':
      return value(`${quoted} must be ${JSON.stringify(params.allowedValue)}${when}, got ${describeValue(e.data)}`);
    case 'pattern': {
      if (params.pattern === IDENTIFIER_PATTERN) return value(`${quoted} must be a variable name (letters, digits and _, not starting with a digit), got ${describeValue(e.data)}`);
      const explained = patternMessage(e);
      if (explained !== undefined) return value(`${quoted} ${explained}${when}, got ${describeValue(e.data)}`);
      return value(`${quoted} must match /${String(params.pattern)}/${when}, got ${describeValue(e.data)}`);
    }
    case 'propertyNames': {
      const key = String(params.propertyName);
      const within = name === '' ? subject.root : quoted;
      const atKey = (msg: string): InputError => new InputError('schema', msg, at.key([...path, key]));
      const cause = keyErrors.find((k) => k.propertyName === key && k.instancePath === e.instancePath && k.schemaPath.startsWith(`${e.schemaPath}/`));
      if (cause?.keyword === 'pattern' && (cause.params as { pattern?: unknown }).pattern === IDENTIFIER_PATTERN) {
        return atKey(`'${key}' is not a valid variable name in ${within} (letters, digits and _, not starting with a digit)`);
      }
      const explained = cause === undefined ? undefined : patternMessage(cause);
      if (explained !== undefined) return atKey(`'${key}' in ${within} ${explained}${when}`);
      const ruled = cause === undefined ? undefined : explainRule(cause, rel, rootSchema).message;
      if (ruled !== undefined) return atKey(`'${key}' in ${within}: ${ruled.text}`);
      if (cause?.keyword === 'pattern') return atKey(`'${key}' in ${within} must match /${String((cause.params as { pattern?: unknown }).pattern)}/${when}`);
      return atKey(`'${key}' is not allowed in ${within}${when}`);
    }
    case 'minLength':
      return value(Number(params.limit) === 1 ? `${quoted} must not be empty` : `${quoted} must be at least ${String(params.limit)} characters long`);
    case 'maxLength':
      return value(`${quoted} must be at most ${String(params.limit)} characters long`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return value(`${quoted} must be ${String(params.comparison)} ${String(params.limit)}, got ${String(e.data)}`);
    case 'multipleOf':
      return value(`${quoted} must be a multiple of ${String(params.multipleOf)}, got ${String(e.data)}`);
    case 'minItems':
      return value(Number(params.limit) === 1 ? `${quoted} must not be an empty list` : `${quoted} must have at least ${String(params.limit)} items`);
    case 'maxItems':
      return value(`${quoted} must have at most ${String(params.limit)} items`);
    case 'uniqueItems':
      return value(`${quoted} must not repeat items (items ${String(params.j)} and ${String(params.i)} are equal)`);
    case 'minProperties':
      return value(`${quoted} must have at least ${String(params.limit)} keys`);
    case 'maxProperties':
      return value(`${quoted} must have at most ${String(params.limit)} keys`);
    case 'dependentRequired':
    case 'dependencies': {
      const property = String(params.property);
      const missing = String(params.missingProperty);
      const choices = ((e.parentSchema as SchemaNode | undefined)?.properties?.[missing] as SchemaNode | undefined)?.enum;
      const forms = choices === undefined ? '' : ` (${choices.map((c) => (typeof c === 'string' ? c : JSON.stringify(c))).join(', ')})`;
      return new InputError('schema', `${owner}: '${property}' needs '${missing}'${forms}${when}`, at.key([...path, property]));
    }
    case 'anyOf':
    case 'oneOf': {
      const alternatives = Array.isArray(e.schema) ? (e.schema as unknown[]) : [];
      const keys = requiredOnly(alternatives);
      if (keys) {
        const list = keys.map((k) => `'${k}'`).join(', ');
        if (e.keyword === 'anyOf') return value(`${owner} needs at least one of: ${list}${when}`);
        return value(params.passingSchemas != null ? `${owner} takes only one of: ${list}${when}` : `${owner} needs exactly one of: ${list}${when}`);
      }
      if (e.keyword === 'oneOf' && params.passingSchemas != null) return value(`${name === '' ? subject.root : quoted} matches more than one allowed form`);
      return value(`${name === '' ? subject.root : quoted} must be ${joinOr(alternatives.map(describeSchema))}, got ${describeValue(e.data)}`);
    }
    case 'not': {
      const keys = requiredOnly([e.schema]);
      if (keys) return value(`${owner} cannot have ${keys.map((k) => `'${k}'`).join(' and ')} together${when}`);
      return value(`${name === '' ? subject.root : quoted} has a value that is not allowed here${when}`);
    }
    case 'false schema':
      return value(`${quoted} is not allowed here`);
    case 'format':
      return value(`${quoted} must be a valid ${String(params.format)}, got ${describeValue(e.data)}`);
    default:
      return value(`${name === '' ? subject.root : quoted} ${e.message ?? 'is invalid'}${when}`);
  }
}

/** The keys of alternatives that only require keys (`oneOf: [{required: [argv]}, {required: [cmd]}]`). */
function requiredOnly(alternatives: readonly unknown[]): string[] | undefined {
  const keys: string[] = [];
  for (const alt of alternatives) {
    if (typeof alt !== 'object' || alt === null) return undefined;
    const entries = Object.entries(alt).filter(([k]) => k !== 'description' && k !== '$comment');
    const required = (alt as { required?: unknown }).required;
    if (entries.length !== 1 || !Array.isArray(required)) return undefined;
    keys.push(...required.map(String));
  }
  return keys.length > 0 ? keys : undefined;
}

/** A pattern's own message (patternErrorMessage), if its schema node has one. */
function patternMessage(e: ErrorObject): string | undefined {
  const text = (e.parentSchema as SchemaNode | undefined)?.patternErrorMessage;
  return typeof text === 'string' ? text : undefined;
}

/** The schema nodes an error's schemaPath walks through, root first, each with its step. */
function schemaTrail(rootSchema: object, schemaPath: string): { step: string; node: unknown }[] {
  const trail: { step: string; node: unknown }[] = [{ step: '', node: rootSchema }];
  let node: unknown = rootSchema;
  for (const step of splitPointer(schemaPath.replace(/^#/, ''))) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[step] : undefined;
    trail.push({ step, node });
  }
  return trail;
}

/** How many levels of the instance the schema steps after trail[from] descend (the error's keyword aside). */
function instanceDepth(trail: readonly { step: string }[], from: number): number {
  let depth = 0;
  for (let i = from + 1; i < trail.length - 1; i++) {
    const step = trail[i]?.step;
    if (step === 'properties' || step === 'patternProperties') {
      depth++;
      i++;
    } else if (step === 'additionalProperties' || step === 'items') depth++;
    else if (step === 'dependencies' || step === 'allOf' || step === 'anyOf' || step === 'oneOf') i++;
  }
  return depth;
}

/**
 * What an error owes to a rule around it: the rule's own errorMessage (with the path of the
 * mapping the rule is on), and the `if` of the nearest `then`, in words.
 */
function explainRule(e: ErrorObject, rel: readonly string[], rootSchema: object): { message?: { text: string; rel: readonly string[] }; condition?: string } {
  const trail = schemaTrail(rootSchema, e.schemaPath);
  const out: { message?: { text: string; rel: readonly string[] }; condition?: string } = {};
  for (let i = trail.length - 2; i >= 0; i--) {
    const text = (trail[i]?.node as SchemaNode | undefined)?.errorMessage;
    if (typeof text === 'string') {
      out.message = { text, rel: rel.slice(0, Math.max(0, rel.length - instanceDepth(trail, i))) };
      break;
    }
  }
  for (let i = trail.length - 2; i > 0; i--) {
    if (trail[i]?.step !== 'then') continue;
    const holder = trail[i - 1]?.node as SchemaNode | undefined;
    let object: SchemaNode | undefined;
    for (let j = i - 1; j >= 0 && object === undefined; j--) {
      const node = trail[j]?.node as SchemaNode | undefined;
      if (typeof node?.properties === 'object') object = node;
    }
    out.condition = describeCondition(holder?.if, object);
    break;
  }
  return out;
}

/**
 * An `if` schema as words: `'state' is "link"`, `'content' is given`; a property tested without
 * being required matches when it is absent too, which is worth saying when that is its default.
 * undefined for an `if` these words cannot say (such a rule carries an errorMessage instead).
 */
function describeCondition(condition: unknown, object: SchemaNode | undefined): string | undefined {
  if (typeof condition !== 'object' || condition === null) return undefined;
  const c = condition as SchemaNode;
  if (Object.keys(c).some((k) => k !== 'required' && k !== 'properties')) return undefined;
  const required = c.required ?? [];
  const parts: string[] = [];
  for (const [key, test] of Object.entries(c.properties ?? {})) {
    const t = test as SchemaNode;
    const values = t.const !== undefined ? [t.const] : t.enum;
    if (values === undefined || Object.keys(t).some((k) => k !== 'const' && k !== 'enum' && k !== 'type')) return undefined;
    const dflt = (object?.properties?.[key] as SchemaNode | undefined)?.default;
    const byDefault = !required.includes(key) && dflt !== undefined && values.includes(dflt);
    parts.push(`'${key}' is ${values.map((v) => JSON.stringify(v)).join(' or ')}${byDefault ? ' (the default)' : ''}`);
  }
  for (const key of required) if (!(key in (c.properties ?? {}))) parts.push(`'${key}' is given`);
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

/** Removes repeated errors (same message and place) and sorts by file order, line and column. */
export function sortErrors(errors: readonly InputError[], fileOrder: readonly string[] = []): InputError[] {
  const seen = new Set<string>();
  const unique: InputError[] = [];
  for (const e of errors) {
    const key = `${e.where?.file ?? ''}:${e.where?.line ?? 0}:${e.where?.col ?? 0}:${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(e);
  }
  const order = new Map<string, number>();
  for (const f of fileOrder) if (!order.has(f)) order.set(f, order.size);
  for (const e of unique) if (e.where && !order.has(e.where.file)) order.set(e.where.file, order.size);
  const rank = (w: SourceLocation | undefined): number => (w ? (order.get(w.file) ?? 0) : -1);
  return unique
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a.e.where) - rank(b.e.where) || (a.e.where?.line ?? 0) - (b.e.where?.line ?? 0) || (a.e.where?.col ?? 0) - (b.e.where?.col ?? 0) || a.i - b.i)
    .map((x) => x.e);
}

/** The modules by name, as validation looks them up. */
export type ModuleTable = ReadonlyMap<string, AnyModule>;


/**
 * A module task's params as the module sees them (rule 10 of runner/module.ts): a string under
 * the module key is Ansible's key=value form (key-value.ts), whose other words fill the module's
 * freeForm param; null is no params; the task's `args:` mapping is merged in. `error` says why
 * there are none (at the module key, or at the args key).
 */
export function taskParams(task: Readonly<Record<string, unknown>>, key: string, module: AnyModule): { params: Record<string, unknown>; error?: { message: string; path: JsonPath } } {
  const raw = task[key];
  let own: Record<string, unknown>;
  if (raw === null || raw === undefined) own = {};
  else if (typeof raw === 'string') {
    const parsed = stringParams(raw, key, module);
    if ('error' in parsed) return { params: {}, error: { message: parsed.error, path: [key] } };
    own = parsed.params;
  } else if (isMapping(raw)) own = raw;
  else {
    const form = module.freeForm === undefined ? 'a mapping or key=value text' : `a mapping or a string (its '${module.freeForm}')`;
    return { params: {}, error: { message: `parameters of module '${key}' must be ${form}, got ${typeWord(raw)}`, path: [key] } };
  }
  const args = task.args;
  if (args === undefined || !isMapping(args)) return { params: own };
  for (const k of Object.keys(args)) {
    if (k in own) return { params: own, error: { message: `'${k}' is given both in args and under '${key}'`, path: ['args', k] } };
  }
  return { params: { ...own, ...args } };
}

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string under a module key: key=value params (converted by the schema's types) and the free form. */
function stringParams(raw: string, key: string, module: AnyModule): { params: Record<string, unknown> } | { error: string } {
  const properties = ((module.schema as { properties?: Record<string, Readonly<Record<string, unknown>>> }).properties ?? {});
  const free = module.freeForm;
  // A free-form module keeps unknown key=value words as text (`echo a=b`); another takes every
  // key, so that validation names an unknown one with a did-you-mean.
  const isParam = (k: string): boolean => (free !== undefined ? k !== free && Object.hasOwn(properties, k) : true);
  const parsed = parseKeyValue(raw, isParam);
  if ('error' in parsed) return { error: `parameters of module '${key}': ${parsed.error}` };
  // The free form first: a task's default name shows its first param (`command make install`).
  const params: Record<string, unknown> = free !== undefined && parsed.freeForm !== '' ? { [free]: parsed.freeForm } : {};
  for (const [k, v] of Object.entries(parsed.params)) params[k] = convertKeyValue(v as string, properties[k]);
  if (free === undefined && parsed.freeForm !== '') {
    const word = parsed.freeForm.split(' ')[0] ?? '';
    return { error: `parameters of module '${key}' must be a mapping or key=value words, got '${word}' (not key=value)` };
  }
  return { params };
}

/**
 * Checks a parsed playbook: a list of plays and import_playbook entries. Task lists are checked
 * task by task (validateTaskList). Imported files are not read here.
 */
export function validatePlaybookValue(value: unknown, at: Locator, modules: ModuleTable): InputError[] {
  if (value === null || value === undefined) return [new InputError('schema', 'playbook is empty: expected a list of plays', at.value([]))];
  if (!Array.isArray(value)) return [new InputError('schema', `a playbook must be a list of plays, got ${typeWord(value)}`, at.value([]))];
  const out: InputError[] = [];
  value.forEach((play, i) => out.push(...validatePlay(play, [i], at, modules)));
  return sortErrors(out);
}

/** Checks one list item of a playbook: a play or an import_playbook entry. */
export function validatePlay(play: unknown, path: JsonPath, at: Locator, modules: ModuleTable): InputError[] {
  if (!isMapping(play)) return [new InputError('schema', `a play must be a mapping, got ${typeWord(play)}`, at.value(path))];
  if (IMPORT_PLAYBOOK_KEY in play) return schemaErrors(IMPORT_PLAYBOOK_SCHEMA, play, path, at, IMPORT_PLAYBOOK_SUBJECT);
  const out = schemaErrors(PLAY_SCHEMA, play, path, at, PLAY_SUBJECT);
  for (const list of ['pre_tasks', 'tasks', 'post_tasks', 'handlers'] as const) {
    const tasks = play[list];
    if (Array.isArray(tasks)) out.push(...validateTaskList(tasks, [...path, list], at, modules, list === 'handlers'));
  }
  if (Array.isArray(play.roles)) play.roles.forEach((entry, i) => out.push(...checkRoleEntry(entry, [...path, 'roles', i], at)));
  return out;
}

const ROLE_ENTRY_SUBJECT: Subject = {
  root: 'a role entry',
  unknownKey: (k) => `'${k}' cannot be a role parameter (letters, digits and _, not starting with a digit)`,
  missing: (k) => `role entry is missing '${k}'`,
  keywordMessages: {
    when: (v) => `'when' must be an expression string, a boolean, or a list of those, got ${describeValue(v)}`,
    tags: (v) => `'tags' must be a string or a list of strings, got ${describeValue(v)}`,
  },
};

/** The errors of one `roles:` entry or meta dependency: a role name, or a mapping with `role:` (or `name:`). */
export function checkRoleEntry(entry: unknown, p: JsonPath, at: Locator): InputError[] {
  if (typeof entry === 'string' && entry !== '') return [];
  if (!isMapping(entry)) return [new InputError('schema', `a role entry must be a role name or a mapping with 'role:', got ${describeValue(entry)}`, at.value(p))];
  if (typeof entry.role !== 'string' && typeof entry.name !== 'string') {
    return [new InputError('schema', "a role entry needs 'role:' (or 'name:'), the name of the role", at.value(p))];
  }
  return schemaErrors(ROLE_ENTRY_MAPPING_SCHEMA, entry, p, at, ROLE_ENTRY_SUBJECT);
}

/** Checks what a tasks file (import_tasks) holds: a list of tasks; empty is allowed. */
export function validateTasksFileValue(value: unknown, at: Locator, modules: ModuleTable): InputError[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) return [new InputError('schema', `a tasks file must be a list of tasks, got ${typeWord(value)}`, at.value([]))];
  return sortErrors(validateTaskList(value, [], at, modules, false));
}

/** Checks every task of a list (blocks recursively). */
export function validateTaskList(tasks: readonly unknown[], path: JsonPath, at: Locator, modules: ModuleTable, handler: boolean, depth = 0): InputError[] {
  const out: InputError[] = [];
  tasks.forEach((task, i) => out.push(...validateTask(task, [...path, i], at, modules, handler, depth)));
  return out;
}

/** The one module key of a valid module task. */
export function moduleKeyOf(task: Readonly<Record<string, unknown>>, modules: ModuleTable): string | undefined {
  const keys = Object.keys(task).filter((k) => modules.has(k));
  return keys.length === 1 ? keys[0] : undefined;
}

/** Checks one task: a block, an import_tasks entry, or a task with exactly one module key. */
export function validateTask(task: unknown, path: JsonPath, at: Locator, modules: ModuleTable, handler: boolean, depth = 0): InputError[] {
  if (!isMapping(task)) return [new InputError('schema', `a task must be a mapping, got ${typeWord(task)}`, at.value(path))];
  if (BLOCK_KEY in task) {
    if (depth >= MAX_BLOCK_DEPTH) return [new InputError('schema', `blocks nested more than ${MAX_BLOCK_DEPTH} deep`, at.key([...path, BLOCK_KEY]))];
    const out = schemaErrors(BLOCK_SCHEMA, task, path, at, blockSubject(handler));
    for (const part of BLOCK_PARTS) {
      const children = task[part];
      if (Array.isArray(children)) out.push(...validateTaskList(children, [...path, part], at, modules, handler, depth + 1));
    }
    return out;
  }
  if (IMPORT_TASKS_KEY in task) return schemaErrors(IMPORT_TASKS_SCHEMA, task, path, at, IMPORT_TASKS_SUBJECT);
  for (const entry of INCLUDE_ENTRIES) if (entry.key in task) return schemaErrors(entry.schema, task, path, at, includeSubject(entry.key));

  const keywords = handler ? HANDLER_KEYWORDS : TASK_KEYWORDS;
  const keys = Object.keys(task);
  const others = keys.filter((k) => !keywords.has(k));
  const moduleKeys = others.filter((k) => modules.has(k));
  const unknown = others.filter((k) => !modules.has(k));
  const out: InputError[] = [];
  const candidates = [...modules.keys(), ...keywords];
  for (const key of unknown) {
    const where = at.key([...path, key]);
    const hint = hintFor(TASK_HINTS, key);
    if (key === 'listen' && !handler) out.push(new InputError('schema', "'listen' is only allowed in handlers", where));
    else if (hint !== undefined) out.push(new InputError('schema', hint, where));
    else if (PLAY_KEYWORDS.has(key) && !keywords.has(key) && moduleKeys.length > 0) out.push(new InputError('schema', `'${key}' is a play keyword, not a task keyword`, where));
    else if (moduleKeys.length > 0) out.push(new InputError('schema', `unknown task keyword '${key}'${suggest(key, keywords)}`, where));
    else out.push(new InputError('schema', `unknown module '${key}'${suggest(key, candidates)}`, where));
  }
  if (moduleKeys.length > 1) {
    const list = moduleKeys.map((k) => `'${k}'`).join(', ');
    const names = new Set(moduleKeys.map((k) => (modules.get(k) as AnyModule).name));
    const message = names.size === 1 ? `${list} name the same module '${[...names][0] ?? ''}': write it once` : `task has more than one module: ${list} (a task runs exactly one)`;
    out.push(new InputError('schema', message, at.key([...path, moduleKeys[1] ?? ''])));
  }
  if (moduleKeys.length === 0 && unknown.length === 0) {
    out.push(new InputError('schema', "task has no module (a task needs exactly one module key; 'sparkbook doc' lists them)", at.value(path)));
  }
  const loop = task.loop;
  if (typeof loop === 'string' && !isTemplated(loop) && keywords.has('loop')) {
    out.push(new InputError('schema', `'loop' must be a list or a template string that gives one, got ${describeValue(loop)}`, at.value([...path, 'loop'])));
  }
  const keywordPart = Object.fromEntries(keys.filter((k) => keywords.has(k)).map((k) => [k, task[k]]));
  out.push(...schemaErrors(handler ? HANDLER_KEYWORDS_SCHEMA : TASK_KEYWORDS_SCHEMA, keywordPart, path, at, TASK_SUBJECT));
  if (moduleKeys.length === 1) {
    const key = moduleKeys[0] as string;
    const module = modules.get(key) as AnyModule;
    const { params, error } = taskParams(task, key, module);
    if (error) out.push(new InputError('schema', error.message, at.value([...path, ...error.path])));
    else out.push(...validateModuleParams(module, params, [...path, key], at, true, key));
  }
  return out;
}

/**
 * Checks one module's params. With `templated: true` (at load time), a string with `{{ }}` is
 * accepted wherever the schema wants another type or form; after templating, pass false.
 */
export function validateModuleParams(module: AnyModule, params: unknown, base: JsonPath, at: Locator, templated = true, key = module.name): InputError[] {
  const subject = { ...moduleSubject(module, key), templatedValues: templated };
  return schemaErrors(module.schema as object, params, base, at, subject);
}

// Task keys that look like modules in Ansible but act on the run itself, not on a host: the
// executor does them (runner/executor/actions.ts). `set_fact` sets host variables, `meta` steers
// the play. They are written like modules (a key with params, FQCN aliases), so validation, the
// loader and the editor schema treat them as modules through `ACTION_MODULES`; the module
// registry (modules/index.ts) never holds them and the executor never looks them up there.
import { defineModule, eraseModule, type AnyModule } from '../module.js';
import { emptyScript } from '../shell/script.js';
import { IDENTIFIER_PATTERN } from './playbook.js';

/** What the executor does for a task whose key is an action; TaskSpec.action. */
export type ExecutorAction = 'set_fact' | 'meta';

/** `meta:` values that sparkbook does; the others are refused by the schema. */
export const META_ACTIONS = ['flush_handlers', 'noop'] as const;

const SET_FACT_SCHEMA = {
  type: 'object',
  propertyNames: { pattern: IDENTIFIER_PATTERN },
  properties: {
    cacheable: { type: 'boolean', description: "Accepted for Ansible's sake and ignored: sparkbook keeps no fact cache." },
  },
  additionalProperties: { description: 'A variable to set on this host for the later tasks of the run (templates rendered).' },
  examples: [{ wg_peer_ip: '10.8.0.{{ groups.spark.index(inventory_hostname) + 2 }}' }],
} as const;

const META_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: {
    action: { enum: META_ACTIONS, description: 'flush_handlers: run the handlers notified so far, now. noop: nothing.' },
  },
  examples: [{ action: 'flush_handlers' }],
} as const;

/** An action never runs as a module: reaching its probe is a bug in the executor. */
const notAModule = (name: string) => (): never => {
  throw new Error(`${name} is done by the executor, not probed as a module`);
};

const setFact = defineModule<typeof SET_FACT_SCHEMA, null>({
  name: 'set_fact',
  aliases: ['ansible.builtin.set_fact'],
  summary: 'Set variables on this host for the later tasks of the run (done by the executor; changes nothing on the host).',
  schema: SET_FACT_SCHEMA,
  probe: notAModule('set_fact'),
  plan: () => [],
});

const meta = defineModule<typeof META_SCHEMA, null>({
  name: 'meta',
  aliases: ['ansible.builtin.meta'],
  freeForm: 'action',
  summary: 'Steer the play: `meta: flush_handlers` runs the handlers notified so far, now.',
  schema: META_SCHEMA,
  probe: () => ({ script: emptyScript, parse: () => null }),
  plan: () => [],
});

/** The actions as module-shaped entries for validation, the loader and the editor schema. */
export const ACTION_MODULES: readonly AnyModule[] = [eraseModule(setFact), eraseModule(meta)];

const ACTION_NAMES: ReadonlySet<string> = new Set(ACTION_MODULES.map((m) => m.name));

/** The action a module name is, if it is one. */
export function actionOf(name: string): ExecutorAction | undefined {
  return ACTION_NAMES.has(name) ? (name as ExecutorAction) : undefined;
}

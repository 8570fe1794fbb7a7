// The `assert` module: fail the task unless every expression in `that` holds.
import { InternalError, TaskError } from '../runner/errors.js';
import { defineModule, type PlanContext } from '../runner/module.js';
import { emptyScript } from '../runner/shell/script.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['that'],
  properties: {
    that: {
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
      ],
      description: 'An expression, or a list that must all hold: the `when:` language, without {{ }} (facts.arch == "aarch64").',
    },
    fail_msg: { type: 'string', description: 'The failure message (default: "assertion failed: " and the first expression that failed).' },
    success_msg: { type: 'string', description: 'The message when every expression holds (default: "All assertions passed").' },
    quiet: { type: 'boolean', default: false, description: 'Say nothing on success.' },
  },
  examples: [
    { that: ['facts.arch == "aarch64"', 'facts.os.id == "ubuntu"'], fail_msg: 'sparkbook targets DGX Spark (Ubuntu, arm64)' },
    { that: 'ssh_port | int > 1024', success_msg: 'SSH port is unprivileged', quiet: true },
  ],
} as const;

function expressionsOf(that: string | readonly string[]): readonly string[] {
  return typeof that === 'string' ? [that] : that;
}

/** The first expression whose value is falsy, or undefined when all hold. */
function firstFailing(that: string | readonly string[], context: PlanContext): string | undefined {
  for (const expr of expressionsOf(that)) {
    if (!context.expressions.has(expr)) throw new InternalError(`assert: the expression ${JSON.stringify(expr)} was not evaluated`);
    if (!context.expressions.get(expr)) return expr;
  }
  return undefined;
}

export const assert = defineModule<typeof schema, null>({
  name: 'assert',
  aliases: ['ansible.builtin.assert'],
  summary: 'Fail unless every expression holds (facts, vars, registered results).',
  schema,
  expressionParams: ['that'],
  probe() {
    // Nothing to read: the executor skips an empty probe script.
    return { script: emptyScript, parse: () => null };
  },
  plan(params, _observed, _facts, context) {
    const failing = firstFailing(params.that, context);
    if (failing !== undefined) throw new TaskError('assert', params.fail_msg ?? `assertion failed: ${failing}`);
    return [];
  },
  message(params, _observed, context) {
    if (params.quiet === true || firstFailing(params.that, context) !== undefined) return undefined;
    return params.success_msg ?? 'All assertions passed';
  },
});

// The `debug` module: print a message or the value of an expression; it changes nothing.
import { defineModule, type PlanContext } from '../runner/module.js';
import { emptyScript } from '../runner/shell/script.js';
import { isSecret } from '../runner/shell/secret.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    msg: { description: 'What to print: a string as is, anything else as JSON. Templates ({{ }}) are rendered first.' },
    var: { type: 'string', minLength: 1, description: 'An expression to print as `expression = value` (no {{ }}): facts.sysctl.ipv4Forward.' },
  },
  not: { required: ['msg', 'var'] },
  examples: [{ msg: 'Spark {{ inventory_hostname }} runs {{ facts.os.pretty }}' }, { var: 'facts.tailscale' }],
} as const;

/** A value as one readable text: strings as they are, the rest as JSON (secrets stay masked). */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  if (isSecret(value)) return String(value);
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

function varValue(expr: string, context: PlanContext): unknown {
  return context.expressions.get(expr);
}

export const debug = defineModule<typeof schema, null>({
  name: 'debug',
  aliases: ['ansible.builtin.debug'],
  summary: 'Print a message or the value of an expression.',
  schema,
  expressionParams: ['var'],
  probe() {
    return { script: emptyScript, parse: () => null };
  },
  plan() {
    return [];
  },
  message(params, _observed, context) {
    if (params.var !== undefined) return `${params.var} = ${render(varValue(params.var, context))}`;
    return render(params.msg === undefined ? 'Hello world!' : params.msg);
  },
});

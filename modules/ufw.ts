// The `ufw` module: rules, default policies, logging, IPv6 and enable/disable, idempotent by
// reading `ufw show added`, with a lockout guard that always keeps the connected SSH port open.
import { TaskError } from '../runner/errors.js';
import { defineModule, type Params } from '../runner/module.js';
import { parseUfwProbe, ufwProbeScript, type UfwObserved } from './lib/ufw-observe.js';
import { planUfw, type UfwWanted } from './lib/ufw-plan.js';
import type { UfwRuleSpec } from './lib/ufw-rules.js';

const policy = { type: 'string', enum: ['allow', 'deny', 'reject'] } as const;

const ruleProperties = {
  rule: { type: 'string', enum: ['allow', 'deny', 'reject', 'limit'], description: 'What the rule does (limit: allow, but rate-limit new connections).' },
  port: {
    type: ['integer', 'string'],
    pattern: '^\\d{1,5}(?:[:,]\\d{1,5})*$',
    minimum: 1,
    maximum: 65535,
    description: 'Destination port, range (6000:6007) or list (80,443); a range or list needs proto. Absent: every port.',
  },
  proto: { type: 'string', enum: ['tcp', 'udp', 'any'], description: 'Protocol (default any).' },
  from: { type: 'string', minLength: 1, description: 'Source address or CIDR (192.168.1.0/24), or any (default).' },
  to: { type: 'string', minLength: 1, description: 'Destination address or CIDR, or any (default).' },
  interface: { type: 'string', pattern: '^[A-Za-z0-9_.:+-]{1,15}$', description: 'Match only traffic on this interface (`in on tailscale0`).' },
  direction: { type: 'string', enum: ['in', 'out'], description: 'in (default) or out.' },
  app: { type: 'string', minLength: 1, description: 'An application profile of /etc/ufw/applications.d (OpenSSH) instead of a port.' },
  comment: { type: 'string', pattern: "^[^'\\n]*$", description: 'A comment stored with the rule (no quotes).' },
  delete: { type: 'boolean', description: 'Remove this rule instead of adding it (never the guard rule of the connected SSH port).' },
} as const;

const schema = {
  type: 'object',
  additionalProperties: false,
  description:
    'ufw firewall. Changes run in a safe order: IPv6 switch, rules, default policies, logging, deletions, and enable last. ' +
    'Lockout guard (always on): before ufw is enabled, or while it is active and rules are deleted or incoming traffic is ' +
    'denied by default, an `allow <port>/tcp` rule for the SSH port sparkbook is connected on is added unless one exists.',
  properties: {
    state: { type: 'string', enum: ['enabled', 'disabled'], description: 'Enable (`ufw --force enable`, last) or disable the firewall. Absent: leave as is.' },
    default_incoming: { ...policy, description: 'Default policy for incoming traffic.' },
    default_outgoing: { ...policy, description: 'Default policy for outgoing traffic.' },
    default_routed: { ...policy, description: 'Default policy for routed (forwarded) traffic.' },
    logging: { type: 'string', enum: ['on', 'off', 'low', 'medium', 'high', 'full'], description: 'Log level (on keeps any level but off, else low).' },
    ipv6: { type: 'boolean', description: '(default true) Ensure IPV6=yes in /etc/default/ufw so rules cover IPv6 (a global IPv6 address is exposed without NAT).' },
    ...ruleProperties,
    rules: {
      type: 'array',
      description: 'Rules, added in order (or removed with delete: true).',
      items: { type: 'object', additionalProperties: false, required: ['rule'], properties: ruleProperties },
    },
  },
  examples: [
    { rule: 'allow', from: '192.168.1.0/24' },
    { rule: 'allow', port: 51820, proto: 'udp', comment: 'wireguard' },
    {
      state: 'enabled',
      default_incoming: 'deny',
      default_outgoing: 'allow',
      logging: 'low',
      rules: [
        { rule: 'allow', from: '192.168.1.0/24' },
        { rule: 'allow', interface: 'tailscale0', port: 22, proto: 'tcp' },
      ],
    },
  ],
} as const;

type UfwParams = Params<typeof schema>;
type RuleParams = { readonly [K in keyof typeof ruleProperties]?: unknown };

function toSpec(r: RuleParams): UfwRuleSpec & { delete?: boolean } {
  return {
    rule: r.rule as UfwRuleSpec['rule'],
    port: r.port as number | string | undefined,
    proto: r.proto as UfwRuleSpec['proto'],
    from: r.from as string | undefined,
    to: r.to as string | undefined,
    interface: r.interface as string | undefined,
    direction: r.direction as UfwRuleSpec['direction'],
    app: r.app as string | undefined,
    comment: r.comment as string | undefined,
    delete: r.delete as boolean | undefined,
  };
}

const RULE_KEYS = ['port', 'proto', 'from', 'to', 'interface', 'direction', 'app', 'comment', 'delete'] as const;

/** The task's params as the planner's wanted state (a top-level rule comes first). */
export function ufwWanted(p: UfwParams): UfwWanted {
  const rules: (UfwRuleSpec & { delete?: boolean })[] = [];
  if (p.rule !== undefined) rules.push(toSpec(p));
  else if (RULE_KEYS.some((k) => (p as RuleParams)[k] !== undefined)) {
    throw new TaskError('module', 'ufw: a top-level port, from, to, interface, app or comment needs `rule` (allow, deny, reject, limit)');
  }
  for (const r of p.rules ?? []) rules.push(toSpec(r));
  return {
    state: p.state,
    defaults: { incoming: p.default_incoming, outgoing: p.default_outgoing, routed: p.default_routed },
    logging: p.logging,
    ipv6: p.ipv6,
    rules,
  };
}

export const ufw = defineModule<typeof schema, UfwObserved>({
  name: 'ufw',
  summary: 'Manage the ufw firewall: rules, default policies, logging and enable/disable, never locking out the SSH port in use.',
  schema,
  probe() {
    return { script: ufwProbeScript(), parse: (result): UfwObserved => parseUfwProbe(result.stdout) };
  },
  plan(params, observed, facts) {
    return planUfw(ufwWanted(params), observed, facts);
  },
  message(_params, observed) {
    if (!observed.installed) return 'ufw is not installed';
    return `ufw ${observed.active ? 'active' : 'inactive'}, ${observed.rules.length} rule(s)`;
  },
});

// The `ufw` module: rules, default policies, logging, IPv6 and enable/disable, idempotent by
// reading `ufw show added`, with a lockout guard that always keeps the connected SSH port open.
import { defineModule, type Params } from '../runner/module.js';
import { parseUfwProbe, ufwProbeScript, type UfwObserved } from './lib/ufw-observe.js';
import { planUfw, type UfwWanted } from './lib/ufw-plan.js';
import { UFW_ADDRESS_PATTERN, UFW_APP_PATTERN, UFW_PORT_PATTERN, UFW_PORT_RANGE_PATTERN } from './lib/ufw-rules.js';

const policy = { type: 'string', enum: ['allow', 'deny', 'reject'] } as const;

const address = {
  type: 'string',
  minLength: 1,
  pattern: UFW_ADDRESS_PATTERN,
  patternErrorMessage: 'must be any, an IPv4 or IPv6 address, or a CIDR such as 192.168.1.0/24 (ufw takes no host names)',
} as const;

const ruleProperties = {
  rule: { type: 'string', enum: ['allow', 'deny', 'reject', 'limit'], description: 'What the rule does (limit: allow, but rate-limit new connections).' },
  port: {
    type: ['integer', 'string'],
    pattern: UFW_PORT_PATTERN,
    patternErrorMessage: 'must be a port, a range (6000:6007) or a list (80,443) of ports 1-65535',
    minimum: 1,
    maximum: 65535,
    description: 'Destination port, range (6000:6007) or list (80,443); a range or list needs proto. Absent: every port.',
  },
  proto: { type: 'string', enum: ['tcp', 'udp', 'any'], description: 'Protocol (default any).' },
  from: { ...address, description: 'Source address or CIDR (192.168.1.0/24), or any (default).' },
  to: { ...address, description: 'Destination address or CIDR, or any (default).' },
  interface: { type: 'string', pattern: '^[A-Za-z0-9_.:+-]{1,15}$', description: 'Match only traffic on this interface (`in on tailscale0`).' },
  direction: { type: 'string', enum: ['in', 'out'], description: 'in (default) or out.' },
  app: {
    type: 'string',
    pattern: UFW_APP_PATTERN,
    patternErrorMessage: 'must be an application profile name (letters, digits, space, _ . + -)',
    description: 'An application profile of /etc/ufw/applications.d (OpenSSH) instead of a port.',
  },
  comment: { type: 'string', pattern: "^[^'\\n]*$", description: 'A comment stored with the rule (no quotes).' },
  delete: { type: 'boolean', description: 'Remove this rule instead of adding it (never the guard rule of the connected SSH port).' },
} as const;

/** What ufw itself would refuse in one rule, checked before anything runs. */
const ruleConstraints = [
  {
    if: { required: ['port'], properties: { port: { type: 'string', pattern: UFW_PORT_RANGE_PATTERN } } },
    then: { required: ['proto'], properties: { proto: { type: 'string', enum: ['tcp', 'udp'] } } },
    errorMessage: 'a port range or list (6000:6007, 80,443) needs proto tcp or udp',
  },
  { not: { required: ['app', 'port'] } },
] as const;

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
      items: { type: 'object', additionalProperties: false, required: ['rule'], properties: ruleProperties, allOf: ruleConstraints },
    },
  },
  // A top-level port, from, … without `rule` would be a rule that says neither allow nor deny.
  dependencies: {
    port: ['rule'],
    proto: ['rule'],
    from: ['rule'],
    to: ['rule'],
    interface: ['rule'],
    direction: ['rule'],
    app: ['rule'],
    comment: ['rule'],
    delete: ['rule'],
  },
  allOf: ruleConstraints,
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
type RuleParams = NonNullable<UfwParams['rules']>[number];

/** The top-level rule, when the task gives one (the schema: every rule key needs `rule`). */
function topLevelRule(p: UfwParams): RuleParams | undefined {
  if (p.rule === undefined) return undefined;
  const { rule, port, proto, from, to, interface: iface, direction, app, comment, delete: remove } = p;
  return { rule, port, proto, from, to, interface: iface, direction, app, comment, delete: remove };
}

/** The task's params as the planner's wanted state (a top-level rule comes first). */
export function ufwWanted(p: UfwParams): UfwWanted {
  const top = topLevelRule(p);
  return {
    state: p.state,
    defaults: { incoming: p.default_incoming, outgoing: p.default_outgoing, routed: p.default_routed },
    logging: p.logging,
    ipv6: p.ipv6,
    rules: top === undefined ? (p.rules ?? []) : [top, ...(p.rules ?? [])],
  };
}

export const ufw = defineModule<typeof schema, UfwObserved>({
  name: 'ufw',
  aliases: ['community.general.ufw'],
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

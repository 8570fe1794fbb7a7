// The `sysctl` module: a kernel parameter set now (sysctl -w) and persisted in a sysctl.d file.
import { defineModule } from '../runner/module.js';
import { parseSysctl, planSysctl, sysctlProbeScript, SYSCTL_NAME_PATTERN, type ObservedSysctl } from './lib/plan-sysctl.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      pattern: SYSCTL_NAME_PATTERN,
      description: 'The kernel parameter, dotted: net.ipv4.ip_forward.',
    },
    value: {
      type: ['string', 'integer'],
      pattern: '\\S',
      patternErrorMessage: 'must not be empty',
      description: 'The value (required for state present). Whitespace between the numbers of a vector value is normalised.',
    },
    state: {
      type: 'string',
      enum: ['present', 'absent'],
      default: 'present',
      description: 'present: set the value (now, and in sysctl_file). absent: remove the key from sysctl_file; the running value stays until reboot.',
    },
    sysctl_file: {
      type: 'string',
      minLength: 1,
      default: '/etc/sysctl.d/99-sparkbook.conf',
      description:
        'The file that persists the value, created (0644) if missing. A later file in /etc/sysctl.d, or /etc/sysctl.conf, ' +
        'can still override it at boot.',
    },
    reload: {
      type: 'boolean',
      default: true,
      description:
        'Also set the running value with sysctl -w (before writing the file, so a value the kernel refuses is never persisted). ' +
        'false: only write the file.',
    },
  },
  allOf: [{ if: { properties: { state: { const: 'present' } } }, then: { required: ['value'] } }],
  examples: [
    { name: 'net.ipv4.ip_forward', value: 1 },
    { name: 'net.ipv6.conf.all.forwarding', value: '1', sysctl_file: '/etc/sysctl.d/60-forwarding.conf' },
    { name: 'vm.swappiness', state: 'absent' },
  ],
} as const;

export const sysctl = defineModule<typeof schema, ObservedSysctl>({
  name: 'sysctl',
  aliases: ['ansible.posix.sysctl'],
  summary: 'Set a kernel parameter now and persist it in a sysctl.d file.',
  schema,
  // The executor validates with ajv's useDefaults, so state, sysctl_file and reload are always set
  // here (their inferred types say so too).
  probe(params) {
    return { script: sysctlProbeScript(params.name, params.sysctl_file), parse: (result) => parseSysctl(result.stdout) };
  },
  plan(params, observed) {
    return planSysctl(
      {
        name: params.name,
        value: params.value === undefined ? undefined : String(params.value),
        state: params.state,
        file: params.sysctl_file,
        reload: params.reload,
      },
      observed,
    );
  },
});

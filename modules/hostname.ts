// The `hostname` module (ansible.builtin.hostname): the host's static and running name.
import { defineModule } from '../runner/module.js';
import { hostnameProbeScript, parseHostnameProbe, planHostname, type ObservedHostname } from './lib/host-identity.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      // RFC 1123 labels, as hostnamectl accepts for a static name: letters, digits, hyphens, dots.
      pattern: '^(?=.{1,64}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$',
      patternErrorMessage: 'must be a host name: letters, digits and hyphens, labels separated by dots, at most 64 characters',
      description: 'The host name: hostnamectl set-hostname (static and running), else /etc/hostname and hostname(1). /etc/hosts is not edited.',
    },
    use: { type: 'string', enum: ['systemd'], description: "Ansible's strategy: only systemd (hostnamectl, falling back to /etc/hostname)." },
  },
  examples: [{ name: 'spark-01' }, { name: 'spark-02.lab.example', use: 'systemd' }],
} as const;

export const hostname = defineModule<typeof schema, ObservedHostname>({
  name: 'hostname',
  aliases: ['ansible.builtin.hostname'],
  summary: "Set the host's name (static and running) with hostnamectl, like Ansible hostname.",
  schema,
  probe() {
    return { script: hostnameProbeScript(), parse: (r) => parseHostnameProbe(r.stdout) };
  },
  plan(params, observed) {
    return planHostname(params.name, observed);
  },
});

// The `group` module (ansible.builtin.group): a local group present (with a gid) or absent.
import { defineModule } from '../runner/module.js';
import { ACCOUNT_NAME_PATTERN, groupProbeScript, parseGroupProbe, planGroup, type ObservedGroup } from './lib/accounts.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: ACCOUNT_NAME_PATTERN, description: 'The group name (groupadd rules: a letter or _ first).' },
    state: { type: 'string', enum: ['present', 'absent'], default: 'present', description: 'present: the group exists. absent: it does not (groupdel).' },
    gid: { type: 'integer', minimum: 0, maximum: 4294967294, description: 'Its numeric id; an existing group with another gid is changed (groupmod --gid).' },
    system: { type: 'boolean', default: false, description: 'A new group is a system group (groupadd --system: a gid below 1000).' },
  },
  examples: [
    { name: 'docker', system: true },
    { name: 'dgx-operators', gid: 2001 },
    { name: 'oldteam', state: 'absent' },
  ],
} as const;

export const group = defineModule<typeof schema, ObservedGroup>({
  name: 'group',
  aliases: ['ansible.builtin.group'],
  summary: 'Ensure a local group is present (with a gid) or absent, with groupadd/groupmod/groupdel.',
  schema,
  probe(params) {
    return { script: groupProbeScript(params.name), parse: (r) => parseGroupProbe(r.stdout) };
  },
  plan(params, observed) {
    return planGroup({ name: params.name, state: params.state ?? 'present', gid: params.gid, system: params.system ?? false }, observed);
  },
});

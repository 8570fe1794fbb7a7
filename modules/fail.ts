// The `fail` module (Ansible's ansible.builtin.fail): the task fails with a message, usually
// under a `when:`. Nothing is read or changed on the host.
import { TaskError } from '../runner/errors.js';
import { defineModule } from '../runner/module.js';
import { emptyScript } from '../runner/shell/script.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    msg: { type: 'string', default: 'Failed as requested from task', description: 'The reason given for the failure.' },
  },
  examples: [{ msg: 'this playbook is for DGX Spark hosts only' }, {}],
} as const;

export const fail = defineModule<typeof schema, null>({
  name: 'fail',
  aliases: ['ansible.builtin.fail'],
  summary: 'Fail the task with a message (put it under a when:).',
  schema,
  probe: () => ({ script: emptyScript, parse: () => null }),
  plan(params) {
    // Kind assert: the playbook asked for this failure, as an assert that does not hold.
    throw new TaskError('assert', params.msg ?? 'Failed as requested from task');
  },
});

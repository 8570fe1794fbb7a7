// The `shell` module (Ansible's ansible.builtin.shell): a command line run by the host's /bin/sh
// (or `executable`). It is the `command` module's run with a shell, so both plan alike.
import { defineModule } from '../runner/module.js';
import { RUN_PROPERTIES, command, type ObservedCommand } from './command.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['cmd'],
  properties: {
    cmd: {
      type: 'string',
      minLength: 1,
      description: 'The command line, run by `/bin/sh -c` (dash on Ubuntu: no bash-isms) or by `executable -c`. What a free-form string fills: `shell: echo $HOME`.',
    },
    executable: {
      type: 'string',
      minLength: 1,
      pattern: '^[^-]',
      patternErrorMessage: 'must be a shell program, not an option',
      description: 'The shell that runs cmd, given `-c cmd`: `/bin/bash` for bash-isms (pipefail, arrays).',
    },
    ...RUN_PROPERTIES,
  },
  examples: [
    { cmd: 'dmesg | grep -i nvidia > /var/log/nvidia-boot.log', creates: '/var/log/nvidia-boot.log' },
    { cmd: 'set -o pipefail; nvidia-smi -L | wc -l', executable: '/bin/bash' },
    { cmd: 'cat >> known.txt', stdin: 'spark-02', chdir: '/srv/fleet' },
  ],
} as const;

type CommandParams = Parameters<typeof command.plan>[0];

/** The command module's params for this shell task. */
function asCommand(p: { readonly cmd: unknown; readonly executable?: string | undefined } & Record<string, unknown>): CommandParams {
  const { cmd, executable, ...rest } = p;
  return (executable === undefined ? { ...rest, cmd } : { ...rest, argv: [executable, '-c', cmd] }) as CommandParams;
}

export const shell = defineModule<typeof schema, ObservedCommand>({
  name: 'shell',
  aliases: ['ansible.builtin.shell'],
  freeForm: 'cmd',
  summary: 'Run a command line through the host\'s shell (/bin/sh, or executable), unless creates/removes say it already ran.',
  schema,
  verify: false,
  probe: (params, facts) => command.probe(asCommand(params), facts),
  plan: (params, observed, facts, context) => command.plan(asCommand(params), observed, facts, context),
});

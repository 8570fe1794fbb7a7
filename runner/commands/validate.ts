// `sparkbook validate`: schema and semantic checks of playbooks (and an inventory), no connection.
import { InputError } from '../errors.js';
import { parseCommandArgs } from './args.js';
import type { CommandIo } from './io.js';
import { prepareCommandInputs } from './command-inputs.js';
import { loadAnsibleConfig } from './ansible-cfg.js';
import { ansibleFlags } from './ansible-flags.js';
import { EXIT } from './exit-codes.js';
import { VAULT_HELP, VAULT_OPTIONS } from './vault-password.js';
import { ROLES_PATH_HELP, ROLES_PATH_OPTIONS } from './roles-path.js';

const HELP = `Usage: sparkbook validate PLAYBOOK... [-i INVENTORY] [-e VARS] [--limit PATTERN]

Checks YAML, schemas, templates, imports, handlers and variables without contacting any host.
Each problem prints as FILE:LINE:COL: message; the exit code is 2 when there is one.
Vault values are decrypted too (a wrong password is a located error), never printed.
A play's hosts: pattern or a --limit term that matches no host is a warning (with --strict: an error).

  -i, --inventory PATH        inventory file or directory (default: ansible.cfg's inventory, else this machine)
  -e, --extra-vars VARS       KEY=VALUE, a JSON/YAML mapping, or @file.yml (repeatable)
  -l, --limit PATTERN         check the limit pattern too
      --strict                what matches nothing is an error (exit 2), not a warning
  -q, --quiet                 print nothing when every file is valid

${ROLES_PATH_HELP}${VAULT_HELP}`;

export async function validateCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('validate', args, {
    inventory: { type: 'string', short: 'i' },
    'extra-vars': { type: 'string', short: 'e', multiple: true },
    limit: { type: 'string', short: 'l' },
    quiet: { type: 'boolean', short: 'q' },
    strict: { type: 'boolean' },
    ...VAULT_OPTIONS,
    ...ROLES_PATH_OPTIONS,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new InputError('usage', `sparkbook validate: expected at least one PLAYBOOK`);
  const config = await loadAnsibleConfig(io);
  const prepared = await prepareCommandInputs(values, io, config, { playbookFiles: positionals, playDefaults: ansibleFlags({}, config).playDefaults, strict: values.strict ?? false });
  if (!values.quiet) {
    for (const p of prepared.playbooks) {
      const tasks = p.plays.reduce((n, play) => n + play.tasks.length + play.handlers.length, 0);
      io.stdout.write(`ok ${p.file}: ${p.plays.length} play(s), ${tasks} task(s)\n`);
    }
  }
  return EXIT.ok;
}

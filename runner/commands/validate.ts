// `sparkbook validate`: schema and semantic checks of playbooks (and an inventory), no connection.
import { InputError } from '../errors.js';
import { parseCommandArgs } from './args.js';
import type { CommandIo } from './io.js';
import { prepareInputs } from './prepare.js';
import { EXIT } from './exit-codes.js';
import { readVaultPasswords, VAULT_HELP, VAULT_OPTIONS } from './vault-password.js';
import { ROLES_PATH_HELP, ROLES_PATH_OPTIONS, rolesPathOf } from './roles-path.js';

const HELP = `Usage: sparkbook validate PLAYBOOK... [-i INVENTORY] [-e VARS] [--limit PATTERN]

Checks YAML, schemas, templates, imports, handlers and variables without contacting any host.
Each problem prints as FILE:LINE:COL: message; the exit code is 2 when there is one.
Vault values are decrypted too (a wrong password is a located error), never printed.

${ROLES_PATH_HELP}${VAULT_HELP}`;

export async function validateCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('validate', args, {
    inventory: { type: 'string', short: 'i' },
    'extra-vars': { type: 'string', short: 'e', multiple: true },
    limit: { type: 'string', short: 'l' },
    quiet: { type: 'boolean', short: 'q' },
    ...VAULT_OPTIONS,
    ...ROLES_PATH_OPTIONS,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new InputError('usage', `sparkbook validate: expected at least one PLAYBOOK`);
  const prepared = await prepareInputs({
    playbookFiles: positionals,
    inventoryPath: values.inventory,
    extraVars: values['extra-vars'] ?? [],
    limit: values.limit,
    vaultPasswords: await readVaultPasswords(values, io),
    rolesPath: rolesPathOf(values),
  });
  for (const w of prepared.warnings) io.stderr.write(`warning: ${w}\n`);
  if (!values.quiet) {
    for (const p of prepared.playbooks) {
      const tasks = p.plays.reduce((n, play) => n + play.tasks.length + play.handlers.length, 0);
      io.stdout.write(`ok ${p.file}: ${p.plays.length} play(s), ${tasks} task(s)\n`);
    }
  }
  return EXIT.ok;
}

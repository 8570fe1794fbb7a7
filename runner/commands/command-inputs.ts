// The one "load the command's inputs" step of run, validate, facts and ssh-config: the inventory
// -i names (else ansible.cfg's), vault passwords (flags, SPARKBOOK_VAULT_PASSWORD_FILE, then
// ansible.cfg's vault_password_file), the roles path, then prepareInputs; its warnings and what
// matched nothing go to stderr. ansible.cfg is read once by the caller (loadAnsibleConfig) and
// passed in, since the caller also reads its other settings.
import type { PlayDefaults } from '../load/playbook.js';
import type { AnsibleConfig } from './ansible-cfg.js';
import type { CommandIo } from './io.js';
import { reportUnmatched, type Selection } from './nothing-matched.js';
import { prepareInputs, type PreparedInputs } from './prepare.js';
import { rolesPathOf } from './roles-path.js';
import { readVaultPasswords } from './vault-password.js';

/** The parsed flags the step reads; a command that lacks one of them simply never sets it. */
export interface InputFlags {
  readonly inventory?: string | undefined;
  readonly 'extra-vars'?: string[] | undefined;
  readonly limit?: string | undefined;
  readonly 'vault-password-file'?: string[] | undefined;
  readonly 'ask-vault-pass'?: boolean | undefined;
  readonly 'roles-path'?: string[] | undefined;
}

/** The inventory a command reads: -i, else ansible.cfg's `inventory`, else undefined (this machine). */
export function inventoryPathOf(values: Pick<InputFlags, 'inventory'>, config: AnsibleConfig | undefined): string | undefined {
  return values.inventory ?? config?.inventory?.value;
}

export async function prepareCommandInputs(
  values: InputFlags,
  io: CommandIo,
  config: AnsibleConfig | undefined,
  more: {
    readonly playbookFiles?: readonly string[];
    readonly playDefaults?: PlayDefaults;
    readonly selection?: Omit<Selection, 'limitTerms'>;
    /** What matched nothing is an error (a string says why), else a warning. */
    readonly strict?: boolean | string;
  } = {},
): Promise<PreparedInputs> {
  const prepared = await prepareInputs({
    playbookFiles: more.playbookFiles ?? [],
    inventoryPath: inventoryPathOf(values, config),
    extraVars: values['extra-vars'] ?? [],
    limit: values.limit,
    vaultPasswords: await readVaultPasswords(values, io, config?.vaultPasswordFile),
    rolesPath: rolesPathOf(values, io.env, undefined, config?.rolesPath?.value),
    ...(more.playDefaults ? { playDefaults: more.playDefaults } : {}),
    ...(more.selection ? { selection: more.selection } : {}),
  });
  for (const w of prepared.warnings) io.stderr.write(`warning: ${w}\n`);
  reportUnmatched(prepared.unmatched, more.strict ?? false, io.stderr);
  return prepared;
}

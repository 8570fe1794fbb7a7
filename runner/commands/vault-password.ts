// The vault passwords: from --vault-password-file (repeatable), SPARKBOOK_VAULT_PASSWORD_FILE, or
// asked once on the terminal with --ask-vault-pass. An executable password file is run and its
// output used, as Ansible does (a script can fetch the password from a keyring or a secret store).
import { execFile } from 'node:child_process';
import { access, constants, readFile, stat } from 'node:fs/promises';
import { InputError, type SourceLocation } from '../errors.js';
import { Secret } from '../shell/secret.js';
import { promptSecret } from './become-password.js';
import type { CommandIo } from './io.js';

/** A password file is a line; anything near this size is not one. */
const MAX_PASSWORD_BYTES = 64 * 1024;
/** A password script that has not answered by then is waiting for something that will not come. */
const SCRIPT_TIMEOUT_MS = 30_000;

/** The options every command that loads files shares. */
export const VAULT_OPTIONS = {
  'vault-password-file': { type: 'string', multiple: true },
  'ask-vault-pass': { type: 'boolean' },
} as const;

export const VAULT_HELP = `      --vault-password-file F password for Ansible Vault values and files (repeatable; an
                              executable F is run and its output used; or SPARKBOOK_VAULT_PASSWORD_FILE)
      --ask-vault-pass        ask for the vault password on the terminal
`;

/**
 * Every password given, in order, each registered as a Secret so no output can show it. Ansible
 * strips surrounding whitespace from a file's content and a script's output; so do we.
 */
export async function readVaultPasswords(
  values: { 'vault-password-file'?: string[] | undefined; 'ask-vault-pass'?: boolean | undefined },
  io: CommandIo,
  /** ansible.cfg's vault_password_file: tried after the others, as Ansible appends it. */
  configured?: { readonly value: string; readonly where: SourceLocation },
): Promise<string[]> {
  const files = [...(values['vault-password-file'] ?? [])];
  const fromEnv = io.env.SPARKBOOK_VAULT_PASSWORD_FILE;
  if (files.length === 0 && fromEnv !== undefined && fromEnv !== '') files.push(fromEnv);
  const out: string[] = [];
  for (const file of files) out.push(await passwordFrom(file, io));
  if (configured !== undefined && !files.includes(configured.value)) {
    try {
      out.push(await passwordFrom(configured.value, io));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new InputError('file', error.message.replace(/^--vault-password-file /, 'vault_password_file '), configured.where);
    }
  }
  if (values['ask-vault-pass']) {
    if (!io.stdin.isTTY || !io.stdin.setRawMode) {
      throw new InputError('usage', '--ask-vault-pass needs a terminal to ask for the password; use --vault-password-file instead');
    }
    out.push((await promptSecret('Vault password: ', io)).reveal());
  }
  for (const p of out) new Secret(p);
  return out;
}

async function passwordFrom(file: string, io: CommandIo): Promise<string> {
  const info = await stat(file).catch((e: NodeJS.ErrnoException) => e);
  if (info instanceof Error) {
    throw new InputError('usage', `--vault-password-file ${file}: ${info.code === 'ENOENT' ? 'no such file' : `cannot read (${info.code ?? info.message})`}`);
  }
  if (!info.isFile()) throw new InputError('usage', `--vault-password-file ${file}: not a regular file`);
  if (info.size > MAX_PASSWORD_BYTES) throw new InputError('usage', `--vault-password-file ${file}: larger than ${MAX_PASSWORD_BYTES / 1024} KB, not a password`);
  const executable = await access(file, constants.X_OK).then(() => true, () => false);
  const text = executable ? await runScript(file, io) : await readFile(file, 'utf8');
  if (text.length > MAX_PASSWORD_BYTES) throw new InputError('usage', `--vault-password-file ${file}: larger than ${MAX_PASSWORD_BYTES / 1024} KB, not a password`);
  const password = text.trim();
  if (password === '') throw new InputError('usage', `--vault-password-file ${file}: ${executable ? 'the script printed' : 'the file holds'} an empty password`);
  return password;
}

function runScript(file: string, io: CommandIo): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, [], { env: io.env, timeout: SCRIPT_TIMEOUT_MS, maxBuffer: MAX_PASSWORD_BYTES + 1, encoding: 'utf8' }, (error, stdout) => {
      if (error) {
        const why = error.killed ? `did not finish within ${SCRIPT_TIMEOUT_MS / 1000} s` : `failed (${error.code ?? error.message})`;
        reject(new InputError('usage', `--vault-password-file ${file}: the password script ${why}`));
        return;
      }
      resolve(stdout);
    });
  });
}

// `sparkbook ssh-config`: the inventory's hosts as OpenSSH Host blocks, resolved exactly as `run`
// resolves them (resolve.ts), printed or merged into ~/.ssh/config between marker lines.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { InputError } from '../errors.js';
import { resolveConnectionSettings } from '../connection/resolve.js';
import { parseSshConfig, type SshConfig } from '../connection/ssh-config.js';
import { blockFromSettings, renderSection, type SshHostBlock } from '../connection/ssh-config-render.js';
import { mergeSection, withoutSection } from '../connection/ssh-config-merge.js';
import { selectHosts } from '../inventory/index.js';
import { writeFileAtomic } from '../report/atomic-write.js';
import { holdsKnownSecret } from '../shell/secret.js';
import { parseCommandArgs } from './args.js';
import { loadAnsibleConfig } from './ansible-cfg.js';
import { ansibleFlags } from './ansible-flags.js';
import type { CommandIo } from './io.js';
import { inventoryPathOf, prepareCommandInputs } from './command-inputs.js';
import { VAULT_HELP, VAULT_OPTIONS } from './vault-password.js';
import { EXIT } from './exit-codes.js';

const HELP = `Usage: sparkbook ssh-config -i INVENTORY [--limit PATTERN] [--write [--file PATH]]

Prints an OpenSSH Host block per inventory host (the inventory name is the Host pattern), with
HostName, User, Port, IdentityFile, ProxyJump and UserKnownHostsFile as sparkbook resolves them
for a run, so 'ssh HOST', scp and editors reach the host sparkbook does. A keyword at ssh's
default is left out; passwords never appear. Hosts on a local connection get no block.

  -i, --inventory PATH   inventory file or directory (default: ansible.cfg's inventory)
  -l, --limit PATTERN    only these hosts
  -e, --extra-vars VARS  e.g. ansible_port=2222 (wins over the inventory, as for run)
  -u, --user USER        remote user for hosts whose inventory sets none (as for run)
      --private-key FILE key for hosts whose inventory sets none (as for run)
  -F, --ssh-config FILE  ssh config that hosts are resolved through (default: the --file target)
      --write            merge the blocks into the ssh config file between the lines
                         '# BEGIN sparkbook (inventory PATH)' and '# END sparkbook (inventory PATH)',
                         replacing that inventory's section (a new one goes first); every other
                         byte stays; written atomically, mode 0600
      --file PATH        with --write: the file to merge into (default ~/.ssh/config)
${VAULT_HELP}`;

export async function sshConfigCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('ssh-config', args, {
    inventory: { type: 'string', short: 'i' },
    limit: { type: 'string', short: 'l' },
    'extra-vars': { type: 'string', short: 'e', multiple: true },
    user: { type: 'string', short: 'u' },
    'private-key': { type: 'string' },
    'ssh-config': { type: 'string', short: 'F' },
    write: { type: 'boolean' },
    file: { type: 'string' },
    ...VAULT_OPTIONS,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new InputError('usage', `sparkbook ssh-config takes no arguments, got '${positionals[0]}' (hosts: --limit)`);
  if (values.file !== undefined && !values.write) throw new InputError('usage', '--file is where --write writes: give --write too');
  const config = await loadAnsibleConfig(io);
  const inventoryPath = inventoryPathOf(values, config);
  if (inventoryPath === undefined) throw new InputError('usage', 'sparkbook ssh-config needs an inventory: -i PATH');
  const prepared = await prepareCommandInputs(values, io, config);

  const home = io.env.HOME !== undefined && io.env.HOME !== '' ? io.env.HOME : homedir();
  const localUser = userInfo().username;
  const named = values.file !== undefined ? resolvePath(values.file) : join(home, '.ssh', 'config');
  // A config kept in a dotfiles repo and linked into ~/.ssh: write the file the link points to,
  // so the rename does not replace the link with a copy.
  const target = existsSync(named) ? realpathSync(named) : named;
  const inventoryName = resolvePath(inventoryPath);
  const sshConfigFile = values['ssh-config'] !== undefined ? resolvePath(values['ssh-config']) : target;
  const readIfThere = (file: string): string | undefined => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
  const targetFound = readIfThere(target);
  const targetText = targetFound ?? '';
  // The hosts are resolved without this inventory's old section, so a stale block (a port since
  // moved) never feeds its own values back into the new one. Usually the file resolved through is
  // the one written: read once.
  const sshConfigText = sshConfigFile === target ? targetFound : readIfThere(sshConfigFile);
  const sshConfig = resolveThrough(sshConfigFile, sshConfigText, values['ssh-config'] !== undefined, inventoryName, home);

  const defaults = ansibleFlags(values, config).connection;
  const hosts = selectHosts(prepared.inventory, 'all').filter((h) => !prepared.limit || prepared.limit.has(h));
  const blocks: SshHostBlock[] = [];
  const skipped: string[] = [];
  for (const name of hosts) {
    const host = prepared.inventory.hosts.get(name)!;
    const settings = resolveConnectionSettings(name, { ...host.vars, ...prepared.extraVars }, { sshConfig, hostKeyPolicy: 'strict', env: io.env, home, localUser, defaults });
    for (const note of settings.notes) io.stderr.write(`warning: ${name}: ${note}\n`);
    const block = blockFromSettings(settings, { home, localUser });
    if (block) blocks.push(block);
    else skipped.push(name);
  }
  const comments = skipped.length > 0 ? [`No block for ${skipped.join(', ')}: reached over a local connection, not SSH.`] : [];
  const section = renderSection(inventoryName, blocks, comments);
  // Belt and braces: no value a Secret holds (ansible_password, vaulted vars) may reach the file.
  if (holdsKnownSecret(section)) throw new InputError('inventory', 'a Host block would hold the value of a secret (a password or vaulted var); nothing was printed or written');

  if (!values.write) {
    io.stdout.write(section);
    return EXIT.ok;
  }
  const merged = mergeSection(targetText, inventoryName, section, target);
  if (merged === targetText) {
    io.stdout.write(`${target}: already up to date (${blocks.length} host${blocks.length === 1 ? '' : 's'})\n`);
    return EXIT.ok;
  }
  // ~/.ssh as ssh wants it: ssh refuses a config others can write into.
  if (!existsSync(dirname(target))) await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  await writeFileAtomic(target, merged, 0o600);
  io.stdout.write(`${target}: wrote the section for inventory ${inventoryName} (${blocks.length} host${blocks.length === 1 ? '' : 's'})\n`);
  return EXIT.ok;
}

/** The ssh config the hosts resolve through (`text`: the file's content, undefined when it is missing), without the inventory's own section; a missing default file is empty. */
function resolveThrough(file: string, text: string | undefined, explicit: boolean, inventory: string, home: string): SshConfig {
  if (text === undefined) {
    if (explicit) throw new InputError('ssh-config', `ssh config file ${file} does not exist`);
    return { file, items: [] };
  }
  return parseSshConfig(withoutSection(text, inventory, file), file, { home });
}

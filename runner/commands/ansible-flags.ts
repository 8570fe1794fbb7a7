// ansible-playbook's connection and privilege flags on `sparkbook run` (-u, --private-key, -k, -b,
// --become-user, --become-method) as run-wide defaults: a host's inventory vars and -e win over
// them, as in Ansible (docs/ansible.md, "Command line and ansible.cfg").
import { InputError } from '../errors.js';
import type { ConnectionDefaults, ConnectionSettings } from '../connection/resolve.js';
import type { PlayDefaults } from '../load/playbook.js';
import type { Secret } from '../shell/secret.js';
import { promptSecret } from './become-password.js';
import type { AnsibleConfig } from './ansible-cfg.js';
import { checkBecomeMethod } from './become-method.js';
import type { CommandIo } from './io.js';
import { STATUS_WIDTH } from '../report/style.js';

export interface AnsibleFlagValues {
  readonly user?: string;
  readonly 'private-key'?: string;
  readonly 'key-file'?: string;
  readonly become?: boolean;
  readonly 'become-user'?: string;
  readonly 'become-method'?: string;
}

export interface AnsibleFlags {
  readonly connection: Omit<ConnectionDefaults, 'password'>;
  readonly playDefaults: PlayDefaults;
}

/** The flags over ansible.cfg's settings (`config`): a flag given wins. */
export function ansibleFlags(values: AnsibleFlagValues, config?: AnsibleConfig): AnsibleFlags {
  if (values['private-key'] !== undefined && values['key-file'] !== undefined && values['private-key'] !== values['key-file']) {
    throw new InputError('usage', '--private-key and --key-file are the same option: give one');
  }
  checkBecomeMethod(values['become-method'], '--become-method');
  if (values.user === '') throw new InputError('usage', '-u/--user needs a user name');
  if (values['become-user'] === '') throw new InputError('usage', '--become-user needs a user name');
  const key = values['private-key'] ?? values['key-file'] ?? config?.privateKeyFile?.value;
  const user = values.user ?? config?.remoteUser?.value;
  const become = values.become ? true : config?.become?.value;
  const becomeUser = values['become-user'] ?? config?.becomeUser?.value;
  return {
    connection: { ...(user !== undefined ? { user } : {}), ...(key !== undefined ? { privateKeyFile: key } : {}) },
    playDefaults: { ...(become !== undefined ? { become } : {}), ...(becomeUser !== undefined ? { becomeUser } : {}) },
  };
}

/** `-k`: the SSH login password, asked once on the terminal. */
export async function askLoginPassword(io: CommandIo): Promise<Secret> {
  if (!io.stdin.isTTY || !io.stdin.setRawMode) {
    throw new InputError('usage', '-k needs a terminal to ask for the SSH password; without one, set ansible_password in the inventory (vaulted: ansible-vault encrypt_string)');
  }
  return promptSecret('SSH password: ', io);
}

/** One line per host for -vvv: where its connection goes and how it authenticates (no secret). */
export function describeConnection(s: ConnectionSettings): string {
  if (s.transport === 'local') return `${'connect'.padEnd(STATUS_WIDTH)} ${s.host} | local, as ${s.user}${s.become.enabled ? `, become ${s.become.user}` : ''}\n`;
  const auth = [
    ...s.identityFiles.map((f) => `key ${f}`),
    ...(s.agentSocket !== undefined && !s.identitiesOnly ? ['agent'] : []),
    ...(s.password !== undefined ? ['password'] : []),
  ];
  const via = s.proxyJump.length > 0 ? `, via ${s.proxyJump.map((j) => `${j.user}@${j.address}:${j.port}`).join(' → ')}` : '';
  const notes = s.notes.map((n) => `\n    note: ${n}`).join('');
  return `${'connect'.padEnd(STATUS_WIDTH)} ${s.host} | ssh ${s.user}@${s.address}:${s.port}${via}, auth: ${auth.join(', ') || 'none'}, host keys ${s.hostKeyPolicy}, timeout ${Math.round(s.connectTimeoutMs / 1000)} s${notes}\n`;
}

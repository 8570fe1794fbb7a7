// Where roles are looked for after roles/ next to the playbook: -r/--roles-path (repeatable,
// colon-separated), then SPARKBOOK_ROLES_PATH, then ANSIBLE_ROLES_PATH, else ansible.cfg's
// roles_path, else Ansible's default directories (where `ansible-galaxy role install` puts roles).
import { homedir } from 'node:os';
import path from 'node:path';
import { expandTilde } from '../connection/ssh-config.js';

/** The option every command that loads playbooks shares. */
export const ROLES_PATH_OPTIONS = {
  'roles-path': { type: 'string', short: 'r', multiple: true },
} as const;

export const ROLES_PATH_HELP = `  -r, --roles-path DIRS       more directories to look for roles in, after roles/ next to the playbook
                              (colon-separated, repeatable; then SPARKBOOK_ROLES_PATH, ANSIBLE_ROLES_PATH)
`;

/** Ansible's DEFAULT_ROLES_PATH, used when ANSIBLE_ROLES_PATH is not set. */
export function ansibleDefaultRolesPath(home: string = homedir()): string[] {
  return [path.join(home, '.ansible/roles'), '/usr/share/ansible/roles', '/etc/ansible/roles'];
}

/** The roles path in search order; `~` at the start of an entry is the home directory, as in Ansible. */
export function rolesPathOf(
  values: { 'roles-path'?: string[] | undefined },
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
  /** ansible.cfg's roles_path: as in Ansible, ANSIBLE_ROLES_PATH wins over it. */
  configured?: readonly string[],
): string[] {
  const split = (v: string | undefined): string[] => (v ?? '').split(':').map((s) => s.trim()).filter((s) => s !== '');
  const ansible = env.ANSIBLE_ROLES_PATH !== undefined ? split(env.ANSIBLE_ROLES_PATH) : configured !== undefined ? [...configured] : ansibleDefaultRolesPath(home);
  const all = [...(values['roles-path'] ?? []).flatMap(split), ...split(env.SPARKBOOK_ROLES_PATH), ...ansible].map((dir) => expandTilde(dir, home));
  return [...new Set(all)];
}

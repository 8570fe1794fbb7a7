// The `user` module (ansible.builtin.user): a local account present or absent, with its uid,
// groups, shell and home; a password is a crypt(3) hash, compared on the host and set through
// chpasswd -e's stdin, never on an argv.
import { defineModule } from '../runner/module.js';
import { isSecret, Secret } from '../runner/shell/secret.js';
import { ACCOUNT_LIST_PATTERN, ACCOUNT_NAME_PATTERN, GROUP_OR_GID_PATTERN, parseUserProbe, planUser, userProbeScript, type ObservedUser } from './lib/accounts.js';

const GROUP_LIST = {
  anyOf: [
    { type: 'array', items: { type: 'string', pattern: ACCOUNT_NAME_PATTERN } },
    // Ansible's comma-separated string: 'docker,video' (empty: no supplementary group).
    { type: 'string', pattern: ACCOUNT_LIST_PATTERN },
  ],
} as const;

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: ACCOUNT_NAME_PATTERN, description: 'The account name (useradd rules: a letter or _ first).' },
    state: { type: 'string', enum: ['present', 'absent'], default: 'present', description: 'present: the account exists as described. absent: it does not (userdel).' },
    uid: { type: 'integer', minimum: 0, maximum: 4294967294, description: 'Its numeric id (usermod --uid on an existing account).' },
    group: { type: 'string', pattern: GROUP_OR_GID_PATTERN, description: 'Its primary group, a name or a gid (the group must exist).' },
    groups: {
      ...GROUP_LIST,
      description: "Supplementary groups, a list or Ansible's comma-separated string. With append false (the default) they are exactly these; [] or '' removes all.",
    },
    append: { type: 'boolean', default: false, description: 'true: add the account to `groups`, leaving its other groups as they are.' },
    shell: { type: 'string', pattern: '^/[^\\n]*$', description: 'Its login shell: /bin/bash, /usr/sbin/nologin.' },
    home: { type: 'string', pattern: '^/[^\\n:]*$', description: 'Its home directory (an existing account: the passwd entry changes; files are not moved).' },
    create_home: { type: 'boolean', default: true, description: 'A new account gets its home directory (useradd --create-home), from /etc/skel.' },
    system: { type: 'boolean', default: false, description: 'A new account is a system account (useradd --system: a uid below 1000, no aging).' },
    comment: { type: 'string', pattern: '^[^\\n:]*$', description: 'The GECOS field: a full name.' },
    password: {
      type: 'string',
      pattern: '^[^\\n:]*$',
      description:
        "A crypt(3) HASH, as Ansible's (\"{{ 'secret' | password_hash('sha512') }}\" made beforehand, or from a vault), never the plain password. " +
        'Masked in every output, compared on the host, written through chpasswd -e on stdin (needs become: true).',
    },
    remove: { type: 'boolean', default: false, description: 'state absent: also remove the home directory and mail spool (userdel --remove).' },
  },
  examples: [
    { name: 'nvidia', groups: ['docker', 'video', 'render'], append: true },
    { name: 'svc-ollama', system: true, shell: '/usr/sbin/nologin', home: '/var/lib/ollama', create_home: false, comment: 'Ollama service' },
    { name: 'operator', uid: 1500, group: 'dgx-operators', groups: 'docker,sudo', shell: '/bin/bash', password: '$6$rounds=5000$salt$hash' },
    { name: 'olduser', state: 'absent', remove: true },
  ],
} as const;

/** Ansible's groups as a list: a string is split at commas. */
function groupList(groups: string | readonly string[] | undefined): readonly string[] | undefined {
  if (groups === undefined) return undefined;
  if (typeof groups !== 'string') return groups;
  return groups.split(',').map((g) => g.trim()).filter((g) => g !== '');
}

function secretOf(value: unknown): Secret | undefined {
  if (value === undefined) return undefined;
  return isSecret(value) ? value : new Secret(String(value));
}

export const user = defineModule<typeof schema, ObservedUser>({
  name: 'user',
  aliases: ['ansible.builtin.user'],
  summary: 'Ensure a local account is present (uid, groups, shell, home, password hash) or absent, with useradd/usermod/userdel.',
  schema,
  secretParams: ['password'],
  probe(params) {
    return { script: userProbeScript(params.name, secretOf(params.password as unknown)), parse: (r) => parseUserProbe(r.stdout) };
  },
  plan(params, observed) {
    return planUser(
      {
        name: params.name,
        state: params.state ?? 'present',
        uid: params.uid,
        group: params.group,
        groups: groupList(params.groups),
        append: params.append ?? false,
        shell: params.shell,
        home: params.home,
        createHome: params.create_home ?? true,
        system: params.system ?? false,
        comment: params.comment,
        password: secretOf(params.password as unknown),
        remove: params.remove ?? false,
      },
      observed,
    );
  },
});

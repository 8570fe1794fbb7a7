// The `authorized_key` module (ansible.posix.authorized_key): SSH public keys present in, or
// absent from, a user's authorized_keys, the file 0600 and its directory 0700, owned by the user.
//
// Lockout guard (cannot be turned off): when the plan would take out a key (exclusive, or state
// absent) and the probe could read which key this very connection authenticated with (sshd's
// "Accepted publickey … SHA256:…" line for one of the probe shell's ancestor processes, from the
// journal or /var/log/auth.log, readable as root), removing that key from that user's file is
// refused. When that is not knowable (no root, no log), nothing is refused: the docs say so.
import { posix } from 'node:path';
import { TaskError } from '../runner/errors.js';
import { defineModule, type Change } from '../runner/module.js';
import { joinScripts, sh, type Script } from '../runner/shell/script.js';
import { editAuthorizedKeys, fingerprint, wantedKeys, type AuthorizedKey } from './lib/authorized-keys.js';
import { parseSections, section } from './lib/parse.js';
import { OWNER_PATTERN } from './lib/patterns.js';
import { planFile } from './lib/plan-file.js';
import { planTextEdit } from './lib/plan-text-edit.js';
import { FULL_CONTENT_BYTES, parseObservedFile, statScript, type ObservedFile } from './lib/probe-file.js';
import { clip } from './lib/text.js';

const ONE_LINE = { pattern: '^[^\\n\\r]*$', patternErrorMessage: 'must be one line (it contains a newline)' } as const;

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['user', 'key'],
  properties: {
    user: { type: 'string', pattern: OWNER_PATTERN, description: 'The user whose authorized_keys is managed (must exist).' },
    key: {
      type: 'string',
      minLength: 1,
      description:
        "One public key, or several, one per line (blank and # lines skipped), as in a .pub file or GitHub's /USER.keys. " +
        'Keep it in a variable (vars file, inventory) and write key: "{{ operator_pubkey }}"; a URL is not fetched.',
    },
    state: { type: 'string', enum: ['present', 'absent'], default: 'present', description: 'present: the keys are there. absent: they are not.' },
    exclusive: {
      type: 'boolean',
      default: false,
      description:
        'present: every other line of the file is removed (other keys, comments). Refused when it would remove the key this connection logged in with (when the host lets that be known).',
    },
    key_options: {
      type: 'string',
      ...ONE_LINE,
      description: 'Options put before each key (`from="10.20.0.0/16",no-agent-forwarding`); they replace the key\'s own.',
    },
    comment: { type: 'string', ...ONE_LINE, description: "Replaces each key's comment." },
    path: {
      type: 'string',
      minLength: 1,
      description: "The file (default ~USER/.ssh/authorized_keys). Its directory is what manage_dir manages.",
    },
    manage_dir: {
      type: 'boolean',
      default: true,
      description: "The file's directory exists, mode 0700, owned by the user (what sshd's StrictModes wants).",
    },
  },
  examples: [
    { user: 'nvidia', key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGQ2zNbSZ6NH0ET8uTPkZpTJC5ShGPGaz3Rm4Z0vKHs9 operator@laptop' },
    {
      user: 'nvidia',
      key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGQ2zNbSZ6NH0ET8uTPkZpTJC5ShGPGaz3Rm4Z0vKHs9 operator@laptop\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBV2s4uM0ycZUh0pV0kP5lYbBvTgMC3cbXoTQqqyrH6L ci@fleet',
      exclusive: true,
    },
    {
      user: 'backup',
      key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBV2s4uM0ycZUh0pV0kP5lYbBvTgMC3cbXoTQqqyrH6L ci@fleet',
      key_options: 'from="10.20.0.0/16",no-agent-forwarding,no-port-forwarding',
      path: '/etc/ssh/authorized_keys/backup',
      manage_dir: false,
    },
    { user: 'nvidia', key: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 old@laptop', state: 'absent' },
  ],
} as const;

interface ObservedAccount {
  readonly home: string;
  readonly uid: number;
  readonly gid: number;
}

export interface ObservedKeys {
  /** null: no such user. */
  readonly account: ObservedAccount | null;
  readonly dir: ObservedFile;
  readonly file: ObservedFile;
  /** Who this connection logged in as, with which key, when sshd's log says so. */
  readonly session: { readonly user: string; readonly fingerprint: string } | null;
}

const DEFAULT_FILE = '.ssh/authorized_keys';

/** A stat of `path`, relative to the user's home in $h (where the default file is). */
function statUnderHome(path: string, maxContent: number): Script {
  return sh`(if [ -n "$h" ] && cd -- "$h" 2>/dev/null; then
${statScript(path, maxContent)}
fi)`;
}

/** sshd's "Accepted publickey" line for the probe shell's login, found by walking up its ancestors. */
const SESSION_SCRIPT = sh`(
p=$$
while [ -n "$p" ] && [ "$p" -gt 1 ] 2>/dev/null; do
  l=$( (journalctl -q --no-pager -o cat _PID="$p" 2>/dev/null | grep -m1 '^Accepted publickey for ') || (grep -h "sshd\\[$p\\]: Accepted publickey for " /var/log/auth.log 2>/dev/null | tail -n 1) || :)
  if [ -n "$l" ]; then printf '%s\\n' "$l"; break; fi
  p=$(sed 's/.*) //' /proc/"$p"/stat 2>/dev/null | cut -d' ' -f2) || p=
done
) || :`;

function parseAccount(lines: readonly string[]): ObservedAccount | null {
  const fields = (lines.find((l) => l.includes(':')) ?? '').split(':');
  if (fields.length < 7) return null;
  const uid = Number(fields[2]);
  const gid = Number(fields[3]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) return null;
  return { home: fields[5] as string, uid, gid };
}

function parseSession(lines: readonly string[]): ObservedKeys['session'] {
  for (const l of lines) {
    const m = /Accepted publickey for (\S+) from .* (SHA256:[A-Za-z0-9+/]+)/.exec(l);
    if (m) return { user: m[1] as string, fingerprint: m[2] as string };
  }
  return null;
}

function shortKey(k: AuthorizedKey): string {
  return `${k.type.replace(/^ssh-/, '')} …${k.blob.slice(-8)}${k.comment === '' ? '' : ` ${clip(k.comment)}`}`;
}

export const authorized_key = defineModule<typeof schema, ObservedKeys>({
  name: 'authorized_key',
  aliases: ['ansible.posix.authorized_key'],
  summary: "Add or remove SSH public keys in a user's authorized_keys (file 0600, directory 0700, owned by the user).",
  schema,
  probe(params) {
    const path = params.path;
    const removes = params.state === 'absent' || params.exclusive === true;
    // One getent answers the user section and the home both stats start from.
    const sections = joinScripts([
      section('user', sh`if [ -n "$u" ]; then printf '%s\\n' "$u"; fi`),
      section('dir', path === undefined ? statUnderHome('.ssh', 0) : statScript(posix.dirname(path), 0)),
      section('file', path === undefined ? statUnderHome(DEFAULT_FILE, FULL_CONTENT_BYTES) : statScript(path, FULL_CONTENT_BYTES)),
      ...(removes ? [section('session', SESSION_SCRIPT)] : []),
    ]);
    return {
      script: sh`(
u=$(getent passwd -- ${params.user}) || u=
h=$(printf '%s\\n' "$u" | cut -d: -f6)
${sections}
)`,
      parse: (result) => {
        const s = parseSections(result.stdout);
        return {
          account: parseAccount(s.get('user') ?? []),
          dir: parseObservedFile(s.get('dir')),
          file: parseObservedFile(s.get('file')),
          session: parseSession(s.get('session') ?? []),
        };
      },
    };
  },
  plan(params, o) {
    const user = params.user;
    if (o.account === null) throw new TaskError('precondition', `authorized_key: user ${user} does not exist`);
    const state = params.state ?? 'present';
    const path = params.path ?? posix.join(o.account.home, DEFAULT_FILE);
    const dir = posix.dirname(path);
    const wanted = wantedKeys(params.key, params.key_options, params.comment);
    const edit = editAuthorizedKeys(o.file.content ?? '', wanted, state, params.exclusive ?? false);
    const session = o.session;
    if (session !== null && session.user === user) {
      const own = edit.removed.find((k) => fingerprint(k.blob) === session.fingerprint);
      if (own !== undefined) {
        throw new TaskError(
          'module',
          `authorized_key: refusing to remove the key this connection logged in with (${session.fingerprint}, ${shortKey(own)}) from ${path}: ` +
            'add it to key, or run this task over another key',
        );
      }
    }
    const changes: Change[] = [];
    const owner = { owner: user, group: String(o.account.gid) };
    if (state === 'present' && (params.manage_dir ?? true)) {
      changes.push(...planFile({ path: dir, state: 'directory', mode: '0700', ...owner }, o.dir));
    }
    const words = [
      ...edit.added.map((k) => `add key ${shortKey(k)}`),
      ...edit.updated.map((k) => `update key ${shortKey(k)}${k.options === '' ? ' (no options)' : ` (options ${clip(k.options)})`}`),
      ...edit.removed.map((k) => `remove key ${shortKey(k)}`),
      ...(edit.removedOther > 0 ? [`remove ${edit.removedOther} other line${edit.removedOther === 1 ? '' : 's'}`] : []),
    ];
    changes.push(
      ...planTextEdit(path, o.file, () => ({ content: words.length === 0 ? (o.file.content ?? '') : edit.content, words }), {
        create: true,
        mode: '0600',
        ...owner,
        removesOnly: state === 'absent',
        what: 'authorized_key',
      }),
    );
    return changes;
  },
});

// An authorized_keys file as ansible.posix.authorized_key reads it: a line is a key when one of
// its words is an SSH key type (options before it, the base64 blob after, then a comment);
// every other line (comments, blanks) is kept as it is. Keys are matched by their blob.
import { fingerprint as keyFingerprint } from '../../runner/connection/known-hosts.js';
import { TaskError } from '../../runner/errors.js';
import { readLines } from './plan-line.js';

export interface AuthorizedKey {
  /** `no-port-forwarding,from="10.0.0.0/8"`, normalized (empty when none). */
  readonly options: string;
  readonly type: string;
  /** The base64 key: what identifies a key. */
  readonly blob: string;
  readonly comment: string;
}

/** The key types Ansible's authorized_key accepts (ansible.posix 1.5). */
const KEY_TYPES: ReadonlySet<string> = new Set([
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'webauthn-sk-ecdsa-sha2-nistp256@openssh.com',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'sk-ssh-ed25519@openssh.com',
  'sk-ssh-ed25519-cert-v01@openssh.com',
  'ssh-ed25519',
  'ssh-ed25519-cert-v01@openssh.com',
  'ssh-dss',
  'ssh-rsa',
  'ssh-xmss@openssh.com',
  'ssh-xmss-cert-v01@openssh.com',
  'rsa-sha2-256',
  'rsa-sha2-512',
  'ssh-rsa-cert-v01@openssh.com',
  'rsa-sha2-256-cert-v01@openssh.com',
  'rsa-sha2-512-cert-v01@openssh.com',
  'ssh-dss-cert-v01@openssh.com',
]);

/** Words split at whitespace outside double quotes (`command="a b"` is one word). */
function words(line: string): string[] {
  return line.trim().match(/(?:[^\s"]|"[^"]*"?)+/g) ?? [];
}

/** Options split at commas outside double quotes, joined back with single commas. */
export function normalizeOptions(options: string): string {
  return (options.match(/(?:[^,"]|"[^"]*"?)+/g) ?? []).map((o) => o.trim()).filter((o) => o !== '').join(',');
}

/** A line as a key, or null for a comment, a blank line or anything else. */
export function parseKey(line: string): AuthorizedKey | null {
  const parts = words(line);
  if (parts.length === 0 || (parts[0] as string).startsWith('#')) return null;
  const at = parts.findIndex((p) => KEY_TYPES.has(p));
  if (at < 0 || at + 1 >= parts.length) return null;
  return {
    options: normalizeOptions(parts.slice(0, at).join(' ')),
    type: parts[at] as string,
    blob: parts[at + 1] as string,
    comment: parts.slice(at + 2).join(' '),
  };
}

export function keyLine(k: AuthorizedKey): string {
  return `${k.options === '' ? '' : `${k.options} `}${k.type} ${k.blob}${k.comment === '' ? '' : ` ${k.comment}`}`;
}

/** OpenSSH's fingerprint of a key (`ssh-keygen -l`, what sshd logs): SHA256:base64, unpadded. */
export function fingerprint(blob: string): string {
  return keyFingerprint(Buffer.from(blob, 'base64'));
}

/**
 * The keys a task's `key` gives: one per line, blank lines and `#` lines skipped (as Ansible);
 * key_options and comment, when given, replace each key's own.
 */
export function wantedKeys(key: string, keyOptions: string | undefined, comment: string | undefined): AuthorizedKey[] {
  if (/^https?:\/\//.test(key.trim())) {
    throw new TaskError('module', 'key: a URL is not fetched (put the keys themselves in a variable: key: "{{ operator_pubkeys }}")');
  }
  return key
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
    .map((l) => {
      const k = parseKey(l);
      if (k === null) throw new TaskError('module', `key: invalid key specified: ${l.slice(0, 60)}`);
      return {
        ...k,
        options: keyOptions === undefined ? k.options : normalizeOptions(keyOptions),
        comment: comment === undefined ? k.comment : comment,
      };
    });
}

export interface KeysEdit {
  readonly content: string;
  readonly added: readonly AuthorizedKey[];
  readonly updated: readonly AuthorizedKey[];
  /** Key lines taken out (absent, or not wanted with exclusive). */
  readonly removed: readonly AuthorizedKey[];
  /** Other lines (comments, blanks) taken out by exclusive. */
  readonly removedOther: number;
}

function sameKey(a: AuthorizedKey, b: AuthorizedKey): boolean {
  return a.type === b.type && a.options === b.options && a.comment === b.comment;
}

/**
 * The file with `wanted` present (updated in place when its options, type or comment differ,
 * appended otherwise) or absent; `exclusive` (present only) leaves nothing else, comment lines
 * included, as Ansible. Lines not touched stay byte for byte.
 */
export function editAuthorizedKeys(content: string, wanted: readonly AuthorizedKey[], state: 'present' | 'absent', exclusive: boolean): KeysEdit {
  const lines = readLines(content);
  const blobs = new Set(wanted.map((k) => k.blob));
  const added: AuthorizedKey[] = [];
  const updated: AuthorizedKey[] = [];
  const removed: AuthorizedKey[] = [];
  let removedOther = 0;
  const out: string[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    const k = parseKey(line);
    const want = k === null ? undefined : wanted.find((w) => w.blob === k.blob);
    if (state === 'absent') {
      if (k !== null && blobs.has(k.blob)) removed.push(k);
      else out.push(line);
      continue;
    }
    if (k === null || want === undefined || seen.has(k.blob)) {
      if (!exclusive) out.push(line);
      else if (k !== null) removed.push(k);
      else removedOther += 1;
      continue;
    }
    seen.add(k.blob);
    if (sameKey(k, want)) {
      out.push(line);
    } else {
      updated.push(want);
      out.push(`${keyLine(want)}\n`);
    }
  }
  if (state === 'present') {
    for (const w of wanted) {
      if (seen.has(w.blob)) continue;
      seen.add(w.blob);
      const last = out.length - 1;
      if (last >= 0 && !(out[last] as string).endsWith('\n')) out[last] += '\n';
      out.push(`${keyLine(w)}\n`);
      added.push(w);
    }
  }
  return { content: out.join(''), added, updated, removed, removedOther };
}

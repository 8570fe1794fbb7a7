// The one way sparkbook writes a file: a temp file in the same directory (mktemp: O_EXCL, 0600),
// content decoded from base64 (binary and newline safe, no heredoc), fsync, chown/chmod,
// rename over the target, fsync the directory; the temp is removed on any failure.
import { posix } from 'node:path';
import { Secret, isSecret } from '../../runner/shell/secret.js';
import { joinScripts, sh, type Script } from '../../runner/shell/script.js';
import type { Text } from '../../runner/module.js';

export interface WriteFile {
  readonly path: string;
  readonly content: Text;
  /** Four octal digits. Absent: keep the mode of the file being replaced, else 0644. */
  readonly mode?: string;
  /** Absent: keep the owner of the file being replaced (best effort), else the running user. */
  readonly owner?: string;
  readonly group?: string;
  /**
   * A command that must succeed on the new content before it replaces the file (Ansible's
   * `validate`): `%s` is the temp file's path. Run by /bin/sh; its output goes to stderr.
   */
  readonly validate?: string;
  /** Keep a copy of the file being replaced as PATH.PID.YYYY-MM-DD@HH:MM:SS~ (Ansible's `backup`). */
  readonly backup?: boolean;
}

/**
 * `path` in a form no command mistakes for an option or for stdin (GNU stat reads `-` as
 * standard input): relative paths get a `./` prefix.
 */
export function safePath(path: string): string {
  return path.startsWith('/') || path.startsWith('./') ? path : `./${path}`;
}

/** The directory of `path` in a form no command can mistake for an option. */
export function safeDirname(path: string): string {
  const dir = posix.dirname(path);
  return dir.startsWith('/') || dir.startsWith('./') || dir === '.' ? dir : `./${dir}`;
}

/** base64 in 76-column lines (base64 -d skips the newlines); a Secret stays a Secret. */
function encoded(content: Text): string | Secret {
  const plain = isSecret(content) ? content.reveal() : content;
  const b64 = (Buffer.from(plain, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join('\n');
  return isSecret(content) ? new Secret(b64) : b64;
}

/**
 * A script that replaces `path` atomically with `content`. It runs in a subshell with `set -e`
 * so it can share a channel with other changes, and fails (non-zero) when the directory is
 * missing: sparkbook does not create parent directories for a file (a `file` task with
 * `state: directory` does).
 */
export function writeFileScript(w: WriteFile): Script {
  // Whatever the task does not set is kept from the file being replaced (best effort when not root).
  const attributes: Script[] = [sh`if [ -e "$p" ]; then chown --reference="$p" -- "$t" 2>/dev/null || :; fi`];
  if (w.owner !== undefined) attributes.push(sh`chown -- ${w.owner} "$t"`);
  if (w.group !== undefined) attributes.push(sh`chgrp -- ${w.group} "$t"`);
  // chown may clear set-id bits, so the mode comes last.
  attributes.push(
    w.mode !== undefined
      ? sh`chmod ${w.mode} -- "$t"`
      : sh`if [ -e "$p" ]; then chmod --reference="$p" -- "$t"; else chmod 0644 -- "$t"; fi`,
  );
  const validate = w.validate === undefined
    ? sh``
    : sh`
if ! sh -c ${w.validate.split('%s').join('"$1"')} sparkbook-validate "$t" >&2; then printf 'sparkbook: validate failed: %s\n' ${w.validate} >&2; exit 1; fi`;
  const backup = w.backup === true ? sh`
if [ -f "$p" ]; then cp -p -- "$p" "$p.$$.$(date +%Y-%m-%d@%H:%M:%S)~"; fi` : sh``;
  return sh`(
set -e
p=${safePath(w.path)}
d=${safeDirname(w.path)}
if [ ! -d "$d" ]; then printf 'sparkbook: directory %s does not exist\\n' "$d" >&2; exit 1; fi
t=$(mktemp -- "$d/.sparkbook.XXXXXX")
trap 'rm -f -- "$t"' EXIT
trap 'exit 1' HUP INT TERM
printf '%s' ${encoded(w.content)} | base64 -d > "$t"
${joinScripts(attributes)}
sync -- "$t" 2>/dev/null || sync${validate}${backup}
mv -f -T -- "$t" "$p"
trap - EXIT
sync -- "$d" 2>/dev/null || :
)`;
}

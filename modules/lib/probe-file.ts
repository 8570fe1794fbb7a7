// Reads one path's state (type, mode, owner, size, sha256, link target, and optionally its
// content as base64 so any byte survives) in the tagged-line format of parse.ts.
import { sh, type Script } from '../../runner/shell/script.js';
import { safePath } from './write-file.js';
import type { Probe } from '../../runner/module.js';
import { bytesToText, fromBase64, intOrNull, parseSections, parseTagged, section, stringOrNull } from './parse.js';

/** Diffs and text compares read at most this much of a file unless asked for more. */
export const SMALL_CONTENT_BYTES = 64 * 1024;
/** Line editing reads the whole file up to this size. */
export const FULL_CONTENT_BYTES = 16 * 1024 * 1024;

export type FileType = 'file' | 'directory' | 'link' | 'other';

/** What a probe saw at a path. Every field the host could not answer is null. */
export interface ObservedFile {
  readonly exists: boolean;
  /** The path itself (lstat): a symlink is `link`, whatever it points to. */
  readonly type: FileType | null;
  /** Four octal digits: '0644', '4755'. */
  readonly mode: string | null;
  readonly uid: number | null;
  readonly owner: string | null;
  readonly gid: number | null;
  readonly group: string | null;
  readonly size: number | null;
  /** Of a regular file's bytes. */
  readonly sha256: string | null;
  /** A symlink's target, byte-exact. */
  readonly linkTarget: string | null;
  /** A regular file's content when it was read and is UTF-8 text; null otherwise. */
  readonly content: string | null;
  /** True when the content was read and is not text (invalid UTF-8 or NUL bytes). */
  readonly binary: boolean;
}

/** The observation of a path that does not exist. */
export const MISSING_FILE: ObservedFile = {
  exists: false,
  type: null,
  mode: null,
  uid: null,
  owner: null,
  gid: null,
  group: null,
  size: null,
  sha256: null,
  linkTarget: null,
  content: null,
  binary: false,
};

/**
 * The probe body for one path (wrap it in `section()`). `maxContent` is how many bytes of a
 * regular file's content to read (0: none); larger files report no content. `sha256: false`
 * leaves out the hash, a read of the whole file, for a caller that never compares content.
 * Writes nothing; every test is an `if`, so the body is safe under `set -e`.
 */
export function statScript(path: string, maxContent: number, options: { readonly sha256?: boolean } = {}): Script {
  // Every process here is a fork on the host, per file, per probe: one stat answers mode, owner
  // and size, and sha256sum and base64 write straight into the output (no command substitution).
  const read =
    maxContent > 0
      ? sh`
  if [ -n "$sz" ] && [ "$sz" -le ${String(maxContent)} ]; then printf 'content '; base64 -w0 < "$p" || :; echo; fi`
      : sh``;
  const hash = options.sha256 === false ? sh`:` : sh`printf 'sha256 '; sha256sum < "$p" || echo`;
  return sh`(
set -f
p=${safePath(path)}
sz=
if [ -L "$p" ]; then
  echo 'exists 1'
  echo 'type link'
  t=$(readlink -- "$p"; printf x)
  t=\${t%x}
  t=\${t%?}
  printf 'target %s\\n' "$(printf '%s' "$t" | base64 -w0)"
elif [ -e "$p" ]; then
  echo 'exists 1'
  if [ -d "$p" ]; then echo 'type directory'; elif [ -f "$p" ]; then echo 'type file'; else echo 'type other'; fi
else
  echo 'exists 0'
fi
if [ -L "$p" ] || [ -e "$p" ]; then
  if s=$(stat -c '%a %u %g %s %U %G' -- "$p" 2>/dev/null); then
    set -- $s
    sz=$4
    printf 'mode %s\\nuid %s\\ngid %s\\nsize %s\\nowner %s\\ngroup %s\\n' "$1" "$2" "$3" "$4" "$5" "$6"
  fi
fi
if [ ! -L "$p" ] && [ -f "$p" ] && [ -r "$p" ]; then
  ${hash}${read}
fi
)`;
}

/** Parses the lines of one statScript section (none: the section is missing, so is the file). Total: garbage yields nulls, never a throw. */
export function parseObservedFile(lines: readonly string[] | undefined): ObservedFile {
  const tags = parseTagged(lines ?? []);
  if (tags.get('exists') !== '1') return MISSING_FILE;
  const typeTag = tags.get('type');
  const type: FileType | null =
    typeTag === 'file' || typeTag === 'directory' || typeTag === 'link' || typeTag === 'other' ? typeTag : null;
  const modeTag = tags.get('mode');
  const mode = modeTag !== undefined && /^[0-7]{1,4}$/.test(modeTag) ? modeTag.padStart(4, '0') : null;
  const target = tags.get('target');
  const contentTag = tags.get('content');
  const bytes = contentTag === undefined ? null : fromBase64(contentTag);
  const text = bytes === null ? null : bytesToText(bytes);
  // sha256sum prints `HASH  -`.
  const sha = tags.get('sha256')?.split(' ')[0];
  return {
    exists: true,
    type,
    mode,
    uid: intOrNull(tags.get('uid')),
    owner: stringOrNull(tags.get('owner')),
    gid: intOrNull(tags.get('gid')),
    group: stringOrNull(tags.get('group')),
    size: intOrNull(tags.get('size')),
    sha256: sha !== undefined && /^[0-9a-f]{64}$/.test(sha) ? sha : null,
    linkTarget: target === undefined ? null : fromBase64(target).toString('utf8'),
    content: text,
    binary: bytes !== null && text === null,
  };
}

/** The probe of one file on the host: its stat, and its content up to `maxContent` bytes. */
export function fileProbe(path: string, maxContent: number): Probe<ObservedFile> {
  return {
    script: section('file', statScript(path, maxContent)),
    parse: (result) => parseObservedFile(parseSections(result.stdout).get('file')),
  };
}

/** The probe of a module that edits one text file in place (line, blockinfile): the whole file. */
export function textFileProbe(path: string): Probe<ObservedFile> {
  return fileProbe(path, FULL_CONTENT_BYTES);
}

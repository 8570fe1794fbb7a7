// The primitive file planner: what it takes to make one path a file with some content, a
// directory, a symlink, or nothing, with a mode and owner. Composite modules call it.
import { createHash } from 'node:crypto';
import { TaskError } from '../../runner/errors.js';
import type { Change, Text } from '../../runner/module.js';
import { joinScripts, sh, type Script } from '../../runner/shell/script.js';
import { Secret, isSecret } from '../../runner/shell/secret.js';
import { formatMode, normalizeMode, parseOctal, type ModeInput } from './mode.js';
import { MISSING_FILE, SMALL_CONTENT_BYTES, type ObservedFile } from './probe-file.js';
import { revealText } from './text.js';
import { safeDirname, safePath, writeFileScript } from './write-file.js';

export type FileState = 'file' | 'directory' | 'absent' | 'link' | 'touch';

export interface DesiredFile {
  readonly path: string;
  readonly state: FileState;
  /** state file: the whole content. Absent: the content is left as it is. */
  readonly content?: Text;
  /** state link: the link's target. */
  readonly src?: string;
  readonly mode?: ModeInput;
  readonly owner?: string;
  readonly group?: string;
  /** state link: replace a regular file (never a directory) by the link. */
  readonly force?: boolean;
  /** Words for a content change in the summary (default "content"): "add line …". */
  readonly describe?: string;
  /** state file with content: the check the new content must pass (WriteFile.validate). */
  readonly validate?: string;
  /** state file with content: keep a backup of the file replaced (WriteFile.backup). */
  readonly backup?: boolean;
}

/** Shown in a diff instead of content that is binary or too large to compare as text. */
export const UNSHOWABLE = '(binary or >64KiB content)';

/** The mode a new file or directory gets when the task gives none. */
const DEFAULT_FILE_MODE = 0o644;
const DEFAULT_SECRET_MODE = 0o600;
const DEFAULT_DIR_MODE = 0o755;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function fail(path: string, message: string, kind: 'module' | 'precondition' = 'module'): never {
  throw new TaskError(kind, `${path}: ${message}`);
}

/** A content that a diff can show as text. */
function showable(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') <= SMALL_CONTENT_BYTES && !text.includes('\0');
}

function contentDiff(observed: ObservedFile, after: Text): { before: Text; after: Text } {
  if (isSecret(after)) return { before: new Secret(''), after };
  const before = observed.exists && observed.type === 'file' ? observed.content : '';
  if (before === null || !showable(before) || !showable(after)) return { before: UNSHOWABLE, after: UNSHOWABLE };
  return { before, after };
}

/** Owner as the task wrote it, compared to what stat saw (a numeric owner compares to the uid). */
function sameOwner(want: string, name: string | null, id: number | null): boolean {
  return /^\d+$/.test(want) ? id === Number(want) : want === name;
}

interface AttributeDelta {
  readonly words: string[];
  readonly scripts: Script[];
}

/** chown/chgrp/chmod an existing path needs; chown first, as it may clear set-id bits. */
function attributeDelta(d: DesiredFile, o: ObservedFile, mode: string | null, link: boolean): AttributeDelta {
  const words: string[] = [];
  const scripts: Script[] = [];
  if (d.owner !== undefined && !sameOwner(d.owner, o.owner, o.uid)) {
    words.push(`owner ${o.owner ?? o.uid ?? '?'} → ${d.owner}`);
    scripts.push(link ? sh`chown -h -- ${d.owner} ${safePath(d.path)}` : sh`chown -- ${d.owner} ${safePath(d.path)}`);
  }
  if (d.group !== undefined && !sameOwner(d.group, o.group, o.gid)) {
    words.push(`group ${o.group ?? o.gid ?? '?'} → ${d.group}`);
    scripts.push(link ? sh`chgrp -h -- ${d.group} ${safePath(d.path)}` : sh`chgrp -- ${d.group} ${safePath(d.path)}`);
  }
  if (!link && mode !== null && mode !== o.mode) {
    words.push(`mode ${o.mode ?? '?'} → ${mode}`);
    scripts.push(sh`chmod ${mode} -- ${safePath(d.path)}`);
  }
  return { words, scripts };
}

function desiredMode(d: DesiredFile, o: ObservedFile, fallback: number, isDirectory: boolean): string | null {
  if (d.mode === undefined) return null;
  const base = o.exists && o.mode !== null ? parseOctal(o.mode) : fallback;
  return normalizeMode(d.mode, base, isDirectory);
}

function change(action: Change['action'], target: string, summary: string, script: Script, diff?: Change['diff']): Change {
  return diff === undefined ? { action, target, summary, script } : { action, target, summary, diff, script };
}

function attributesOnly(d: DesiredFile, o: ObservedFile, mode: string | null, link = false): Change[] {
  const delta = attributeDelta(d, o, mode, link);
  if (delta.words.length === 0) return [];
  return [change('~', d.path, `${d.path}: ${delta.words.join(', ')}`, joinScripts(delta.scripts))];
}

function planRegular(d: DesiredFile, o: ObservedFile): Change[] {
  if (o.exists && o.type === 'directory') fail(d.path, 'is a directory, not a file');
  if (o.exists && o.type === 'other') fail(d.path, 'exists and is not a regular file');
  const secret = d.content !== undefined && isSecret(d.content);
  const isFile = o.exists && o.type === 'file';
  const mode = desiredMode(d, isFile ? o : { ...o, exists: false }, secret ? DEFAULT_SECRET_MODE : DEFAULT_FILE_MODE, false);
  if (d.content === undefined && d.state === 'file' && !o.exists) {
    fail(d.path, 'file does not exist (give content, or use state: touch)', 'precondition');
  }
  if (d.content === undefined && o.type === 'link') {
    fail(d.path, 'is a symlink: manage the path it points to, or give content to replace it');
  }
  if (!isFile) {
    // Missing, or a symlink that the new file replaces (the link itself, not its target).
    const content: Text = d.content ?? '';
    const newMode = mode ?? formatMode(secret ? DEFAULT_SECRET_MODE : DEFAULT_FILE_MODE);
    const words = o.exists ? `link → file, mode ${newMode}` : `new file, mode ${newMode}`;
    const script = writeFileScript({ path: d.path, content, mode: newMode, owner: d.owner, group: d.group, validate: d.validate, backup: d.backup });
    return [change(o.exists ? '~' : '+', d.path, `${d.path}: ${words}`, script, contentDiff(o, content))];
  }
  if (d.content !== undefined) {
    const want = sha256(revealText(d.content));
    const have = o.sha256 ?? (o.content !== null ? sha256(o.content) : null);
    if (want !== have) {
      const delta = attributeDelta(d, o, mode, false);
      const words = [d.describe ?? 'content', ...delta.words].join(', ');
      const script = writeFileScript({ path: d.path, content: d.content, mode: mode ?? undefined, owner: d.owner, group: d.group, validate: d.validate, backup: d.backup });
      return [change('~', d.path, `${d.path}: ${words}`, script, contentDiff(o, d.content))];
    }
  }
  return attributesOnly(d, o, mode);
}

function planDirectory(d: DesiredFile, o: ObservedFile): Change[] {
  if (o.exists && o.type !== 'directory') fail(d.path, `exists and is not a directory (it is a ${o.type ?? 'thing'})`);
  const mode = desiredMode(d, o, DEFAULT_DIR_MODE, true);
  if (o.exists) return attributesOnly(d, o, mode);
  const scripts: Script[] = [sh`mkdir -p -- ${safePath(d.path)}`];
  if (d.owner !== undefined) scripts.push(sh`chown -- ${d.owner} ${safePath(d.path)}`);
  if (d.group !== undefined) scripts.push(sh`chgrp -- ${d.group} ${safePath(d.path)}`);
  if (mode !== null) scripts.push(sh`chmod ${mode} -- ${safePath(d.path)}`);
  const words = mode === null ? 'new directory' : `new directory, mode ${mode}`;
  return [change('+', d.path, `${d.path}: ${words}`, joinScripts(scripts))];
}

function planAbsent(d: DesiredFile, o: ObservedFile): Change[] {
  if (!o.exists) return [];
  if (posixTrim(d.path) === '/' || posixTrim(d.path) === '') fail(d.path, 'refusing to remove the root directory');
  const what = o.type === 'directory' ? 'directory (recursively)' : o.type === 'link' ? 'link' : 'file';
  return [change('-', d.path, `${d.path}: remove ${what}`, sh`rm -rf -- ${safePath(d.path)}`)];
}

function posixTrim(path: string): string {
  return path.replace(/\/+$/, '') === '' && path.startsWith('/') ? '/' : path.trim();
}

function linkScript(d: DesiredFile, src: string): Script {
  // A new link under a temp name, renamed over the old path: the path is never missing.
  return sh`(
set -e
p=${safePath(d.path)}
t=${safeDirname(d.path)}/.sparkbook.$$.link
rm -f -- "$t"
ln -s -- ${src} "$t"
mv -f -T -- "$t" "$p"
)`;
}

function planLink(d: DesiredFile, o: ObservedFile): Change[] {
  const src = d.src;
  if (src === undefined) fail(d.path, 'state: link needs src (the link target)');
  const owned = (): Script[] => attributeDelta(d, { ...MISSING_FILE, exists: true }, null, true).scripts;
  if (!o.exists) {
    const script = joinScripts([sh`ln -s -- ${src} ${safePath(d.path)}`, ...owned()]);
    return [change('+', d.path, `${d.path}: new link → ${src}`, script)];
  }
  if (o.type === 'directory') fail(d.path, 'is a directory; a link cannot replace it');
  if (o.type !== 'link') {
    if (d.force !== true) fail(d.path, `exists and is not a link (set force: true to replace the ${o.type ?? 'file'})`);
    return [change('~', d.path, `${d.path}: ${o.type ?? 'file'} → link → ${src}`, joinScripts([linkScript(d, src), ...owned()]))];
  }
  if (o.linkTarget !== src) {
    return [change('~', d.path, `${d.path}: link → ${o.linkTarget ?? '?'} → ${src}`, joinScripts([linkScript(d, src), ...owned()]))];
  }
  return attributesOnly(d, o, null, true);
}


/**
 * The changes that make `observed` into `desired`; [] when it already is. Throws a TaskError
 * for a request that cannot be met (a file where a directory is, a link without src).
 * state touch creates a missing file but never updates times, so it converges like the rest.
 */
export function planFile(desired: DesiredFile, observed: ObservedFile): Change[] {
  switch (desired.state) {
    case 'file':
    case 'touch':
      return planRegular(desired, observed);
    case 'directory':
      return planDirectory(desired, observed);
    case 'absent':
      return planAbsent(desired, observed);
    case 'link':
      return planLink(desired, observed);
  }
}

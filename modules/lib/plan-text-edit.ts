// The planner every in-place text edit shares (line, blockinfile, authorized_key): what a missing,
// odd or unreadable file means, then one atomic write of the edited content plus any mode/owner
// change through planFile. The edit itself is a pure function of the old content.
import { TaskError } from '../../runner/errors.js';
import type { Change, Text } from '../../runner/module.js';
import { Secret } from '../../runner/shell/secret.js';
import type { ModeInput } from './mode.js';
import { planFile } from './plan-file.js';
import type { ObservedFile } from './probe-file.js';

export interface TextFileOptions {
  /** Create the file when it is missing (else a missing file fails the task). */
  readonly create?: boolean;
  readonly mode?: ModeInput;
  readonly owner?: string;
  readonly group?: string;
}

/** What an edit made of the content: the new text, words for the summary, and whether it is secret. */
export interface TextEdit {
  readonly content: string;
  /** Empty when nothing changed. */
  readonly words: readonly string[];
  /** The new content holds a Secret: it is written and diffed masked. */
  readonly secret?: boolean;
}

/**
 * The changes that make the file at `path` what `edit` makes of its content. `removesOnly`: the
 * edit only takes things out, so a missing file is already as wanted (no create needed).
 */
export function planTextEdit(
  path: string,
  observed: ObservedFile,
  edit: (before: string) => TextEdit,
  options: TextFileOptions & { readonly removesOnly: boolean; readonly what: string },
): Change[] {
  if (!observed.exists) {
    if (options.removesOnly) return [];
    if (options.create !== true) throw new TaskError('precondition', `${path}: file does not exist (set create: true to create it)`);
  } else if (observed.type !== 'file') {
    throw new TaskError('module', `${path}: is not a regular file (it is a ${observed.type ?? 'thing'})`);
  } else if (observed.content === null) {
    const why = observed.binary ? 'is not text' : 'could not be read or is too large';
    throw new TaskError('module', `${path}: ${why}; ${options.what} needs a text file`);
  }
  const result = edit(observed.content ?? '');
  const content: Text = result.secret === true ? new Secret(result.content) : result.content;
  return planFile(
    {
      path,
      state: 'file',
      content,
      mode: options.mode,
      owner: options.owner,
      group: options.group,
      describe: result.words.length > 0 ? result.words.join(', ') : undefined,
    },
    observed,
  );
}

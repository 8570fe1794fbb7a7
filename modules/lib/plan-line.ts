// Line editing as Ansible's lineinfile does it, as a pure edit(content) → content, plus the
// planner that turns an edit of an observed file into file changes.
import { TaskError } from '../../runner/errors.js';
import type { Change, Text } from '../../runner/module.js';
import { Secret, isSecret } from '../../runner/shell/secret.js';
import type { ModeInput } from './mode.js';
import { planFile } from './plan-file.js';
import type { ObservedFile } from './probe-file.js';
import { clip, revealText, showText } from './text.js';

/** One lineinfile rule. `insertafter`/`insertbefore` are a regexp, or EOF / BOF. */
export interface LineRule<L extends Text = string> {
  /** The whole line, without its newline. Required for state present. */
  readonly line?: L;
  /** Lines to replace (present: the last match) or remove (absent). */
  readonly regexp?: string;
  readonly state: 'present' | 'absent';
  readonly insertafter?: string;
  readonly insertbefore?: string;
}

/** What an edit did, for the summary. */
export interface LineEdit {
  readonly content: string;
  readonly effect: 'unchanged' | 'replaced' | 'inserted' | 'removed';
  /** Lines removed, or the 1-based number of the line replaced or inserted. */
  readonly count: number;
  /** The line that was replaced. */
  readonly previous?: string;
}

function compile(source: string, param: string): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new TaskError('module', `${param}: invalid regular expression ${JSON.stringify(source)}: ${(e as Error).message}`);
  }
}

function splitLines(content: string): string[] {
  if (content === '') return [];
  const lines = content.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Every changed file ends with a newline; an unchanged one is returned byte for byte. */
function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function lastIndex(lines: readonly string[], test: (line: string) => boolean): number {
  for (let i = lines.length - 1; i >= 0; i--) if (test(lines[i] as string)) return i;
  return -1;
}

/** Where a missing line goes: after the last insertafter match, before the last insertbefore match, or at EOF. */
function insertionIndex(lines: readonly string[], rule: LineRule): number {
  const after = rule.insertafter;
  const before = rule.insertbefore;
  if (before === 'BOF' || after === 'BOF') return 0;
  if (before !== undefined) {
    const re = compile(before, 'insertbefore');
    const at = lastIndex(lines, (l) => re.test(l));
    return at < 0 ? lines.length : at;
  }
  if (after !== undefined && after !== 'EOF') {
    const re = compile(after, 'insertafter');
    const at = lastIndex(lines, (l) => re.test(l));
    return at < 0 ? lines.length : at + 1;
  }
  return lines.length;
}

/** lineinfile's edit, with what it did. */
export function editLineDetailed(content: string, rule: LineRule): LineEdit {
  const lines = splitLines(content);
  const regexp = rule.regexp === undefined ? undefined : compile(rule.regexp, 'regexp');
  if (rule.state === 'absent') {
    const keep = lines.filter((l) => (regexp ? !regexp.test(l) : l !== rule.line));
    if (keep.length === lines.length) return { content, effect: 'unchanged', count: 0 };
    return { content: joinLines(keep), effect: 'removed', count: lines.length - keep.length };
  }
  const line = rule.line;
  if (line === undefined) throw new TaskError('module', 'line is required when state is present');
  if (line.includes('\n')) throw new TaskError('module', 'line must be one line (it contains a newline)');
  const matched = regexp ? lastIndex(lines, (l) => regexp.test(l)) : -1;
  if (matched >= 0) {
    if (lines[matched] === line) return { content, effect: 'unchanged', count: 0 };
    const previous = lines[matched] as string;
    const next = [...lines];
    next[matched] = line;
    return { content: joinLines(next), effect: 'replaced', count: matched + 1, previous };
  }
  // No regexp match: an exact copy of the line anywhere is enough (Ansible does the same), and
  // it is what keeps a rule idempotent when its regexp does not match its own line.
  if (lines.includes(line)) return { content, effect: 'unchanged', count: 0 };
  const at = insertionIndex(lines, rule);
  const next = [...lines.slice(0, at), line, ...lines.slice(at)];
  return { content: joinLines(next), effect: 'inserted', count: at + 1 };
}

/**
 * lineinfile's edit as a pure function. Law: editLine(editLine(x, r), r) === editLine(x, r)
 * whenever r has no regexp or r.line matches r.regexp (as Ansible, a regexp that does not
 * match its own line can replace a different line on each run; the executor's verify step
 * reports that as "did not converge").
 */
export function editLine(content: string, rule: LineRule): string {
  return editLineDetailed(content, rule).content;
}

export interface LineFileOptions {
  /** Create the file when it is missing (else a missing file fails the task). */
  readonly create?: boolean;
  readonly mode?: ModeInput;
  readonly owner?: string;
  readonly group?: string;
}

function describe(edit: LineEdit, rule: LineRule<Text>): string {
  const shown = rule.line === undefined ? '' : isSecret(rule.line) ? showText(rule.line) : `"${clip(rule.line)}"`;
  switch (edit.effect) {
    case 'replaced':
      return isSecret(rule.line) ? `line ${edit.count} → ${shown}` : `line ${edit.count} "${clip(edit.previous ?? '')}" → ${shown}`;
    case 'inserted':
      return `add line ${shown}`;
    case 'removed':
      return `remove ${edit.count} line${edit.count === 1 ? '' : 's'}`;
    case 'unchanged':
      return 'content';
  }
}

/**
 * The changes that apply `rules` (in order) to the file at `path`, as one atomic write plus
 * any mode/owner change. A Secret line makes the whole new content a Secret.
 */
export function planLines(path: string, observed: ObservedFile, rules: readonly LineRule<Text>[], options: LineFileOptions = {}): Change[] {
  if (!observed.exists) {
    if (rules.every((r) => r.state === 'absent')) return [];
    if (options.create !== true) throw new TaskError('precondition', `${path}: file does not exist (set create: true to create it)`);
  } else if (observed.type !== 'file') {
    throw new TaskError('module', `${path}: is not a regular file (it is a ${observed.type ?? 'thing'})`);
  } else if (observed.content === null) {
    const why = observed.binary ? 'is not text' : 'could not be read or is too large';
    throw new TaskError('module', `${path}: ${why}; line editing needs a text file`);
  }
  const before = observed.content ?? '';
  let after = before;
  let secret = false;
  const words: string[] = [];
  for (const rule of rules) {
    const line = rule.line;
    if (line !== undefined && isSecret(line)) secret = true;
    const plainRule: LineRule = { ...rule, line: line === undefined ? undefined : revealText(line) };
    const edit = editLineDetailed(after, plainRule);
    if (edit.effect !== 'unchanged') words.push(describe(edit, rule));
    after = edit.content;
  }
  const content: Text = secret ? new Secret(after) : after;
  return planFile(
    {
      path,
      state: 'file',
      content,
      mode: options.mode,
      owner: options.owner,
      group: options.group,
      describe: words.length > 0 ? words.join(', ') : undefined,
    },
    observed,
  );
}

/** planLines for one rule. */
export function planLine(path: string, observed: ObservedFile, rule: LineRule<Text>, options: LineFileOptions = {}): Change[] {
  return planLines(path, observed, [rule], options);
}

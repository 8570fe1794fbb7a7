// Line editing as Ansible's lineinfile does it, as a pure edit(content) → content, plus the
// planner that turns an edit of an observed file into file changes.
import { TaskError } from '../../runner/errors.js';
import type { Change, Text } from '../../runner/module.js';
import { isSecret } from '../../runner/shell/secret.js';
import { planTextEdit, type TextEdit, type TextFileOptions } from './plan-text-edit.js';
import type { ObservedFile } from './probe-file.js';
import { expandTemplate, pythonRegex } from './python-regex.js';
import { clip, revealText, showText } from './text.js';

/**
 * One lineinfile rule, with Ansible's meanings. `insertafter`/`insertbefore` are a regexp, or
 * EOF / BOF. `regexp`, `insertafter` and `insertbefore` are Python regexps (python-regex.ts).
 */
export interface LineRule<L extends Text = string> {
  /** The whole line, without its newline. Required for state present. */
  readonly line?: L;
  /** Lines to replace (present: the last match, or the first with firstmatch) or remove (absent). */
  readonly regexp?: string;
  /** Like regexp, but a literal substring of the line (no regexp characters). */
  readonly searchString?: string;
  readonly state: 'present' | 'absent';
  readonly insertafter?: string;
  readonly insertbefore?: string;
  /** `line` is a match.expand() template of the regexp's match; no match: no change at all. */
  readonly backrefs?: boolean;
  /** The first match (regexp, search_string, insertafter/insertbefore) counts, not the last. */
  readonly firstmatch?: boolean;
}

/** What an edit did, for the summary. */
export interface LineEdit {
  readonly content: string;
  readonly effect: 'unchanged' | 'replaced' | 'inserted' | 'removed';
  /** Lines removed, or the 1-based number of the line replaced or inserted. */
  readonly count: number;
  /** The line that was replaced. */
  readonly previous?: string;
  /** The line written (replaced or inserted), backrefs expanded. */
  readonly written?: string;
}

/** Python's readlines(): each line keeps its '\n'; the last one may have none. */
export function readLines(content: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < content.length) {
    const nl = content.indexOf('\n', start);
    const end = nl < 0 ? content.length : nl + 1;
    lines.push(content.slice(start, end));
    start = end;
  }
  return lines;
}

/** What a regexp is matched against: Python searches the line with its '\n', where `$` matches before it. */
function searchable(line: string): string {
  return line.endsWith('\n') ? line.slice(0, -1) : line;
}

/** Ansible compares `line` to a file line with rstrip('\r\n'). */
function body(line: string): string {
  return line.replace(/[\r\n]+$/, '');
}

const endsLine = (line: string): boolean => line.endsWith('\n') || line.endsWith('\r');

function removeLines(content: string, rule: LineRule): LineEdit {
  const lines = readLines(content);
  const regexp = rule.regexp === undefined ? undefined : pythonRegex(rule.regexp, 'regexp');
  const matches = (l: string): boolean =>
    regexp !== undefined ? regexp.test(searchable(l)) : rule.searchString !== undefined ? l.includes(rule.searchString) : rule.line === body(l);
  const keep = lines.filter((l) => !matches(l));
  if (keep.length === lines.length) return { content, effect: 'unchanged', count: 0 };
  return { content: keep.join(''), effect: 'removed', count: lines.length - keep.length };
}

/**
 * lineinfile's edit, with what it did: a port of ansible-core 2.14's present()/absent() (lines keep
 * their own endings; untouched lines stay byte for byte), proved case by case against Ansible in
 * test/fixtures/ansible/text-edits/lineinfile.json. One deliberate difference: inserting after a
 * last line that has no newline adds one first (Ansible glues the two lines together).
 */
export function editLineDetailed(content: string, rule: LineRule): LineEdit {
  if (rule.state === 'absent') return removeLines(content, rule);
  const line = rule.line;
  if (line === undefined) throw new TaskError('module', 'line is required when state is present');
  if (line.includes('\n')) throw new TaskError('module', 'line must be one line (it contains a newline)');
  if (rule.backrefs === true && rule.regexp === undefined) throw new TaskError('module', 'regexp is required with backrefs: true');
  const lines = readLines(content);
  const firstmatch = rule.firstmatch === true;
  const insertbefore = rule.insertbefore;
  const insertafter = insertbefore === undefined && rule.insertafter === undefined ? 'EOF' : rule.insertafter;
  const insertAt =
    insertafter !== undefined && insertafter !== 'BOF' && insertafter !== 'EOF'
      ? pythonRegex(insertafter, 'insertafter')
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? pythonRegex(insertbefore, 'insertbefore')
        : undefined;
  let found = -1;
  let insertion = -1;
  let match: RegExpExecArray | undefined;
  let matched = false;
  if (rule.regexp !== undefined) {
    const re = pythonRegex(rule.regexp, 'regexp');
    for (const [i, l] of lines.entries()) {
      const m = re.exec(searchable(l));
      if (m) {
        found = i;
        match = m;
        matched = true;
        if (firstmatch) break;
      }
    }
  }
  if (rule.searchString !== undefined) {
    for (const [i, l] of lines.entries()) {
      if (l.includes(rule.searchString)) {
        found = i;
        matched = true;
        if (firstmatch) break;
      }
    }
  }
  if (!matched) {
    // No regexp/search_string match: an exact copy of the line anywhere counts (and is where an
    // insertafter/insertbefore match is looked for too, as Ansible does in the same loop).
    for (const [i, l] of lines.entries()) {
      if (body(l) === line) {
        found = i;
      } else if (insertAt !== undefined && insertAt.test(searchable(l))) {
        insertion = insertafter !== undefined ? i + 1 : i;
        if (firstmatch) break;
      }
    }
  }
  const insert = (at: number): LineEdit => {
    const next = [...lines];
    // Deliberately unlike Ansible, which would glue the new line to a last line without newline.
    if (at === next.length && at > 0 && !endsLine(next[at - 1] as string)) next[at - 1] += '\n';
    next.splice(at, 0, `${line}\n`);
    return { content: next.join(''), effect: 'inserted', count: at + 1, written: line };
  };
  if (found !== -1) {
    let wanted = rule.backrefs === true && match !== undefined ? expandTemplate(line, match, 'line') : line;
    if (!wanted.endsWith('\n')) wanted += '\n';
    if (lines[found] === wanted) return { content, effect: 'unchanged', count: 0 };
    const previous = body(lines[found] as string);
    const next = [...lines];
    next[found] = wanted;
    return { content: next.join(''), effect: 'replaced', count: found + 1, previous, written: body(wanted) };
  }
  if (rule.backrefs === true) return { content, effect: 'unchanged', count: 0 };
  if (insertbefore === 'BOF' || insertafter === 'BOF') return insert(0);
  if (insertafter === 'EOF' || insertion === -1) return insert(lines.length);
  if (insertafter !== undefined) {
    // Only reached with firstmatch: the line may already follow the first insertafter match.
    const neighbour = insertion === lines.length ? lines[insertion - 1] : lines[insertion];
    if (neighbour !== undefined && body(neighbour) === line) return { content, effect: 'unchanged', count: 0 };
    return insert(insertion);
  }
  // insertbefore: an exact copy before its match was already found above.
  return insert(insertion);
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

export type LineFileOptions = TextFileOptions;

function describe(edit: LineEdit, rule: LineRule<Text>): string {
  const shown = rule.line === undefined ? '' : isSecret(rule.line) ? showText(rule.line) : `"${clip(edit.written ?? rule.line)}"`;
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
  const edit = (before: string): TextEdit => {
    let after = before;
    let secret = false;
    const words: string[] = [];
    for (const rule of rules) {
      const line = rule.line;
      if (line !== undefined && isSecret(line)) secret = true;
      const plainRule: LineRule = { ...rule, line: line === undefined ? undefined : revealText(line) };
      const done = editLineDetailed(after, plainRule);
      if (done.effect !== 'unchanged') words.push(describe(done, rule));
      after = done.content;
    }
    return { content: after, words, secret };
  };
  return planTextEdit(path, observed, edit, { ...options, removesOnly: rules.every((r) => r.state === 'absent'), what: 'line editing' });
}

/** planLines for one rule. */
export function planLine(path: string, observed: ObservedFile, rule: LineRule<Text>, options: LineFileOptions = {}): Change[] {
  return planLines(path, observed, [rule], options);
}

// A block of lines between two marker lines, as Ansible's blockinfile keeps it: a port of
// ansible-core 2.14's algorithm (proved case by case in
// test/fixtures/ansible/text-edits/blockinfile.json), as a pure edit of the old content.
import type { Text } from '../../runner/module.js';
import { isSecret } from '../../runner/shell/secret.js';
import { pythonRegex } from './python-regex.js';
import type { TextEdit } from './plan-text-edit.js';
import { revealText } from './text.js';

export interface BlockRule<B extends Text = string> {
  /** The block's lines ('' with state present removes the block, as Ansible). */
  readonly block: B;
  readonly state: 'present' | 'absent';
  /** A marker line template; `{mark}` becomes markerBegin or markerEnd. */
  readonly marker: string;
  readonly markerBegin: string;
  readonly markerEnd: string;
  /** Where a new block goes: after the last line matching (EOF: the end). */
  readonly insertafter?: string;
  /** Where a new block goes: before the last line matching (BOF: the beginning). */
  readonly insertbefore?: string;
}

/** Python's bytes.splitlines(True): lines end at \n, \r\n or \r and keep their ending. */
function splitLines(content: string): string[] {
  return content.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** Where a block without both markers goes (Ansible's n0). */
function insertionIndex(content: string, lines: readonly string[], rule: BlockRule<Text>): number {
  const insertafter = rule.insertbefore === undefined && rule.insertafter === undefined ? 'EOF' : rule.insertafter;
  const source = insertafter !== undefined && insertafter !== 'EOF' ? insertafter : rule.insertbefore !== 'BOF' ? rule.insertbefore : undefined;
  if (source === undefined) return insertafter === undefined ? 0 : lines.length;
  const param = insertafter !== undefined ? 'insertafter' : 'insertbefore';
  const re = pythonRegex(source, param);
  let at: number | undefined;
  if (re.multiline) {
    // A multiline regexp is searched in the whole file; the block goes at the line it ends on.
    const m = re.exec(content);
    if (m) {
      const upTo = insertafter !== undefined ? m.index + m[0].length : m.index;
      at = (content.slice(0, upTo).match(/\n/g) ?? []).length;
    }
  } else {
    for (const [i, l] of lines.entries()) if (re.test(l.replace(/\n$/, ''))) at = i;
  }
  if (at === undefined) return lines.length;
  return insertafter !== undefined ? at + 1 : at;
}

/** blockinfile's edit of `content` (the planner passes '' for a file that does not exist yet). */
export function editBlock(content: string, rule: BlockRule<Text>): TextEdit {
  const secret = isSecret(rule.block);
  const block = revealText(rule.block);
  const begin = `${rule.marker.split('{mark}').join(rule.markerBegin)}\n`;
  const end = `${rule.marker.split('{mark}').join(rule.markerEnd)}\n`;
  const lines = splitLines(content);
  const blockLines = rule.state === 'present' && block !== '' ? [begin, block.endsWith('\n') ? block : `${block}\n`, end] : [];
  let first: number | undefined;
  let last: number | undefined;
  for (const [i, l] of lines.entries()) {
    if (l === begin) first = i;
    if (l === end) last = i;
  }
  let at: number;
  let had = false;
  if (first === undefined || last === undefined) {
    at = insertionIndex(content, lines, rule);
  } else {
    had = true;
    at = Math.min(first, last);
    lines.splice(at, Math.abs(last - first) + 1);
  }
  if (at > 0 && !(lines[at - 1] as string).endsWith('\n')) lines[at - 1] += '\n';
  lines.splice(at, 0, ...blockLines);
  const after = lines.join('');
  if (after === content) return { content, words: [], secret };
  // Without markers and without a block, Ansible still ends an unterminated last line (a change).
  if (blockLines.length === 0 && !had) return { content: after, words: ['end the last line with a newline'], secret };
  const what = blockLines.length === 0 ? 'remove block' : had ? 'update block' : 'add block';
  return { content: after, words: [`${what} ${JSON.stringify(begin.trimEnd())}`], secret };
}

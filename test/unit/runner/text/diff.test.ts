// Tests of runner/text/diff.ts: unified diffs are correct patches, read like diff -u, and
// summarise binary and oversized content.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BINARY_DIFFERS, MAX_DIFF_BYTES, NO_NEWLINE, renderUnifiedDiff } from '../../../../runner/text/diff.js';

const LABELS = { before: 'a/file', after: 'b/file' };

/** A minimal `patch`: applies the hunks of a unified diff to `before`, checking every context and removed line. */
function applyPatch(before: string, diff: string): string {
  if (diff === '') return before;
  const lines = diff.split('\n');
  assert.equal(lines.pop(), '', 'a diff ends with a newline');
  assert.equal(lines[0], `--- ${LABELS.before}`);
  assert.equal(lines[1], `+++ ${LABELS.after}`);
  // Old lines with their newline, so a missing final newline survives the round trip.
  const old = before === '' ? [] : before.split(/(?<=\n)/);
  const out: string[] = [];
  let cursor = 0;
  let i = 2;
  while (i < lines.length) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(lines[i] as string);
    assert.ok(header, `hunk header expected at line ${i}: ${lines[i]}`);
    const oldStart = Number(header[1]);
    const oldCount = header[2] === undefined ? 1 : Number(header[2]);
    const newCount = header[4] === undefined ? 1 : Number(header[4]);
    const firstOld = oldCount === 0 ? oldStart : oldStart - 1;
    assert.ok(firstOld >= cursor, 'hunks are in order and do not overlap');
    out.push(...old.slice(cursor, firstOld));
    cursor = firstOld;
    i++;
    let seenOld = 0;
    let seenNew = 0;
    while (i < lines.length && !(lines[i] as string).startsWith('@@')) {
      const line = lines[i] as string;
      const noEol = lines[i + 1] === NO_NEWLINE;
      const body = line.slice(1) + (noEol ? '' : '\n');
      if (line[0] === ' ' || line[0] === '-') {
        assert.equal(old[cursor], body, `line ${cursor + 1} of before matches the diff`);
        cursor++;
        seenOld++;
      }
      if (line[0] === ' ' || line[0] === '+') {
        out.push(body);
        seenNew++;
      }
      assert.ok(' -+'.includes(line[0] as string), `unexpected diff line: ${line}`);
      i += noEol ? 2 : 1;
    }
    assert.equal(seenOld, oldCount, 'old count in the header');
    assert.equal(seenNew, newCount, 'new count in the header');
  }
  out.push(...old.slice(cursor));
  return out.join('');
}

describe('renderUnifiedDiff', () => {
  it('returns nothing for equal texts', () => {
    assert.equal(renderUnifiedDiff('a\nb\n', 'a\nb\n', LABELS), '');
    assert.equal(renderUnifiedDiff('', '', LABELS), '');
  });

  it('writes a one-line change like diff -u', () => {
    const diff = renderUnifiedDiff('net.ipv4.ip_forward = 0\n', 'net.ipv4.ip_forward = 1\n', LABELS);
    assert.equal(diff, ['--- a/file', '+++ b/file', '@@ -1 +1 @@', '-net.ipv4.ip_forward = 0', '+net.ipv4.ip_forward = 1', ''].join('\n'));
  });

  it('names the line before an empty range, as diff(1) does', () => {
    assert.equal(renderUnifiedDiff('', 'x\ny\n', LABELS), ['--- a/file', '+++ b/file', '@@ -0,0 +1,2 @@', '+x', '+y', ''].join('\n'));
    assert.equal(renderUnifiedDiff('x\ny\n', '', LABELS), ['--- a/file', '+++ b/file', '@@ -1,2 +0,0 @@', '-x', '-y', ''].join('\n'));
    assert.equal(renderUnifiedDiff('a\nb\n', 'a\nX\nb\n', LABELS, 0), ['--- a/file', '+++ b/file', '@@ -1,0 +2 @@', '+X', ''].join('\n'));
  });

  it('keeps three lines of context and splits distant changes into hunks', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const after = before.replace('line 2\n', 'LINE 2\n').replace('line 18\n', 'LINE 18\n');
    const diff = renderUnifiedDiff(before, after, LABELS);
    const headers = diff.split('\n').filter((l) => l.startsWith('@@'));
    assert.deepEqual(headers, ['@@ -1,5 +1,5 @@', '@@ -15,6 +15,6 @@']);
    assert.equal(applyPatch(before, diff), after);
  });

  it('joins changes whose gap is at most twice the context', () => {
    const before = Array.from({ length: 12 }, (_, i) => `l${i}`).join('\n') + '\n';
    const after = before.replace('l2\n', 'X\n').replace('l9\n', 'Y\n');
    assert.equal(renderUnifiedDiff(before, after, LABELS).split('\n').filter((l) => l.startsWith('@@')).length, 1);
    assert.equal(renderUnifiedDiff(before, after, LABELS, 2).split('\n').filter((l) => l.startsWith('@@')).length, 2);
  });

  it('marks a missing final newline on the side that lacks it', () => {
    const diff = renderUnifiedDiff('a\nb', 'a\nb\n', LABELS);
    assert.equal(diff, ['--- a/file', '+++ b/file', '@@ -1,2 +1,2 @@', ' a', '-b', NO_NEWLINE, '+b', ''].join('\n'));
    const both = renderUnifiedDiff('a\nb', 'A\nb', LABELS);
    assert.equal(both, ['--- a/file', '+++ b/file', '@@ -1,2 +1,2 @@', '-a', '+A', ' b', NO_NEWLINE, ''].join('\n'));
    assert.equal(applyPatch('a\nb', both), 'A\nb');
  });

  it('shows removals before additions within a change', () => {
    const diff = renderUnifiedDiff('a\nb\nc\n', 'a\nx\ny\nc\n', LABELS);
    assert.deepEqual(diff.split('\n').slice(3, 7), [' a', '-b', '+x', '+y']);
  });

  it('summarises binary content instead of diffing it', () => {
    assert.equal(renderUnifiedDiff('\u0000\u0001', '\u0000\u0002', LABELS), BINARY_DIFFERS);
    assert.equal(renderUnifiedDiff('text\n', 'bin\u0000\n', LABELS), 'Binary content differs\n');
  });

  it('summarises content over the size cap with its size', () => {
    const big = 'x'.repeat(MAX_DIFF_BYTES);
    assert.equal(renderUnifiedDiff(big, 'small\n', LABELS), `(diff too large: ${MAX_DIFF_BYTES + 6} bytes)\n`);
  });

  it('stays a correct patch when the texts share nothing', () => {
    const before = Array.from({ length: 3000 }, (_, i) => `a${i}`).join('\n') + '\n';
    const after = Array.from({ length: 3000 }, (_, i) => `b${i}`).join('\n') + '\n';
    assert.equal(applyPatch(before, renderUnifiedDiff(before, after, LABELS)), after);
  });

  it('keeps carriage returns as part of a line', () => {
    const diff = renderUnifiedDiff('a\r\nb\r\n', 'a\r\nc\r\n', LABELS);
    assert.ok(diff.includes('-b\r\n+c\r\n'));
    assert.equal(applyPatch('a\r\nb\r\n', diff), 'a\r\nc\r\n');
  });

  it('applying the rendered hunks to before yields after (property)', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'd', '', ' x', 'e f');
    const text = fc.tuple(fc.array(line, { maxLength: 40 }), fc.boolean()).map(([lines, eol]) => (lines.length === 0 ? '' : lines.join('\n') + (eol ? '\n' : '')));
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 4 }), (before, after, context) => {
        const diff = renderUnifiedDiff(before, after, LABELS, context);
        assert.equal(diff === '', before === after);
        assert.equal(applyPatch(before, diff), after);
      }),
      { numRuns: 500 },
    );
  });

  it('uses a shortest edit script: as many edits as |before| + |after| - 2·LCS (property)', () => {
    const line = fc.constantFrom('a', 'b', 'c');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 15 }), fc.array(line, { maxLength: 15 }), (x, y) => {
        const diff = renderUnifiedDiff(x.map((l) => `${l}\n`).join(''), y.map((l) => `${l}\n`).join(''), LABELS, 100);
        const changed = diff.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l)).length;
        // The number of edits of a shortest script is |x| + |y| - 2·LCS.
        assert.equal(changed, x.length + y.length - 2 * lcs(x, y));
      }),
      { numRuns: 300 },
    );
  });
});

function lcs(x: readonly string[], y: readonly string[]): number {
  const table = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const row = table[i] as number[];
      row[j] = x[i - 1] === y[j - 1] ? (table[i - 1] as number[])[j - 1]! + 1 : Math.max((table[i - 1] as number[])[j]!, row[j - 1]!);
    }
  }
  return (table[x.length] as number[])[y.length]!;
}

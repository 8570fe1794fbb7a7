// Tests of the shell-like splitting of INI host lines.
import assert from 'node:assert/strict';
import { ShlexError, shlexSplit } from '../../../../runner/inventory/shlex.js';

describe('shlexSplit', () => {
  it('splits on blanks and reports each word at its 1-based column', () => {
    assert.deepEqual(shlexSplit('  a bb  c'), [
      { text: 'a', col: 3 },
      { text: 'bb', col: 5 },
      { text: 'c', col: 9 },
    ]);
  });

  it('removes quotes: single quotes are literal, double quotes honour \\" and \\\\', () => {
    assert.deepEqual(
      shlexSplit(`k='a "b"' j="x \\"y\\" \\z" m=\\ n`).map((w) => w.text),
      ['k=a "b"', 'j=x "y" \\z', 'm= n'],
    );
  });

  it('stops at an unquoted # even inside a word, not at a quoted one', () => {
    assert.deepEqual(shlexSplit('a b#c d').map((w) => w.text), ['a', 'b']);
    assert.deepEqual(shlexSplit('a "b#c" # d').map((w) => w.text), ['a', 'b#c']);
  });

  it('keeps # as a character without comments, as shlex.split(line) does (a command cmdline)', () => {
    // python3 -c "import shlex; print(shlex.split('echo a#b \"c # d\" #e'))" gives ['echo', 'a#b', 'c # d', '#e'].
    assert.deepEqual(shlexSplit('echo a#b "c # d" #e', { comments: false }).map((w) => w.text), ['echo', 'a#b', 'c # d', '#e']);
  });

  it('reports an unclosed quote at the opening quote', () => {
    assert.throws(() => shlexSplit('host x="abc'), (e: unknown) => e instanceof ShlexError && e.col === 8 && /closing/.test(e.message));
    assert.throws(() => shlexSplit("host 'abc"), (e: unknown) => e instanceof ShlexError && e.col === 6);
  });

  it('reports a trailing backslash', () => {
    assert.throws(() => shlexSplit('host x=\\'), (e: unknown) => e instanceof ShlexError && e.col === 8);
  });
});

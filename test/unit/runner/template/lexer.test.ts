// Tests of the template tokenizer: tokens, offsets, escapes, template-mode endings and errors.
import assert from 'node:assert/strict';
import { tokenize, type Token } from '../../../../runner/template/lexer.js';
import { SyntaxFault } from '../../../../runner/template/location.js';

function kinds(tokens: readonly Token[]): string[] {
  return tokens.map((t) => `${t.type}:${t.value}`);
}

describe('template lexer', () => {
  it('splits names, numbers, strings and operators, ending with an end token', () => {
    const { tokens } = tokenize("a.b[0] ** 2 // 3 != 'x'", 0);
    assert.deepEqual(kinds(tokens), ['name:a', 'op:.', 'name:b', 'op:[', 'int:0', 'op:]', 'op:**', 'int:2', 'op://', 'int:3', 'op:!=', 'string:x', 'end:']);
  });

  it('records offsets of every token in the source', () => {
    const { tokens } = tokenize('  foo +  12', 0);
    assert.deepEqual(
      tokens.map((t) => [t.start, t.end]),
      [[2, 5], [6, 7], [9, 11], [11, 11]],
    );
  });

  it('reads ints, floats, exponents and digit groups', () => {
    const { tokens } = tokenize('7 1.5 2e3 1_000 3.25e-2', 0);
    assert.deepEqual(
      tokens.slice(0, -1).map((t) => [t.type, t.number]),
      [['int', 7], ['float', 1.5], ['float', 2000], ['int', 1000], ['float', 0.0325]],
    );
  });

  it('reads a number after a dot as an index, not a float (list.0.1)', () => {
    const { tokens } = tokenize('list.0.1', 0);
    assert.deepEqual(kinds(tokens), ['name:list', 'op:.', 'int:0', 'op:.', 'int:1', 'end:']);
  });

  it("decodes Python escapes and keeps unknown ones ('\\d' stays a backslash and d)", () => {
    const { tokens } = tokenize(String.raw`'a\'b\n\t\\\x41\u00e9\d' "q\"q"`, 0);
    assert.equal(tokens[0]?.value, "a'b\n\t\\Aé\\d");
    assert.equal(tokens[1]?.value, 'q"q');
  });

  it('fails on an unclosed string at the position of its quote', () => {
    assert.throws(() => tokenize("x ~ 'abc", 0), (e: unknown) => e instanceof SyntaxFault && e.offset === 4);
  });

  it('fails on a bad \\x escape', () => {
    assert.throws(() => tokenize(String.raw`'\xZZ'`, 0), SyntaxFault);
  });

  it('fails on a character that is not part of the language, naming control characters by code', () => {
    assert.throws(() => tokenize('a $ b', 0), (e: unknown) => e instanceof SyntaxFault && e.offset === 2 && e.message.includes("'$'"));
    assert.throws(() => tokenize('a \0 b', 0), (e: unknown) => e instanceof SyntaxFault && e.message.includes('U+0000'));
  });

  it('stops at }} in template mode and reports where the text continues', () => {
    const text = '{{ x }} rest';
    const lexed = tokenize(text, 2, 0);
    assert.deepEqual(kinds(lexed.tokens), ['name:x', 'end:}}']);
    assert.equal(lexed.next, 7);
    assert.equal(lexed.trimAfter, false);
  });

  it('does not end a template expression at the closing braces of a dict literal', () => {
    const text = "{{ {'a': {'b': 1}} }}";
    const lexed = tokenize(text, 2, 0);
    assert.equal(lexed.next, text.length);
    assert.equal(lexed.tokens.filter((t) => t.value === '}').length, 2);
  });

  it('recognises -}} as a closing that trims the following whitespace', () => {
    const lexed = tokenize('{{ x -}}  y', 2, 0);
    assert.equal(lexed.trimAfter, true);
    assert.equal(lexed.next, 8);
  });

  it('fails on an unclosed {{ at the opening braces, or at an unclosed bracket', () => {
    assert.throws(() => tokenize('ab {{ x', 5, 3), (e: unknown) => e instanceof SyntaxFault && e.offset === 3);
    assert.throws(() => tokenize('{{ [1, 2 }}', 2, 0), (e: unknown) => e instanceof SyntaxFault && e.offset === 3 && e.message.includes("'['"));
  });
});
// Tests of the Python literal reader used for INI inventory values.
import assert from 'node:assert/strict';
import { parsePythonLiteral } from '../../../../runner/inventory/python-literal.js';

function value(text: string): unknown {
  const r = parsePythonLiteral(text);
  assert.ok(r.ok, `expected ${JSON.stringify(text)} to be a Python literal`);
  return r.value;
}

function notLiteral(text: string): void {
  assert.equal(parsePythonLiteral(text).ok, false, `expected ${JSON.stringify(text)} not to be a Python literal`);
}

describe('parsePythonLiteral', () => {
  it('reads integers in every base, with underscores and signs', () => {
    assert.equal(value('22'), 22);
    assert.equal(value('-3'), -3);
    assert.equal(value('+4'), 4);
    assert.equal(value('1_000'), 1000);
    assert.equal(value('0x1F'), 31);
    assert.equal(value('0o17'), 15);
    assert.equal(value('0b101'), 5);
    assert.equal(value('0'), 0);
  });

  it('reads floats', () => {
    assert.equal(value('1.5'), 1.5);
    assert.equal(value('.5'), 0.5);
    assert.equal(value('2.'), 2);
    assert.equal(value('1e3'), 1000);
  });

  it('keeps integers with leading zeros as text, as Python rejects them', () => {
    notLiteral('007');
  });

  it('keeps integers beyond 2^53 as their digits', () => {
    assert.equal(value('123456789012345678901'), '123456789012345678901');
  });

  it('reads True, False and None but not true, yes or other names', () => {
    assert.equal(value('True'), true);
    assert.equal(value('False'), false);
    assert.equal(value('None'), null);
    notLiteral('true');
    notLiteral('yes');
    notLiteral('nvidia');
  });

  it('reads quoted strings with escapes, raw strings and adjacent concatenation', () => {
    assert.equal(value("'a b'"), 'a b');
    assert.equal(value('"tab\\there"'), 'tab\there');
    assert.equal(value("'\\x41\\u00e9'"), 'Aé');
    assert.equal(value("r'\\n'"), '\\n');
    assert.equal(value("'a' \"b\""), 'ab');
    assert.equal(value("'''x'''"), 'x');
  });

  it('reads lists, tuples, sets and dicts, with trailing commas', () => {
    assert.deepEqual(value("[1, 'a', [True]]"), [1, 'a', [true]]);
    assert.deepEqual(value('(1, 2,)'), [1, 2]);
    assert.deepEqual(value('(1)'), 1);
    assert.deepEqual(value('()'), []);
    assert.deepEqual(value('{1, 2, 1}'), [1, 2]);
    assert.deepEqual(value("{'a': 1, 2: None,}"), { a: 1, '2': null });
    assert.deepEqual(value('{}'), {});
  });

  it('ignores leading blanks like Python 3.9+, but not other junk', () => {
    assert.equal(value('  5 '), 5);
    notLiteral('5 6');
    notLiteral('a b');
    notLiteral('[1, 2');
    notLiteral("'unclosed");
    notLiteral('1j');
    notLiteral('f"x"');
    notLiteral('/usr/bin/python3');
    notLiteral('');
  });
});

// Tests that a text is parsed once however often it is rendered, that the cache stays bounded, and
// that a syntax error is still located at each caller's place.
import assert from 'node:assert/strict';
import { InputError } from '../../../../runner/errors.js';
import { parseExpression, parseTemplate, parseTemplateFile, renderString } from '../../../../runner/template/index.js';
import { ParseCache } from '../../../../runner/template/parse-cache.js';

describe('template parse cache', () => {
  it('parses a text once: the second get returns the same tree without parsing', () => {
    const cache = new ParseCache<object>(100);
    let parses = 0;
    const first = cache.get('a', () => ({ n: ++parses }));
    const second = cache.get('a', () => ({ n: ++parses }));
    assert.equal(second, first);
    assert.equal(parses, 1);
  });

  it('drops the oldest trees when their sources pass the bound, and never keeps a text longer than it', () => {
    const cache = new ParseCache<string>(10);
    cache.get('aaaa', () => 'A');
    cache.get('bbbb', () => 'B');
    cache.get('cccc', () => 'C');
    assert.equal(cache.size, 2);
    let parsedAgain = false;
    cache.get('aaaa', () => ((parsedAgain = true), 'A'));
    assert.equal(parsedAgain, true);
    cache.get('x'.repeat(11), () => 'X');
    assert.equal(cache.size, 2);
  });

  it('keeps nothing for a parse that throws', () => {
    const cache = new ParseCache<string>(100);
    assert.throws(() => cache.get('bad', () => assert.fail('syntax')));
    assert.equal(cache.get('bad', () => 'now good'), 'now good');
  });

  it('gives the same tree for the same playbook string, expression and template file', () => {
    assert.equal(parseTemplate('echo {{ cached_one }}'), parseTemplate('echo {{ cached_one }}'));
    assert.equal(parseExpression('cached_two | length > 1'), parseExpression('cached_two | length > 1'));
    assert.equal(parseTemplateFile('x={{ cached_three }}\r\n', 'a.j2'), parseTemplateFile('x={{ cached_three }}\n', 'b.j2'));
  });

  it('parses a template file and a playbook string of the same text apart (their escapes differ)', () => {
    const text = "{{ 'a\\nb' }}";
    assert.notEqual(parseTemplateFile(text, 'a.j2'), parseTemplate(text));
    assert.equal(renderString(text, {}), 'a\\nb');
  });

  it('locates a syntax error at each caller, the second time as the first', () => {
    const at = (line: number): InputError => {
      try {
        parseTemplate('{{ 1 + }}', { file: 'play.yml', line, col: 3 });
      } catch (e) {
        if (e instanceof InputError) return e;
        throw e;
      }
      return assert.fail('expected a syntax error');
    };
    assert.equal(at(4).where?.line, 4);
    assert.equal(at(9).where?.line, 9);
  });
});

// Tests of the Python-to-JavaScript regex translation and replacement expansion.
import assert from 'node:assert/strict';
import { compileRegex, expandReplacement } from '../../../../runner/template/regex.js';
import { TemplateFault } from '../../../../runner/template/values.js';

describe('template regular expressions', () => {
  it('translates Python named groups and back-references', () => {
    const re = compileRegex('(?P<word>a+)-(?P=word)', {});
    assert.equal(re.exec('aa-aa')?.groups?.['word'], 'aa');
    assert.equal(re.test('aa-a'), true);
    assert.equal(compileRegex('^(?P<w>a+)-(?P=w)$', {}).test('aa-a'), false);
  });

  it('reads leading inline flags and \\A \\Z anchors', () => {
    assert.equal(compileRegex('(?i)SPARK', {}).test('spark'), true);
    assert.equal(compileRegex('\\Aab\\Z', {}).test('ab'), true);
    assert.equal(compileRegex('\\Aab\\Z', { multiline: true }).test('x\nab\ny'), false);
  });

  it('keeps a ] right after [ as a literal, as Python does', () => {
    assert.equal(compileRegex('[]a]+', {}).exec('x]a]')?.[0], ']a]');
  });

  it('expands \\1, \\g<1>, \\g<name> and escapes in a replacement', () => {
    const m = /(?<k>\w+)=(\w+)/.exec('key=val') as RegExpExecArray;
    assert.equal(expandReplacement('\\2:\\g<1>:\\g<k>\\n\\\\', m), 'val:key:key\n\\');
    assert.throws(() => expandReplacement('\\3', m), TemplateFault);
  });

  it('refuses invalid and over-long patterns', () => {
    assert.throws(() => compileRegex('(', {}), TemplateFault);
    assert.throws(() => compileRegex('a'.repeat(5000), {}), TemplateFault);
    assert.throws(() => compileRegex('(?x) a', {}), TemplateFault);
  });
});
// Tests modules/lib/python-regex.ts: Python patterns match as Python's re matches them (answers
// recorded from python3's re.search), and errors name the param.
import { strict as assert } from 'node:assert';
import { expandTemplate, pythonRegex } from '../../../../modules/lib/python-regex.js';
import { TaskError } from '../../../../runner/errors.js';

describe('pythonRegex', () => {
  it('reads \\A and \\Z as the ends of the whole text, even under (?m)', () => {
    // re.search(r'(?m)\Ab', 'a\nb') and re.search(r'(?m)a\Z', 'a\nb') are both None.
    assert.equal(pythonRegex('(?m)\\Ab', 'insertafter').test('a\nb'), false);
    assert.equal(pythonRegex('(?m)a\\Z', 'insertafter').test('a\nb'), false);
    assert.equal(pythonRegex('(?m)^b', 'insertafter').test('a\nb'), true);
  });

  it('takes a ] right after [ as a literal, as Python does', () => {
    assert.equal(pythonRegex('[]x]', 'regexp').exec('a]')?.[0], ']');
  });

  it('turns the leading flags into RegExp flags and accepts (?a) and (?u)', () => {
    assert.equal(pythonRegex('(?is)a.b', 'regexp').flags, 'is');
    assert.equal(pythonRegex('(?a)\\w+', 'regexp').exec('abc')?.[0], 'abc');
    assert.equal(pythonRegex('(?u)x', 'regexp').test('x'), true);
  });

  it('translates named groups and their back-references', () => {
    const m = pythonRegex('(?P<k>[a-z]+)=(?P=k)', 'regexp').exec('ab=ab');
    assert.equal(m?.groups?.['k'], 'ab');
  });

  it('names the param in a module error for a flag it refuses and for an invalid pattern', () => {
    const refused = (source: string, message: RegExp): void =>
      assert.throws(() => pythonRegex(source, 'regexp'), (e: unknown) => e instanceof TaskError && e.kind === 'module' && message.test(e.message));
    refused('(?x)a b', /^regexp: the Python flag \(\?x\) is not supported/);
    refused('(', /^regexp: invalid regular expression/);
    refused('(?P=k', /^regexp: .*\(\?P=name\)/);
  });
});

describe('expandTemplate', () => {
  it("expands groups and Python's escapes (\\r is a carriage return)", () => {
    const m = pythonRegex('(?P<k>a)(b)?', 'regexp').exec('a') as RegExpExecArray;
    assert.equal(expandTemplate('\\g<k>\\2\\r\\.', m, 'line'), 'a\r\\.');
  });
});

// Tests of template evaluation: literals, lookups, every operator, undefined-variable errors, text rendering.
import assert from 'node:assert/strict';
import { InputError } from '../../../../runner/errors.js';
import { evaluateExpression, renderString } from '../../../../runner/template/index.js';

const scope = {
  n: 7,
  f: 2.5,
  s: 'spark',
  items: [3, 1, 2],
  host: { name: 'spark-01', ports: [22, 2222], meta: { rack: 'a' }, nothing: null },
  empty: '',
  flag: false,
};

function value(expr: string): unknown {
  return evaluateExpression(expr, scope);
}

function failsWith(expr: string, kind: string, message: RegExp): void {
  assert.throws(() => value(expr), (e: unknown) => e instanceof InputError && e.kind === kind && message.test(e.message), expr);
}

describe('template evaluation', () => {
  describe('literals', () => {
    const cases: [string, unknown][] = [
      ["'a\\tb'", 'a\tb'],
      ['"x"', 'x'],
      ['42', 42],
      ['4.5', 4.5],
      ['true', true],
      ['False', false],
      ['none', null],
      ['None', null],
      ['null', null],
      ['[1, "a", [none]]', [1, 'a', [null]]],
      ['{"k": 1, "n": {"m": [2]}}', { k: 1, n: { m: [2] } }],
      ['{n: 1}', { '7': 1 }],
    ];
    for (const [expr, expected] of cases) it(`${expr} is ${JSON.stringify(expected)}`, () => assert.deepEqual(value(expr), expected));
  });

  describe('lookups', () => {
    const cases: [string, unknown][] = [
      ['host.name', 'spark-01'],
      ['host["name"]', 'spark-01'],
      ['host.ports[1]', 2222],
      ['host.ports[-1]', 2222],
      ['host.ports.0', 22],
      ['host.meta.rack', 'a'],
      ['s[0]', 's'],
      ['s[-1]', 'k'],
      ['items[1:]', [1, 2]],
      ['items[::-1]', [2, 1, 3]],
      ['s[1:3]', 'pa'],
      ['items[-2:]', [1, 2]],
      ['host.nothing', null],
    ];
    for (const [expr, expected] of cases) it(`${expr} is ${JSON.stringify(expected)}`, () => assert.deepEqual(value(expr), expected));
  });

  describe('arithmetic', () => {
    const cases: [string, unknown][] = [
      ['n + 1', 8],
      ['n - 10', -3],
      ['n * 2', 14],
      ['n / 2', 3.5],
      ['n // 2', 3],
      ['-n // 2', -4],
      ['n % 3', 1],
      ['-7 % 3', 2],
      ['2 ** 10', 1024],
      ['f * 2', 5],
      ["'a' + 'b'", 'ab'],
      ['[1] + [2]', [1, 2]],
      ["'ab' * 3", 'ababab'],
      ['[0] * 2', [0, 0]],
      ["s ~ '-' ~ n", 'spark-7'],
      ['-n', -7],
      ['+n', 7],
    ];
    for (const [expr, expected] of cases) it(`${expr} is ${JSON.stringify(expected)}`, () => assert.deepEqual(value(expr), expected));

    it('refuses to add a number to a list, naming both types', () => failsWith('n + items', 'template', /cannot apply '\+' to int and list/));
    it('refuses division by zero', () => failsWith('n / 0', 'template', /division by zero/));
    it('refuses negating a string', () => failsWith('-s', 'template', /needs a number/));
    it('refuses adding dicts and points to combine', () => failsWith('{} + {}', 'template', /combine/));
  });

  describe('comparison and logic', () => {
    const cases: [string, unknown][] = [
      ['n == 7', true],
      ['n == 7.0', true],
      ['n != 7', false],
      ['n < 8', true],
      ['n <= 7', true],
      ['n > 7', false],
      ['n >= 7', true],
      ['1 < n < 10', true],
      ['1 < n < 5', false],
      ["'a' < 'b'", true],
      ['[1, 2] < [1, 3]', true],
      ['[1, {"a": 2}] == [1, {"a": 2}]', true],
      ['22 in host.ports', true],
      ['23 not in host.ports', true],
      ["'par' in s", true],
      ["'name' in host", true],
      ["'constructor' in host", false],
      ['flag or n', 7],
      ['flag and n', false],
      ['n and s', 'spark'],
      ['not empty', true],
      ['not items', false],
      ["'yes' if n > 5 else 'no'", 'yes'],
      ["'yes' if flag else 'no'", 'no'],
      ["'yes' if flag", null],
    ];
    for (const [expr, expected] of cases) it(`${expr} is ${JSON.stringify(expected)}`, () => assert.deepEqual(value(expr), expected));

    it('refuses ordering a string against a number', () => failsWith("n < 'a'", 'template', /cannot compare int with string/));
    it('short-circuits and/or: the right side is not evaluated', () => {
      assert.equal(value('flag and missing'), false);
      assert.equal(value('n or missing'), 7);
    });
    it('evaluates an unused inline-if arm never', () => assert.equal(value('1 if true else missing'), 1));
  });

  describe('undefined variables', () => {
    it('names a missing root variable', () => failsWith('missing + 1', 'undefined-variable', /^undefined variable 'missing'$/));
    it('names the full path when an attribute is missing', () => failsWith('host.meta.row', 'undefined-variable', /^'host\.meta' has no attribute 'row'$/));
    it('names the path and the index when an item is missing', () => failsWith('host.ports[5]', 'undefined-variable', /'host\.ports' has no item 5/));
    it('names the key when a dict key is missing', () => failsWith('host["x-y"]', 'undefined-variable', /'host' has no key "x-y"/));
    it('says when the object is none', () => failsWith('host.nothing.x', 'undefined-variable', /'host\.nothing' is none/));
    it('treats a key whose value is undefined as missing', () => {
      assert.throws(() => evaluateExpression('v', { v: undefined }), (e: unknown) => e instanceof InputError && e.kind === 'undefined-variable');
    });
    it('lets is defined look at any depth without raising', () => {
      assert.equal(value('missing.a.b[0] is defined'), false);
      assert.equal(value('host.meta.rack is defined'), true);
      assert.equal(value('host.meta.row is undefined'), true);
      assert.equal(value('missing is not defined'), true);
    });
    it('lets default replace a missing path', () => assert.equal(value('missing.a | default("d")'), 'd'));
  });

  describe('rendering into text', () => {
    it('renders text as Ansible does: none as empty, True/False, lists and dicts as Python reprs', () => {
      assert.equal(renderString('[{{ host.nothing }}|{{ flag }}|{{ items }}|{{ host.meta }}]', scope), "[|False|[3, 1, 2]|{'rack': 'a'}]");
      assert.equal(renderString("{{ 'x' ~ host.nothing ~ flag }} {{ [none, true, \"it's\", 'a\\b'] }}", scope), `xNoneFalse [None, True, "it's", 'a\\\\b']`);
      assert.equal(renderString('{{ 2 ** 64 }} {{ 1e-7 }} {{ 0.5 }}', scope), '18446744073709551616 1e-07 0.5');
    });
    it('keeps a lone {{ flag }} a boolean, so a typed parameter still gets one', () => {
      assert.equal(renderString('{{ flag }}', scope), false);
      assert.equal(renderString('{{ not flag }}', scope), true);
    });
    it('calls the methods of strings, lists and dicts with Python meanings', () => {
      const cases: [string, unknown][] = [
        ["'24.04'.split('.')[0]", '24'],
        ["' a b '.strip().upper()", 'A B'],
        ["'a b  c'.split()", ['a', 'b', 'c']],
        // Python's whitespace, the same for split, rsplit and strip: U+00A0 and \x1c are, U+FEFF is not.
        ["'a\\xa0b\\x1cc'.split()", ['a', 'b', 'c']],
        ["'a\\xa0b\\x1cc'.rsplit(none, 1)", ['a\xa0b', 'c']],
        ["'\\ufeffa\\x85'.strip()", '\ufeffa'],
        ["'\\x1c\\xa0'.isspace()", true],
        ["'a b  c'.rsplit(None, 1)", ['a b', 'c']],
        ["'a:b:c'.rsplit(':', 1)", ['a:b', 'c']],
        ["'6.8.0-nvidia'.startswith(('5', '6'))", true],
        ["'x.conf'.endswith('.conf')", true],
        ["'a-b-c'.replace('-', '_', 1)", 'a_b-c'],
        ["','.join(['a', 'b'])", 'a,b'],
        ["'{}:{}'.format('h', 22)", 'h:22'],
        ["'{1}{0}'.format('a', 'b')", 'ba'],
        ["'abc'.find('c')", 2],
        ["'abc'.center(7, '*')", '**abc**'],
        ["'-5'.zfill(4)", '-005'],
        ["'a\\nb'.splitlines()", ['a', 'b']],
        ['items.index(1)', 1],
        ['items.count(3)', 1],
        ['host.meta.items()', [['rack', 'a']]],
        ["host.meta.get('rack')", 'a'],
        ["host.meta.get('nope', 'd')", 'd'],
        ["host.meta.get('nope')", null],
        ["'%s:%d' % ('h', 22)", 'h:22'],
        ["'%-4s|%05.1f|%x' % ('a', 2.5, 255)", 'a   |002.5|ff'],
        ["'%(a)s' % {'a': 1}", '1'],
        ["'%.1f %.2f' % (2.25, 0.125)", '2.2 0.12'],
        // Recorded from Python 3: zeros only for numbers, after the sign and prefix; widths in characters.
        ["'%05s|%#06x|%+06d|%-5s|%5s|' % ('12', 255, 5, '\u{1F600}', '\u{1F600}')", '   12|0x00ff|+00005|\u{1F600}    |    \u{1F600}|'],
        ['true + 1', 2],
        ['true == 1', true],
      ];
      for (const [expr, expected] of cases) assert.deepEqual(evaluateExpression(expr, scope), expected, expr);
    });
    it('refuses a method on the wrong type, naming where it exists', () => {
      assert.throws(() => evaluateExpression("items.split(',')", scope), /list has no method 'split' \(it is a method of strings\)/);
      assert.throws(() => evaluateExpression("'x'.format(1) ~ '{'.format()", scope), /format/);
    });
    it('refuses an integer it cannot hold exactly instead of rounding it', () => {
      assert.throws(() => evaluateExpression('2 ** 53 + 1', scope), /integers beyond 2\*\*53 are not supported/);
      assert.equal(evaluateExpression('2 ** 53', scope), 2 ** 53);
    });
    it('keeps the native type of a lone {{ }} even with blanks around it', () => {
      assert.deepEqual(renderString('  {{ items }} \n', scope), [3, 1, 2]);
      assert.equal(renderString('{{ n }}', scope), 7);
    });
    it('returns a string without template syntax unchanged', () => {
      assert.equal(renderString('plain {text} }} %}', scope), 'plain {text} }} %}');
    });
  });
});
// Tests of every filter, test and global function, their errors, and that each one is documented.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { InputError } from '../../../../runner/errors.js';
import { FILTERS, FUNCTIONS, TESTS, bindArguments } from '../../../../runner/template/filters.js';
import { evaluateExpression } from '../../../../runner/template/index.js';
import { TemplateFault } from '../../../../runner/template/values.js';

const scope = {
  users: [
    { name: 'ann', uid: 1001, admin: true, shell: '/bin/sh' },
    { name: 'bob', uid: 1000, admin: false },
  ],
  conf: { port: 22, addr: '0.0.0.0' },
  words: ['b', 'A', 'c', 'a'],
  nested: [[1, [2]], 3, null],
  result: { changed: true, failed: false, skipped: false },
};

const filterCases: [string, unknown][] = [
  ["missing | default('x')", 'x'],
  ["'' | default('x')", ''],
  ["'' | default('x', true)", 'x'],
  ["none | d('x', boolean=true)", 'x'],
  ["conf.port | mandatory", 22],
  ["'AbC' | lower", 'abc'],
  ["'AbC' | upper", 'ABC'],
  ["'hELLO world' | capitalize", 'Hello world'],
  ["'hello big world' | title", 'Hello Big World'],
  // Recorded from ansible-core 2.14: words begin after whitespace and -({[< only.
  ["\"foo.bar a1b x-y x_y (ab don't <cd [ef {gh 1ab\" | title", "Foo.bar A1b X-Y X_y (Ab Don't <Cd [Ef {Gh 1ab"],
  ["'  x  ' | trim", 'x'],
  ["'xxaxx' | trim('x')", 'a'],
  // chars are code points: an emoji sharing its first UTF-16 unit with one in chars stays whole.
  ["'\u{1F601}a' | trim('\u{1F600}')", '\u{1F601}a'],
  ["'42' | int", 42],
  ["'4.9' | int", 4],
  ["'abc' | int", 0],
  ["'abc' | int(7)", 7],
  ["'ff' | int(base=16)", 255],
  ['3.9 | int', 3],
  ["'2.5' | float", 2.5],
  ["'x' | float", 0],
  ['12 | string', '12'],
  ["'yes' | bool", true],
  ["'Y' | bool", false],
  ["'t' | bool", false],
  ['none | bool', null],
  ['1.0 | bool', true],
  ['2 | bool', false],
  ["'1_000' | int", 1000],
  ["'off' | bool", false],
  ['1 | bool', true],
  ["'héllo' | length", 5],
  ['users | length', 2],
  ['conf | count', 2],
  ["words | join('-')", 'b-A-c-a'],
  ['[1, 2] | join', '12'],
  ["users | join(',', attribute='name')", 'ann,bob'],
  ["'a,b,,c' | split(',')", ['a', 'b', '', 'c']],
  ["'  a  b c ' | split", ['a', 'b', 'c']],
  ["'a,b,c' | split(',', 1)", ['a', 'b,c']],
  ["'a\\nb\\r\\nc\\n' | splitlines", ['a', 'b', 'c']],
  // As Python's str.splitlines (the method is the same function): \x0b (\v) and \x1c are line boundaries too.
  ["'a\\x0bb\\x1cc' | splitlines", ['a', 'b', 'c']],
  ["'aXbXc' | replace('X', '-')", 'a-b-c'],
  ["'aXbXc' | replace('X', '-', 1)", 'a-bXc'],
  ["'port 22' | regex_replace('[0-9]+', 'N')", 'port N'],
  ["'a1b22' | regex_replace('(?P<d>[0-9]+)', '<\\\\g<d>>')", 'a<1>b<22>'],
  // Python's re.sub reads \r and \f in a replacement: re.sub('a', r'[\r\f\g<0>]', 'bab') is 'b[\r\x0ca]b'.
  ["'bab' | regex_replace('a', '[\\\\r\\\\f\\\\g<0>]')", 'b[\r\fa]b'],
  ["'ABC' | regex_replace('b', '_', ignorecase=true)", 'A_C'],
  ["'aaa' | regex_replace('a', 'b', count=2)", 'bba'],
  ["'v1.2.3' | regex_search('[0-9.]+')", '1.2.3'],
  ["'none here' | regex_search('[0-9]+')", null],
  ["'key=val' | regex_search('(\\\\w+)=(\\\\w+)', '\\\\2', '\\\\1')", ['val', 'key']],
  ["'a1 b2' | regex_findall('[a-z][0-9]')", ['a1', 'b2']],
  ["'a1 b2' | regex_findall('([a-z])([0-9])')", [['a', '1'], ['b', '2']]],
  ["'1.2' | regex_escape", '1\\.2'],
  ['words | first', 'b'],
  ['words | last', 'a'],
  ["'abc' | first", 'a'],
  ['[3, 1, 2] | min', 1],
  ['[3, 1, 2] | max', 3],
  ['[1, 2, 3] | sum', 6],
  ["users | sum(attribute='uid')", 2001],
  ['words | sort', ['A', 'a', 'b', 'c']],
  ['words | sort(case_sensitive=true)', ['A', 'a', 'b', 'c']],
  ['[3, 1, 2] | sort(reverse=true)', [3, 2, 1]],
  ["users | sort(attribute='uid') | map(attribute='name') | list", ['bob', 'ann']],
  ['[1, 2, 1, [1], [1]] | unique', [1, 2, [1]]],
  ['conf | list', ['port', 'addr']],
  ["'ab' | list", ['a', 'b']],
  ['[1, 2] | reverse', [2, 1]],
  ["'abc' | reverse", 'cba'],
  ['nested | flatten', [1, 2, 3]],
  ['nested | flatten(1)', [1, [2], 3]],
  ['[1, 2] | union([2, 3])', [1, 2, 3]],
  ['[1, 2] | intersect([2, 3])', [2]],
  ['[1, 2] | difference([2, 3])', [1]],
  ['[1, 2] | symmetric_difference([2, 3])', [1, 3]],
  ["[1, 2] | zip(['a', 'b', 'c'])", [[1, 'a'], [2, 'b']]],
  ['conf | dict2items', [{ key: 'port', value: 22 }, { key: 'addr', value: '0.0.0.0' }]],
  ["{'a': 1} | dict2items('k', 'v')", [{ k: 'a', v: 1 }]],
  ['conf | dict2items | items2dict', { port: 22, addr: '0.0.0.0' }],
  ['conf | keys', ['port', 'addr']],
  ['conf | values', [22, '0.0.0.0']],
  ['conf | items', [['port', 22], ['addr', '0.0.0.0']]],
  ["conf | combine({'port': 2222}, {'x': 1})", { port: 2222, addr: '0.0.0.0', x: 1 }],
  ["{'a': {'b': 1, 'c': 2}} | combine({'a': {'b': 3}}, recursive=true)", { a: { b: 3, c: 2 } }],
  ["{'a': {'b': 1, 'c': 2}} | combine({'a': {'b': 3}})", { a: { b: 3 } }],
  ["{'l': [1]} | combine({'l': [2]}, list_merge='append')", { l: [1, 2] }],
  ["users | map(attribute='name') | list", ['ann', 'bob']],
  ["users | map(attribute='shell', default='-') | list", ['/bin/sh', '-']],
  ["words | map('upper') | list", ['B', 'A', 'C', 'A']],
  ["['a,b', 'c'] | map('split', ',') | list", [['a', 'b'], ['c']]],
  ['[0, 1, 2, none] | select | list', [1, 2]],
  ["[1, 2, 3, 4] | select('even') | list", [2, 4]],
  ["[1, 2, 3, 4] | reject('gt', 2) | list", [1, 2]],
  ["users | selectattr('admin') | map(attribute='name') | list", ['ann']],
  ["users | selectattr('shell', 'defined') | map(attribute='name') | list", ['ann']],
  ["users | rejectattr('uid', 'eq', 1000) | map(attribute='name') | list", ['ann']],
  ['conf | to_json', '{"port": 22, "addr": "0.0.0.0"}'],
  ["{'b': 'é'} | to_json", '{"b": "\\u00e9"}'],
  ["{'b': 1, 'a': 2} | to_nice_json", '{\n    "a": 2,\n    "b": 1\n}'],
  ["{'a': [1]} | to_nice_json(2)", '{\n  "a": [\n    1\n  ]\n}'],
  ["'{\"a\": [1, null]}' | from_json", { a: [1, null] }],
  ['conf | to_yaml', '{addr: 0.0.0.0, port: 22}\n'],
  ["{'b': [1], 'a': {'c': 'yes'}} | to_yaml", "a: {c: 'yes'}\nb: [1]\n"],
  ["{'a': [1]} | to_nice_yaml", 'a:\n- 1\n'],
  ["[{'a': {'b': [1]}}] | to_nice_yaml", '-   a:\n        b:\n        - 1\n'],
  ["'a: [1, 2]' | from_yaml", { a: [1, 2] }],
  ["'héllo' | b64encode", 'aMOpbGxv'],
  ["'aMOpbGxv' | b64decode", 'héllo'],
  ["'/etc/ssh/sshd_config' | basename", 'sshd_config'],
  ["'/etc/ssh/' | basename", ''],
  ["'/etc/ssh/sshd_config' | dirname", '/etc/ssh'],
  ["'/etc' | dirname", '/'],
  ["'file' | dirname", ''],
  ["['/etc', 'ssh', 'x.conf'] | path_join", '/etc/ssh/x.conf'],
  ["\"it's\" | quote", `'it'"'"'s'`],
  ["'' | quote", "''"],
  ["'plain' | quote", 'plain'],
  ["'192.168.1.23/24' | network_cidr", '192.168.1.0/24'],
  ["'10.1.2.3/8' | network_cidr", '10.0.0.0/8'],
  ["'10.1.2.3/32' | network_cidr", '10.1.2.3/32'],
  ["'2001:db8:abcd:12::1/48' | network_cidr", '2001:db8:abcd::/48'],
  ["'192.168.1.23/24' | ipaddr('address')", '192.168.1.23'],
  ["'192.168.1.23/24' | ipaddr('network')", '192.168.1.0'],
  ["'192.168.1.23/24' | ipaddr('prefix')", 24],
  ["'192.168.1.23/24' | ipaddr('network/prefix')", '192.168.1.0/24'],
  ["'nonsense' | ipaddr", false],
  ["'10.0.0.1' | ipaddr", '10.0.0.1'],
  ["true | ternary('on', 'off')", 'on'],
  ["none | ternary('on', 'off', 'unset')", 'unset'],
  ['-3 | abs', 3],
  ['2.567 | round(2)', 2.57],
  ["2.1 | round(method='ceil')", 3],
  ["'abc' | hash('sha256')", 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ["'a\\nb' | indent(2)", 'a\n  b'],
  ["'a\\nb' | indent(2, first=true)", '  a\n  b'],
  ['[] | type_debug', 'list'],
  ["'x' | type_debug", 'str'],
  ['none | type_debug', 'NoneType'],
  ["'/etc/ssh/sshd_config.d/x.conf' | splitext", ['/etc/ssh/sshd_config.d/x', '.conf']],
  ["'/etc/.bashrc' | splitext", ['/etc/.bashrc', '']],
  ["'hello world' | truncate(9)", 'hello world'],
  ["'hello world, again and again' | truncate(9)", 'hello...'],
  ["'hello' | truncate(4, true, '', 0)", 'hell'],
  ["'ab' | center(6)", '  ab  '],
  ["'a b&c' | urlencode", 'a%20b%26c'],
  ["'one, two three' | wordcount", 3],
  ["{'b': 1, 'A': 2} | dictsort", [['A', 2], ['b', 1]]],
  ["{'b': 1, 'a': 2} | dictsort(by='value')", [['b', 1], ['a', 2]]],
  ["'secret' | checksum", 'e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4'],
  ["'hello' | md5", '5d41402abc4b2a76b9719d911017c592'],
  ["'hello' | sha1", 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d'],
  ["'a' | to_uuid", '9b6d1a0c-51b1-5093-93fc-cf09a700edff'],
  ["[1, 2] | product(['a']) | list", [[1, 'a'], [2, 'a']]],
  ["['10.0.0.1', 'x', '::1'] | ipv4", ['10.0.0.1']],
  ["['10.0.0.1', 'x', '::1'] | ipv6", ['::1']],
  ["['10.0.0.1', 'x', '::1'] | ipaddr", ['10.0.0.1', '::1']],
  ["'10.8.0.1/24' | ansible.utils.ipaddr('netmask')", '255.255.255.0'],
  ["'10.8.0.1/24' | ansible.utils.ipv4('broadcast')", '10.8.0.255'],
  ["'10.8.0.0/24' | ansible.netcommon.ipaddr(2)", '10.8.0.2/24'],
  ["'10.8.0.5/24' | ansible.utils.ipaddr('host/prefix')", '10.8.0.5/24'],
  ["'10.8.0.0/24' | ansible.netcommon.ipaddr('host/prefix')", false],
  ["'fd00::1/64' | ansible.utils.ipv6('address')", 'fd00::1'],
  ["'10.0.0.1' | ansible.netcommon.ipv4", '10.0.0.1'],
  ["'::1' | ansible.netcommon.ipv6", '::1'],
  ["['b', 'A', 'a', 'B'] | unique", ['b', 'A']],
  ["['b', 'A', 'a', 'B'] | unique(case_sensitive=true)", ['b', 'A', 'a', 'B']],
  ['2.5 | round', 2],
  ['3.5 | round', 4],
  ['0.125 | round(2)', 0.12],
  ['2.675 | round(2)', 2.67],
  ['-2.5 | round', -2],
  ['1234.5 | round(-2)', 1200],
  ["'24.04' | version_compare('22.04', '>')", true],
  ["'1.2.3' | version('1.2.3', 'eq')", true],
];

const testCases: [string, boolean][] = [
  ['conf is defined', true],
  ['missing is undefined', true],
  ['none is none', true],
  ["'x' is string", true],
  ['1.5 is number', true],
  ['2 is integer', true],
  ['2.5 is float', true],
  ['false is boolean', true],
  ['conf is mapping', true],
  ['users is sequence', true],
  ['3 is sequence', false],
  ["'ab' is iterable", true],
  ['1 is truthy', true],
  ["'no' is truthy(convert_bool=true)", false],
  ['[] is falsy', true],
  ["'spark-02' is match('spark-[0-9]+$')", true],
  ["'my-spark-02' is match('spark')", false],
  ["'my-spark-02' is search('spark')", true],
  ["'SPARK' is search('spark', ignorecase=true)", true],
  ["'a-spark' is regex('^spark', match_type='search')", false],
  ["'24.04' is version('22.04', '>=')", true],
  ["'24.04' is version('24.4', '==')", true],
  ["'22.04' is version('24.04', 'lt')", true],
  ["'1.2.3-4' is version('1.2.3', 'gt')", true],
  ["'1.10' is version('1.9', 'ge')", true],
  ["'1.2.3' is version('1.2.3-rc1', '>', version_type='semver')", true],
  ["'6.8.0-1015-nvidia' is version_compare('6.8.0-1020-nvidia', '<')", true],
  ['3 is eq 3', true],
  ["'a' is equalto('a')", true],
  ['3 is ne(4)', true],
  ['3 is lt(4)', true],
  ['3 is le(3)', true],
  ['3 is gt(4)', false],
  ['3 is ge(3)', true],
  ['2 is in([1, 2])', true],
  ['[1, 2] is contains(2)', true],
  ['3 is odd', true],
  ['4 is even', true],
  ['9 is divisibleby 3', true],
  ['none is sameas none', true],
  ["'abc' is lower", true],
  ["'ABC' is upper", true],
  ['[1] is subset([1, 2])', true],
  ['[1, 2] is superset([1])', true],
  ["'10.0.0.1' is ipv4", true],
  ["'10.0.0.1/24' is ipv4", true],
  ["'fe80::1' is ipv6", true],
  ["'10.0.0.256' is ipv4", false],
  ["'10.0.0.1' is ansible.utils.ipv4", true],
  ["'10.0.0.1' is ansible.utils.ipv6", false],
  ['true is number', true],
  ['true is integer', false],
  ["'t' is truthy(convert_bool=true)", true],
  ['result is changed', true],
  ['result is change', true],
  ['result is failed', false],
  ['result is failure', false],
  ['result is succeeded', true],
  ['result is success', true],
  ['result is skipped', false],
  ['result is skip', false],
];

const functionCases: [string, unknown][] = [
  ['range(3)', [0, 1, 2]],
  ['range(1, 7, 2)', [1, 3, 5]],
  ['range(3, 0, -1)', [3, 2, 1]],
  ["lookup('env', 'SPARKBOOK_TEMPLATE_TEST_VAR')", 'from-env'],
  ["lookup('env', 'SPARKBOOK_TEMPLATE_TEST_UNSET', default='dflt')", 'dflt'],
  ["lookup('vars', 'conf').port", 22],
  ["lookup('vars', 'missing', default=1)", 1],
  ['dict(a=1, b=none)', { a: 1, b: null }],
  ["dict([['k', 1]], j=2)", { k: 1, j: 2 }],
  ["dict(['a', 'b'] | zip([1, 2]))", { a: 1, b: 2 }],
  ["dict(conf, port=2222)", { port: 2222, addr: '0.0.0.0' }],
];

describe('template filters, tests and functions', () => {
  before(() => {
    process.env['SPARKBOOK_TEMPLATE_TEST_VAR'] = 'from-env';
    delete process.env['SPARKBOOK_TEMPLATE_TEST_UNSET'];
  });
  after(() => {
    delete process.env['SPARKBOOK_TEMPLATE_TEST_VAR'];
  });

  describe('filters', () => {
    for (const [expr, expected] of filterCases) {
      it(`${expr} is ${JSON.stringify(expected)}`, () => assert.deepEqual(evaluateExpression(expr, scope), expected));
    }
    it("max(attribute=) returns the whole item with the largest attribute", () => {
      assert.deepEqual(evaluateExpression("users | max(attribute='uid')", scope), scope.users[0]);
    });
  });

  describe('tests', () => {
    for (const [expr, expected] of testCases) {
      it(`${expr} is ${expected}`, () => assert.equal(evaluateExpression(expr, scope), expected));
    }
  });

  describe('global functions', () => {
    for (const [expr, expected] of functionCases) {
      it(`${expr} is ${JSON.stringify(expected)}`, () => assert.deepEqual(evaluateExpression(expr, scope), expected));
    }
  });

  describe('coverage', () => {
    const all = [...filterCases.map((c) => c[0]), ...testCases.map((c) => c[0]), ...functionCases.map((c) => c[0])].join('\n');
    it('has a case for every filter', () => {
      const missing = [...FILTERS.keys()].filter((name) => !new RegExp(`\\| ${name}\\b`).test(all));
      assert.deepEqual(missing, []);
    });
    it('has a case for every test', () => {
      const missing = [...TESTS.keys()].filter((name) => !new RegExp(`\\bis (not )?${name}\\b`).test(all));
      assert.deepEqual(missing, []);
    });
    it('documents every filter, test and function in docs/templates.md', () => {
      const doc = readFileSync(new URL('../../../../../docs/templates.md', import.meta.url), 'utf8');
      const names = [...FILTERS.keys(), ...TESTS.keys(), ...FUNCTIONS.keys()];
      // Each name appears in code form: `name` or `name(args…)`.
      assert.deepEqual(names.filter((name) => !new RegExp(`\`${name}[\`(]`).test(doc)), []);
    });
  });

  describe('errors', () => {
    const failures: [string, RegExp][] = [
      ['missing | mandatory', /undefined variable 'missing'/],
      ["missing | mandatory('set missing in group_vars')", /set missing in group_vars/],
      ['[] | first', /first of an empty list/],
      ['[] | max', /max of an empty list/],
      ["'x' | regex_search('(')", /invalid regular expression/],
      ["'1.0' is version('2', 'bogus')", /unknown version operator/],
      ["'x' is version('1', strict=true)", /not a semantic version/],
      ["'{' | from_json", /from_json/],
      ["'10.0.0.1' | network_cidr", /no \/prefix/],
      ["'10.0.0.1/33' | network_cidr", /prefix outside 0-32/],
      ["'a' | replace('a')", /needs the argument 'new'/],
      ['1 | abs(2)', /at most 0 arguments/],
      ["'a' | lower(x=1)", /has no argument 'x'/],
      ["words | map('nope') | list", /unknown filter 'nope'/],
      ["words | select('nope') | list", /unknown test 'nope'/],
      ["lookup('file', '/etc/passwd')", /only the 'env' and 'vars' lookups are supported/],
      ['range(1, 2, 0)', /step must not be zero/],
      ['range(10 ** 9)', /longer than/],
      ["'a' | hash('crc')", /unknown algorithm/],
      ["'!!' | b64decode", /not base64/],
      ['conf | combine(1)', /needs a dict/],
      ["'a\\0b' | quote", /NUL byte/],
      ['3 | length', /length of int/],
    ];
    for (const [expr, message] of failures) {
      it(`${expr} fails with ${message}`, () => {
        assert.throws(
          () => evaluateExpression(expr, scope, { file: 'p.yml', line: 1, col: 1 }),
          (e: unknown) => e instanceof InputError && message.test(e.message) && e.where !== undefined,
        );
      });
    }
  });

  describe('argument binding', () => {
    it('puts keyword arguments in their place and collects extra positional ones', () => {
      const def = { params: ['a', '*rest', 'k'], call: () => null };
      assert.deepEqual(bindArguments('f', def, [1, 2, 3], new Map([['k', 4]])), { args: [1, 4], rest: [2, 3], extra: new Map() });
    });
    it('collects unknown keyword arguments only for a callable that asks for them', () => {
      const open = { params: ['*pairs'], extraKeywords: true, call: () => null };
      assert.deepEqual(bindArguments('dict()', open, [], new Map([['x', 1]])).extra, new Map([['x', 1]]));
      assert.throws(() => bindArguments('f', { params: ['a'], call: () => null }, [], new Map([['x', 1]])), /has no argument 'x'/);
    });
    it('refuses a keyword argument given positionally too', () => {
      const def = { params: ['a', 'b'], call: () => null };
      assert.throws(() => bindArguments('f', def, [1], new Map([['a', 2]])), TemplateFault);
    });
  });
});
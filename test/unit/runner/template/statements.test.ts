// Tests of the template statements: if/for/set, loop variables, scoping, whitespace control,
// comments, raw, located syntax errors and the bounds that keep hostile templates finite.
import assert from 'node:assert/strict';
import { InputError } from '../../../../runner/errors.js';
import { referencedVariables, renderString, renderTemplateFile, unguardedVariables, parseTemplate } from '../../../../runner/template/index.js';
import { MAX_LIST_LENGTH } from '../../../../runner/template/values.js';

const scope = { xs: ['a', 'b', 'c'], d: { one: 1, two: 2 }, flag: true, n: 2, none: null, pairs: [[1, 2], [3, 4]] };

function render(text: string, vars: Record<string, unknown> = scope): string {
  return renderTemplateFile(text, vars, 'templates/x.j2');
}

function errorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  assert.fail('expected an InputError');
}

describe('template statements', () => {
  describe('if', () => {
    it('renders the first true branch of an elif chain', () => {
      assert.equal(render('{% if n == 1 %}one{% elif n == 2 %}two{% elif n == 2 %}again{% else %}other{% endif %}'), 'two');
    });
    it('renders else when no branch is true, and nothing without else', () => {
      assert.equal(render('{% if not flag %}x{% else %}y{% endif %}|{% if none %}z{% endif %}'), 'y|');
    });
    it("uses Python's truthiness, not when:'s: the string 'false' is true", () => {
      assert.equal(render("{% if 'false' %}t{% endif %}"), 't');
    });
  });

  describe('for', () => {
    it('binds loop.index, index0, first, last, length, revindex', () => {
      assert.equal(render('{% for x in xs %}{{ loop.index }}{{ loop.index0 }}{{ loop.length }}{{ loop.revindex }}{{ "F" if loop.first }}{{ "L" if loop.last }} {% endfor %}'),
        '1033F 2132 3231L ');
    });
    it('gives previtem and nextitem where there is one', () => {
      assert.equal(render('{% for x in xs %}{{ loop.previtem | default("-") }}{{ loop.nextitem | default("-") }} {% endfor %}'), '-b ac b- ');
    });
    it('unpacks pairs into two names: d.items() and lists of lists', () => {
      assert.equal(render('{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{% for a, b in pairs %}{{ a + b }}{% endfor %}'), 'one=1;two=2;37');
    });
    it('iterates the keys of a dict', () => {
      assert.equal(render('{% for k in d %}{{ k }}{% endfor %}'), 'onetwo');
    });
    it('counts loop.length after the filter clause', () => {
      assert.equal(render('{% for x in xs if x != "a" %}{{ x }}{{ loop.index }}/{{ loop.length }} {% endfor %}'), 'b1/2 c2/2 ');
    });
    it('renders else when nothing is iterated, also when the filter drops everything', () => {
      assert.equal(render('{% for x in [] %}x{% else %}empty{% endfor %}|{% for x in xs if false %}x{% else %}none{% endfor %}'), 'empty|none');
    });
    it('nests loops, each with its own loop variable', () => {
      assert.equal(render('{% for a in [1, 2] %}{% for b in xs %}{{ loop.index }}{% endfor %}{{ loop.index }};{% endfor %}'), '1231;1232;');
    });
    it('keeps a set inside a loop body inside the body', () => {
      assert.equal(render('{% set c = 0 %}{% for x in xs %}{% set c = loop.index %}{{ c }}{% endfor %}:{{ c }}'), '123:0');
    });
    it('does not let a loop variable outlive its loop', () => {
      const e = errorOf(() => render('{% for x in xs %}{% endfor %}{{ x }}'));
      assert.equal(e.kind, 'undefined-variable');
    });
    it('refuses to loop over none, located at the iterable', () => {
      const e = errorOf(() => render('line\n{% for x in none %}{% endfor %}'));
      assert.match(e.message, /is none/);
      assert.deepEqual(e.where, { file: 'templates/x.j2', line: 2, col: 13 });
    });
    it('refuses a pair that does not unpack into the names', () => {
      assert.match(errorOf(() => render('{% for a, b in xs %}{% endfor %}')).message, /cannot unpack/);
    });
    it('stops loops that would run more than the list limit in all', () => {
      const e = errorOf(() => render('{% for a in range(2000) %}{% for b in range(1000) %}{% endfor %}{% endfor %}'));
      assert.match(e.message, new RegExp(`more than ${MAX_LIST_LENGTH} times`));
    });
    it('refuses blocks nested deeper than the nesting limit, located at the first one too deep', () => {
      const e = errorOf(() => render('{% if 1 %}'.repeat(70) + '{% endif %}'.repeat(70)));
      assert.match(e.message, /blocks nested too deeply \(more than 64 levels\)/);
      assert.deepEqual(e.where, { file: 'templates/x.j2', line: 1, col: 1 + 64 * 10 });
    });
    it('stops output longer than the string limit', () => {
      const e = errorOf(() => render("{% for a in range(1000) %}{% for b in range(100) %}{{ 'x' * 1000000 }}{% endfor %}{% endfor %}"));
      assert.match(e.message, /rendered text is longer/);
    });
  });

  describe('set', () => {
    it('binds a name for the rest of the template, shadowing a variable', () => {
      assert.equal(render('{{ n }}{% set n = n * 10 %}{{ n }}', scope), '220');
    });
    it('unpacks a tuple', () => {
      assert.equal(render('{% set a, b = 1, 2 %}{{ b }}{{ a }}'), '21');
    });
    it('is seen after an if that set it (an if is no scope)', () => {
      assert.equal(render('{% if flag %}{% set v = "in" %}{% endif %}{{ v }}'), 'in');
    });
  });

  describe('whitespace and comments', () => {
    it('drops the newline after a block tag (trim_blocks) but keeps indentation (no lstrip_blocks)', () => {
      assert.equal(render('x:\n  {% if flag %}\n  y\n  {% endif %}\nz\n'), 'x:\n    y\n  z\n');
    });
    it('keeps the newline after an expression', () => {
      assert.equal(render('{{ n }}\n{{ n }}'), '2\n2');
    });
    it('removes whitespace on the side of a - and keeps the newline after +%}', () => {
      assert.equal(render('a\n  {%- if flag -%}\n  b {%+ endif +%}\nc'), 'ab \nc');
    });
    it('drops comments, multi-line ones too, and the newline after them', () => {
      assert.equal(render('a\n{# one\ntwo #}\nb{# c #}'), 'a\nb');
    });
    it('refuses an unclosed comment in a template file, located', () => {
      const e = errorOf(() => render('ok\n  {# never closed'));
      assert.deepEqual(e.where, { file: 'templates/x.j2', line: 2, col: 3 });
    });
    it('keeps {# as text in a playbook string when no #} closes it (shell ${#var})', () => {
      assert.equal(renderString('echo ${#x} {% if flag %}y{% endif %}', scope), 'echo ${#x} y');
    });
    it('keeps raw text as it is', () => {
      assert.equal(render('{% raw %}{{ x }} {% if %}{% endraw %}!'), '{{ x }} {% if %}!');
    });
    it('keeps the trailing newlines of the source, as Ansible does', () => {
      assert.equal(render('{% for x in xs %}{{ x }}{% endfor %}\n\n'), 'abc\n\n');
      assert.equal(render('{% if flag %}y{% endif %}'), 'y');
    });
    it('reads CRLF files as LF files', () => {
      assert.equal(render('a\r\n{% if flag %}\r\nb\r\n{% endif %}\r\n'), 'a\nb\n');
    });
  });

  describe('syntax errors, located in the template file', () => {
    const cases: [string, string, RegExp, number, number][] = [
      ['unclosed if', 'a\n{% if flag %}\nb\n', /'\{% if %\}' is not closed by '\{% endif %\}'/, 2, 1],
      ['endfor without for', 'x {% endfor %}', /without an open/, 1, 3],
      ['unknown statement', '\n\n  {% macro m() %}', /unknown statement '\{% macro %\}'/, 3, 3],
      ['bad condition', '{% if x == %}{% endif %}', /unexpected/, 1, 12],
      ['missing in', '{% for x of xs %}{% endfor %}', /expected 'in'/, 1, 10],
      ['unclosed tag', 'a {% if x', /'\{%' is not closed by '%\}'/, 1, 3],
      ['assigning loop', '{% set loop = 1 %}', /'loop' cannot be assigned/, 1, 8],
      ['unclosed raw', '{% raw %}x', /raw/, 1, 1],
    ];
    for (const [name, text, message, line, col] of cases) {
      it(`${name}: ${JSON.stringify(text)} at ${line}:${col}`, () => {
        const e = errorOf(() => render(text));
        assert.equal(e.kind, 'template');
        assert.match(e.message, message);
        assert.deepEqual(e.where, { file: 'templates/x.j2', line, col });
      });
    }
  });

  describe('in playbook strings', () => {
    it('renders statements to text, never to a native value', () => {
      assert.equal(renderString('{% if flag %}{{ xs }}{% endif %}', scope), "['a', 'b', 'c']");
    });
    it('keeps a string without statements as before: one {{ }} is its native value', () => {
      assert.deepEqual(renderString('{{ xs }}', scope), ['a', 'b', 'c']);
    });
  });

  describe('what the validator and the fact scan see', () => {
    it('names read anywhere are referenced; names bound by for/set and loop are not', () => {
      const t = parseTemplate('{% set s = a %}{% for x in b %}{{ x }}{{ loop.index }}{{ c }}{{ s }}{% endfor %}');
      assert.deepEqual(referencedVariables(t), ['a', 'b', 'c']);
    });
    it('names in a branch that may be skipped are not unguarded', () => {
      const t = parseTemplate('{% if a %}{{ b }}{% elif c %}{% endif %}{% for x in d %}{{ e }}{% endfor %}{{ f }}');
      assert.deepEqual(unguardedVariables(t), ['a', 'd', 'f']);
    });
  });
});

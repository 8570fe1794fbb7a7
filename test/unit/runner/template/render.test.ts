// Tests of the public template API: renderString, renderDeep, conditions, error locations, variable listing.
import assert from 'node:assert/strict';
import { InputError, type SourceLocation } from '../../../../runner/errors.js';
import {
  conditionValue,
  evaluateCondition,
  evaluateExpression,
  isTemplated,
  parseExpression,
  parseTemplate,
  referencedVariables,
  renderDeep,
  renderString,
  unguardedVariables,
} from '../../../../runner/template/index.js';

const where: SourceLocation = { file: 'play.yml', line: 10, col: 12 };
const scope = { port: 2222, lan: '192.168.1.0/24', facts: { os: { version: '24.04' } }, tags: ['a', 'b'] };

function errorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  assert.fail('expected an InputError');
}

describe('template render API', () => {
  describe('renderString', () => {
    it('concatenates text and values into a string', () => {
      assert.equal(renderString('port {{ port }}/tcp from {{ lan }}', scope), 'port 2222/tcp from 192.168.1.0/24');
    });
    it('returns the native value of a lone expression', () => {
      assert.deepEqual(renderString('{{ tags + ["c"] }}', scope), ['a', 'b', 'c']);
      assert.equal(renderString('{{ port > 1024 }}', scope), true);
    });
    it('returns the very same string when there is no template syntax', () => {
      const text = 'no templates { here } #{x}';
      assert.equal(renderString(text, scope), text);
    });
    it('renders a literal {{ through a string expression', () => {
      assert.equal(renderString("{{ '{{' }} x }}", scope), '{{ x }}');
    });
  });

  describe('isTemplated', () => {
    it('is true for {{ and {%, false otherwise', () => {
      assert.deepEqual(['a {{ b }}', '{% x', 'a { b }', '${#x}', ''].map(isTemplated), [true, true, false, false, false]);
    });
  });

  describe('error locations', () => {
    it('points at the undefined variable, moving the column by its offset in the string', () => {
      const e = errorOf(() => renderString('ufw allow {{ nope }}', scope, where));
      assert.equal(e.kind, 'undefined-variable');
      assert.match(e.message, /'nope'/);
      assert.deepEqual(e.where, { file: 'play.yml', line: 10, col: 12 + 13 });
    });
    it('moves the line, and counts the column from the newline, when a newline comes first', () => {
      const e = errorOf(() => renderString('line one\n  x {{ nope }}', scope, where));
      assert.deepEqual(e.where, { file: 'play.yml', line: 11, col: 8 });
    });
    it('reports an unclosed {{ as a template syntax error at the braces', () => {
      const e = errorOf(() => renderString('a {{ port', scope, where));
      assert.equal(e.kind, 'template');
      assert.deepEqual(e.where, { file: 'play.yml', line: 10, col: 14 });
    });
    it('reports an unclosed {% for %} at its tag, located', () => {
      const e = errorOf(() => renderString('{% for x in y %}', scope, where));
      assert.match(e.message, /not closed by '\{% endfor %\}'/);
      assert.deepEqual(e.where, where);
    });
    it('gives expression syntax errors the kind expression', () => {
      const e = errorOf(() => parseExpression('port ==', where));
      assert.equal(e.kind, 'expression');
      assert.equal(e.where?.col, 12 + 7);
    });
    it('gives evaluation errors the kind template with the operator position', () => {
      const e = errorOf(() => evaluateExpression('tags + 1', scope, where));
      assert.equal(e.kind, 'template');
      assert.equal(e.where?.col, 12 + 5);
    });
    it('has no location when none is given', () => {
      assert.equal(errorOf(() => renderString('{{ nope }}', scope)).where, undefined);
    });
  });

  describe('evaluateCondition', () => {
    it('evaluates a when: expression to a boolean', () => {
      assert.equal(evaluateCondition("facts.os.version is version('22.04', '>=')", scope, where), true);
      assert.equal(evaluateCondition('port == 22', scope, where), false);
    });
    it('accepts a bare {{ }} around the condition', () => {
      assert.equal(evaluateCondition('{{ port == 2222 }}', scope, where), true);
      const e = errorOf(() => evaluateCondition('{{ nope }}', scope, where));
      assert.equal(e.where?.col, 12 + 3);
    });
    it('uses Python truthiness for lists, numbers and none', () => {
      assert.deepEqual([[], [0], 0, 3, null, {}, { a: 1 }].map(conditionValue), [false, true, false, true, false, false, true]);
    });
    it('reads strings that spell a boolean as that boolean (-e flag=false)', () => {
      assert.equal(evaluateCondition('flag', { flag: 'false' }), false);
      assert.equal(evaluateCondition('flag', { flag: 'No' }), false);
      assert.equal(evaluateCondition('flag', { flag: 'yes' }), true);
      assert.equal(evaluateCondition('flag', { flag: 'anything' }), true);
      assert.equal(evaluateCondition('flag', { flag: '' }), false);
    });
  });

  describe('renderDeep', () => {
    it('templates every string in nested arrays and objects, keeping keys and other values', () => {
      const input = { rule: 'allow', port: '{{ port }}', from: ['{{ lan }}', 'x {{ port }}'], n: 1, ok: true, none: null, '{{ key }}': 'k' };
      assert.deepEqual(renderDeep(input, scope), {
        rule: 'allow',
        port: 2222,
        from: ['192.168.1.0/24', 'x 2222'],
        n: 1,
        ok: true,
        none: null,
        '{{ key }}': 'k',
      });
    });
    it('never changes its input', () => {
      const input = { a: ['{{ port }}'], b: { c: '{{ lan }}' } };
      const copy = structuredClone(input);
      const out = renderDeep(input, scope);
      assert.deepEqual(input, copy);
      assert.notEqual(out, input);
    });
    it('locates errors through whereOf with the path of the string', () => {
      const paths: (readonly (string | number)[])[] = [];
      const e = errorOf(() =>
        renderDeep({ a: ['ok', '{{ nope }}'] }, scope, (path) => {
          paths.push(path);
          return { file: 'f.yml', line: 3 + paths.length, col: 5 };
        }),
      );
      assert.deepEqual(paths, [['a', 1]]);
      assert.deepEqual(e.where, { file: 'f.yml', line: 4, col: 8 });
    });
    it('refuses a cycle instead of recursing forever', () => {
      const a: unknown[] = [];
      a.push(a);
      assert.match(errorOf(() => renderDeep(a, scope)).message, /cycle/);
    });
    it('keeps shared (non-cyclic) references working', () => {
      const shared = ['{{ port }}'];
      assert.deepEqual(renderDeep({ x: shared, y: shared }, scope), { x: [2222], y: [2222] });
    });
  });

  describe('referencedVariables', () => {
    it('lists root names in order of first use, without filter, test or function names', () => {
      const ast = parseTemplate("{{ a.b | default(c) | map('upper') }} {{ range(n) }} {{ x is defined and y[z] }} {{ a }}");
      assert.deepEqual(referencedVariables(ast), ['a', 'c', 'n', 'x', 'y', 'z']);
    });
    it('works on expressions and on nodes', () => {
      const expr = parseExpression("facts.os.version is version('22.04', '>=') and port in ports");
      assert.deepEqual(referencedVariables(expr), ['facts', 'port', 'ports']);
      assert.deepEqual(referencedVariables(expr.body), ['facts', 'port', 'ports']);
    });
    it('lists no variables for literals only', () => {
      assert.deepEqual(referencedVariables(parseExpression("[1, 'a', {'k': none}] | length")), []);
    });
  });

  describe('unguardedVariables', () => {
    it('leaves out names guarded by default, mandatory or is defined, and names in skippable branches', () => {
      const ast = parseTemplate('{{ a | default(b) }} {{ c is defined }} {{ d[e] is undefined }} {{ f and g }} {{ h if i else j }}');
      assert.deepEqual(unguardedVariables(ast), ['b', 'e', 'f', 'i']);
    });
  });
});
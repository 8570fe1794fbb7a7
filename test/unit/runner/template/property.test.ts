// Property tests (fast-check): random input gives a value or an InputError, never another exception.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../../../runner/errors.js';
import { evaluateCondition, evaluateExpression, parseExpression, parseTemplate, referencedVariables, renderString } from '../../../../runner/template/index.js';

const scope = {
  x: 1,
  s: 'text',
  l: [1, 'a', null],
  d: { k: 'v', n: { m: [2] } },
  t: true,
};

/** Pieces that make random strings look like templates, so the fuzzing reaches the parser's corners. */
const pieces = [
  '{{', '}}', '{%', '%}', '{#', '-}}', '{{-', '(', ')', '[', ']', '{', '}', "'", '"', '\\', '|', ' is ', ' not ', ' in ',
  ' and ', ' or ', ' if ', ' else ', 'x', 's', 'l', 'd', 'd.k', 'd.n.m[0]', 'l[-1]', 'missing', '.', ',', ':', '+', '-', '*',
  '**', '/', '//', '%', '~', '=', '==', '!=', '<', '>=', ' ', '0', '1.5', '-1', "'a'", 'true', 'none', 'default', 'length',
  'defined', 'int', 'join', 'map', 'select', 'range(', 'lookup(', 'version', 'regex_search(', "'(a'", 'combine', '__proto__',
  'constructor', '\0', '\n', 'é', '😀',
];

function acceptable(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (e) {
    if (e instanceof InputError) return true;
    throw e;
  }
}

describe('template language properties', () => {
  const tokenSoup = fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((parts) => parts.join(''));

  it('renderString returns a value or throws an InputError, for template-like random strings', () => {
    fc.assert(fc.property(tokenSoup, (text) => acceptable(() => renderString(text, scope))), { numRuns: 3000 });
  });

  it('renderString returns a value or throws an InputError, for arbitrary strings around {{ }}', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (inner) => acceptable(() => renderString(`a {{ ${inner} }} b`, scope))), { numRuns: 2000 });
  });

  it('parseExpression and evaluateCondition return or throw an InputError, never anything else', () => {
    fc.assert(
      fc.property(tokenSoup, (text) => acceptable(() => evaluateCondition(text, scope)) && acceptable(() => referencedVariables(parseExpression(text)))),
      { numRuns: 3000 },
    );
  });

  it('a string without {{ or {% renders as itself', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        fc.pre(!text.includes('{{') && !text.includes('{%'));
        return renderString(text, scope) === text;
      }),
      { numRuns: 1000 },
    );
  });

  it('any string literal survives a round trip through a bare expression (Python escapes)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const literal = `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
        assert.equal(evaluateExpression(literal, scope), text);
        return parseExpression(literal).body.type === 'literal';
      }),
      { numRuns: 1000 },
    );
  });

  it('inside {{ }} a string literal is raw: its backslashes stay, as in Ansible', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        fc.pre(!text.includes("'") && !text.endsWith('\\'));
        assert.equal(renderString(`{{ '${text}' }}`, scope), text);
        return parseTemplate(`{{ '${text}' }}`).parts.length === 1;
      }),
      { numRuns: 1000 },
    );
  });

  it('integer arithmetic agrees with JavaScript for + - * and Python floor division', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: -1e6, max: 1e6 }), (a, b) => {
        fc.pre(b !== 0);
        const got = renderString(`{{ [a + b, a - b, a * b, a // b, a % b] }}`, { a, b });
        assert.deepEqual(got, [a + b, a - b, a * b, Math.floor(a / b), a - b * Math.floor(a / b)]);
      }),
      { numRuns: 500 },
    );
  });
});
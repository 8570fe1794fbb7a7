// Tests of the template language against hostile input: prototypes, deep nesting, huge strings, NUL bytes.
import assert from 'node:assert/strict';
import { InputError } from '../../../../runner/errors.js';
import { Secret } from '../../../../runner/shell/secret.js';
import { evaluateExpression, parseExpression, renderDeep, renderString } from '../../../../runner/template/index.js';

function inputError(run: () => unknown, message?: RegExp): InputError {
  try {
    run();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    if (message !== undefined) assert.match(e.message, message);
    return e;
  }
  assert.fail('expected an InputError');
}

// Not a speed assertion (speed is measured in bench/): a hang guard. A linear pass over these
// inputs takes well under a second even on a loaded 2-core CI machine; a quadratic one takes hours.
const HANG_GUARD_MS = 30_000;

function timed<T>(_expectedMs: number, run: () => T): T {
  const start = process.hrtime.bigint();
  const out = run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  assert.ok(ms < HANG_GUARD_MS, `took ${ms.toFixed(0)} ms: super-linear behaviour`);
  return out;
}

const where = { file: 'evil.yml', line: 1, col: 1 };

describe('template language against hostile input', () => {
  afterEach(() => {
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined, 'Object.prototype was polluted');
  });

  describe('prototype access', () => {
    const scope = {
      obj: { a: 1 },
      list: [1, 2],
      text: 'abc',
      fn: () => 'called',
      when: new Date(0),
      parsed: JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": 1}}') as unknown,
    };

    for (const expr of [
      'obj.constructor',
      'obj.__proto__',
      'obj["__proto__"]',
      'obj["constructor"]["constructor"]',
      'obj.toString',
      'obj.hasOwnProperty',
      'list.length',
      'list.map',
      'list.constructor',
      'text.length',
      'text.constructor',
      'text.prototype',
      'fn',
      'when.getTime',
      'parsed.__proto__',
      'parsed.constructor',
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
    ]) {
      it(`${expr} is undefined, never a prototype or a function`, () => {
        const e = inputError(() => evaluateExpression(expr, scope, where));
        assert.equal(e.kind, 'undefined-variable');
        assert.equal(evaluateExpression(`${expr} is defined`, scope), false);
      });
    }

    it('does not resolve forbidden names even when they are own keys of the scope', () => {
      const hostile = JSON.parse('{"__proto__": "x", "constructor": "y", "prototype": "z"}') as Record<string, unknown>;
      for (const name of ['__proto__', 'constructor', 'prototype']) {
        assert.equal(evaluateExpression(`${name} | default('safe')`, hostile), 'safe');
      }
    });

    for (const expr of ["{'__proto__': {'polluted': 1}}", "{'constructor': 1}", "{'prototype': 1}", "{'a': 1, '__pro' ~ 'to__': {'polluted': 1}}"]) {
      it(`refuses the dict literal ${expr}`, () => {
        inputError(() => evaluateExpression(expr, {}, where), /cannot be used as a key/);
      });
    }

    it('refuses forbidden keys coming from from_json, from_yaml, items2dict and combine', () => {
      inputError(() => evaluateExpression(`'{"__proto__": {"polluted": 1}}' | from_json`, {}));
      inputError(() => evaluateExpression(`'__proto__: {polluted: 1}' | from_yaml`, {}));
      inputError(() => evaluateExpression(`[{'key': '__proto__', 'value': {'polluted': 1}}] | items2dict`, {}));
      // Scope data may hold such own keys (JSON.parse makes them); lookups and copies skip them.
      const bad = JSON.parse('{"__proto__": {"polluted": 1}, "ok": 1}') as unknown;
      const merged = evaluateExpression('{} | combine(bad)', { bad }) as Record<string, unknown>;
      assert.deepEqual(Object.keys(merged), ['ok']);
      assert.equal(Object.getPrototypeOf(merged), Object.prototype);
    });

    it('does not list or count forbidden own keys of scope data', () => {
      assert.deepEqual(evaluateExpression('parsed | list', scope), []);
      assert.equal(evaluateExpression('parsed | length', scope), 0);
      assert.equal(evaluateExpression("'__proto__' in parsed", scope), false);
    });

    it('renderDeep refuses __proto__ keys in the data and builds nothing from them', () => {
      const data = JSON.parse('{"ok": "{{ 1 }}", "__proto__": {"polluted": "yes"}}') as unknown;
      inputError(() => renderDeep(data, {}), /__proto__/);
    });

    it('renderDeep results have the ordinary prototype and only the input keys', () => {
      const out = renderDeep({ a: { b: '{{ 1 + 1 }}' } }, {}) as Record<string, Record<string, unknown>>;
      assert.equal(Object.getPrototypeOf(out), Object.prototype);
      assert.deepEqual(Object.keys(out), ['a']);
      assert.equal(out['a']?.['b'], 2);
    });

    it('has no way to call a function value', () => {
      inputError(() => parseExpression('fn()'), /unknown function 'fn'/);
      inputError(() => parseExpression("obj['a']()"), /only global functions \(range, lookup\) and methods/);
      inputError(() => parseExpression("obj.constructor('x')"), /unknown method 'constructor'/);
      inputError(() => parseExpression("'x'.__class__()"), /unknown method '__class__'/);
    });

    it('keeps a Secret masked when it is joined into text', () => {
      const secret = new Secret('hunter22-very-secret');
      assert.equal(renderString('{{ s }}', { s: secret }), secret);
      assert.doesNotMatch(String(renderString('key={{ s }}', { s: secret })), /hunter22/);
    });
  });

  describe('nesting', () => {
    it('refuses 100 levels of parentheses with a located error', () => {
      const e = inputError(() => renderString(`{{ ${'('.repeat(100)}1${')'.repeat(100)} }}`, {}, where), /nested too deeply/);
      assert.equal(e.where?.line, 1);
      assert.ok((e.where?.col ?? 0) > 1);
    });
    it('refuses 100000 open brackets quickly, without a stack overflow', () => {
      timed(1000, () => inputError(() => parseExpression('['.repeat(100000)), /nested too deeply/));
    });
    it('refuses a megabyte of unary minus signs', () => {
      timed(1000, () => inputError(() => parseExpression(`${'-'.repeat(1 << 20)}1`)));
    });
    it('refuses a long left-deep chain of attribute lookups', () => {
      timed(1000, () => inputError(() => parseExpression(`a${'.b'.repeat(100000)}`), /nested too deeply/));
    });
    it('refuses a cyclic value when it must become text', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      inputError(() => renderString('x={{ c }}', { c: cyclic }), /cycle/);
    });
  });

  describe('size', () => {
    it('returns 10 MB of plain text unchanged in linear time', () => {
      const text = 'a{b}c%d#'.repeat(10 * 1024 * 1024 / 8);
      assert.equal(timed(1000, () => renderString(text, {})), text);
    });
    it('renders 10 MB of text with a template in it quickly', () => {
      const text = `${'x { y } '.repeat(1024 * 1024)}{{ v }}`;
      const out = timed(2000, () => renderString(text, { v: 'END' })) as string;
      assert.ok(out.endsWith(' END'));
    });
    it('parses a 1 MB string literal in linear time', () => {
      const body = 'ab\\ncd'.repeat(1024 * 1024 / 6);
      const out = timed(2000, () => evaluateExpression(`'${body}' | length`, {}));
      assert.equal(out, (body.length / 6) * 5);
    });
    it('parses a 1 MB list literal in linear time', () => {
      const expr = `[${'1,'.repeat(512 * 1024)}] | length`;
      assert.equal(timed(2000, () => evaluateExpression(expr, {})), 512 * 1024);
    });
    it('refuses results that would exhaust memory', () => {
      inputError(() => evaluateExpression("'x' * 10 ** 12", {}), /longer than/);
      inputError(() => evaluateExpression('[1] * 10 ** 9', {}), /longer than/);
      inputError(() => evaluateExpression('range(10 ** 12)', {}), /longer than/);
    });
    it('refuses a regex subject over the limit instead of risking a long backtrack', () => {
      inputError(() => evaluateExpression("s is match('(a+)+$')", { s: 'a'.repeat(2 * 1024 * 1024) }), /longer than/);
    });
  });

  describe('NUL bytes', () => {
    it('passes NUL bytes in text through', () => {
      assert.equal(renderString('a\0{{ x }}\0b', { x: 1 }), 'a\x001\x00b');
    });
    it('keeps NUL bytes inside string literals', () => {
      assert.equal(evaluateExpression("'a\0b' | length", {}), 3);
    });
    it('refuses a NUL byte between tokens with a located error', () => {
      const e = inputError(() => renderString('{{ x \0 }}', { x: 1 }, where), /U\+0000/);
      assert.equal(e.where?.col, 6);
    });
  });
});
// Tests of resolveVariables: vars that use vars, in dependency order, cycles, and facts left unrendered.
import assert from 'node:assert/strict';
import { InputError } from '../../../../runner/errors.js';
import { resolveVariables } from '../../../../runner/template/variables.js';

describe('template variables that use other variables', () => {
  it('renders variables in dependency order, whatever their order in the file', () => {
    const scope = resolveVariables(
      { rule: 'allow from {{ lan }} port {{ port }}', lan: '{{ facts.cidr }}', port: '{{ base_port + 1 }}', ports: ['{{ port }}'] },
      { facts: { cidr: '10.0.0.0/8' }, base_port: 2221 },
    );
    assert.equal(scope['rule'], 'allow from 10.0.0.0/8 port 2222');
    assert.deepEqual(scope['ports'], [2222]);
    assert.deepEqual(scope['facts'], { cidr: '10.0.0.0/8' });
  });

  it('never renders text that comes from the base scope (facts from a host)', () => {
    const scope = resolveVariables({ hostname: '{{ facts.hostname }}' }, { facts: { hostname: '{{ lookup("env", "HOME") }}' }, secret: 1 });
    assert.equal(scope['hostname'], '{{ lookup("env", "HOME") }}');
  });

  it('names the cycle when variables refer to each other', () => {
    assert.throws(
      () => resolveVariables({ a: '{{ b }}', b: 'x{{ c }}', c: ['{{ a }}'] }, {}, (name) => ({ file: 'vars.yml', line: name.charCodeAt(0), col: 1 })),
      (e: unknown) => e instanceof InputError && e.message.includes('a → b → c → a') && e.where?.file === 'vars.yml',
    );
  });

  it('refuses a variable named __proto__', () => {
    const vars = JSON.parse('{"__proto__": {"polluted": 1}}') as Record<string, unknown>;
    assert.throws(() => resolveVariables(vars, {}), (e: unknown) => e instanceof InputError && e.kind === 'vars');
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('lets a variable override one of the base scope', () => {
    assert.equal(resolveVariables({ port: '{{ 40 + 2 }}' }, { port: 22 })['port'], 42);
  });
});
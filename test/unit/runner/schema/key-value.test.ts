// Tests of Ansible's key=value module arguments: how words split, and how values take the param's type.
import assert from 'node:assert/strict';
import { convertKeyValue, parseKeyValue, splitArgs } from '../../../../runner/schema/key-value.js';

const words = (text: string): unknown => {
  const out = splitArgs(text);
  return Array.isArray(out) ? out.map((w) => w.text) : out;
};

describe("Ansible's key=value arguments", () => {
  it('splits on blanks but never inside quotes or {{ }} / {% %}', () => {
    assert.deepEqual(words(`a=1  b="x y" c='p q' d={{ v | default('a b') }} e`), ['a=1', 'b="x y"', "c='p q'", "d={{ v | default('a b') }}", 'e']);
    assert.deepEqual(words('msg="say \\"hi\\" now"'), ['msg="say \\"hi\\" now"']);
  });

  it('reports an open quote or an open {{', () => {
    assert.deepEqual(words('a="x'), { error: 'a double quote is not closed' });
    assert.deepEqual(words("a='x"), { error: 'a single quote is not closed' });
    assert.deepEqual(words('a={{ x'), { error: "a '{{' or '{%' is not closed" });
  });

  it('removes one pair of outer quotes from a value, and keeps a free form as written', () => {
    assert.deepEqual(parseKeyValue(`cmd  "a  b"   creates="/x y" tail`, (k) => k === 'creates'), { params: { creates: '/x y' }, freeForm: 'cmd  "a  b"   tail' });
    // Recorded from ansible-core 2.14: a parameter word goes with the blanks after it.
    assert.equal((parseKeyValue('echo a  chdir=/tmp   b', (k) => k === 'chdir') as { freeForm: string }).freeForm, 'echo a  b');
    assert.equal((parseKeyValue('chdir=/tmp   echo a   b', (k) => k === 'chdir') as { freeForm: string }).freeForm, 'echo a   b');
    assert.deepEqual(parseKeyValue('echo x=1', () => false), { params: {}, freeForm: 'echo x=1' });
  });

  it("converts a value by the param's type as Ansible does: booleans, integers, lists; strings and templates stay", () => {
    const bool = { type: 'boolean' };
    for (const yes of ['yes', 'Yes', 'on', 'true', 'True', '1', 'y']) assert.equal(convertKeyValue(yes, bool), true, yes);
    for (const no of ['no', 'NO', 'off', 'false', '0', 'n']) assert.equal(convertKeyValue(no, bool), false, no);
    assert.equal(convertKeyValue('maybe', bool), 'maybe', 'left for validation to refuse');
    assert.equal(convertKeyValue('22', { type: 'integer' }), 22);
    assert.equal(convertKeyValue('0644', { type: ['string', 'integer'] }), '0644');
    assert.deepEqual(convertKeyValue('ufw, wireguard', { type: 'array' }), ['ufw', 'wireguard']);
    assert.equal(convertKeyValue('{{ flag }}', bool), '{{ flag }}');
    assert.equal(convertKeyValue('x', undefined), 'x');
  });
});

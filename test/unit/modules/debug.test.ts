// Tests modules/debug.ts: plan cases from fixtures, and how values are rendered.
import { strict as assert } from 'node:assert';
import { render } from '../../../modules/debug.js';
import { findModule } from '../../../modules/index.js';
import type { AnyModule } from '../../../runner/module.js';
import { Secret } from '../../../runner/shell/secret.js';
import { describeFixtures, testFacts } from './fixtures.js';

const debug = findModule('debug') as AnyModule;

describeFixtures(debug);

describe('debug module', () => {
  it('renders a Secret masked, alone or inside a value', () => {
    assert.equal(render(new Secret('hunter2-secret')), '«redacted»');
    assert.equal(render({ key: new Secret('hunter2-secret') }), '{\n  "key": "«redacted»"\n}');
  });

  it('renders an undefined var as undefined', () => {
    assert.equal(debug.message?.({ var: 'nope' }, null, { expressions: new Map([['nope', undefined]]) }), 'nope = undefined');
  });

  it('changes nothing and reads nothing', () => {
    assert.equal(debug.probe({ msg: 'x' }, testFacts()).script.isEmpty, true);
    assert.deepEqual(debug.plan({ msg: 'x' }, null, testFacts(), { expressions: new Map() }), []);
  });
});

// Tests modules/assert.ts: plan cases from fixtures, and that it reads nothing from the host.
import { strict as assert } from 'node:assert';
import { findModule } from '../../../modules/index.js';
import { InternalError } from '../../../runner/errors.js';
import type { AnyModule } from '../../../runner/module.js';
import { describeFixtures, testFacts } from './fixtures.js';

const assertModule = findModule('assert') as AnyModule;

describeFixtures(assertModule);

describe('assert module', () => {
  it('has an empty probe script, so the executor runs nothing on the host', () => {
    assert.equal(assertModule.probe({ that: ['x'] }, testFacts()).script.isEmpty, true);
  });

  it('names that as its expression param', () => {
    assert.deepEqual(assertModule.expressionParams, ['that']);
  });

  it('reports an expression the executor did not evaluate as a bug', () => {
    assert.throws(() => assertModule.plan({ that: ['x'] }, null, testFacts(), { expressions: new Map() }), InternalError);
  });
});

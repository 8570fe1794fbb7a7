// The block rules on their own (runner/executor/blocks.ts): where a host goes after a failure,
// over flat task lists whose tasks carry only their enclosing blocks.
import assert from 'node:assert/strict';
import type { BlockFrame, TaskSpec } from '../../../../runner/load/types.js';
import { leaveFailingBlocks, recover, skipUnenteredRescues, type Failing } from '../../../../runner/executor/blocks.js';

/** A task list from frame specs: '' is outside any block, '0b' block 0's tasks, '0b1r' block 1's rescue inside block 0. */
const tasks = (...specs: string[]): TaskSpec[] =>
  specs.map((spec) => {
    const blocks: BlockFrame[] = [...spec.matchAll(/(\d+)([bra])/g)].map((m) => ({ id: Number(m[1]), part: ({ b: 'block', r: 'rescue', a: 'always' } as const)[m[2] as 'b' | 'r' | 'a'] }));
    return { blocks } as unknown as TaskSpec;
  });

describe('block rules', () => {
  it('goes to the rescue of the failing block, marked rescued by that block', () => {
    const list = tasks('0b', '0b', '0r', '0a', '');
    assert.deepEqual(recover(list, 0, list[0]?.blocks ?? [], new Map()), { next: 2, rescuedBy: 0 });
  });

  it('goes to always without a rescue and keeps the failure pending until the host leaves the block', () => {
    const list = tasks('0b', '0a', '0a', '');
    const failing: Failing = new Map();
    assert.deepEqual(recover(list, 0, list[0]?.blocks ?? [], failing), { next: 1 });
    assert.equal(failing.has(0), true);
    assert.deepEqual(leaveFailingBlocks(list, 2, failing), { next: 2 }, 'still inside always');
    assert.equal(leaveFailingBlocks(list, 3, failing), undefined, 'leaving it fails the host');
  });

  it('passes an inner failure to the outer rescue once the inner always is done', () => {
    const list = tasks('0b1b', '0b1a', '0b', '0r', '');
    const failing: Failing = new Map();
    assert.deepEqual(recover(list, 0, list[0]?.blocks ?? [], failing), { next: 1 });
    assert.deepEqual(leaveFailingBlocks(list, 2, failing), { next: 3, rescuedBy: 0 });
  });

  it('fails the host for a failure in always or outside any block', () => {
    const list = tasks('0b', '0a', '');
    assert.equal(recover(list, 1, list[1]?.blocks ?? [], new Map()), undefined);
    assert.equal(recover(list, 2, [], new Map()), undefined);
  });

  it('passes over a rescue reached in order, and not over one entered by a failure', () => {
    const list = tasks('0b', '0r', '0r', '0a');
    assert.equal(skipUnenteredRescues(list, 1, new Set()), 3);
    assert.equal(skipUnenteredRescues(list, 1, new Set([0])), 1);
  });
});

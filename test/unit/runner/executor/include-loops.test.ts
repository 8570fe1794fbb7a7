// Tests of runner/executor/include-loops.ts: an include_tasks looping over a template, repeated per item on a host.
import assert from 'node:assert/strict';
import { expandIncludeLoops, type IncludeLoopContext } from '../../../../runner/executor/include-loops.js';
import type { InventoryHost } from '../../../../runner/inventory/types.js';
import type { IncludeLoop, PlaySpec, TaskSpec } from '../../../../runner/load/types.js';

const WHERE = { file: 'play.yml', line: 3, col: 7 };

function taskOf(name: string, includeLoop?: IncludeLoop): TaskSpec {
  return {
    name, module: 'debug', params: {}, paramWhere: {}, when: [], loopVar: 'item', notify: [], tags: [], vars: { keep: 1 },
    changedWhen: [], failedWhen: [], ignoreErrors: false, noLog: false, listen: [], baseDirs: [], where: WHERE,
    ...(includeLoop ? { includeLoop } : {}),
  };
}

const play = { name: 'p', hosts: 'all', vars: {}, tasks: [], handlers: [] } as unknown as PlaySpec;
const host = { name: 'h', vars: {}, groups: [] } as unknown as InventoryHost;
const ctx = (scope: Record<string, unknown>, registered: Record<string, unknown> = {}): IncludeLoopContext => ({ scope, registered, play, host, extraVars: {} });

describe('runner/executor/include-loops', () => {
  it('repeats the group of an include loop per item, all its tasks for one item before the next, with the loop variable set', () => {
    const loop: IncludeLoop = { loop: '{{ users }}', loopWhere: WHERE, loopVar: 'user' };
    const tasks = [taskOf('before'), taskOf('a', loop), taskOf('b', loop), taskOf('after')];
    const out = expandIncludeLoops(tasks, ctx({ users: ['ada', 'bob'] }));
    assert.deepEqual(out.map((t) => `${t.name}${t.vars.user === undefined ? '' : `:${String(t.vars.user)}`}`), ['before', 'a:ada', 'b:ada', 'a:bob', 'b:bob', 'after']);
    assert.equal(out[1]?.vars.keep, 1);
  });

  it('keeps two includes of the same file apart (one loop object each) and reads registered results from earlier plays', () => {
    const one: IncludeLoop = { loop: '{{ xs }}', loopWhere: WHERE, loopVar: 'item' };
    const two: IncludeLoop = { loop: '{{ earlier.items }}', loopWhere: WHERE, loopVar: 'item' };
    const out = expandIncludeLoops([taskOf('t', one), taskOf('t', two)], ctx({ xs: [1] }, { earlier: { items: [2, 3] } }));
    assert.deepEqual(out.map((t) => t.vars.item), [1, 2, 3]);
  });

  it("renders the include's loop as a list, whatever loop style the first included task has", () => {
    const loop: IncludeLoop = { loop: '{{ pairs }}', loopWhere: WHERE, loopVar: 'pair' };
    const first: TaskSpec = { ...taskOf('a', loop), loop: '{{ pair }}', loopStyle: 'items' };
    const out = expandIncludeLoops([first], ctx({ pairs: [[1, 2], [3, 4]] }));
    assert.deepEqual(out.map((t) => t.vars.pair), [[1, 2], [3, 4]]);
    assert.throws(() => expandIncludeLoops([first], ctx({ pairs: 'one' })), /loop must be a list, got string/);
  });

  it('returns the list itself when nothing loops, and a located error when a loop is not a list', () => {
    const tasks = [taskOf('x')];
    assert.equal(expandIncludeLoops(tasks, ctx({})), tasks);
    const loop: IncludeLoop = { loop: '{{ n }}', loopWhere: WHERE, loopVar: 'item' };
    assert.throws(() => expandIncludeLoops([taskOf('a', loop)], ctx({ n: 5 })), (e: Error & { where?: unknown }) => /loop must be a list, got number/.test(e.message) && JSON.stringify(e.where) === JSON.stringify(WHERE));
  });
});

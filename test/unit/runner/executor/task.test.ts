// The rules of runner/module.ts as runTaskOnce applies them, with small test modules whose scripts
// run for real in a local shell (a scratch directory stands for the host's state).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalConnection } from '../../../../runner/connection/local.js';
import { TaskError } from '../../../../runner/errors.js';
import { runTaskOnce, type TaskRunContext } from '../../../../runner/executor/task.js';
import { emptyFacts } from '../../../../runner/facts/facts.js';
import type { TaskSpec } from '../../../../runner/load/types.js';
import { defineModule, eraseModule, type AnyModule, type Change } from '../../../../runner/module.js';
import { sh } from '../../../../runner/shell/script.js';

const WHERE = { file: 'play.yml', line: 3, col: 7 };

function taskOf(module: string): TaskSpec {
  return {
    name: `a ${module} task`, module, params: {}, paramWhere: {}, when: [], loopVar: 'item', notify: [], tags: [], vars: {},
    changedWhen: [], failedWhen: [], ignoreErrors: false, noLog: false, listen: [], baseDirs: [], where: WHERE,
  };
}

const schema = { type: 'object', additionalProperties: false, properties: { note: { type: 'string', description: 'unused' } }, examples: [{}] } as const;

/** A module that wants `path` to exist: probe tests it, the change's script creates it (or not). */
function fileModule(path: string, createScript = sh`: > ${path}`): AnyModule {
  return eraseModule(defineModule<typeof schema, { present: boolean }>({
    name: 'exists',
    summary: 'test: a file exists',
    schema,
    probe: () => ({ script: sh`test -e ${path} && echo yes || echo no`, parse: (r) => ({ present: r.stdout.trim() === 'yes' }) }),
    plan: (_p, o): Change[] => (o.present ? [] : [{ action: '+', target: path, summary: `create ${path}`, script: createScript }]),
  }));
}

let dir: string;
let conn: LocalConnection;

function context(module: { readonly name: string; readonly summary: string }, more: Partial<TaskRunContext> = {}): TaskRunContext {
  return { conn, facts: emptyFacts({ ...conn.endpoint }), check: false, diff: false, becomeUser: undefined, timeoutMs: undefined, module: eraseModule(module), earlierPending: false, ...more };
}

describe('runTaskOnce: the module contract as the executor applies it', function () {
  this.timeout(20_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-task-'));
    conn = new LocalConnection({ host: 'local' });
  });
  afterEach(async () => {
    await conn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies a plan, verifies it with a second plan, and reports changed', async () => {
    const path = join(dir, 'wanted');
    const out = await runTaskOnce(taskOf('exists'), {}, context(fileModule(path)));
    assert.equal(out.status, 'changed');
    assert.equal(out.pending, false);
    assert.ok(existsSync(path));
    const again = await runTaskOnce(taskOf('exists'), {}, context(fileModule(path)));
    assert.equal(again.status, 'ok');
  });

  it('runs nothing in check mode: the change is pending and the host is untouched', async () => {
    const path = join(dir, 'wanted');
    const out = await runTaskOnce(taskOf('exists'), {}, context(fileModule(path), { check: true }));
    assert.equal(out.status, 'changed');
    assert.equal(out.pending, true);
    assert.equal(existsSync(path), false);
  });

  it('fails with kind not-converged when the second plan still has a change', async () => {
    const path = join(dir, 'never');
    const out = await runTaskOnce(taskOf('exists'), {}, context(fileModule(path, sh`true`)));
    assert.equal(out.status, 'failed');
    assert.equal(out.errorKind, 'not-converged');
    assert.match(out.reason ?? '', /^did not converge: after applying, 1 change\(s\) remain: create /);
  });

  it('does not count a `!` run toward convergence', async () => {
    const runEveryTime = defineModule<typeof schema, null>({
      name: 'runner', summary: 'test: always runs', schema,
      probe: () => ({ script: sh``, parse: () => null }),
      plan: (): Change[] => [{ action: '!', target: 'x', summary: 'run x', script: sh`true` }],
    });
    const out = await runTaskOnce(taskOf('runner'), {}, context(runEveryTime));
    assert.equal(out.status, 'changed');
  });

  it('fails a run-only plan whose script exits non-zero with kind command and its rc', async () => {
    const failing = defineModule<typeof schema, null>({
      name: 'runner', summary: 'test: a failing run', schema, verify: false,
      probe: () => ({ script: sh``, parse: () => null }),
      plan: (): Change[] => [{ action: '!', target: 'x', summary: 'run x', script: sh`echo oops >&2; exit 3` }],
    });
    const out = await runTaskOnce(taskOf('runner'), {}, context(failing));
    assert.equal(out.status, 'failed');
    assert.equal(out.errorKind, 'command');
    assert.match(out.reason ?? '', /^command failed \(exit 3\): oops/);
    assert.equal(out.registered['rc'], 3);
  });

  it('fails a state change whose script exits non-zero with kind module', async () => {
    const out = await runTaskOnce(taskOf('exists'), {}, context(fileModule(join(dir, 'x'), sh`exit 4`)));
    assert.equal(out.errorKind, 'module');
    assert.match(out.reason ?? '', /^change failed \(exit 4\)/);
  });

  it('fails a change that runs past the timeout with kind timeout', async () => {
    const out = await runTaskOnce(taskOf('exists'), {}, context(fileModule(join(dir, 'x'), sh`sleep 5`), { timeoutMs: 300 }));
    assert.equal(out.status, 'failed');
    assert.equal(out.errorKind, 'timeout');
  });

  it('relays the plan\'s private data untouched to the module\'s own apply', async () => {
    const secretPlan = { steps: ['a', 'b'] };
    let received: unknown;
    let sawChanges: readonly Change[] = [];
    const path = join(dir, 'made-by-apply');
    const own = defineModule<typeof schema, boolean, typeof secretPlan>({
      name: 'own', summary: 'test: applies itself', schema,
      probe: () => ({ script: sh`test -e ${path} && echo yes || echo no`, parse: (r) => r.stdout.trim() === 'yes' }),
      plan: (_p, present) => ({ changes: present ? [] : [{ action: '+', target: path, summary: 'made by apply' }], private: secretPlan }),
      async apply(changes, ctx, privateData) {
        received = privateData;
        sawChanges = changes;
        await ctx.run(sh`: > ${path}`);
      },
    });
    const out = await runTaskOnce(taskOf('own'), {}, context(own));
    assert.equal(out.status, 'changed');
    assert.equal(received, secretPlan, 'the very object the plan returned');
    assert.deepEqual(sawChanges.map((c) => c.summary), ['made by apply']);
  });

  it('fails as a bug (kind internal) when a module without apply plans a change without a script', async () => {
    const broken = defineModule<typeof schema, null>({
      name: 'broken', summary: 'test: a change with no script', schema,
      probe: () => ({ script: sh``, parse: () => null }),
      plan: (): Change[] => [{ action: '~', target: 'x', summary: 'change x' }],
    });
    const out = await runTaskOnce(taskOf('broken'), {}, context(broken));
    assert.equal(out.status, 'failed');
    assert.equal(out.errorKind, 'internal');
    assert.match(out.reason ?? '', /has no script and the module no apply/);
  });

  it('reports a precondition after earlier pending changes in check mode as pending, and fails it otherwise', async () => {
    const needs = defineModule<typeof schema, null>({
      name: 'needs', summary: 'test: needs a file', schema,
      probe: () => ({ script: sh``, parse: () => null }),
      plan: () => {
        throw new TaskError('precondition', '/etc/x: file does not exist');
      },
    });
    const pending = await runTaskOnce(taskOf('needs'), {}, context(needs, { check: true, earlierPending: true }));
    assert.equal(pending.status, 'changed');
    assert.equal(pending.pending, true);
    const failed = await runTaskOnce(taskOf('needs'), {}, context(needs, { check: true, earlierPending: false }));
    assert.equal(failed.status, 'failed');
    assert.equal(failed.errorKind, 'precondition');
  });

  it('fails a probe past the timeout with kind timeout before planning', async () => {
    let planned = false;
    const slow = defineModule<typeof schema, null>({
      name: 'slow', summary: 'test: a slow probe', schema,
      probe: () => ({ script: sh`sleep 5`, parse: () => null }),
      plan: (): Change[] => {
        planned = true;
        return [];
      },
    });
    const out = await runTaskOnce(taskOf('slow'), {}, context(slow, { timeoutMs: 300 }));
    assert.equal(out.errorKind, 'timeout');
    assert.equal(planned, false);
  });

  it('fails with kind schema when the rendered params break the module schema', async () => {
    const strict = fileModule(join(dir, 'x'));
    const task = { ...taskOf('exists'), params: { unknown_param: 1 } };
    const out = await runTaskOnce(task, {}, context(strict));
    assert.equal(out.errorKind, 'schema');
    assert.match(out.reason ?? '', /play\.yml:3:7/);
  });
});

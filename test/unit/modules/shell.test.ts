// Tests modules/shell.ts: plan cases from fixtures, and shell lines run for real under /bin/sh.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModule } from '../../../modules/index.js';
import type { AnyModule } from '../../../runner/module.js';
import { applyHere, describeFixtures, planHere, prepare, type ShellRun } from './fixtures.js';

const shell = findModule('shell') as AnyModule;

describeFixtures(shell);

describe('shell module scripts under /bin/sh', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-shell-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (params: Record<string, unknown>): ShellRun | null => {
    const valid = prepare(shell, params);
    assert.ok(valid, 'params should be valid');
    const changes = planHere(shell, valid, dir);
    return changes.length === 0 ? null : applyHere(changes, dir);
  };

  it('runs pipes, redirections and variables', () => {
    const r = run({ cmd: 'X=1; printf "a\\nb\\n" | wc -l > n; cat n; echo $X' });
    assert.equal(r?.stdout.replace(/ /g, ''), '2\n1\n');
  });

  it('runs through executable -c', () => {
    const r = run({ cmd: 'echo "$0"', executable: '/bin/sh' });
    assert.equal(r?.stdout, '/bin/sh\n');
  });

  it('does not run again once creates exists', () => {
    const params = { cmd: 'touch made', chdir: dir, creates: 'made' };
    assert.equal(run(params)?.status, 0);
    assert.ok(existsSync(join(dir, 'made')));
    assert.equal(run(params), null);
  });
});

// Tests of runner/report/retry.ts: the retry file names exactly the failed and unreachable hosts.
import assert from 'node:assert/strict';
import { access, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retryHosts, writeRetryFile } from '../../../../runner/report/retry.js';
import { scriptedRun } from './scripted-run.js';

describe('retry file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sparkbook-retry-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('picks failed and unreachable hosts from the recap, in recap order', () => {
    const end = scriptedRun().at(-1);
    assert.ok(end?.type === 'run:end');
    assert.deepEqual(retryHosts(end.recap), ['spark-02', 'spark-03']);
  });

  it('writes one host per line into a new .sparkbook directory, atomically', async () => {
    const path = join(dir, '.sparkbook', 'retry');
    assert.equal(await writeRetryFile(path, ['spark-02', 'spark-03', 'spark-02']), true);
    assert.equal(await readFile(path, 'utf8'), 'spark-02\nspark-03\n');
    assert.deepEqual(await readdir(join(dir, '.sparkbook')), ['retry']);
  });

  it('removes a stale retry file when no host failed', async () => {
    const path = join(dir, 'retry');
    await writeRetryFile(path, ['spark-09']);
    assert.equal(await writeRetryFile(path, []), false);
    await assert.rejects(access(path));
  });
});

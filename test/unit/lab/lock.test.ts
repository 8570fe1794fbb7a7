// Tests test/lab/lock.ts: holders run one at a time, and a lock left by a dead process is broken at once.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDirLock } from '../../lab/lock.js';

describe('lab directory lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sbl-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs holders one at a time and removes the lock after each', async () => {
    const lock = join(dir, 'l');
    const events: string[] = [];
    const hold = (id: string) =>
      withDirLock(lock, 5000, 60_000, async () => {
        events.push(`${id}+`);
        await new Promise((r) => setTimeout(r, 50));
        events.push(`${id}-`);
      });
    await Promise.all([hold('a'), hold('b')]);
    assert.ok(events.join(' ') === 'a+ a- b+ b-' || events.join(' ') === 'b+ b- a+ a-', events.join(' '));
    assert.equal(existsSync(lock), false);
  });

  it('breaks a lock whose holder process is gone', async () => {
    const lock = join(dir, 'l');
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner'), JSON.stringify({ pid: 2 ** 22 + 1, start: '1' })); // above pid_max: never alive
    const t = Date.now();
    assert.equal(await withDirLock(lock, 5000, 60_000, async () => 'ran'), 'ran');
    assert.ok(Date.now() - t < 2000);
  });

  it('gives up with a timeout while a live process holds the lock', async () => {
    const lock = join(dir, 'l');
    await withDirLock(lock, 1000, 60_000, async () => {
      await assert.rejects(withDirLock(lock, 300, 60_000, async () => 'never'), /held for over/);
    });
  });

  it('releases the lock when the holder throws', async () => {
    const lock = join(dir, 'l');
    await assert.rejects(withDirLock(lock, 1000, 60_000, async () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(existsSync(lock), false);
  });
});

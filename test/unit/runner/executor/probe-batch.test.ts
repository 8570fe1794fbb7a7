// Batched probes: one channel carries many probes, each keeping its own stdout, stderr and exit
// code, and the executor uses the batch only until the first apply.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalConnection } from '../../../../runner/connection/local.js';
import type { Connection, RunOptions } from '../../../../runner/connection/connection.js';
import { ProbeBatch, batchScript, parseBatch } from '../../../../runner/executor/probe-batch.js';
import { sh, type Script } from '../../../../runner/shell/script.js';
import { emptyFacts } from '../../../../runner/facts/facts.js';
import { loadInventory } from '../../../../runner/inventory/index.js';
import { loadPlaybook } from '../../../../runner/load/playbook.js';
import { runPlaybook } from '../../../../runner/executor/run.js';
import { findModule } from '../../../../modules/index.js';

class CountingConnection extends LocalConnection {
  runs = 0;
  override run(script: Script, options?: RunOptions) {
    this.runs++;
    return super.run(script, options);
  }
}

describe('probe batches', function () {
  this.timeout(30_000);

  it('returns each probe its own stdout, stderr and exit code, whatever the probe prints or does', async () => {
    const probes = [
      sh`printf 'no newline'`,
      sh`echo out; echo err >&2; exit 3`,
      sh`set -e; false; echo unreachable`,
      sh`printf '@@sbprobe:fake:0:rc 9\n'; exit 0`,
      sh`cat; echo "stdin was empty"`,
      sh`exit 0`,
    ];
    const conn = new LocalConnection();
    const result = await conn.run(batchScript(probes, 'n0nce'));
    const parsed = parseBatch(result.stdout, probes.length, 'n0nce', result.durationMs);
    assert.deepEqual(parsed.map((r) => r && [r.stdout, r.stderr, r.exitCode]), [
      ['no newline', '', 0],
      ['out\n', 'err\n', 3],
      ['', '', 1],
      ['@@sbprobe:fake:0:rc 9\n', '', 0],
      ['stdin was empty\n', '', 0],
      ['', '', 0],
    ]);
  });

  it('answers a prefetched probe until invalidate(), and only for the same become user', async () => {
    const conn = new CountingConnection();
    const batch = new ProbeBatch();
    const a = sh`echo a`;
    const b = sh`echo b`;
    await batch.prefetch(conn, [{ script: a, becomeUser: undefined }, { script: b, becomeUser: undefined }], {});
    assert.equal(conn.runs, 1, 'two probes, one channel');
    assert.equal(batch.take(sh`echo a`, undefined)?.stdout, 'a\n');
    assert.equal(batch.take(sh`echo a`, undefined)?.stdout, 'a\n', 'the same probe again: the host has not changed');
    assert.equal(batch.take(b, 'root'), undefined, 'another become user is another probe');
    assert.equal(batch.take(b, undefined)?.stdout, 'b\n');
    batch.invalidate();
    assert.equal(batch.take(b, undefined), undefined);
  });

  it('makes a converged play cost one channel per host, and a changing play probe just in time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparkbook-batch-'));
    try {
      writeFileSync(join(dir, 'inv.yml'), `all:\n  hosts:\n    h:\n      ansible_connection: local\n`);
      writeFileSync(join(dir, 'play.yml'), `- name: p\n  hosts: all\n  gather_facts: false\n  tasks:\n` +
        ['a', 'b', 'c', 'd'].map((f) => `    - name: ${f}\n      file: { path: "${dir}/${f}", content: "${f}" }\n`).join(''));
      const inventory = await loadInventory(join(dir, 'inv.yml'));
      const playbook = await loadPlaybook(join(dir, 'play.yml'));
      const runOnce = async (): Promise<CountingConnection> => {
        const conn = new CountingConnection({ host: 'h' });
        await runPlaybook({
          playbook, inventory, findModule, emit: () => undefined,
          access: { open: async () => conn as Connection, gather: async (c) => emptyFacts({ ...c.endpoint }) },
          options: { check: false, diff: false, forks: 1, tags: [], skipTags: [], extraVars: {} },
        });
        return conn;
      };
      const first = await runOnce();
      // batch (4 probes) + 4 × (apply + verify) + JIT probes for b, c, d after the first apply.
      assert.equal(first.runs, 1 + 4 * 2 + 3);
      const second = await runOnce();
      assert.equal(second.runs, 1, 'nothing to change: every probe came from the one batch');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

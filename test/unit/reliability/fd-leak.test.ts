// Descriptors and memory across many runs in one process (the soak's little sibling, no lab):
// 5 local hosts × 8 runs of a playbook with facts, files, commands and a failing host, through
// runPlaybook and the CLI's createHostAccess. The descriptor count must come back to where it was.
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, closeSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModule } from '../../../modules/index.js';
import { createHostAccess } from '../../../runner/commands/host-access.js';
import { runPlaybook } from '../../../runner/executor/run.js';
import { loadInventory } from '../../../runner/inventory/index.js';
import { loadPlaybook } from '../../../runner/load/playbook.js';
import { addFigure } from '../../support/figures.js';

const HOSTS = 5;
const RUNS = 8;

const fds = (): number => readdirSync('/proc/self/fd').length;

describe('no descriptor leaks across runs in one process', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-fds-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('negative control: an unclosed file shows in the count', () => {
    const before = fds();
    const fd = openSync(join(dir, 'leak'), 'w');
    assert.equal(fds(), before + 1);
    closeSync(fd);
    assert.equal(fds(), before);
  });

  it(`runs ${HOSTS} local hosts × ${RUNS} runs with the descriptor count back where it started`, async () => {
    const hosts = Array.from({ length: HOSTS }, (_, i) => `h${i}`);
    writeFileSync(join(dir, 'inventory.yml'), `all:\n  hosts:\n${hosts.map((h) => `    ${h}:\n      ansible_connection: local\n      scratch: ${join(dir, h)}\n`).join('')}`);
    writeFileSync(
      join(dir, 'play.yml'),
      `- hosts: all
  tasks:
    - file: { path: "{{ scratch }}", state: directory }
    - file: { path: "{{ scratch }}/f", content: "run {{ run }}\\n" }
    - command: { argv: ["true"] }
    - command: { argv: ["false"] }
      when: inventory_hostname == 'h3'
`,
    );
    writeFileSync(join(dir, 'ssh_config'), '');
    const inventory = await loadInventory(join(dir, 'inventory.yml'));
    const playbook = await loadPlaybook(join(dir, 'play.yml'));
    const counts: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const access = createHostAccess({ hostKeyPolicy: 'strict', env: process.env, sshConfigPath: join(dir, 'ssh_config') });
      const summary = await runPlaybook({
        playbook, inventory, access, findModule, emit: () => undefined,
        options: { check: run % 2 === 0, diff: true, forks: 5, tags: [], skipTags: [], extraVars: { run } },
      });
      // In check mode the failing command is only pending.
      assert.deepEqual(summary.failedHosts, run % 2 === 0 ? [] : ['h3']);
      await new Promise((r) => setTimeout(r, 20));
      counts.push(fds());
    }
    const leaked = Math.max(0, (counts[counts.length - 1] ?? 0) - (counts[0] ?? 0));
    addFigure('fds.leaked', leaked);
    assert.equal(leaked, 0, `descriptors after each run: ${counts.join(' ')}`);
  });
});

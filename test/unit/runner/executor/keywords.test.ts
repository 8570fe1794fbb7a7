// Ansible's task and block keywords on real local shells (LocalConnection per host, each in its
// own scratch directory): block/rescue/always, ignore_errors counted as ignored, and the rest.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalConnection } from '../../../../runner/connection/local.js';
import { emptyFacts } from '../../../../runner/facts/facts.js';
import { loadInventory } from '../../../../runner/inventory/index.js';
import { loadPlaybook } from '../../../../runner/load/playbook.js';
import { runPlaybook, type RunSummary } from '../../../../runner/executor/run.js';
import type { RunEvent, TaskResult } from '../../../../runner/executor/events.js';
import type { ExecutorOptions, HostAccess } from '../../../../runner/executor/options.js';
import { findModule } from '../../../../modules/index.js';

let dir: string;

function inventoryOf(hosts: readonly string[]): string {
  const lines = ['all:', '  hosts:'];
  for (const h of hosts) lines.push(`    ${h}:`, `      ansible_connection: local`, `      scratch: ${join(dir, h)}`);
  const path = join(dir, 'inventory.yml');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const access: HostAccess = {
  open: async (host) => new LocalConnection({ host: host.name }),
  gather: async (conn) => emptyFacts({ ...conn.endpoint }),
};

interface Ran {
  readonly summary: RunSummary;
  readonly results: TaskResult[];
  /** Task names in the order they ran on the first host. */
  readonly ran: string[];
  /** Messages (debug) by task name on the first host. */
  readonly messages: Record<string, string | undefined>;
}

async function run(playbookText: string, hosts: readonly string[] = ['h1'], options: Partial<ExecutorOptions> = {}, files: Record<string, string> = {}): Promise<Ran> {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const inventory = await loadInventory(inventoryOf(hosts));
  const path = join(dir, 'play.yml');
  writeFileSync(path, playbookText);
  const playbook = await loadPlaybook(path);
  const events: RunEvent[] = [];
  const summary = await runPlaybook({
    playbook, inventory, access, findModule, emit: (e) => events.push(e),
    options: { check: false, diff: false, forks: 5, tags: [], skipTags: [], extraVars: {}, ...options },
  });
  const results = events.flatMap((e) => (e.type === 'task:end' ? [e.result] : []));
  const first = results.filter((r) => r.host === hosts[0]);
  return { summary, results, ran: first.map((r) => r.task), messages: Object.fromEntries(first.map((r) => [r.task, r.message])) };
}

const play = (tasks: string, head = ''): string => `- hosts: all\n  gather_facts: false\n${head}  tasks:\n${tasks.replace(/^/gm, '    ')}\n`;

describe('task and block keywords', function () {
  this.timeout(30_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-keywords-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('block, rescue, always', () => {
    it('runs rescue after a failure in the block, skips the rest of the block, runs always, and the host goes on', async () => {
      const { summary, ran, messages } = await run(play(`- block:
    - name: fails
      command: { argv: ["false"] }
    - name: skipped by the failure
      debug: { msg: no }
  rescue:
    - name: rescue
      debug: { msg: "{{ ansible_failed_task.name }} rc={{ ansible_failed_result.rc }}" }
  always:
    - name: always
      debug: { msg: yes }
- name: after
  debug: { msg: after }`));
      assert.deepEqual(ran, ['fails', 'rescue', 'always', 'after']);
      assert.equal(messages.rescue, 'fails rc=1');
      assert.deepEqual(summary.failedHosts, []);
      const recap = summary.recap[0];
      assert.equal(recap?.failed, 0);
      assert.equal(recap?.rescued, 1);
      assert.equal(recap?.ok, 3);
    });

    it('runs always after a failure without rescue, then fails the host: later tasks never run', async () => {
      const { summary, ran } = await run(play(`- block:
    - name: fails
      command: { argv: ["false"] }
  always:
    - name: always
      debug: { msg: yes }
- name: after
  debug: { msg: after }`));
      assert.deepEqual(ran, ['fails', 'always']);
      assert.deepEqual(summary.failedHosts, ['h1']);
      assert.equal(summary.recap[0]?.failed, 1);
    });

    it('runs always when the rescue fails too, and fails the host', async () => {
      const { summary, ran } = await run(play(`- block:
    - name: fails
      command: { argv: ["false"] }
  rescue:
    - name: rescue fails
      command: { argv: ["false"] }
    - name: rest of rescue
      debug: { msg: no }
  always:
    - name: always
      debug: { msg: yes }
- name: after
  debug: { msg: after }`));
      assert.deepEqual(ran, ['fails', 'rescue fails', 'always']);
      assert.deepEqual(summary.failedHosts, ['h1']);
    });

    it('runs block and always, not rescue, when nothing fails', async () => {
      const { ran, summary } = await run(play(`- block:
    - name: fine
      debug: { msg: a }
  rescue:
    - name: rescue
      debug: { msg: no }
  always:
    - name: always
      debug: { msg: yes }`));
      assert.deepEqual(ran, ['fine', 'always']);
      assert.equal(summary.recap[0]?.rescued, undefined);
    });

    it('passes an unrescued inner failure to the outer rescue after the inner always', async () => {
      const { ran, summary } = await run(play(`- block:
    - block:
        - name: inner fails
          command: { argv: ["false"] }
      always:
        - name: inner always
          debug: { msg: a }
    - name: rest of outer
      debug: { msg: no }
  rescue:
    - name: outer rescue
      debug: { msg: "{{ ansible_failed_task.name }}" }
  always:
    - name: outer always
      debug: { msg: b }
- name: after
  debug: { msg: after }`));
      assert.deepEqual(ran, ['inner fails', 'inner always', 'outer rescue', 'outer always', 'after']);
      assert.deepEqual(summary.failedHosts, []);
    });

    it('fails the host when a task in always fails, even after a rescue', async () => {
      const { ran, summary } = await run(play(`- block:
    - name: fails
      command: { argv: ["false"] }
  rescue:
    - name: rescue
      debug: { msg: r }
  always:
    - name: always fails
      command: { argv: ["false"] }
    - name: rest of always
      debug: { msg: no }
- name: after
  debug: { msg: after }`));
      assert.deepEqual(ran, ['fails', 'rescue', 'always fails']);
      assert.deepEqual(summary.failedHosts, ['h1']);
    });

    it('passes when, vars and tags of a block to its rescue and always tasks', async () => {
      const { ran, messages } = await run(play(`- block:
    - name: fails
      command: { argv: ["false"] }
  rescue:
    - name: rescue
      debug: { msg: "{{ who }}" }
  always:
    - name: always
      debug: { msg: "{{ who }}" }
  vars: { who: block }
- block:
    - name: skipped by when
      debug: { msg: x }
  always:
    - name: always skipped by when
      debug: { msg: x }
  when: false`));
      assert.deepEqual(ran, ['fails', 'rescue', 'always', 'skipped by when', 'always skipped by when']);
      assert.equal(messages.rescue, 'block');
      assert.equal(messages.always, 'block');
    });
  });

  describe('ignore_errors', () => {
    it('counts an ignored failure as ignored, not failed, and the host goes on', async () => {
      const { summary, ran } = await run(play(`- name: fails
  command: { argv: ["false"] }
  ignore_errors: true
- name: after
  debug: { msg: after }`));
      assert.deepEqual(ran, ['fails', 'after']);
      assert.equal(summary.recap[0]?.failed, 0);
      assert.equal(summary.recap[0]?.ignored, 1);
      assert.deepEqual(summary.failedHosts, []);
    });
  });
});

export { existsSync, readFileSync };

// Ansible's task and block keywords on real local shells (LocalConnection per host, each in its
// own scratch directory): block/rescue/always, ignore_errors counted as ignored, and the rest.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostError, type InputErrors } from '../../../../runner/errors.js';
import type { Connection, RunOptions, RunResult } from '../../../../runner/connection/connection.js';
import type { Script } from '../../../../runner/shell/script.js';
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

/** A local connection that is lost (HostError) for any script that mentions LOSE_CONNECTION. */
class LosingConnection extends LocalConnection {
  override run(script: Script, options?: RunOptions): Promise<RunResult> {
    if (script.toString().includes('LOSE_CONNECTION')) return Promise.reject(new HostError('unreachable', this.host, `${this.host}: connection lost`));
    return super.run(script, options);
  }
}

/** Host `remote` pretends to connect over ssh; any script it is given fails the test. */
const sshLike = (host: string): Connection => ({
  host,
  endpoint: { transport: 'ssh', address: '192.0.2.1', port: 22, user: 'u' },
  run: () => Promise.reject(new Error('a script was sent to the ssh host')),
  close: async () => undefined,
});

const access: HostAccess = {
  open: async (host) => (host.name === 'remote' ? sshLike(host.name) : new LosingConnection({ host: host.name })),
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

  describe('set_fact', () => {
    it('sets host variables that later tasks and later plays read, templated per host, cacheable ignored', async () => {
      const { ran, messages } = await run(`- hosts: all
  gather_facts: false
  tasks:
    - name: set
      set_fact:
        greeting: "hello {{ inventory_hostname }}"
        count: "{{ 2 + 3 }}"
        cacheable: true
    - name: read
      debug: { msg: "{{ greeting }} {{ count + 1 }} {{ cacheable is defined }}" }
- hosts: all
  gather_facts: false
  tasks:
    - name: later play
      ansible.builtin.debug: { msg: "{{ greeting }}" }
`, ['h1', 'h2']);
      assert.deepEqual(ran, ['set', 'read', 'later play']);
      assert.equal(messages.read, 'hello h1 6 False');
      assert.equal(messages['later play'], 'hello h1');
    });

    it('lets each loop item see what the previous item set, and works in check mode', async () => {
      const { messages, summary } = await run(play(`- name: grow
  ansible.builtin.set_fact: { acc: "{{ (acc | default([])) + [item] }}" }
  loop: [a, b, c]
- name: show
  debug: { msg: "{{ acc | join(',') }}" }`), ['h1'], { check: true });
      assert.equal(messages.show, 'a,b,c');
      assert.equal(summary.recap[0]?.changed, 0);
    });

    it('is refused at load time with a located error for a variable name that is not one', async () => {
      await assert.rejects(run(play(`- set_fact: { "bad-name": 1 }`)), (e: InputErrors) => {
        const first = e.errors[0];
        assert.match(first?.message ?? '', /'bad-name' is not a valid variable name/);
        assert.deepEqual([first?.where?.line, first?.where?.col], [4, 19]);
        return true;
      });
    });
  });

  describe('until, retries, delay', () => {
    const counter = (file: string): string => `n=$(cat ${file} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${file}; echo $n`;

    it('runs the task again until the condition holds, and registers attempts', async () => {
      const f = join(dir, 'n');
      const { messages, summary } = await run(play(`- name: poll
  command: { cmd: '${counter(f)}' }
  register: r
  until: r.stdout == "3"
  retries: 5
  delay: 0
- name: show
  debug: { msg: "{{ r.attempts }} {{ r.stdout }}" }`));
      assert.equal(messages.show, '3 3');
      assert.deepEqual(summary.failedHosts, []);
    });

    it('fails after retries + 1 attempts when the condition never holds (result bound as result too)', async () => {
      const f = join(dir, 'n');
      const { results, summary } = await run(play(`- name: poll
  command: { cmd: '${counter(f)}' }
  until: result.stdout == "99"
  retries: 2
  delay: 0`));
      assert.equal(readFileSync(f, 'utf8').trim(), '3');
      assert.deepEqual(summary.failedHosts, ['h1']);
      assert.match(results[0]?.reason ?? '', /until was still false after 3 attempt/);
    });

    it('does not retry a pending result in check mode: nothing ran', async () => {
      const f = join(dir, 'n');
      const { summary } = await run(play(`- name: poll
  command: { cmd: '${counter(f)}' }
  until: result.stdout == "99"
  delay: 0`), ['h1'], { check: true });
      assert.equal(existsSync(f), false);
      assert.deepEqual(summary.failedHosts, []);
    });
  });

  describe('loops', () => {
    it('with_items flattens nested lists one level, and takes a scalar as one item', async () => {
      const { results } = await run(play(`- name: items
  debug: { msg: "{{ item }}" }
  with_items: [a, [b, [c]], d]
- name: scalar
  debug: { msg: "{{ item }}" }
  with_items: "{{ 'one' }}"`));
      assert.deepEqual(results.filter((r) => r.task === 'items').map((r) => r.message), ['a', 'b', JSON.stringify(['c'], null, 2), 'd']);
      assert.deepEqual(results.filter((r) => r.task === 'scalar').map((r) => r.message), ['one']);
    });

    it('with_list keeps nested lists, with_dict gives item.key and item.value', async () => {
      const { results } = await run(play(`- name: list
  debug: { msg: "{{ item | length }}" }
  with_list: [[1, 2], [3]]
- name: dict
  debug: { msg: "{{ item.key }}={{ item.value }}" }
  with_dict: "{{ {'a': 1, 'b': 2} }}"`));
      assert.deepEqual(results.filter((r) => r.task === 'list').map((r) => r.message), ['2', '1']);
      assert.deepEqual(results.filter((r) => r.task === 'dict').map((r) => r.message), ['a=1', 'b=2']);
    });

    it('with_fileglob loops over the matching files next to the playbook, sorted, directories left out', async () => {
      const { mkdirSync } = await import('node:fs');
      mkdirSync(join(dir, 'files', 'sub.conf'), { recursive: true });
      for (const f of ['b.conf', 'a.conf', 'c.txt']) writeFileSync(join(dir, 'files', f), f);
      const { results } = await run(play(`- name: glob
  debug: { msg: "{{ item | basename }}" }
  with_fileglob: files/*.conf
- name: none
  debug: { msg: "{{ item }}" }
  with_fileglob: [nowhere/*.conf]`));
      assert.deepEqual(results.filter((r) => r.task === 'glob').map((r) => r.message), ['a.conf', 'b.conf']);
      assert.deepEqual(results.filter((r) => r.task === 'none'), [], 'a pattern that matches nothing is an empty loop');
    });

    it('with_together zips lists, null where one is shorter', async () => {
      const { results } = await run(play(`- name: zip
  debug: { msg: "{{ item[0] }}-{{ item[1] is none }}" }
  with_together: [[a, b, c], [1, 2]]`));
      assert.deepEqual(results.map((r) => r.message), ['a-False', 'b-False', 'c-True']);
    });

    it('ansible_check_mode says what the task itself does under check_mode', async () => {
      const { results } = await run(play(`- name: dry
  debug: { msg: "{{ ansible_check_mode }}" }
  check_mode: true
- name: run
  debug: { msg: "{{ ansible_check_mode }}" }`));
      assert.deepEqual(results.map((r) => r.message), ['true', 'false']);
    });

    it('loop_control.label is what the result shows for an item; index_var counts from 0', async () => {
      const { results } = await run(play(`- name: users
  debug: { msg: "{{ i }}:{{ user.name }}" }
  loop: [{ name: ann, secret: x }, { name: bob, secret: y }]
  loop_control: { loop_var: user, index_var: i, label: "{{ user.name }}" }`));
      assert.deepEqual(results.map((r) => [r.message, r.item]), [['0:ann', 'ann'], ['1:bob', 'bob']]);
    });

    it('fails the item whose when cannot be evaluated: the items before it are reported, and register holds them all', async () => {
      const { results, messages } = await run(play(`- name: looped
  debug: { msg: "{{ item }}" }
  loop: [1, 2]
  when: item == 1 or nothere.x
  register: r
  ignore_errors: true
- name: after
  debug: { msg: "{{ r.results | length }}-{{ r.failed }}-{{ r.results[1].failed }}" }`));
      const looped = results.filter((r) => r.task === 'looped');
      assert.deepEqual(looped.map((r) => [r.status, r.item]), [['ok', 1], ['failed', 2]]);
      assert.match(looped[1]?.reason ?? '', /nothere/);
      assert.match(looped[1]?.reason ?? '', /\(ignored: ignore_errors\)$/);
      assert.equal(messages.after, '2-True-True');
    });

    it('registers a loop that does not render as a failure with its message', async () => {
      const { results, messages } = await run(play(`- name: broken
  debug: { msg: "{{ item }}" }
  loop: "{{ nothere }}"
  register: r
  ignore_errors: true
- name: after
  debug: { msg: "{{ r.failed }}-{{ r.results | length }}-{{ 'nothere' in r.msg }}" }`));
      assert.deepEqual(results.filter((r) => r.task === 'broken').map((r) => r.status), ['failed']);
      assert.equal(messages.after, 'True-0-True');
    });

    it('refuses two loops on one task, located at the second', async () => {
      await assert.rejects(run(play(`- debug: { msg: x }
  loop: [a]
  with_items: [b]`)), (e: InputErrors) => {
        assert.match(e.errors[0]?.message ?? '', /a task has one loop: 'with_items' and 'loop'/);
        assert.equal(e.errors[0]?.where?.line, 6);
        return true;
      });
    });
  });

  describe('environment', () => {
    it('exports play, block and task variables for the task, the innermost winning, values quoted', async () => {
      const out = join(dir, 'env');
      const { summary } = await run(`- hosts: all
  gather_facts: false
  environment: { A: play, B: play, C: "it's $(rm -rf /tmp/x) \\"q\\"" }
  tasks:
    - block:
        - name: env
          command: { cmd: 'echo "$A $B $C $D" > ${out}' }
          environment: { A: task, D: "{{ 40 + 2 }}" }
      environment: "{{ {'B': 'block'} }}"
`);
      assert.deepEqual(summary.failedHosts, []);
      assert.equal(readFileSync(out, 'utf8'), 'task block it\'s $(rm -rf /tmp/x) "q" 42\n');
    });

    it('refuses a variable name that is not a shell name, at load time and located', async () => {
      await assert.rejects(run(play(`- debug: { msg: x }
  environment: { "A-B": x }`)), (e: InputErrors) => {
        assert.equal(e.errors[0]?.where?.line, 5);
        return true;
      });
    });
  });

  describe('check_mode', () => {
    it('check_mode: true only plans the task without --check; false applies it under --check', async () => {
      const a = join(dir, 'a');
      const b = join(dir, 'b');
      const { results } = await run(play(`- name: dry
  file: { path: ${a}, content: x }
  check_mode: true
- block:
    - name: wet
      file: { path: ${b}, content: x }
  check_mode: false`), ['h1'], { check: false });
      assert.equal(existsSync(a), false);
      assert.equal(existsSync(b), true);
      assert.deepEqual(results.map((r) => [r.task, r.status, r.pending]), [['dry', 'changed', true], ['wet', 'changed', false]]);
      rmSync(b);
      const checked = await run(play(`- name: wet
  file: { path: ${b}, content: x }
  check_mode: false`), ['h1'], { check: true });
      assert.equal(existsSync(b), true, 'applied under --check');
      assert.equal(checked.results[0]?.pending, false);
    });
  });

  describe('run_once', () => {
    it('runs on one host of the batch; every host registers its result and gets its set_fact', async () => {
      const log = join(dir, 'log');
      const { results, summary } = await run(`- hosts: all
  gather_facts: false
  tasks:
    - name: once
      command: { cmd: 'echo {{ inventory_hostname }} >> ${log}; echo {{ inventory_hostname }}' }
      register: r
      run_once: true
    - name: fact once
      set_fact: { leader: "{{ inventory_hostname }}" }
      run_once: true
    - name: show
      debug: { msg: "{{ r.stdout }} {{ leader }}" }
`, ['h1', 'h2', 'h3']);
      const ranOn = readFileSync(log, 'utf8').trim().split('\n');
      assert.equal(ranOn.length, 1, 'the command ran once');
      const leader = ranOn[0] ?? '';
      const shown = results.filter((r) => r.task === 'show').map((r) => r.message);
      assert.deepEqual(shown, [`${leader} ${leader}`, `${leader} ${leader}`, `${leader} ${leader}`]);
      assert.deepEqual(summary.failedHosts, []);
    });

    it("shows a role task's templated name with the role's vars on every host, the leader and those taking its result", async () => {
      const { mkdirSync } = await import('node:fs');
      for (const r of ['one', 'two']) for (const d of ['tasks', 'vars']) mkdirSync(join(dir, 'roles', r, d), { recursive: true });
      // Both roles set `who`: play-wide the later one wins, role one's own task sees its own.
      const { results } = await run(`- hosts: all
  gather_facts: false
  roles: [one, two]
`, ['h1', 'h2'], {}, {
        'roles/one/tasks/main.yml': '- name: "once for {{ who }}"\n  debug: { msg: x }\n  run_once: true\n',
        'roles/one/vars/main.yml': 'who: role one\n',
        'roles/two/tasks/main.yml': '- debug: { msg: x }\n',
        'roles/two/vars/main.yml': 'who: role two\n',
      });
      assert.deepEqual(results.filter((r) => r.task.startsWith('one')).map((r) => r.task), ['one : once for role one', 'one : once for role one']);
    });
  });

  describe('ignore_unreachable', () => {
    it('lets a host whose connection is lost during the task go on, counted ignored', async () => {
      const { ran, summary } = await run(play(`- name: lost
  command: { cmd: 'echo LOSE_CONNECTION' }
  ignore_unreachable: true
  register: r
- name: after
  debug: { msg: "{{ r.unreachable }}" }
- name: lost for good
  command: { cmd: 'echo LOSE_CONNECTION' }
- name: never
  debug: { msg: x }`));
      assert.deepEqual(ran, ['lost', 'after', 'lost for good']);
      assert.equal(summary.recap[0]?.ignored, 1);
      assert.equal(summary.recap[0]?.unreachable, 1);
      assert.deepEqual(summary.failedHosts, ['h1']);
    });
  });

  describe('connection: local on a play', () => {
    it('runs a play whose hosts connect locally, and fails a host that does not, located, before any task', async () => {
      const ok = await run(`- hosts: all\n  connection: local\n  gather_facts: false\n  tasks:\n    - name: here\n      debug: { msg: x }\n`);
      assert.deepEqual(ok.ran, ['here']);
      const refused = await run(`- hosts: all\n  connection: local\n  gather_facts: false\n  tasks:\n    - name: here\n      debug: { msg: x }\n`, ['h1', 'remote']);
      const remote = refused.results.filter((r) => r.host === 'remote');
      assert.deepEqual(remote.map((r) => r.status), ['failed']);
      assert.match(remote[0]?.reason ?? '', /play\.yml:1:3: connection: local, but remote connects over ssh/);
      assert.deepEqual(refused.summary.failedHosts, ['remote']);
      assert.deepEqual(refused.results.filter((r) => r.host === 'h1').map((r) => r.task), ['here']);
    });
  });

    describe('meta', () => {
    it('flush_handlers runs the handlers notified so far at that point, and not again at the end', async () => {
      const { ran } = await run(`- hosts: all
  gather_facts: false
  tasks:
    - name: change
      file: { path: "{{ scratch }}", state: directory }
      notify: handler
    - meta: flush_handlers
    - name: after flush
      debug: { msg: x }
    - ansible.builtin.meta: noop
  handlers:
    - name: handler
      debug: { msg: handled }
`);
      assert.deepEqual(ran, ['change', 'handler', 'after flush']);
    });

    it('flush_handlers runs a handler include that loops over a template once per item, as the end of the play does', async () => {
      const { ran, messages, summary } = await run(`- hosts: all
  gather_facts: false
  vars: { xs: [a, b] }
  tasks:
    - name: change
      file: { path: "{{ scratch }}", state: directory }
      notify: hs
    - meta: flush_handlers
    - name: after flush
      debug: { msg: x }
  handlers:
    - include_tasks: h.yml
      loop: "{{ xs }}"
      loop_control: { loop_var: x }
`, ['h1'], {}, { 'h.yml': '- name: "h {{ x }}"\n  debug: { msg: "{{ x }}" }\n  listen: hs\n' });
      assert.deepEqual(summary.failedHosts, []);
      assert.deepEqual(ran, ['change', 'h {{ x }}', 'h {{ x }}', 'after flush']);
      assert.equal(messages['h {{ x }}'], 'b');
    });

    it('refuses a meta action sparkbook does not do, located', async () => {
      await assert.rejects(run(play(`- meta: end_play`)), (e: InputErrors) => {
        assert.equal(e.errors[0]?.where?.line, 4);
        assert.match(e.errors[0]?.message ?? '', /flush_handlers/);
        return true;
      });
    });
  });

  describe('ignore_errors', () => {
    it('counts an ignored failure as ignored, not failed, and the host goes on', async () => {
      const { summary, ran, results } = await run(play(`- name: fails
  command: { argv: ["false"] }
  ignore_errors: true
- name: after
  debug: { msg: after }`));
      assert.deepEqual(ran, ['fails', 'after']);
      assert.equal(summary.recap[0]?.failed, 0);
      assert.equal(summary.recap[0]?.ignored, 1);
      assert.deepEqual(summary.failedHosts, []);
      assert.match(results[0]?.reason ?? '', /\(ignored: ignore_errors\)$/);
    });
  });
});


// The executor's control flow on real local shells: many inventory hosts, each a LocalConnection
// working in its own scratch directory, so batching, budgets, handlers and loops run for real.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostError } from '../../../../runner/errors.js';
import { LocalConnection } from '../../../../runner/connection/local.js';
import { emptyFacts } from '../../../../runner/facts/facts.js';
import { loadInventory } from '../../../../runner/inventory/index.js';
import { loadPlaybook } from '../../../../runner/load/playbook.js';
import { runPlaybook, type RunSummary } from '../../../../runner/executor/run.js';
import type { RunEvent, TaskResult } from '../../../../runner/executor/events.js';
import type { ExecutorOptions, HostAccess } from '../../../../runner/executor/options.js';
import { findModule } from '../../../../modules/index.js';
import { FACT_GROUPS } from '../../../../runner/facts/groups.js';

let dir: string;

function inventoryOf(hosts: readonly string[], extra: Record<string, Record<string, unknown>> = {}): string {
  const lines = ['all:', '  hosts:'];
  for (const h of hosts) {
    lines.push(`    ${h}:`, `      ansible_connection: local`, `      scratch: ${join(dir, h)}`);
    for (const [k, v] of Object.entries(extra[h] ?? {})) lines.push(`      ${k}: ${JSON.stringify(v)}`);
  }
  const path = join(dir, 'inventory.yml');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function playbookOf(text: string): string {
  const path = join(dir, 'play.yml');
  writeFileSync(path, text);
  return path;
}

const access = (unreachable: ReadonlySet<string> = new Set()): HostAccess => ({
  open: async (host) => {
    if (unreachable.has(host.name)) throw new HostError('unreachable', host.name, `${host.name}: connection refused`);
    return new LocalConnection({ host: host.name });
  },
  gather: async (conn) => emptyFacts({ ...conn.endpoint }),
});

async function run(playbookText: string, hosts: readonly string[], options: Partial<ExecutorOptions> = {}, extra: Record<string, Record<string, unknown>> = {}, unreachable?: ReadonlySet<string>): Promise<{ summary: RunSummary; events: RunEvent[]; results: TaskResult[] }> {
  const inventory = await loadInventory(inventoryOf(hosts, extra));
  const playbook = await loadPlaybook(playbookOf(playbookText));
  const events: RunEvent[] = [];
  const summary = await runPlaybook({
    playbook, inventory, access: access(unreachable), findModule, emit: (e) => events.push(e),
    options: { check: false, diff: false, forks: 5, tags: [], skipTags: [], extraVars: {}, ...options },
  });
  const results = events.flatMap((e) => (e.type === 'task:end' ? [e.result] : []));
  return { summary, events, results };
}

const hosts = (n: number): string[] => Array.from({ length: n }, (_, i) => `h${String(i + 1).padStart(2, '0')}`);

describe('executor', function () {
  this.timeout(30_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-exec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stops a rollout after the batch whose failures exceed max_fail_percentage, and skips the rest', async () => {
    const pb = `- name: roll\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: fail on demand\n      command: { argv: ["false"] }\n      when: should_fail | default(false)\n    - name: mark\n      file: { path: "{{ scratch }}", state: directory }\n`;
    const names = hosts(20);
    const { summary } = await run(pb, names, { serial: [5], maxFailPercentage: 10 }, { h07: { should_fail: true } });
    assert.deepEqual(summary.failedHosts, ['h07']);
    assert.equal(summary.stopped, true);
    const ran = names.filter((h) => existsSync(join(dir, h)));
    assert.deepEqual(ran, ['h01', 'h02', 'h03', 'h04', 'h05', 'h06', 'h08', 'h09', 'h10']);
    const skipped = summary.recap.filter((r) => r.note?.startsWith('skipped (rollout stopped')).map((r) => r.host);
    assert.deepEqual(skipped, names.slice(10));
    assert.equal(summary.recap.length, 20, 'every host is in the recap');
  });

  it('runs a notified handler once per host at the end of the play, only when a task changed', async () => {
    const pb = `- name: h\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: dir\n      file: { path: "{{ scratch }}", state: directory }\n      notify: log\n    - name: file\n      file: { path: "{{ scratch }}/f", content: "x" }\n      notify: [log]\n    - name: unchanged\n      debug: { msg: hi }\n      notify: other\n  handlers:\n    - name: log\n      command: { cmd: 'echo once >> "{{ scratch }}/handler"' }\n    - name: other\n      command: { cmd: 'echo never >> "{{ scratch }}/other"' }\n`;
    await run(pb, ['a', 'b']);
    for (const h of ['a', 'b']) {
      assert.equal(readFileSync(join(dir, h, 'handler'), 'utf8'), 'once\n');
      assert.equal(existsSync(join(dir, h, 'other')), false);
    }
    await run(pb, ['a', 'b']);
    assert.equal(readFileSync(join(dir, 'a', 'handler'), 'utf8'), 'once\n', 'no change, no handler');
  });

  it('changes nothing in check mode and reports the plan as pending', async () => {
    const pb = `- name: c\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: dir\n      file: { path: "{{ scratch }}", state: directory }\n    - name: cmd\n      command: { cmd: 'touch "{{ scratch }}.ran"' }\n`;
    const { results, summary } = await run(pb, ['a'], { check: true });
    assert.equal(existsSync(join(dir, 'a')), false);
    assert.equal(existsSync(join(dir, 'a.ran')), false);
    assert.deepEqual(results.map((r) => [r.task, r.status, r.pending]), [['dir', 'changed', true], ['cmd', 'changed', true]]);
    assert.equal(summary.changed, true);
  });

  it('loops, registers results and evaluates when per item', async () => {
    const pb = `- name: l\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: dir\n      file: { path: "{{ scratch }}", state: directory }\n    - name: files\n      file: { path: "{{ scratch }}/{{ item }}", content: "{{ item }}" }\n      loop: [one, two, three]\n      when: item != 'two'\n      register: made\n    - name: count\n      command: { cmd: 'echo {{ made.results | selectattr("changed") | list | length }} > "{{ scratch }}/count"' }\n`;
    await run(pb, ['a']);
    assert.equal(readFileSync(join(dir, 'a', 'one'), 'utf8'), 'one');
    assert.equal(existsSync(join(dir, 'a', 'two')), false);
    assert.equal(readFileSync(join(dir, 'a', 'count'), 'utf8'), '2\n');
  });

  it('fails a command by its exit code, unless failed_when says otherwise, and changed_when decides changed', async () => {
    const pb = `- name: f\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: grep nothing\n      command: { argv: [sh, -c, 'exit 1'] }\n      register: r\n      failed_when: r.rc > 1\n      changed_when: false\n    - name: after\n      debug: { msg: "rc was {{ r.rc }}" }\n`;
    const { results, summary } = await run(pb, ['a']);
    assert.deepEqual(results.map((r) => r.status), ['ok', 'ok']);
    assert.equal(results[1]?.message, 'rc was 1');
    assert.deepEqual(summary.failedHosts, []);
  });

  it('keeps a failing or unreachable host to itself: the other hosts finish their work', async () => {
    const pb = `- name: iso\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: maybe fail\n      command: { argv: ["false"] }\n      when: inventory_hostname == 'b'\n    - name: dir\n      file: { path: "{{ scratch }}", state: directory }\n`;
    const { summary } = await run(pb, ['a', 'b', 'c', 'd'], {}, {}, new Set(['d']));
    assert.deepEqual([...summary.failedHosts].sort(), ['b', 'd']);
    assert.equal(existsSync(join(dir, 'a')), true);
    assert.equal(existsSync(join(dir, 'c')), true);
    assert.equal(summary.recap.find((r) => r.host === 'd')?.unreachable, 1);
  });

  it('stops every host at the first failure with any_errors_fatal', async () => {
    const pb = `- name: fatal\n  hosts: all\n  gather_facts: false\n  any_errors_fatal: true\n  serial: 1\n  tasks:\n    - name: fail on b\n      command: { argv: ["false"] }\n      when: inventory_hostname == 'b'\n    - name: dir\n      file: { path: "{{ scratch }}", state: directory }\n`;
    const { summary } = await run(pb, ['a', 'b', 'c']);
    assert.equal(existsSync(join(dir, 'a')), true);
    assert.equal(existsSync(join(dir, 'c')), false);
    assert.match(summary.recap.find((r) => r.host === 'c')?.note ?? '', /rollout stopped/);
  });

  it('notes hosts that any_errors_fatal stopped part way, so their unfinished play is not mistaken for success', async () => {
    const pb = `- name: fatal\n  hosts: all\n  gather_facts: false\n  any_errors_fatal: true\n  tasks:\n    - name: fail on b, others busy\n      command: { cmd: "if [ {{ inventory_hostname }} = b ]; then exit 1; fi; sleep 0.5" }\n    - name: dir\n      file: { path: "{{ scratch }}", state: directory }\n`;
    const { summary } = await run(pb, ['a', 'b', 'c']);
    assert.deepEqual(summary.failedHosts, ['b']);
    for (const h of ['a', 'c']) {
      assert.equal(existsSync(join(dir, h)), false, `${h} stopped before its second task`);
      assert.match(summary.recap.find((r) => r.host === h)?.note ?? '', /^stopped \(any_errors_fatal/, h);
    }
    assert.equal(summary.recap.find((r) => r.host === 'b')?.note, undefined, 'the failed host speaks for itself');
  });

  it('never starts a host waiting for a fork once another failed under any_errors_fatal', async () => {
    const pb = `- name: fatal\n  hosts: all\n  gather_facts: false\n  any_errors_fatal: true\n  tasks:\n    - name: fail on a\n      command: { argv: ["false"] }\n      when: inventory_hostname == 'a'\n    - name: dir\n      file: { path: "{{ scratch }}", state: directory }\n`;
    const { summary, events } = await run(pb, ['a', 'b', 'c'], { forks: 1 });
    assert.deepEqual(events.flatMap((e) => (e.type === 'host:start' ? [e.host] : [])), ['a']);
    for (const h of ['b', 'c']) assert.match(summary.recap.find((r) => r.host === h)?.note ?? '', /^skipped \(rollout stopped: any_errors_fatal\)/, h);
  });

  it('runs only tagged tasks with --tags and skips with --skip-tags, always-tagged tasks included', async () => {
    const pb = `- name: t\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: base\n      file: { path: "{{ scratch }}", state: directory }\n      tags: [always]\n    - name: a\n      file: { path: "{{ scratch }}/a", content: a }\n      tags: [alpha]\n    - name: b\n      file: { path: "{{ scratch }}/b", content: b }\n      tags: [beta]\n`;
    await run(pb, ['x'], { tags: ['alpha'] });
    assert.deepEqual(['a', 'b'].map((f) => existsSync(join(dir, 'x', f))), [true, false]);
    await run(pb, ['y'], { skipTags: ['alpha'] });
    assert.deepEqual(['a', 'b'].map((f) => existsSync(join(dir, 'y', f))), [false, true]);
  });

  it('splits hosts into shards that cover every host exactly once', async () => {
    const pb = `- name: s\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: dir\n      file: { path: "{{ scratch }}", state: directory }\n`;
    const names = hosts(12);
    const seen: string[] = [];
    for (let k = 1; k <= 3; k++) {
      const { summary } = await run(pb, names, { shard: { index: k, count: 3 } });
      seen.push(...summary.recap.map((r) => r.host));
    }
    assert.deepEqual(seen.sort(), names);
  });
  describe('facts gathered by need', () => {
    function recordingAccess(asked: string[][]): HostAccess {
      return {
        open: async (host) => new LocalConnection({ host: host.name }),
        gather: async (conn, _become, groups) => {
          asked.push([...groups].sort());
          return emptyFacts({ ...conn.endpoint });
        },
      };
    }
    async function gatheredGroups(text: string, extraVars: Record<string, unknown> = {}): Promise<string[][]> {
      const inventory = await loadInventory(inventoryOf(['a']));
      const playbook = await loadPlaybook(playbookOf(text));
      const asked: string[][] = [];
      await runPlaybook({
        playbook, inventory, access: recordingAccess(asked), findModule, emit: () => undefined,
        options: { check: true, diff: false, forks: 5, tags: [], skipTags: [], extraVars },
      });
      return asked;
    }

    it('gathers only the base group for a play that reads no fact, and adds what its templates and modules read', async () => {
      assert.deepEqual(await gatheredGroups(`- hosts: all\n  tasks:\n    - debug: { msg: hi }\n`), [['base']]);
      assert.deepEqual(
        await gatheredGroups(`- hosts: all\n  tasks:\n    - debug: { msg: "{{ facts.os.id }}" }\n      when: facts.ufw is none\n`),
        [['base', 'ufw']],
      );
      assert.deepEqual(
        await gatheredGroups(`- hosts: all\n  tasks:\n    - wireguard: { address: 10.8.0.1/24, nat: false }\n`),
        [['base', 'network']],
      );
    });

    it('gathers every group when a template reads facts as a whole, or extra vars read a group', async () => {
      assert.deepEqual(await gatheredGroups(`- hosts: all\n  tasks:\n    - debug: { msg: "{{ facts | to_json }}" }\n`), [[...FACT_GROUPS].sort()]);
      assert.deepEqual(await gatheredGroups(`- hosts: all\n  tasks:\n    - debug: { msg: "{{ x }}" }\n`, { x: '{{ facts.tailscale }}' }), [['base', 'tailscale']]);
    });

    it('a later play gathers only the groups still missing while nothing changed', async () => {
      const two = `- hosts: all\n  tasks:\n    - debug: { msg: "{{ facts.os.id }}" }\n- hosts: all\n  tasks:\n    - debug: { msg: "{{ facts.sysctl.ipv4Forward }} {{ facts.os.id }}" }\n- hosts: all\n  tasks:\n    - debug: { msg: "{{ facts.os.id }}" }\n`;
      assert.deepEqual(await gatheredGroups(two), [['base'], ['sysctl']]);
    });
  });

  it('sends no probe to a host for tasks --start-at-task skips, in an earlier play or before the start', async () => {
    const inventory = await loadInventory(inventoryOf(['a']));
    const playbook = await loadPlaybook(playbookOf(
      `- hosts: all\n  gather_facts: false\n  tasks:\n    - file: { path: "{{ scratch }}/x", state: directory }\n    - file: { path: "{{ scratch }}/y", state: directory }\n` +
      `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: skipped too\n      file: { path: "{{ scratch }}/z", state: directory }\n    - name: start here\n      debug: { msg: hi }\n`,
    ));
    const scripts: string[] = [];
    const counting: HostAccess = {
      open: async (host) => {
        const conn = new LocalConnection({ host: host.name });
        const run = conn.run.bind(conn);
        conn.run = async (script, options) => {
          scripts.push(script.raw());
          return run(script, options);
        };
        return conn;
      },
      gather: async (conn) => emptyFacts({ ...conn.endpoint }),
    };
    const events: RunEvent[] = [];
    await runPlaybook({
      playbook, inventory, access: counting, findModule, emit: (e) => events.push(e),
      options: { check: true, diff: false, forks: 5, tags: [], skipTags: [], extraVars: {}, startAtTask: 'start here' },
    });
    assert.deepEqual(scripts, [], 'probes were sent for tasks that never run');
    const ran = events.flatMap((e) => (e.type === 'task:end' ? [e.result.task] : []));
    assert.deepEqual(ran, ['start here']);
  });
});

// Tests of runner/load/playbook.ts: good playbooks become PlaySpec/TaskSpec with locations;
// imports, blocks and vars_files are flattened; cycles and bad paths are located errors.
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { loadPlaybook } from '../../../../runner/load/playbook.js';
import type { PlaySpec, TaskSpec } from '../../../../runner/load/types.js';
import { FAKE_MODULES, ROOT, fixture, rejection, writeTree } from './support.js';

const SITE = relative(ROOT, fixture('load', 'site.yml'));

function task(play: PlaySpec, name: string): TaskSpec {
  const t = play.tasks.find((x) => x.name === name) ?? play.handlers.find((x) => x.name === name);
  assert.ok(t, `task '${name}' exists (have: ${play.tasks.map((x) => x.name).join(', ')})`);
  return t;
}

async function loadInline(text: string, extra: Record<string, string> = {}) {
  const dir = await writeTree({ 'pb.yml': text, ...extra });
  return { dir, load: () => loadPlaybook(join(dir, 'pb.yml'), { modules: FAKE_MODULES }) };
}

describe('runner/load/playbook', () => {
  describe('a playbook using every feature (test/fixtures/load/site.yml)', () => {
    it('puts imported plays in place, in order', async () => {
      const pb = await loadPlaybook(SITE);
      assert.equal(pb.file, SITE);
      assert.deepEqual(pb.plays.map((p) => p.name), ['all', 'Firewall']);
      assert.equal(pb.plays[0]?.where.file, 'test/fixtures/load/plays/base.yml');
      assert.equal(pb.plays[0]?.gatherFacts, false);
    });

    it('reads play keywords and normalises hosts, serial and tags', async () => {
      const play = (await loadPlaybook(SITE)).plays[1] as PlaySpec;
      assert.equal(play.hosts, 'sparks,gpu');
      assert.deepEqual(play.serial, [1, '50%', 3]);
      assert.equal(play.maxFailPercentage, 25);
      assert.equal(play.anyErrorsFatal, true);
      assert.equal(play.become, true);
      assert.equal(play.becomeUser, 'root');
      assert.deepEqual(play.tags, ['firewall']);
      assert.deepEqual(play.where, { file: SITE, line: 4, col: 3 });
    });

    it('merges vars_files over the play vars', async () => {
      const play = (await loadPlaybook(SITE)).plays[1] as PlaySpec;
      assert.deepEqual(play.vars, { lan_cidr: '192.168.1.0/24', motd: 'from vars file', ntp_server: 'time.example.org' });
    });

    it('concatenates pre_tasks, tasks (blocks and imports flattened) and post_tasks', async () => {
      const play = (await loadPlaybook(SITE)).plays[1] as PlaySpec;
      assert.deepEqual(
        play.tasks.map((t) => t.name),
        [
          'debug starting on {{ inventory_hostname }}',
          'Write the motd',
          'sysctl net.ipv4.ip_forward',
          'file /tmp/{{ dir }}',
          'command',
          'Common file',
          'file /etc/nested',
          'command',
        ],
      );
    });

    it('locates each task and each param value (after a quote for quoted strings)', async () => {
      const play = (await loadPlaybook(SITE)).plays[1] as PlaySpec;
      const motd = task(play, 'Write the motd');
      assert.deepEqual(motd.where, { file: SITE, line: 19, col: 7 });
      assert.deepEqual(motd.paramWhere.path, { file: SITE, line: 21, col: 15 });
      assert.deepEqual(motd.paramWhere.content, { file: SITE, line: 22, col: 19 });
      assert.deepEqual(motd.templateWhere?.['/content'], motd.paramWhere.content);
    });

    it('normalises notify and tags to lists and keeps register, changed_when and no_log', async () => {
      const play = (await loadPlaybook(SITE)).plays[1] as PlaySpec;
      const motd = task(play, 'Write the motd');
      assert.deepEqual(motd.notify, ['reload things']);
      assert.deepEqual(motd.tags, ['motd', 'files']);
      assert.equal(motd.register, 'motd_result');
      assert.deepEqual(motd.changedWhen.map((c) => c.expr), ['motd_result.changed']);
      assert.equal(motd.noLog, true);
      const sysctl = task(play, 'sysctl net.ipv4.ip_forward');
      assert.deepEqual(sysctl.notify, ['forwarding']);
      assert.deepEqual(sysctl.when, [{ expr: 'true', where: { file: SITE, line: 30, col: 13 } }]);
    });

    it('gives tasks in a block the block when, tags, vars, become_user and ignore_errors first', async () => {
      const play = (await loadPlaybook(SITE)).plays[1] as PlaySpec;
      const dirs = task(play, 'file /tmp/{{ dir }}');
      assert.deepEqual(dirs.when.map((w) => w.expr), ['facts.os.id == "ubuntu"']);
      assert.deepEqual(dirs.tags, ['dirs']);
      assert.deepEqual(dirs.vars, { depth: 2 });
      assert.equal(dirs.becomeUser, 'admin');
      assert.equal(dirs.become, true, 'inherited from the play');
      assert.equal(dirs.ignoreErrors, true);
      assert.equal(dirs.loopVar, 'dir');
      assert.deepEqual(dirs.loop, ['a', 'b']);
      const ls = play.tasks[4] as TaskSpec;
      assert.deepEqual(ls.when.map((w) => w.expr), ['facts.os.id == "ubuntu"', 'facts.arch == "aarch64"', 'x is defined']);
      assert.equal(ls.become, false, "the task's own become wins");
    });

    it('gives imported tasks the import line when/tags/vars, through nested imports', async () => {
      const play = (await loadPlaybook(SITE)).plays[1] as PlaySpec;
      const common = task(play, 'Common file');
      assert.deepEqual(common.when.map((w) => w.expr), ['run_common | default(true)']);
      assert.deepEqual(common.tags, ['common']);
      assert.equal(common.where.file, 'test/fixtures/load/tasks/common.yml');
      const nested = task(play, 'file /etc/nested');
      assert.deepEqual(nested.tags, ['common', 'deep']);
      assert.deepEqual(nested.vars, { nested: true });
      assert.deepEqual(nested.where, { file: 'test/fixtures/load/tasks/nested.yml', line: 1, col: 3 });
    });

    it('keeps handlers apart, with their listen topics', async () => {
      const play = (await loadPlaybook(SITE)).plays[1] as PlaySpec;
      assert.deepEqual(play.handlers.map((h) => [h.name, h.listen]), [
        ['reload things', []],
        ['enable forwarding', ['forwarding']],
      ]);
    });
  });

  describe('imports', () => {
    it('names an import_tasks cycle as a chain at the import that closes it', async () => {
      const file = relative(ROOT, fixture('load', 'cycle', 'a.yml'));
      const errors = await rejection(loadPlaybook(file));
      assert.equal(errors.length, 1);
      assert.equal(errors[0]?.kind, 'import');
      assert.equal(errors[0]?.message, 'import cycle: b.yml → c.yml → b.yml');
      assert.deepEqual(errors[0]?.where, { file: 'test/fixtures/load/cycle/c.yml', line: 1, col: 17 });
    });

    it('reports a missing import at the import line and goes on checking the rest', async () => {
      const { dir, load } = await loadInline('- hosts: all\n  tasks:\n    - import_tasks: gone.yml\n    - fiel: {}\n');
      const errors = await rejection(load());
      assert.deepEqual(
        errors.map((e) => [e.message, e.where?.line]),
        [
          [`imported file not found: ${join(dir, 'gone.yml')}`, 3],
          ["unknown module 'fiel'", 4],
        ],
      );
    });

    it('collects errors from several imported files, each in its own file', async () => {
      const { load } = await loadInline('- hosts: all\n  tasks:\n    - import_tasks: t1.yml\n    - import_tasks: t2.yml\n', {
        't1.yml': '- copy: { dest: 1 }\n',
        't2.yml': '- ping: { x: 1 }\n',
      });
      const errors = await rejection(load());
      assert.deepEqual(
        errors.map((e) => [e.where?.file.split('/').pop(), e.message]),
        [
          ['t1.yml', "'dest' must be string, got number"],
          ['t2.yml', "unknown parameter 'x' for module 'ping'"],
        ],
      );
    });

    it('refuses absolute import paths', async () => {
      const { load } = await loadInline('- import_playbook: /etc/other.yml\n');
      const errors = await rejection(load());
      assert.match(errors[0]?.message ?? '', /must be relative to the importing file/);
    });

    it('refuses import paths that leave the project directory', async () => {
      const { load } = await loadInline('- import_playbook: ../../../../x.yml\n');
      const errors = await rejection(load());
      assert.match(errors[0]?.message ?? '', /leaves the project directory/);
    });

    it('refuses templated import paths', async () => {
      const { load } = await loadInline('- hosts: all\n  tasks:\n    - import_tasks: "{{ which }}.yml"\n');
      const errors = await rejection(load());
      assert.match(errors[0]?.message ?? '', /cannot be templated/);
    });

    it('allows importing the same tasks file twice (not a cycle)', async () => {
      const { load } = await loadInline('- hosts: all\n  tasks:\n    - import_tasks: t.yml\n    - import_tasks: t.yml\n', { 't.yml': '- ping: {}\n' });
      const pb = await load();
      assert.equal(pb.plays[0]?.tasks.length, 2);
    });

    it('reads a tasks file relative to the file that imports it', async () => {
      const { load } = await loadInline('- hosts: all\n  tasks:\n    - import_tasks: sub/a.yml\n', {
        'sub/a.yml': '- import_tasks: b.yml\n',
        'sub/b.yml': '- name: deep\n  ping: {}\n',
      });
      const pb = await load();
      assert.deepEqual(pb.plays[0]?.tasks.map((t) => t.name), ['deep']);
    });
  });

  describe('conversion details', () => {
    it('turns boolean conditions into the expressions true and false', async () => {
      const { load } = await loadInline('- hosts: all\n  tasks:\n    - ping:\n      when: false\n      failed_when: [true, "x > 1"]\n');
      const t = (await load()).plays[0]?.tasks[0] as TaskSpec;
      assert.deepEqual(t.when.map((w) => w.expr), ['false']);
      assert.deepEqual(t.failedWhen.map((w) => w.expr), ['true', 'x > 1']);
    });

    it('accepts a module key without params as empty params', async () => {
      const { load } = await loadInline('- hosts: all\n  tasks:\n    - ping:\n');
      const t = (await load()).plays[0]?.tasks[0] as TaskSpec;
      assert.deepEqual(t.params, {});
      assert.equal(t.name, 'ping');
    });

    it('defaults a play name to its hosts pattern and serial to a one-item list', async () => {
      const { load } = await loadInline('- hosts: "sparks:!spark-02"\n  serial: 2\n  tasks: []\n');
      const play = (await load()).plays[0] as PlaySpec;
      assert.equal(play.name, 'sparks:!spark-02');
      assert.deepEqual(play.serial, [2]);
      assert.equal(play.gatherFacts, true);
    });

    it('accepts templated strings where a module wants another type', async () => {
      const { load } = await loadInline('- hosts: all\n  tasks:\n    - copy: { dest: /x, port: "{{ ssh_port }}", backup: "{{ keep }}" }\n');
      const t = (await load()).plays[0]?.tasks[0] as TaskSpec;
      assert.equal(t.params.port, '{{ ssh_port }}');
    });

    it('checks expression params of a module as expressions', async () => {
      const { load } = await loadInline('- hosts: all\n  tasks:\n    - check: { that: ["x == 1", "y =="] }\n');
      const errors = await rejection(load());
      assert.equal(errors[0]?.kind, 'expression');
      assert.deepEqual(errors[0]?.where?.line, 3);
    });

    it('checks template syntax inside nested params, vars and loop items', async () => {
      const { load } = await loadInline(
        '- hosts: all\n  vars: { a: "{{ b" }\n  tasks:\n    - copy: { dest: /x, rules: [{ port: 1, from: "{{ c |" }] }\n      loop: ["{{ d )}}"]\n',
      );
      const errors = await rejection(load());
      assert.deepEqual(errors.map((e) => [e.kind, e.where?.line]), [
        ['template', 2],
        ['template', 4],
        ['template', 5],
      ]);
    });

    it('reports an empty playbook and a non-list playbook', async () => {
      const empty = await loadInline('# nothing\n');
      assert.match((await rejection(empty.load()))[0]?.message ?? '', /playbook is empty/);
      const scalar = await loadInline('hello\n');
      assert.equal((await rejection(scalar.load()))[0]?.message, 'a playbook must be a list of plays, got string');
    });

    it('reports a missing top-level playbook without a location', async () => {
      const errors = await rejection(loadPlaybook('no/such/playbook.yml', { modules: FAKE_MODULES }));
      assert.equal(errors[0]?.message, 'no/such/playbook.yml: no such file');
      assert.equal(errors[0]?.where, undefined);
    });

    it('sorts errors by position and reports each once', async () => {
      const { load } = await loadInline('- hosts: all\n  tasks:\n    - ping: { b: 1 }\n    - ping: { a: 1 }\n  bogus: 1\n');
      const errors = await rejection(load());
      assert.deepEqual(errors.map((e) => e.where?.line), [3, 4, 5]);
    });
  });
});

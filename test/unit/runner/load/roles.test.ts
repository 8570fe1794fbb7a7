// Tests of roles (runner/load/roles.ts): `roles:` on a play, meta dependencies, import_role,
// include_role and include_tasks, read when the playbook is loaded. The fixture layout in
// test/fixtures/ansible/roles/ is compared with what ansible-core printed for it (expected.json,
// recorded by test/support/ansible-roles.sh).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadPlaybook } from '../../../../runner/load/playbook.js';
import { findUndefinedVariables } from '../../../../runner/load/semantics.js';
import type { PlaySpec } from '../../../../runner/load/types.js';
import { runCli } from '../../../support/run-cli.js';
import { FAKE_MODULES, ROOT, fixture, rejection, writeTree } from './support.js';

const DIR = relative(ROOT, fixture('ansible', 'roles'));
const SITE = join(DIR, 'site.yml');
interface Expected {
  readonly precedence: readonly { task: string; msg: string }[];
  readonly siteTasks: readonly { task: string; tags: string[] }[];
  readonly includes: readonly { task: string; msg: string }[];
}
const EXPECTED = JSON.parse(readFileSync(fixture('ansible', 'roles', 'expected.json'), 'utf8')) as Expected;

async function firstPlay(file: string, rolesPath: string[] = []): Promise<PlaySpec> {
  const pb = await loadPlaybook(file, { rolesPath });
  return pb.plays[0] as PlaySpec;
}

/** A playbook pb.yml and its roles in a temporary directory, loaded with the fake modules. */
async function inline(files: Record<string, string>, rolesPath: (dir: string) => string[] = () => []) {
  const dir = await writeTree(files);
  return { dir, load: () => loadPlaybook(join(dir, 'pb.yml'), { modules: FAKE_MODULES, rolesPath: rolesPath(dir) }) };
}

const messages = (errors: readonly { message: string }[]): string[] => errors.map((e) => e.message);

describe('runner/load/roles', () => {
  describe('roles: on a play (test/fixtures/ansible/roles/site.yml)', () => {
    it('runs pre_tasks, then each role (its dependencies first), then tasks, with the names and tags Ansible lists', async () => {
      const play = await firstPlay(SITE);
      assert.deepEqual(
        play.tasks.map((t) => ({ task: t.name, tags: [...t.tags] })),
        EXPECTED.siteTasks,
      );
    });

    it('locates role tasks in the role files, an import inside the role included', async () => {
      const play = await firstPlay(SITE);
      const port = play.tasks.find((t) => t.name === 'sshd_hardening : Listen on the SSH port');
      assert.deepEqual(port?.where, { file: join(DIR, 'roles/sshd_hardening/tasks/port.yml'), line: 1, col: 3 });
    });

    it('puts the role handlers before the play handlers; a role handler answers to its listen topic and its own name', async () => {
      const play = await firstPlay(SITE);
      assert.deepEqual(play.handlers.map((h) => h.name), ['sshd_hardening : Restart the SSH daemon', 'Play handler']);
      assert.deepEqual(play.handlers[0]?.listen, ['restart sshd', 'Restart the SSH daemon']);
    });

    it("gives role tasks role_name, role_path and the role's directory first in baseDirs", async () => {
      const play = await firstPlay(SITE);
      const task = play.tasks.find((t) => t.name === 'sshd_hardening : Refuse root logins');
      assert.equal(task?.vars.role_name, 'sshd_hardening');
      assert.equal(task?.vars.role_path, fixture('ansible', 'roles', 'roles', 'sshd_hardening'));
      assert.deepEqual(task?.baseDirs, [join(DIR, 'roles/sshd_hardening'), DIR]);
      assert.deepEqual(play.tasks[0]?.baseDirs, [DIR]);
    });

    it('keeps role defaults and role vars apart from the play vars, dependencies first', async () => {
      const play = await firstPlay(SITE);
      assert.deepEqual(play.vars, { sshd_port: 2222 });
      assert.equal(play.roleDefaults?.baseline_motd, 'Managed by configuration management');
      assert.equal(play.roleDefaults?.sshd_port, 22);
      assert.deepEqual(play.roleVars, { sshd_allow_users: ['admin'], sshd_service: 'ssh' });
    });
  });

  /** Each finished task's name and message, from `--output json`. */
  const taskEnds = (stdout: string): { task: string | undefined; msg: string | undefined }[] =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; result?: { task: string; message?: string } })
      .filter((e) => e.type === 'task:end')
      .map((e) => ({ task: e.result?.task, msg: e.result?.message }));

  describe('variable precedence, against ansible-core (precedence/)', () => {
    it('prints what Ansible printed for every level: defaults < inventory < play < role vars < role params < extra vars, own role first', async function () {
      this.timeout(60_000);
      const dir = join(DIR, 'precedence');
      const r = await runCli(['run', join(dir, 'site.yml'), '-i', join(dir, 'inventory.yml'), '-e', 'extra_over_all=extra', '--output', 'json']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(taskEnds(r.stdout), EXPECTED.precedence);
    });
  });

  describe('include_tasks and include_role looping over a template, against ansible-core (includes/)', () => {
    it('runs the included tasks (a role\'s tasks) in order for each item, a register seen by the next task of the same item', async function () {
      this.timeout(60_000);
      const r = await runCli(['run', join(DIR, 'includes', 'site.yml'), '--output', 'json']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(taskEnds(r.stdout), EXPECTED.includes);
    });
  });

  describe('finding roles', () => {
    it('finds a role on the roles path when roles/ next to the playbook has none, and lets its imports read there', async () => {
      // The project is project/ and its parent; the roles path is a sibling tree outside it.
      const dir = await writeTree({
        'a/project/pb.yml': '- hosts: all\n  roles: [extra]\n',
        'shared/extra/tasks/main.yml': '- import_tasks: more.yml\n',
        'shared/extra/tasks/more.yml': '- name: from the roles path\n  ping: {}\n',
      });
      const pb = await loadPlaybook(join(dir, 'a/project/pb.yml'), { modules: FAKE_MODULES, rolesPath: [join(dir, 'shared')] });
      assert.deepEqual(pb.plays[0]?.tasks.map((t) => t.name), ['extra : from the roles path']);
    });

    it('reads main.yaml when there is no main.yml', async () => {
      const { load } = await inline({ 'pb.yml': '- hosts: all\n  roles: [r]\n', 'roles/r/tasks/main.yaml': '- ping: {}\n' });
      assert.deepEqual((await load()).plays[0]?.tasks.map((t) => t.name), ['r : ping']);
    });

    it('names a missing role at its entry and lists every directory it looked in', async () => {
      const { dir, load } = await inline({ 'pb.yml': '- hosts: all\n  roles:\n    - role: nope\n' }, (d) => [join(d, 'elsewhere')]);
      const errors = await rejection(load());
      assert.equal(errors.length, 1);
      assert.equal(errors[0]?.message, `role 'nope' not found; looked in: ${join(dir, 'roles')}, ${join(dir, 'elsewhere')}, ${dir}`);
      assert.deepEqual(errors[0]?.where, { file: join(dir, 'pb.yml'), line: 3, col: 13 });
    });

    it("refuses a role named by an absolute path or a path with '..', like an import leaving the project", async () => {
      const { load } = await inline({ 'pb.yml': '- hosts: all\n  roles:\n    - /etc\n    - ../outside\n' });
      const errors = await rejection(load());
      assert.equal(errors.length, 2);
      for (const e of errors) assert.match(e.message, /must be a role's name or a relative path without '\.\.'/);
    });

    it('locates an error inside a role file at its own line and column', async () => {
      const { dir, load } = await inline({
        'pb.yml': '- hosts: all\n  roles: [r]\n',
        'roles/r/tasks/main.yml': '- name: ok\n  ping: {}\n- name: bad\n  copy: { dest: /x, mode: [1] }\n',
      });
      const errors = await rejection(load());
      assert.equal(errors.length, 1);
      assert.equal(errors[0]?.where?.file, join(dir, 'roles/r/tasks/main.yml'));
      assert.equal(errors[0]?.where?.line, 4);
    });

    it('checks each roles: entry and each meta dependency with the play, each at its own place', async () => {
      const { dir, load } = await inline({
        'pb.yml': '- hosts: all\n  roles:\n    - { vars: {} }\n    - role: r\n      tags: 5\n    - 7\n',
        'roles/r/meta/main.yml': 'dependencies:\n  - { vars: {} }\n',
      });
      const errors = await rejection(load());
      assert.deepEqual(
        errors.map((e) => `${relative(dir, e.where?.file ?? '')}:${e.where?.line}:${e.where?.col}: ${e.message}`),
        [
          "pb.yml:3:7: a role entry needs 'role:' (or 'name:'), the name of the role",
          "pb.yml:5:13: 'tags' must be a string or a list of strings, got number 5",
          "pb.yml:6:7: a role entry must be a role name or a mapping with 'role:', got number 7",
        ],
      );
      const deps = await inline({ 'pb.yml': '- hosts: all\n  roles: [r]\n', 'roles/r/meta/main.yml': 'dependencies:\n  - { vars: {} }\n' });
      const depErrors = await rejection(deps.load());
      assert.deepEqual(depErrors.map((e) => [e.where?.file, e.where?.line]), [[join(deps.dir, 'roles/r/meta/main.yml'), 2]]);
    });

    it('names a dependency cycle between roles', async () => {
      const { load } = await inline({
        'pb.yml': '- hosts: all\n  roles: [a]\n',
        'roles/a/meta/main.yml': 'dependencies: [b]\n',
        'roles/b/meta/main.yml': 'dependencies: [a]\n',
      });
      assert.deepEqual(messages(await rejection(load())), ['role dependency cycle: a → b → a']);
    });
  });

  describe('dependencies and duplicates', () => {
    it('runs a role listed twice with the same parameters once, and again when its parameters differ', async () => {
      const { load } = await inline({
        'pb.yml': '- hosts: all\n  roles:\n    - r\n    - r\n    - { role: r, x: 2 }\n',
        'roles/r/tasks/main.yml': '- name: "x is {{ x | default(1) }}"\n  ping: {}\n',
      });
      const tasks = (await load()).plays[0]?.tasks ?? [];
      assert.equal(tasks.length, 2);
      assert.equal(tasks[1]?.vars.x, 2);
    });

    it('runs meta dependencies first and dedupes a dependency shared by two roles', async () => {
      const { load } = await inline({
        'pb.yml': '- hosts: all\n  roles: [a, b]\n',
        'roles/a/meta/main.yml': 'galaxy_info: { author: x }\ndependencies: [common]\n',
        'roles/a/tasks/main.yml': '- name: a\n  ping: {}\n',
        'roles/b/meta/main.yml': 'dependencies:\n  - role: common\n',
        'roles/b/tasks/main.yml': '- name: b\n  ping: {}\n',
        'roles/common/tasks/main.yml': '- name: common\n  ping: {}\n',
      });
      assert.deepEqual((await load()).plays[0]?.tasks.map((t) => t.name), ['common : common', 'a : a', 'b : b']);
    });

    it('runs a role twice when its meta says allow_duplicates', async () => {
      const { load } = await inline({
        'pb.yml': '- hosts: all\n  roles: [r, r]\n',
        'roles/r/meta/main.yml': 'allow_duplicates: true\n',
        'roles/r/tasks/main.yml': '- ping: {}\n',
      });
      assert.equal((await load()).plays[0]?.tasks.length, 2);
    });
  });

  describe('import_role and include_role', () => {
    const role = {
      'roles/r/tasks/main.yml': '- name: main\n  ping: {}\n',
      'roles/r/tasks/setup.yml': '- name: setup\n  ping: {}\n',
      'roles/r/defaults/main.yml': 'r_default: 1\n',
      'roles/r/handlers/main.yml': '- name: restart r\n  ping: {}\n',
    };

    it("import_role puts the role's tasks (tasks_from) in place, with the entry's when, tags and vars", async () => {
      const { load } = await inline({
        ...role,
        'pb.yml': '- hosts: all\n  tasks:\n    - name: before\n      ping: {}\n    - import_role: { name: r, tasks_from: setup }\n      when: go\n      tags: [t]\n      vars: { v: 1 }\n    - name: after\n      ping: {}\n',
      });
      const play = (await load()).plays[0] as PlaySpec;
      assert.deepEqual(play.tasks.map((t) => t.name), ['before', 'r : setup', 'after']);
      const setup = play.tasks[1];
      assert.deepEqual(setup?.when.map((w) => w.expr), ['go']);
      assert.deepEqual(setup?.tags, ['t']);
      assert.equal(setup?.vars.v, 1);
      assert.deepEqual(play.roleDefaults, { r_default: 1 });
      assert.deepEqual(play.handlers.map((h) => h.name), ['r : restart r']);
    });

    it('import_role runs the role every time it is written (no dedupe), as in Ansible', async () => {
      const { load } = await inline({ ...role, 'pb.yml': '- hosts: all\n  tasks:\n    - import_role: { name: r }\n    - import_role: { name: r }\n' });
      assert.deepEqual((await load()).plays[0]?.tasks.map((t) => t.name), ['r : main', 'r : main']);
    });

    it('include_role with a plain name is read like import_role; a literal loop brings it in once per item', async () => {
      const { load } = await inline({
        ...role,
        'pb.yml': '- hosts: all\n  tasks:\n    - include_role: { name: r }\n    - include_role: { name: r }\n      loop: [a, b]\n      loop_control: { loop_var: who }\n',
      });
      const tasks = (await load()).plays[0]?.tasks ?? [];
      assert.deepEqual(tasks.map((t) => t.name), ['r : main', 'r : main', 'r : main']);
      assert.deepEqual(tasks.slice(1).map((t) => t.vars.who), ['a', 'b']);
    });

    it("keeps an include_role's defaults to the role's own tasks: known inside it, undefined after it", async () => {
      const { load } = await inline({
        ...role,
        'roles/r/tasks/main.yml': '- copy: { dest: "/{{ r_default }}" }\n',
        'pb.yml': '- hosts: all\n  tasks:\n    - include_role: { name: r }\n    - copy: { dest: "/{{ r_default }}" }\n',
      });
      const pb = await load();
      assert.equal(pb.plays[0]?.roleDefaults, undefined);
      assert.deepEqual(pb.plays[0]?.tasks[0]?.role?.defaults, { r_default: 1 });
      const undefinedNames = findUndefinedVariables(pb, new Set(), FAKE_MODULES).map((e) => `${e.where?.line}: ${e.message}`);
      assert.deepEqual(undefinedNames, ["4: undefined variable 'r_default'"]);
    });

    it("marks a role's tasks with an include_role's loop over a template, but not its handlers", async () => {
      const { load } = await inline({ ...role, 'pb.yml': '- hosts: all\n  tasks:\n    - include_role: { name: r }\n      loop: "{{ people }}"\n' });
      const play = (await load()).plays[0] as PlaySpec;
      assert.equal(play.tasks[0]?.includeLoop?.loop, '{{ people }}');
      assert.equal(play.handlers[0]?.includeLoop, undefined);
    });

    it('refuses include_role with a templated name, at the name', async () => {
      const { dir, load } = await inline({ ...role, 'pb.yml': '- hosts: all\n  tasks:\n    - include_role:\n        name: "{{ which }}"\n' });
      const errors = await rejection(load());
      assert.match(errors[0]?.message ?? '', /include_role with a templated name .* is not supported yet/);
      assert.deepEqual(errors[0]?.where, { file: join(dir, 'pb.yml'), line: 4, col: 16 });
    });

    it('names a missing tasks_from file', async () => {
      const { dir, load } = await inline({ ...role, 'pb.yml': '- hosts: all\n  tasks:\n    - import_role: { name: r, tasks_from: nope }\n' });
      assert.deepEqual(messages(await rejection(load())), [`role file not found: ${join(dir, 'roles/r/tasks/nope')} (also tried .yml, .yaml, .json)`]);
    });
  });

  describe('include_tasks', () => {
    const files = { 'more.yml': '- name: "more {{ item | default(0) }}"\n  ping: {}\n' };

    it('reads a plain include_tasks when the playbook is loaded, as import_tasks, with its when and tags', async () => {
      const { load } = await inline({ ...files, 'pb.yml': '- hosts: all\n  tasks:\n    - include_tasks: more.yml\n      when: go\n      tags: t\n    - include_tasks: { file: more.yml }\n' });
      const tasks = (await load()).plays[0]?.tasks ?? [];
      assert.equal(tasks.length, 2);
      assert.deepEqual(tasks[0]?.when.map((w) => w.expr), ['go']);
      assert.deepEqual(tasks[0]?.tags, ['t']);
      assert.deepEqual(tasks[1]?.when, []);
    });

    it('brings the file in once per item of a literal loop, with the loop variable set', async () => {
      const { load } = await inline({ ...files, 'pb.yml': '- hosts: all\n  tasks:\n    - include_tasks: more.yml\n      loop: [1, 2, 3]\n' });
      const tasks = (await load()).plays[0]?.tasks ?? [];
      assert.deepEqual(tasks.map((t) => t.vars.item), [1, 2, 3]);
    });

    it('reads the file of a loop over a template once and marks its tasks with the loop, for the executor', async () => {
      const { dir, load } = await inline({
        'two.yml': '- ping: {}\n- copy: { dest: "/{{ u }}" }\n',
        'pb.yml': '- hosts: all\n  vars: { users: [a] }\n  tasks:\n    - include_tasks: two.yml\n      loop: "{{ users }}"\n      loop_control: { loop_var: u }\n',
      });
      const pb = await load();
      const tasks = pb.plays[0]?.tasks ?? [];
      assert.equal(tasks.length, 2);
      assert.deepEqual(tasks[0]?.includeLoop, { loop: '{{ users }}', loopWhere: { file: join(dir, 'pb.yml'), line: 5, col: 14 }, loopVar: 'u' });
      assert.equal(tasks[0]?.includeLoop, tasks[1]?.includeLoop);
      // The loop variable is known to the included tasks; the loop's own variables are checked.
      assert.deepEqual(findUndefinedVariables(pb, new Set(), FAKE_MODULES), []);
      const unknown = await inline({ 'two.yml': '- ping: {}\n', 'pb.yml': '- hosts: all\n  tasks:\n    - include_tasks: two.yml\n      loop: "{{ nobody }}"\n' });
      assert.deepEqual(findUndefinedVariables(await unknown.load(), new Set(), FAKE_MODULES).map((e) => e.message), ["undefined variable 'nobody'"]);
      // The loop is rendered when the play starts: a result this play registers before it is not there yet.
      const registered = await inline({ 'two.yml': '- ping: {}\n', 'pb.yml': '- hosts: all\n  tasks:\n    - ping: {}\n      register: found\n    - include_tasks: two.yml\n      loop: "{{ found.items }}"\n' });
      assert.deepEqual(findUndefinedVariables(await registered.load(), new Set(), FAKE_MODULES).map((e) => `${e.where?.line}: ${e.message}`), ["6: 'found' is registered in this play before the include, but an include_tasks loop over a template is rendered when the play starts (not supported yet)"]);
    });

    it('refuses a templated file name, and a loop over a template inside another one, each at its value', async () => {
      const { dir, load } = await inline({
        ...files,
        'outer.yml': '- include_tasks: more.yml\n  loop: "{{ b }}"\n',
        'pb.yml': '- hosts: all\n  tasks:\n    - include_tasks: outer.yml\n      loop: "{{ a }}"\n    - include_tasks: "{{ os }}.yml"\n',
      });
      const errors = await rejection(load());
      assert.equal(errors.length, 2);
      assert.match(errors[0]?.message ?? '', /include_tasks with a templated file name .* is not supported yet/);
      assert.equal(errors[0]?.where?.line, 5);
      assert.match(errors[1]?.message ?? '', /loops over a template inside another one is not supported yet/);
      assert.deepEqual(errors[1]?.where, { file: join(dir, 'outer.yml'), line: 2, col: 10 });
    });

    it("refuses Ansible's removed include: and points to import_tasks and include_tasks", async () => {
      const { load } = await inline({ ...files, 'pb.yml': '- hosts: all\n  tasks:\n    - include: more.yml\n' });
      assert.deepEqual(messages(await rejection(load())), ["'include' was removed in Ansible 2.16: use import_tasks (read when the playbook is loaded) or include_tasks"]);
    });
  });
});

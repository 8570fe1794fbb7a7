// Tests that tasks written as Ansible's docs write them load: module aliases (FQCNs), free-form
// strings, `args:`, and the errors for a module given twice or params given twice.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadPlaybook } from '../../../../runner/load/playbook.js';
import { findUndefinedVariables } from '../../../../runner/load/semantics.js';
import type { TaskSpec } from '../../../../runner/load/types.js';
import { findModule, modules } from '../../../../modules/index.js';
import { renderModuleDoc } from '../../../../runner/commands/doc.js';
import { buildPlaybookSchema } from '../../../../runner/schema/playbook.js';
import { rejection, writeTree } from './support.js';

const play = (tasks: string): string => `- hosts: all\n  tasks:\n${tasks}`;

async function tasksOf(tasks: string): Promise<readonly TaskSpec[]> {
  const dir = await writeTree({ 'pb.yml': play(tasks) });
  return ((await loadPlaybook(join(dir, 'pb.yml'))).plays[0]?.tasks ?? []) as readonly TaskSpec[];
}

async function errorsOf(tasks: string): Promise<string[]> {
  const dir = await writeTree({ 'pb.yml': play(tasks) });
  return (await rejection(loadPlaybook(join(dir, 'pb.yml')))).map((e) => `${e.where?.line ?? 0}:${e.where?.col ?? 0} ${e.message}`);
}

describe('Ansible names and forms of tasks', () => {
  it('resolves an FQCN to the module, whose name the task then carries', async () => {
    const [t] = await tasksOf('    - ansible.builtin.lineinfile: { path: /etc/hosts, line: "1.2.3.4 a" }\n');
    assert.equal(t?.module, 'line');
    assert.equal(t?.name, 'ansible.builtin.lineinfile /etc/hosts');
  });

  it('finds every alias the issue names', () => {
    const want: Record<string, string> = {
      'ansible.builtin.apt': 'apt', 'ansible.builtin.command': 'command', 'ansible.builtin.shell': 'shell', 'ansible.builtin.file': 'file',
      lineinfile: 'line', 'ansible.builtin.lineinfile': 'line', 'ansible.builtin.service': 'service', systemd: 'service',
      'ansible.builtin.systemd_service': 'service', 'ansible.builtin.stat': 'stat', 'ansible.builtin.debug': 'debug',
      'ansible.builtin.assert': 'assert', 'ansible.builtin.fail': 'fail', package: 'apt', 'ansible.builtin.package': 'apt',
      'ansible.posix.sysctl': 'sysctl', 'community.general.ufw': 'ufw',
    };
    for (const [alias, name] of Object.entries(want)) assert.equal(findModule(alias)?.name, name, alias);
  });

  it('refuses a module written under two of its names', async () => {
    const errors = await errorsOf('    - line: { path: /x, line: a }\n      lineinfile: { path: /x, line: a }\n');
    assert.deepEqual(errors, ["4:7 'line', 'lineinfile' name the same module 'line': write it once"]);
  });

  it('takes a free-form string for command (split, no shell) and shell (cmd)', async () => {
    const [c, s] = await tasksOf('    - command: echo "a b"\n    - ansible.builtin.shell: echo $HOME > /tmp/h\n');
    assert.deepEqual(c?.params, { cmdline: 'echo "a b"' });
    assert.deepEqual(s?.params, { cmd: 'echo $HOME > /tmp/h' });
    assert.equal(s?.module, 'shell');
  });

  it('refuses a string for a module without a free form, naming the key=value form', async () => {
    const errors = await errorsOf('    - file: path=/x state=directory\n');
    assert.deepEqual(errors, ["3:13 parameters of module 'file' must be a mapping, got string (Ansible's key=value form is not supported: write a mapping)"]);
  });

  it('merges args: into the params, located there, and refuses a param given twice', async () => {
    const [t] = await tasksOf('    - command: ls\n      args: { chdir: /tmp, creates: "{{ x }}" }\n');
    assert.deepEqual(t?.params, { cmdline: 'ls', chdir: '/tmp', creates: '{{ x }}' });
    assert.equal(t?.paramWhere.chdir?.line, 4);
    const undefinedVars = findUndefinedVariables({ file: 'pb.yml', plays: [{ tasks: [t], handlers: [], vars: {} } as never] }, new Set());
    assert.deepEqual(undefinedVars.map((e) => `${e.where?.line ?? 0} ${e.message}`), ["4 undefined variable 'x'"]);
    const errors = await errorsOf('    - command: { cmdline: ls, chdir: /a }\n      args: { chdir: /tmp }\n');
    assert.deepEqual(errors, ["4:22 'chdir' is given both in args and under 'command'"]);
  });

  it('validates the params under an alias by its module, naming the alias', async () => {
    const errors = await errorsOf('    - ansible.builtin.stat: { path: /x, nope: 1 }\n');
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /unknown parameter 'nope' for module 'ansible.builtin.stat'/);
  });

  it('puts every alias in the editor schema, pointing at its module, and in sparkbook doc', () => {
    const schema = buildPlaybookSchema(modules) as { definitions: { task: { anyOf: { properties?: Record<string, { description?: string }> }[] } } };
    const props = schema.definitions.task.anyOf[0]?.properties ?? {};
    assert.match(props['ansible.builtin.copy' in props ? 'ansible.builtin.copy' : 'ansible.builtin.lineinfile']?.description ?? '', /module 'line'|module 'copy'/);
    for (const m of modules) for (const a of m.aliases ?? []) assert.ok(props[a], a);
    assert.match(renderModuleDoc('lineinfile'), /^line — .*\nAlso: lineinfile, ansible\.builtin\.lineinfile/);
  });
});

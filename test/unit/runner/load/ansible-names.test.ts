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

  it("reads Ansible's key=value form, converting each value by the param's type", async () => {
    const [f, sv, d] = await tasksOf(
      '    - file: path=/tmp/kv/f state=touch mode=0600\n' +
        '    - ansible.builtin.service: name=ssh enabled=yes state=started\n' +
        '    - debug: msg="hello   world"\n',
    );
    assert.deepEqual(f?.params, { path: '/tmp/kv/f', state: 'touch', mode: '0600' });
    assert.deepEqual(sv?.params, { name: 'ssh', enabled: true, state: 'started' });
    assert.deepEqual(d?.params, { msg: 'hello   world' });
  });

  it('takes the options out of a free-form command and keeps the rest as written (recorded from ansible-core 2.14)', async () => {
    // ansible-playbook gave argv [echo, a=b, "c  d"] for the command and cmd "echo x y  z" for the shell.
    const [c, s] = await tasksOf('    - command: echo a=b   "c  d" creates=/nonexistent\n' + "    - shell: echo {{ 'x y' }}  z chdir=/tmp\n");
    assert.deepEqual(c?.params, { cmdline: 'echo a=b   "c  d"', creates: '/nonexistent' });
    assert.deepEqual(s?.params, { cmd: "echo {{ 'x y' }}  z", chdir: '/tmp' });
  });

  it('refuses key=value text with a word that is no key=value, or an open quote, for a module without a free form', async () => {
    assert.deepEqual(await errorsOf('    - file: path=/x directory\n'), ["3:13 parameters of module 'file' must be a mapping or key=value words, got 'directory' (not key=value)"]);
    assert.deepEqual(await errorsOf('    - file: path="/x\n'), ["3:13 parameters of module 'file': a double quote is not closed"]);
  });

  it('names an unknown key of key=value text as validation names any unknown param', async () => {
    const errors = await errorsOf('    - file: pth=/x state=touch\n');
    assert.ok(errors.includes("3:13 unknown parameter 'pth' for module 'file' (did you mean 'path'?)"), errors.join('\n'));
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

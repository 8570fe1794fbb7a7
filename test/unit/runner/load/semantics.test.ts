// Tests of runner/load/semantics.ts: notify must name a handler or topic; templates must read
// variables that something defines (inventory names come from the caller).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadPlaybook } from '../../../../runner/load/playbook.js';
import { checkHandlers, checkUndefinedVariables, findUndefinedVariables } from '../../../../runner/load/semantics.js';
import type { PlaybookSpec } from '../../../../runner/load/types.js';
import { FAKE_MODULES, rejection, writeTree } from './support.js';

async function load(text: string): Promise<PlaybookSpec> {
  const dir = await writeTree({ 'pb.yml': text });
  return loadPlaybook(join(dir, 'pb.yml'), { modules: FAKE_MODULES });
}

const undefinedIn = async (text: string, known: readonly string[] = []): Promise<string[]> =>
  findUndefinedVariables(await load(text), new Set(known), FAKE_MODULES).map((e) => `${e.where?.line}:${e.where?.col} ${e.message}`);

describe('runner/load/semantics', () => {
  describe('checkHandlers', () => {
    it('accepts notify by handler name and by listen topic', async () => {
      const pb = await load(
        '- hosts: all\n  tasks:\n    - ping:\n      notify: [a, topic]\n  handlers:\n    - name: a\n      ping:\n    - name: b\n      listen: topic\n      ping:\n',
      );
      assert.deepEqual(checkHandlers(pb), []);
    });

    it('makes loadPlaybook reject a notify of no handler, at the notify entry, with a suggestion or the list', async () => {
      const dir = await writeTree({ 'pb.yml': '- hosts: all\n  tasks:\n    - ping:\n      notify: [restart sshd, reload ssh]\n  handlers:\n    - name: restart ssh\n      ping:\n' });
      const errors = await rejection(loadPlaybook(join(dir, 'pb.yml'), { modules: FAKE_MODULES }));
      assert.deepEqual(
        errors.map((e) => [e.where?.line, e.where?.col, e.message]),
        [
          [4, 16, "notify: no handler or listen topic named 'restart sshd' in play 'all' (did you mean 'restart ssh'?)"],
          [4, 30, "notify: no handler or listen topic named 'reload ssh' in play 'all' (handlers: 'restart ssh')"],
        ],
      );
    });

    it('says when the play has no handlers at all', async () => {
      const dir = await writeTree({ 'pb.yml': '- hosts: all\n  tasks:\n    - ping:\n      notify: x\n' });
      const errors = await rejection(loadPlaybook(join(dir, 'pb.yml'), { modules: FAKE_MODULES }));
      assert.match(errors[0]?.message ?? '', /the play has no handlers/);
    });
  });

  describe('findUndefinedVariables', () => {
    it('reports a variable nothing defines at its position inside the string', async () => {
      assert.deepEqual(await undefinedIn('- hosts: all\n  tasks:\n    - copy: { dest: "/x/{{ nope }}" }\n'), ["3:28 undefined variable 'nope'"]);
    });

    it('knows play vars, task vars, block vars, the caller names, magic names and ansible_*', async () => {
      const text = [
        '- hosts: all',
        '  vars: { a: 1 }',
        '  tasks:',
        '    - copy: { dest: "{{ a }}{{ b }}{{ inv }}{{ inventory_hostname }}{{ facts.arch }}{{ ansible_host }}" }',
        '      vars: { b: 2 }',
        '    - block:',
        '        - copy: { dest: "{{ c }}" }',
        '      vars: { c: 3 }',
        '',
      ].join('\n');
      assert.deepEqual(await undefinedIn(text, ['inv']), []);
    });

    it('knows the loop variable only in the task that loops', async () => {
      const text = '- hosts: all\n  tasks:\n    - copy: { dest: "{{ f }}" }\n      loop: [a]\n      loop_control: { loop_var: f }\n    - copy: { dest: "{{ f }}" }\n';
      assert.deepEqual(await undefinedIn(text), ["6:25 undefined variable 'f'"]);
    });

    it('knows registered names after the registering task, in later plays, and in its own changed_when', async () => {
      const text = [
        '- hosts: all',
        '  tasks:',
        '    - copy: { dest: "{{ r }}" }',
        '    - ping:',
        '      register: r',
        '      changed_when: r.changed',
        '    - copy: { dest: "{{ r.stdout }}" }',
        '- hosts: all',
        '  tasks:',
        '    - copy: { dest: "{{ r }}" }',
        '',
      ].join('\n');
      assert.deepEqual(await undefinedIn(text), ["3:25 undefined variable 'r'"]);
    });

    it('does not report reads guarded by default or is defined', async () => {
      const text = '- hosts: all\n  tasks:\n    - copy: { dest: "{{ x | default(\'/tmp\') }}" }\n      when: y is defined and y\n';
      assert.deepEqual(await undefinedIn(text), []);
    });

    it('treats a name the task\'s when reads as guarded in its params, and still checks the when', async () => {
      const guarded = '- hosts: all\n  tasks:\n    - copy: { dest: "/p/{{ ssh_port | int }}" }\n      when: ssh_port is defined\n';
      assert.deepEqual(await undefinedIn(guarded), []);
      const unguarded = '- hosts: all\n  tasks:\n    - copy: { dest: "/p/{{ ssh_port | int }}" }\n      when: ssh_port > 1\n';
      assert.deepEqual(await undefinedIn(unguarded), ["4:13 undefined variable 'ssh_port'"]);
    });

    it('checks when, loop and expression params, with a suggestion from the names in scope', async () => {
      const text = '- hosts: all\n  vars: { port: 22 }\n  tasks:\n    - check: { that: "prot > 1" }\n      when: flag\n      loop: "{{ items }}"\n';
      assert.deepEqual(await undefinedIn(text), ["4:23 undefined variable 'prot' (did you mean 'port'?)", "5:13 undefined variable 'flag'", "6:17 undefined variable 'items' (did you mean 'item'?)"]);
    });

    it('is thrown as InputErrors by checkUndefinedVariables', async () => {
      const pb = await load('- hosts: all\n  tasks:\n    - copy: { dest: "{{ nope }}" }\n');
      assert.throws(() => checkUndefinedVariables(pb, new Set(), FAKE_MODULES), (e: unknown) => (e as { errors?: { kind: string }[] }).errors?.[0]?.kind === 'undefined-variable');
      assert.doesNotThrow(() => checkUndefinedVariables(pb, new Set(['nope']), FAKE_MODULES));
    });
  });
});

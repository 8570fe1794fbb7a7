// Tests of runner/schema/validate.ts: every ajv error becomes one plain, located message that
// names the offending key; structure is pre-checked so tasks and modules are named plainly.
import assert from 'node:assert/strict';
import { makeLocator } from '../../../../runner/load/locate.js';
import { parseYaml } from '../../../../runner/load/yaml.js';
import { InputError } from '../../../../runner/errors.js';
import {
  compileSchema,
  describeValue,
  didYouMean,
  editDistance,
  pathName,
  sortErrors,
  validateModuleParams,
  validatePlaybookValue,
  validateTasksFileValue,
  MAX_BLOCK_DEPTH,
} from '../../../../runner/schema/validate.js';
import { FAKE_MODULES } from '../load/support.js';
import { moduleKeys } from '../../../../runner/module.js';

const TABLE = moduleKeys(FAKE_MODULES);

/** `LINE:COL message` for every error of a playbook given as text. */
function playbookErrors(text: string): string[] {
  const { yaml, value } = parseYaml(text, 'pb.yml');
  return validatePlaybookValue(value, makeLocator(yaml), TABLE).map((e) => `${e.where?.line}:${e.where?.col} ${e.message}`);
}

const tasksErrors = (text: string): string[] => {
  const { yaml, value } = parseYaml(text, 't.yml');
  return validateTasksFileValue(value, makeLocator(yaml), TABLE).map((e) => `${e.where?.line}:${e.where?.col} ${e.message}`);
};

describe('runner/schema/validate', () => {
  describe('suggestions', () => {
    it('counts an adjacent swap as one edit', () => {
      assert.equal(editDistance('fiel', 'file'), 1);
      assert.equal(editDistance('presnt', 'present'), 1);
      assert.equal(editDistance('', 'abc'), 3);
    });

    it('suggests the closest name within a third of the length, ignoring case', () => {
      assert.equal(didYouMean('fiel', ['file', 'line', 'ping']), 'file');
      assert.equal(didYouMean('Become', ['become', 'tags']), 'become');
      assert.equal(didYouMean('xyz', ['file', 'line']), undefined);
    });
  });

  describe('naming', () => {
    it('names paths as a reader writes them', () => {
      assert.equal(pathName(['rules', 0, 'port']), 'rules[0].port');
      assert.equal(pathName([]), '');
    });

    it('describes values by type, and short strings by themselves', () => {
      assert.equal(describeValue('x'), "'x'");
      assert.equal(describeValue(3), 'number 3');
      assert.equal(describeValue([1]), 'list');
      assert.equal(describeValue({}), 'mapping');
      assert.equal(describeValue(null), 'null');
    });
  });

  describe('module params', () => {
    it('names a missing nested key and an unknown nested key', () => {
      assert.deepEqual(tasksErrors('- copy:\n    dest: /x\n    rules:\n      - from: a\n        bogus: 1\n'), [
        "4:9 'rules[0]' is missing 'port'",
        "5:9 unknown key 'bogus' in 'rules[0]'",
      ]);
    });

    it('states limits with the value given', () => {
      assert.deepEqual(tasksErrors('- copy: { dest: /x, port: 70000 }\n'), ["1:27 'port' must be <= 65535, got 70000"]);
    });

    it('says which form of an anyOf was meant when only one fits the value type', () => {
      assert.deepEqual(tasksErrors('- check: { that: [ok, 1] }\n'), ["1:23 'that[1]' must be string, got number"]);
    });

    it('lists the forms of an anyOf when none fits', () => {
      assert.deepEqual(tasksErrors('- check: { that: 3 }\n'), ["1:18 'that' must be a string or a list of strings, got number 3"]);
    });

    it('names the root when params are not a mapping', () => {
      assert.deepEqual(tasksErrors('- copy: /etc/motd\n'), ["1:9 parameters of module 'copy' must be a mapping or key=value words, got '/etc/motd' (not key=value)"]);
    });

    it('accepts templated strings at load time but not after templating', () => {
      const copy = FAKE_MODULES[0];
      assert.ok(copy);
      const at = makeLocator(parseYaml('x: 1\n', 'p.yml').yaml);
      assert.deepEqual(validateModuleParams(copy, { dest: '/x', port: '{{ p }}' }, [], at), []);
      const after = validateModuleParams(copy, { dest: '/x', port: '{{ p }}' }, [], at, false);
      assert.deepEqual(after.map((e) => e.message), ["'port' must be integer, got string"]);
    });

    it('suggests an enum value', () => {
      assert.deepEqual(tasksErrors('- copy: { dest: /x, state: absnt }\n'), ["1:28 'state' must be one of: present, absent; got 'absnt' (did you mean 'absent'?)"]);
    });
  });

  describe('tasks', () => {
    it('tells an unknown keyword from an unknown module by whether the task has a module', () => {
      assert.deepEqual(tasksErrors('- ping:\n  regster: x\n- pnig:\n'), ["2:3 unknown task keyword 'regster' (did you mean 'register'?)", "3:3 unknown module 'pnig' (did you mean 'ping'?)"]);
    });

    it('explains unsupported Ansible keywords', () => {
      assert.deepEqual(tasksErrors('- ping:\n  action: [a]\n- include: x.yml\n'), [
        "2:3 'action' is not supported: write the module as the task's key",
        "3:3 'include' was removed in Ansible 2.16: use import_tasks (read when the playbook is loaded) or include_tasks",
      ]);
    });

    it('gives a hint to a keyword written as its FQCN too (ansible.builtin.*, ansible.legacy.*)', () => {
      const hint = "'include_vars' is not supported yet: put the variables in the play's vars_files:, or in a role's vars/main.yml or defaults/main.yml";
      assert.deepEqual(tasksErrors('- include_vars: a.yml\n- ansible.builtin.include_vars: a.yml\n- ansible.legacy.include_vars: a.yml\n'), [`1:3 ${hint}`, `2:3 ${hint}`, `3:3 ${hint}`]);
    });

    it('refuses delegate_to and a task-level connection, saying where such a task goes', () => {
      assert.deepEqual(tasksErrors('- ping:\n  delegate_to: localhost\n- ping:\n  connection: local\n'), [
        "2:3 'delegate_to' is not supported: put the task in a play of its own for that host (hosts: localhost for this machine); a play's tasks run on its own hosts only",
        "4:3 'connection' on a task is not supported: set it on the play (connection: local) or as ansible_connection in the inventory",
      ]);
    });

        it('names a play keyword used on a task', () => {
      assert.deepEqual(tasksErrors('- ping:\n  hosts: all\n'), ["2:3 'hosts' is a play keyword, not a task keyword"]);
    });

    it('checks block keywords and the tasks inside block, rescue and always', () => {
      assert.deepEqual(tasksErrors('- block:\n    - ping: { x: 1 }\n  rescue:\n    - ping: { y: 1 }\n  always:\n    - pnig:\n  whn: x\n'), [
        "2:15 unknown parameter 'x' for module 'ping'",
        "4:15 unknown parameter 'y' for module 'ping'",
        "6:7 unknown module 'pnig' (did you mean 'ping'?)",
        "7:3 unknown block keyword 'whn' (did you mean 'when'?)",
      ]);
    });

    it('says rescue and always belong to a block when a task carries them', () => {
      assert.deepEqual(tasksErrors('- ping:\n  rescue: []\n'), ["2:3 'rescue' belongs to a block: put the tasks it guards under 'block:'"]);
    });

    it('bounds the nesting of blocks', () => {
      let text = '- ping:\n';
      for (let i = 0; i <= MAX_BLOCK_DEPTH; i++) text = `- block:\n${text.replace(/^/gm, '    ')}`;
      assert.match(tasksErrors(text)[0] ?? '', /blocks nested more than/);
    });

    it('refuses a plain string loop but accepts a templated one', () => {
      assert.deepEqual(tasksErrors('- ping:\n  loop: abc\n- ping:\n  loop: "{{ xs }}"\n'), ["2:9 'loop' must be a list or a template string that gives one, got 'abc'"]);
    });

    it('names a task that is not a mapping', () => {
      assert.deepEqual(tasksErrors('- ping\n'), ['1:3 a task must be a mapping, got string']);
    });
  });

  describe('plays', () => {
    it('refuses vars_prompt: sparkbook never prompts, values come with -e', () => {
      assert.deepEqual(playbookErrors('- hosts: all\n  vars_prompt:\n    - name: pw\n'), [
        "2:3 'vars_prompt' is not supported: sparkbook never prompts (runs are unattended); pass the values with -e name=value or -e @vars.yml",
      ]);
    });

    it('takes connection: local or ssh on a play, nothing else', () => {
      assert.deepEqual(playbookErrors('- hosts: all\n  connection: local\n- hosts: all\n  connection: docker\n'), ["4:15 'connection' must be one of: local, ssh; got 'docker'"]);
    });

        it('gives one message for a bad serial, whatever ajv says inside the anyOf', () => {
      assert.deepEqual(playbookErrors('- hosts: all\n  serial: [1, 0%]\n'), [
        "2:11 'serial' must be a positive integer, a percentage like '25%', or a list of those, got list",
      ]);
    });

    it('refuses variable names that are not identifiers, at the key', () => {
      assert.deepEqual(playbookErrors('- hosts: all\n  vars:\n    my-var: 1\n'), ["3:5 'my-var' is not a valid variable name in 'vars' (letters, digits and _, not starting with a digit)"]);
    });

    it('hints at a boolean when one is written as the quoted string "yes"', () => {
      assert.deepEqual(playbookErrors('- hosts: all\n  become: "yes"\n'), ["2:11 'become' must be boolean, got string (write true or false: YAML 1.2 reads 'yes' as a string)"]);
    });

    it('checks import_playbook entries on their own terms', () => {
      assert.deepEqual(playbookErrors('- import_playbook: x.yml\n  hosts: all\n'), ["2:3 unknown key 'hosts' in an import_playbook entry (it takes only import_playbook and name)"]);
    });
  });

  describe('sortErrors', () => {
    it('drops repeats and orders by file order, line and column', () => {
      const at = (file: string, line: number, col: number) => ({ file, line, col });
      const errors = [
        new InputError('schema', 'b2', at('b.yml', 1, 1)),
        new InputError('schema', 'a9', at('a.yml', 9, 1)),
        new InputError('schema', 'a1', at('a.yml', 1, 5)),
        new InputError('schema', 'a1', at('a.yml', 1, 5)),
        new InputError('schema', 'a1b', at('a.yml', 1, 2)),
      ];
      assert.deepEqual(sortErrors(errors, ['a.yml', 'b.yml']).map((e) => e.message), ['a1b', 'a1', 'a9', 'b2']);
    });
  });

  it('compiles each schema once', () => {
    const schema = { type: 'string' };
    assert.equal(compileSchema(schema), compileSchema(schema));
  });
});

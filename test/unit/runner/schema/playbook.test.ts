// Tests of runner/schema/playbook.ts: the generated editor schema accepts good playbooks and
// rejects what the loader rejects; the static pieces give the types.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { modules } from '../../../../modules/index.js';
import { buildPlaybookSchema, buildTasksFileSchema, TASK_KEYWORDS, HANDLER_KEYWORDS, type PlayKeywords } from '../../../../runner/schema/playbook.js';
import { FAKE_MODULES, fixture } from '../load/support.js';

const compile = (schema: object) => new Ajv({ strict: false, allErrors: true }).compile(schema);

describe('runner/schema/playbook', () => {
  describe('buildPlaybookSchema', () => {
    it('accepts the feature playbook with the real module registry', () => {
      const validate = compile(buildPlaybookSchema(modules));
      const value: unknown = parse(readFileSync(fixture('load', 'site.yml'), 'utf8'), { version: '1.2' });
      assert.equal(validate(value), true, JSON.stringify(validate.errors?.slice(0, 3)));
    });

    it('rejects a task with two modules, with none, and with an unknown module', () => {
      const validate = compile(buildPlaybookSchema(FAKE_MODULES));
      const play = (task: object) => [{ hosts: 'all', tasks: [task] }];
      assert.equal(validate(play({ ping: {} })), true);
      assert.equal(validate(play({ ping: {}, copy: { dest: '/x' } })), false);
      assert.equal(validate(play({ name: 'nothing' })), false);
      assert.equal(validate(play({ pnig: {} })), false);
    });

    it("validates a module's params with that module's schema, inside blocks too", () => {
      const validate = compile(buildPlaybookSchema(FAKE_MODULES));
      assert.equal(validate([{ hosts: 'all', tasks: [{ block: [{ copy: { dest: 1 } }] }] }]), false);
      assert.equal(validate([{ hosts: 'all', tasks: [{ block: [{ copy: { dest: '/x' } }] }] }]), true);
    });

    it('accepts a templated string where a param wants another type or an enum value, as the loader does', () => {
      const validate = compile(buildPlaybookSchema(FAKE_MODULES));
      const copy = (params: object) => [{ hosts: 'all', tasks: [{ copy: { dest: '/x', ...params } }] }];
      assert.equal(validate(copy({ port: '{{ ssh_port }}', state: '{{ wanted }}', backup: '{{ keep }}' })), true);
      assert.equal(validate(copy({ port: 'twenty-two' })), false);
      assert.equal(validate(copy({ state: 'presnt' })), false);
    });

    it('allows listen only in handlers', () => {
      const validate = compile(buildPlaybookSchema(FAKE_MODULES));
      assert.equal(validate([{ hosts: 'all', handlers: [{ name: 'h', listen: 't', ping: {} }] }]), true);
      assert.equal(validate([{ hosts: 'all', tasks: [{ name: 'h', listen: 't', ping: {} }] }]), false);
      assert.ok(HANDLER_KEYWORDS.has('listen') && !TASK_KEYWORDS.has('listen'));
    });

    it('requires hosts on a play', () => {
      const validate = compile(buildPlaybookSchema(FAKE_MODULES));
      assert.equal(validate([{ name: 'x', tasks: [] }]), false);
    });
  });

  it('builds a tasks-file schema whose items are tasks', () => {
    const validate = compile(buildTasksFileSchema(FAKE_MODULES));
    assert.equal(validate([{ ping: {} }, { import_tasks: 'x.yml' }]), true);
    assert.equal(validate([{ hosts: 'all' }]), false);
  });

  it('infers play keyword types from the static schema', () => {
    const play: PlayKeywords = { hosts: ['a', 'b'], serial: [1, '50%'], become: true };
    assert.deepEqual(play.hosts, ['a', 'b']);
  });
});

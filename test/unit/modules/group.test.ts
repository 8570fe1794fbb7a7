// Tests modules/group.ts: plan cases from fixtures, and the commands its changes run.
import { strict as assert } from 'node:assert';
import { findModule } from '../../../modules/index.js';
import type { AnyModule, Change } from '../../../runner/module.js';
import { describeFixtures, planFromOutput } from './fixtures.js';

const mod = findModule('group') as AnyModule;

describeFixtures(mod);

const planOf = (params: Record<string, unknown>, stdout: string, secret: readonly string[] = []): Change[] => planFromOutput(mod, params, stdout, secret);

describe('group module', () => {
  it('answers to ansible.builtin.group', () => assert.equal(findModule('ansible.builtin.group'), mod));

  it('runs groupadd with the name after --', () => {
    const [c] = planOf({ name: 'docker', gid: 998, system: true }, '@section group\n@end\n');
    assert.equal(String(c?.script), 'groupadd --gid 998 --system -- docker');
  });
});

// Tests modules/user.ts: plan cases from fixtures, and the commands its changes run.
import { strict as assert } from 'node:assert';
import { findModule } from '../../../modules/index.js';
import type { AnyModule, Change } from '../../../runner/module.js';
import { describeFixtures, planFromOutput } from './fixtures.js';

const mod = findModule('user') as AnyModule;

describeFixtures(mod);

const planOf = (params: Record<string, unknown>, stdout: string, secret: readonly string[] = []): Change[] => planFromOutput(mod, params, stdout, secret);

describe('user module', () => {
  it('answers to ansible.builtin.user', () => assert.equal(findModule('ansible.builtin.user'), mod));

  it('runs useradd with every option before -- and the name after it', () => {
    const [c] = planOf({ name: 'operator', uid: 1500, groups: ['docker', 'sudo'], shell: '/bin/bash' }, '');
    assert.equal(String(c?.script), 'useradd --uid 1500 --groups docker,sudo --shell /bin/bash --create-home -- operator');
  });

  it('feeds the password hash to chpasswd -e on stdin, never as an argument, and masks it in the printable script', () => {
    const hash = '$6$abcdefgh$0123456789abcdefhash';
    const out = '@section passwd\nnvidia:x:1000:1000::/home/nvidia:/bin/bash\n@end\n@section password\ndiffers\n@end\n';
    const [c] = planOf({ name: 'nvidia', password: hash }, out, ['password']);
    assert.ok(c?.script);
    assert.match(c.script.raw(), /printf '%s:%s\\n' nvidia '\$6\$abcdefgh\$0123456789abcdefhash' \| chpasswd -e/);
    assert.ok(!String(c.script).includes(hash));
    assert.ok(!c.script.raw().includes('chpasswd -e $'));
  });
});

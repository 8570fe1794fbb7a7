// -b / --become-user (and ansible.cfg's [privilege_escalation]) are defaults for plays: a play's
// own become/become_user wins, and tasks inherit from their play as usual.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadPlaybook } from '../../../../runner/load/playbook.js';
import { FAKE_MODULES, writeTree } from './support.js';

const TEXT = `
- name: says nothing
  hosts: all
  tasks:
    - { name: t1, ping: {} }
    - { name: t2, ping: {}, become_user: www }
- name: says no
  hosts: all
  become: false
  tasks:
    - { name: t3, ping: {} }
- name: says who
  hosts: all
  become_user: postgres
  tasks:
    - { name: t4, ping: {} }
`;

describe('runner/load play defaults (-b, --become-user)', () => {
  it('gives plays that do not say become the run-wide become and become user; a play or task that says wins', async () => {
    const dir = await writeTree({ 'pb.yml': TEXT });
    const pb = await loadPlaybook(join(dir, 'pb.yml'), { modules: FAKE_MODULES, playDefaults: { become: true, becomeUser: 'admin' } });
    const [a, b, c] = pb.plays;
    assert.equal(a?.become, true);
    assert.equal(a?.becomeUser, 'admin');
    assert.equal(a?.tasks[0]?.become, true);
    assert.equal(a?.tasks[0]?.becomeUser, 'admin');
    assert.equal(a?.tasks[1]?.becomeUser, 'www');
    assert.equal(b?.become, false, 'become: false in the play beats -b');
    assert.equal(c?.become, true);
    assert.equal(c?.becomeUser, 'postgres');
  });

  it('changes nothing without defaults', async () => {
    const dir = await writeTree({ 'pb.yml': TEXT });
    const pb = await loadPlaybook(join(dir, 'pb.yml'), { modules: FAKE_MODULES });
    assert.equal(pb.plays[0]?.become, false);
    assert.equal(pb.plays[0]?.becomeUser, 'root');
  });
});

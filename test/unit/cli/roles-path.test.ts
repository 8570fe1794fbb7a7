// Tests of runner/commands/roles-path.ts: where roles are looked for after roles/ next to the playbook.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ansibleDefaultRolesPath, rolesPathOf } from '../../../runner/commands/roles-path.js';
import { runCli } from '../../support/run-cli.js';

describe('runner/commands/roles-path', () => {
  it('puts -r dirs first (colon-separated, repeatable), then SPARKBOOK_ROLES_PATH, then ANSIBLE_ROLES_PATH', () => {
    const env = { SPARKBOOK_ROLES_PATH: '/s1:/s2', ANSIBLE_ROLES_PATH: '/a1' };
    assert.deepEqual(rolesPathOf({ 'roles-path': ['/r1:/r2', '/r3'] }, env, '/home/u'), ['/r1', '/r2', '/r3', '/s1', '/s2', '/a1']);
  });

  it("uses Ansible's default roles path when ANSIBLE_ROLES_PATH is unset, and none when it is empty", () => {
    assert.deepEqual(rolesPathOf({}, {}, '/home/u'), ansibleDefaultRolesPath('/home/u'));
    assert.deepEqual(ansibleDefaultRolesPath('/home/u'), ['/home/u/.ansible/roles', '/usr/share/ansible/roles', '/etc/ansible/roles']);
    assert.deepEqual(rolesPathOf({}, { ANSIBLE_ROLES_PATH: '' }, '/home/u'), []);
  });

  it('expands a leading ~ to the home directory and drops repeats', () => {
    assert.deepEqual(rolesPathOf({ 'roles-path': ['~/roles:~/roles:./local'] }, { ANSIBLE_ROLES_PATH: '~' }, '/home/u'), ['/home/u/roles', './local', '/home/u']);
  });

  it('sparkbook validate finds a role through -r and through SPARKBOOK_ROLES_PATH, and exits 2 naming where it looked without them', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'sparkbook-roles-'));
    try {
      mkdirSync(join(dir, 'project'));
      mkdirSync(join(dir, 'galaxy/hello/tasks'), { recursive: true });
      writeFileSync(join(dir, 'project/pb.yml'), '- hosts: all\n  roles: [hello]\n');
      writeFileSync(join(dir, 'galaxy/hello/tasks/main.yml'), '- debug: { msg: hi }\n');
      const env = { ANSIBLE_ROLES_PATH: '', SPARKBOOK_ROLES_PATH: '' };
      const viaFlag = await runCli(['validate', 'pb.yml', '-r', join(dir, 'galaxy')], { cwd: join(dir, 'project'), env });
      assert.equal(viaFlag.code, 0, viaFlag.stderr);
      assert.match(viaFlag.stdout, /ok pb\.yml: 1 play\(s\), 1 task\(s\)/);
      const viaEnv = await runCli(['validate', 'pb.yml'], { cwd: join(dir, 'project'), env: { ...env, SPARKBOOK_ROLES_PATH: join(dir, 'galaxy') } });
      assert.equal(viaEnv.code, 0, viaEnv.stderr);
      const missing = await runCli(['validate', 'pb.yml'], { cwd: join(dir, 'project'), env });
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /pb\.yml:2:11: role 'hello' not found; looked in: roles, \./);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

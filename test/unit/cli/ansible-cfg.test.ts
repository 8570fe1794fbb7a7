// ansible.cfg: found as ansible-core finds it ($ANSIBLE_CONFIG, ./ansible.cfg unless the directory
// is world-writable, ~/.ansible.cfg), the settings sparkbook has read from it (relative paths from
// the file's directory, unknown keys ignored), command-line flags over it, errors located.
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../runner/errors.js';
import { expandPath, findAnsibleConfig, readAnsibleConfig } from '../../../runner/commands/ansible-cfg.js';
import { ansibleFlags } from '../../../runner/commands/ansible-flags.js';
import { REPO_ROOT, runCli } from '../../support/run-cli.js';

const FULL = `# every key sparkbook reads, and some it does not
[defaults]
inventory = inventory/hosts.ini
remote_user = deploy
private_key_file = ~/.ssh/fleet_key
forks = 12
host_key_checking = False
roles_path = roles:/opt/roles
    $ROLES_HOME/more
timeout = 20
vault_password_file = ./vault-pass ; inline comment
gathering = smart
callbacks_enabled = timer

[privilege_escalation]
become = True
become_user = admin
become_method = sudo

[ssh_connection]
pipelining = True
`;

describe('ansible.cfg', function () {
  this.timeout(30_000);
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-cfg-'));
    chmodSync(dir, 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every setting sparkbook has, paths from the file\'s directory, and ignores unknown keys and sections', () => {
    const c = readAnsibleConfig(FULL, '/etc/fleet/ansible.cfg', { ROLES_HOME: '/srv/r' }, '/home/op');
    assert.equal(c.inventory?.value, '/etc/fleet/inventory/hosts.ini');
    assert.equal(c.remoteUser?.value, 'deploy');
    assert.equal(c.privateKeyFile?.value, '/home/op/.ssh/fleet_key');
    assert.equal(c.forks?.value, 12);
    assert.equal(c.hostKeyChecking?.value, false);
    assert.deepEqual(c.rolesPath?.value, ['/etc/fleet/roles', '/opt/roles', '/srv/r/more']);
    assert.equal(c.timeout?.value, 20);
    assert.equal(c.vaultPasswordFile?.value, '/etc/fleet/vault-pass');
    assert.equal(c.become?.value, true);
    assert.equal(c.becomeUser?.value, 'admin');
    assert.deepEqual(c.forks?.where, { file: '/etc/fleet/ansible.cfg', line: 6, col: 1 });
    assert.deepEqual(Object.keys(c).sort(), ['become', 'becomeMethod', 'becomeUser', 'file', 'forks', 'hostKeyChecking', 'inventory', 'privateKeyFile', 'remoteUser', 'rolesPath', 'timeout', 'vaultPasswordFile']);
  });

  it('locates a bad value, an unsupported become method, several inventories and a syntax error at FILE:LINE:COL', () => {
    const located = (text: string, line: number, message: RegExp): void => {
      assert.throws(() => readAnsibleConfig(text, 'a/ansible.cfg'), (e: unknown) => {
        assert.ok(e instanceof InputError, String(e));
        assert.equal(e.where?.file, 'a/ansible.cfg');
        assert.equal(e.where?.line, line);
        assert.match(e.message, message);
        return true;
      });
    };
    located('[defaults]\n\nforks = many\n', 3, /forks must be an integer >= 1, not 'many'/);
    located('[defaults]\nhost_key_checking = sometimes\n', 2, /host_key_checking must be a boolean/);
    located('[privilege_escalation]\nbecome_method = su\n', 2, /become_method su is not supported: sparkbook becomes with sudo only/);
    located('[defaults]\ninventory = a.ini,b.ini\n', 2, /inventory lists 2 sources; sparkbook reads one/);
    located('[defaults]\nforks = 1\nnot a setting\n', 3, /is not 'key = value'/);
  });

  it('leaves a key with an empty value at its default', () => {
    const c = readAnsibleConfig('[defaults]\nremote_user =\nforks:\n', 'x.cfg');
    assert.equal(c.remoteUser, undefined);
    assert.equal(c.forks, undefined);
  });

  it('expands $VAR, ${VAR} and ~ in paths, and keeps an unset variable as written', () => {
    assert.equal(expandPath('~/k', {}, '/h'), '/h/k');
    assert.equal(expandPath('$A/${B}/$C', { A: 'x', B: 'y' }, '/h'), 'x/y/$C');
  });

  it('finds $ANSIBLE_CONFIG first (a directory means DIR/ansible.cfg), then ./ansible.cfg, then ~/.ansible.cfg', async () => {
    const cwd = join(dir, 'project');
    const home = join(dir, 'home');
    const other = join(dir, 'other');
    for (const d of [cwd, home, other]) mkdirSync(d, { mode: 0o755 });
    writeFileSync(join(home, '.ansible.cfg'), '[defaults]\nforks = 1\n');
    assert.equal((await findAnsibleConfig({ env: {}, cwd, home })).config?.forks?.value, 1);
    writeFileSync(join(cwd, 'ansible.cfg'), '[defaults]\nforks = 2\n');
    assert.equal((await findAnsibleConfig({ env: {}, cwd, home })).config?.forks?.value, 2);
    writeFileSync(join(other, 'ansible.cfg'), '[defaults]\nforks = 3\n');
    assert.equal((await findAnsibleConfig({ env: { ANSIBLE_CONFIG: join(other, 'ansible.cfg') }, cwd, home })).config?.forks?.value, 3);
    assert.equal((await findAnsibleConfig({ env: { ANSIBLE_CONFIG: other }, cwd, home })).config?.forks?.value, 3);
    const missing = await findAnsibleConfig({ env: { ANSIBLE_CONFIG: join(other, 'nope.cfg') }, cwd, home });
    assert.equal(missing.config?.forks?.value, 2, 'a missing ANSIBLE_CONFIG falls through, as in Ansible');
    assert.match(missing.warnings.join('\n'), /ANSIBLE_CONFIG=.*nope\.cfg: no readable file/);
    assert.equal((await findAnsibleConfig({ env: {}, cwd: other, home: other })).config?.forks?.value, 3);
    rmSync(join(home, '.ansible.cfg'));
    assert.equal((await findAnsibleConfig({ env: {}, cwd: home, home })).config, undefined);
  });

  it('ignores ./ansible.cfg in a world-writable directory, with a warning, as Ansible does', async () => {
    const cwd = join(dir, 'public');
    mkdirSync(cwd);
    chmodSync(cwd, 0o777);
    writeFileSync(join(cwd, 'ansible.cfg'), '[defaults]\nforks = 4\n');
    const found = await findAnsibleConfig({ env: {}, cwd, home: join(dir, 'nohome') });
    assert.equal(found.config, undefined);
    assert.match(found.warnings.join('\n'), /ignoring .*ansible\.cfg: the directory .* is world-writable/);
  });

  it('puts command-line flags over its settings', () => {
    const c = readAnsibleConfig(FULL, '/etc/fleet/ansible.cfg', {}, '/home/op');
    assert.deepEqual(ansibleFlags({}, c), { connection: { user: 'deploy', privateKeyFile: '/home/op/.ssh/fleet_key' }, playDefaults: { become: true, becomeUser: 'admin' } });
    assert.deepEqual(ansibleFlags({ user: 'me', 'private-key': '/k', 'become-user': 'root' }, c), { connection: { user: 'me', privateKeyFile: '/k' }, playDefaults: { become: true, becomeUser: 'root' } });
  });

  it('run takes its inventory, user, key, timeout and host key policy from ./ansible.cfg; -i, -u and --host-key-policy win', async () => {
    copyFileSync(join(REPO_ROOT, 'test/fixtures/cli/sparks.ini'), join(dir, 'fleet.ini'));
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\ninventory = fleet.ini\nremote_user = cfguser\nprivate_key_file = keys/id_cfg\ntimeout = 1\nhost_key_checking = no\n');
    const playbook = join(REPO_ROOT, 'test/fixtures/cli/local.yml');
    const listed = await runCli(['run', playbook, '--list-hosts'], { cwd: dir });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /hosts \(2\):\n {6}spark-01\n {6}spark-02\n/);
    writeFileSync(join(dir, 'other.ini'), 'solo ansible_host=192.0.2.9\n');
    const own = await runCli(['run', playbook, '--list-hosts', '-i', 'other.ini'], { cwd: dir });
    assert.match(own.stdout, /hosts \(1\):\n {6}solo\n$/, '-i wins over ansible.cfg');

    const run = await runCli(['run', playbook, '--limit', 'spark-01', '-vvv', '-F', '/dev/null', '--retry-file', join(dir, 'retry')], { cwd: dir });
    assert.match(run.stderr, /^Using .*\/ansible\.cfg as config file$/m);
    assert.match(run.stderr, /ansible\.cfg:6:1: host_key_checking = False is read as --host-key-policy accept-new/);
    assert.match(run.stdout, new RegExp(`connect +spark-01 \\| ssh cfguser@192\\.0\\.2\\.1:22, auth: key ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/keys/id_cfg, host keys accept-new, timeout 1 s`));
    const flags = await runCli(['run', playbook, '--limit', 'spark-01', '-vvv', '-F', '/dev/null', '-u', 'flaguser', '--host-key-policy', 'strict', '--retry-file', join(dir, 'retry')], { cwd: dir });
    assert.match(flags.stdout, /connect +spark-01 \| ssh flaguser@192\.0\.2\.1:22, .*host keys strict/);
    assert.doesNotMatch(flags.stderr, /host_key_checking/);
  });

  it('run exits 2 at FILE:LINE for a malformed ansible.cfg, before anything else', async () => {
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nforks = 2\nforks = 3\n');
    const r = await runCli(['run', join(REPO_ROOT, 'test/fixtures/cli/local.yml')], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ansible\.cfg:3:1: 'forks' is already set in section 'defaults'/);
  });

  it('validate decrypts vault content with ansible.cfg\'s vault_password_file, and locates a missing one', async () => {
    const vault = join(REPO_ROOT, 'test/fixtures/ansible/vault');
    copyFileSync(join(vault, 'password.txt'), join(dir, 'vault-pass'));
    copyFileSync(join(vault, 'whole-file.yml'), join(dir, 'secrets.yml'));
    writeFileSync(join(dir, 'pb.yml'), '- hosts: all\n  gather_facts: no\n  vars_files: [secrets.yml]\n  tasks:\n    - debug: { msg: "{{ admin_user }}" }\n');
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nvault_password_file = vault-pass\n');
    const ok = await runCli(['validate', 'pb.yml'], { cwd: dir, env: { SPARKBOOK_VAULT_PASSWORD_FILE: '' } });
    assert.equal(ok.code, 0, ok.stderr);
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\n\nvault_password_file = nowhere\n');
    const missing = await runCli(['validate', 'pb.yml'], { cwd: dir, env: { SPARKBOOK_VAULT_PASSWORD_FILE: '' } });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /ansible\.cfg:3:1: vault_password_file .*nowhere: no such file/);
  });
});

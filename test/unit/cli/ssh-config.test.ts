// `sparkbook ssh-config`: the printed blocks mean to OpenSSH (ssh -G) what sparkbook resolves;
// --write merges them into a config keeping its other bytes, atomically, and refuses broken markers.
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../../support/run-cli.js';
import { ensureOpenSshClient, sshG } from '../../support/openssh.js';

const HOME = homedir();

function inventory(port2: number): string {
  return [
    'all:',
    '  hosts:',
    '    spark-01:',
    '      ansible_host: 10.0.0.11',
    '      ansible_user: nvidia',
    '      ansible_password: hunter2-never-printed',
    `    spark-02:`,
    '      ansible_host: spark-02.local',
    `      ansible_port: ${port2}`,
    '      ansible_ssh_private_key_file: /srv/keys/lab key.pem',
    '      ansible_ssh_common_args: -o ProxyJump=admin@bastion.example:2200',
    '    localhost:',
    '',
  ].join('\n');
}

// A config with comments, Include and Match blocks: --write must keep every byte of it.
const USER_CONFIG = '# laptop\nInclude ~/.ssh/nonexistent.d/*\nServerAliveInterval 30\n\nHost *.corp\n  User me\nMatch host gpu-*\n  Port 2200\n';

describe('sparkbook ssh-config', function () {
  this.timeout(60_000);
  let dir: string;
  let inv: string;
  let empty: string;
  before(() => {
    ensureOpenSshClient();
    dir = mkdtempSync(join(tmpdir(), 'sparkbook-ssh-config-'));
    inv = join(dir, 'inventory.yml');
    empty = join(dir, 'empty-ssh-config');
    writeFileSync(inv, inventory(2222));
    writeFileSync(empty, '');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // ssh expands ~ with the account's home: the CLI resolves with the same HOME, through an empty ssh config.
  const cli = (args: string[], home = HOME) => runCli(['ssh-config', '-i', inv, ...args], { env: { HOME: home } });

  it('prints a block per SSH host that ssh -G reads as sparkbook resolved it, and no password', async () => {
    const r = await cli(['-F', empty]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /hunter2/);
    assert.match(r.stdout, /^# No block for localhost: reached over a local connection, not SSH\.$/m);
    const file = join(dir, 'printed');
    writeFileSync(file, r.stdout);
    const one = sshG('spark-01', file);
    assert.deepEqual([one.get('hostname'), one.get('user'), one.get('port')], [['10.0.0.11'], ['nvidia'], ['22']]);
    assert.equal(one.get('proxyjump'), undefined);
    const two = sshG('spark-02', file);
    assert.deepEqual([two.get('hostname'), two.get('user'), two.get('port')], [['spark-02.local'], [userInfo().username], ['2222']]);
    assert.deepEqual(two.get('identityfile'), ['/srv/keys/lab key.pem']);
    assert.deepEqual(two.get('proxyjump'), ['admin@bastion.example:2200']);
    assert.deepEqual(two.get('userknownhostsfile'), [`${HOME}/.ssh/known_hosts ${HOME}/.ssh/known_hosts2`]);
  });

  it('--limit prints only the selected hosts', async () => {
    const r = await cli(['-F', empty, '--limit', 'spark-02']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Host spark-02$/m);
    assert.doesNotMatch(r.stdout, /spark-01/);
  });

  it('--limit warns of a term that matches no host, as run does', async () => {
    const r = await cli(['-F', empty, '--limit', 'spark-01,spark-0x']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: --limit: 'spark-0x' matches no host \(did you mean 'spark-01'\?\)$/m);
    assert.match(r.stdout, /^Host spark-01$/m);
  });

  it('--write merges into the file keeping its other bytes; a second write changes nothing; mode 0600', async () => {
    const file = join(dir, 'config-a');
    writeFileSync(file, USER_CONFIG, { mode: 0o644 });
    const first = await cli(['-F', empty, '--write', '--file', file]);
    assert.equal(first.code, 0, first.stderr);
    const once = readFileSync(file, 'utf8');
    assert.ok(once.endsWith(`# END sparkbook (inventory ${inv})\n\n${USER_CONFIG}`), once);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const second = await cli(['-F', empty, '--write', '--file', file]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /already up to date/);
    assert.equal(readFileSync(file, 'utf8'), once);
    // The user's options before their first Host line still apply to every host.
    assert.deepEqual(sshG('spark-01', file).get('serveraliveinterval'), ['30']);
  });

  it('--write after an SSH port move updates the block\'s Port and nothing else', async () => {
    const file = join(dir, 'config-b');
    writeFileSync(file, USER_CONFIG);
    assert.equal((await cli(['--write', '--file', file])).code, 0);
    const before = readFileSync(file, 'utf8');
    writeFileSync(inv, inventory(2022));
    try {
      // Resolved through the file itself: its old block must not win over the inventory.
      const r = await cli(['--write', '--file', file]);
      assert.equal(r.code, 0, r.stderr);
      const after = readFileSync(file, 'utf8');
      assert.deepEqual(sshG('spark-02', file).get('port'), ['2022']);
      assert.equal(after, before.replace('  Port 2222\n', '  Port 2022\n'));
    } finally {
      writeFileSync(inv, inventory(2222));
    }
  });

  it('--write refuses a file whose markers are broken, naming the line, and leaves it untouched', async () => {
    const file = join(dir, 'config-c');
    const broken = `${USER_CONFIG}# BEGIN sparkbook (inventory ${inv})\nHost spark-01\n`;
    writeFileSync(file, broken);
    const r = await cli(['-F', empty, '--write', '--file', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /config-c:9:1: '# BEGIN sparkbook' at line 9 has no '# END sparkbook'/);
    assert.equal(readFileSync(file, 'utf8'), broken);
  });

  it('--write through a symlinked config writes the linked file and keeps the link', async () => {
    const real = join(dir, 'dotfiles-ssh-config');
    const link = join(dir, 'linked-config');
    writeFileSync(real, USER_CONFIG);
    symlinkSync(real, link);
    const r = await cli(['-F', empty, '--write', '--file', link]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.match(readFileSync(real, 'utf8'), /^Host spark-01$/m);
  });

  it('--write without --file creates ~/.ssh (0700) and ~/.ssh/config (0600)', async () => {
    const home = mkdtempSync(join(dir, 'home-'));
    const r = await cli(['--write'], home);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(statSync(join(home, '.ssh')).mode & 0o777, 0o700);
    assert.equal(statSync(join(home, '.ssh', 'config')).mode & 0o777, 0o600);
    assert.match(readFileSync(join(home, '.ssh', 'config'), 'utf8'), /^Host spark-02$/m);
  });

  it('refuses a value with a newline (exit 2), printing nothing', async () => {
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, 'all:\n  hosts:\n    spark-09:\n      ansible_user: "ops\\nroot"\n');
    const r = await runCli(['ssh-config', '-i', bad, '-F', empty]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /spark-09: User "ops\\nroot" has a newline/);
  });

  it('a vaulted ansible_password is decrypted with --vault-password-file and never printed', async () => {
    // The encrypt_string fixture's db_password (test/support/ansible-vault-fixtures.sh), as a host's password.
    const fixtures = join(REPO_ROOT, 'test/fixtures/ansible/vault');
    const lines = readFileSync(join(fixtures, 'inline-vars.yml'), 'utf8').split('\n');
    const start = lines.findIndex((l) => l.startsWith('db_password:'));
    const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
    const block = lines.slice(start, end).map((l) => `      ${l}`).join('\n').replace('db_password:', 'ansible_password:');
    const vaulted = join(dir, 'vaulted.yml');
    writeFileSync(vaulted, `all:\n  hosts:\n    spark-05:\n      ansible_host: 10.0.0.5\n${block}\n`);
    const r = await runCli(['ssh-config', '-i', vaulted, '-F', empty, '--vault-password-file', join(fixtures, 'password.txt')], { env: { SPARKBOOK_VAULT_PASSWORD_FILE: '' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}HostName 10\.0\.0\.5$/m);
    assert.ok(!`${r.stdout}${r.stderr}`.includes('hunter2-db-secret'));
    assert.doesNotMatch(r.stdout, /ANSIBLE_VAULT|Password/i);
  });

  it('--help names every option, and --file without --write is a usage error', async () => {
    const help = await runCli(['ssh-config', '--help']);
    for (const o of ['--inventory', '--limit', '--write', '--file', '--ssh-config']) assert.match(help.stdout, new RegExp(o));
    const r = await cli(['--file', join(dir, 'x')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--file is where --write writes/);
  });
});

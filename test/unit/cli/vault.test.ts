// The CLI with Ansible Vault content: validate and run --check on a local inventory decrypt it,
// a wrong or missing password exits 2 at the !vault tag, and no plaintext reaches any output.
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPILED_CLI, REPO_ROOT, runCli, type CliResult } from '../../support/run-cli.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/ansible/vault');
/** Plaintexts of the fixtures (test/support/ansible-vault-fixtures.sh): none may be printed. */
const PLAINTEXTS = ['hunter2-db-secret', 'tok-9f8e7d6c5b4a', 'sparkadmin'];

/** The compiled CLI (COMPILED_CLI), with no vault password file from the developer's environment. */
function sparkbook(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(args, { entry: COMPILED_CLI, env: { SPARKBOOK_VAULT_PASSWORD_FILE: '', ...env } });
}

/** The `db_password: !vault |` block of the encrypt_string fixture, indented under `vars:`. */
function vaultBlock(): string {
  const lines = readFileSync(join(FIXTURES, 'inline-vars.yml'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('db_password:'));
  const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
  return lines.slice(start, end).map((l) => `    ${l}`).join('\n');
}

describe('sparkbook with Ansible Vault content', function () {
  this.timeout(60_000);
  let dir = '';
  let playbook = '';
  let inventory = '';
  let password = '';
  let vaultLine = 0;
  let vaultCol = 0;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-vault-'));
    inventory = join(dir, 'hosts.yml');
    writeFileSync(inventory, 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n');
    mkdirSync(join(dir, 'group_vars'));
    copyFileSync(join(FIXTURES, 'whole-file.yml'), join(dir, 'group_vars', 'all.yml'));
    password = join(dir, 'vault-pass');
    copyFileSync(join(FIXTURES, 'password.txt'), password);
    const text = `- hosts: all\n  gather_facts: no\n  vars:\n${vaultBlock()}\n  tasks:\n    - debug:\n        msg: "db {{ db_password }} token {{ api_token }} user {{ admin_user }} ok {{ become_ok }}"\n`;
    playbook = join(dir, 'site.yml');
    writeFileSync(playbook, text);
    const lines = text.split('\n');
    vaultLine = lines.findIndex((l) => l.includes('!vault')) + 1;
    vaultCol = (lines[vaultLine - 1] ?? '').indexOf('!vault') + 1;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const assertNoPlaintext = (what: string, text: string): void => {
    for (const p of PLAINTEXTS) assert.ok(!text.includes(p), `${what} shows '${p}'`);
  };

  it('validate decrypts inline and whole-file vault content with --vault-password-file', async () => {
    const r = await sparkbook(['validate', playbook, '-i', inventory, '--vault-password-file', password]);
    assert.equal(r.code, 0, r.stderr);
    assertNoPlaintext('stdout', r.stdout);
    assertNoPlaintext('stderr', r.stderr);
  });

  it('run --check uses the decrypted values and prints none of them, nor writes them in --report', async () => {
    const report = join(dir, 'report.json');
    const r = await sparkbook(['run', playbook, '-i', inventory, '--check', '--output', 'plain', '--report', report, '--retry-file', join(dir, 'retry'), '--vault-password-file', password]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assertNoPlaintext('stdout', r.stdout);
    assertNoPlaintext('stderr', r.stderr);
    assertNoPlaintext('--report', readFileSync(report, 'utf8'));
    // The value was really decrypted: the non-secret part of the message is there, masked parts too.
    assert.match(r.stdout + readFileSync(report, 'utf8'), /db «redacted» token «redacted»/);
  });

  it('runs an executable password file and uses its output (SPARKBOOK_VAULT_PASSWORD_FILE)', async () => {
    const script = join(dir, 'vault-pass.sh');
    writeFileSync(script, `#!/bin/sh\necho '${readFileSync(password, 'utf8')}'\n`);
    chmodSync(script, 0o755);
    const r = await sparkbook(['validate', playbook, '-i', inventory], { SPARKBOOK_VAULT_PASSWORD_FILE: script });
    assert.equal(r.code, 0, r.stderr);
  });

  it('a wrong password exits 2 naming FILE:LINE:COL of the !vault tag and of the vaulted file, and shows no ciphertext', async () => {
    const wrong = join(dir, 'wrong-pass');
    writeFileSync(wrong, 'not the password\n');
    for (const command of [['validate', playbook], ['run', playbook, '--check', '--retry-file', join(dir, 'retry')]]) {
      const r = await sparkbook([...command, '-i', inventory, '--vault-password-file', wrong]);
      assert.equal(r.code, 2, r.stderr);
      assert.ok(r.stderr.includes(`${playbook}:${vaultLine}:${vaultCol}: !vault: cannot decrypt`), r.stderr);
      assert.ok(r.stderr.includes(`${join(dir, 'group_vars', 'all.yml')}:1:1:`), r.stderr);
      assert.doesNotMatch(r.stderr + r.stdout, /\$ANSIBLE_VAULT|[0-9a-f]{40}/);
      assert.equal(r.stdout, '');
    }
  });

  it('without a password exits 2 at the !vault tag; --ask-vault-pass without a terminal is refused', async () => {
    const none = await sparkbook(['validate', playbook, '-i', inventory]);
    assert.equal(none.code, 2);
    assert.ok(none.stderr.includes(`${playbook}:${vaultLine}:${vaultCol}: !vault: encrypted with Ansible Vault, and no vault password was given`), none.stderr);
    const ask = await sparkbook(['validate', playbook, '-i', inventory, '--ask-vault-pass']);
    assert.equal(ask.code, 2);
    assert.match(ask.stderr, /--ask-vault-pass needs a terminal/);
  });
});

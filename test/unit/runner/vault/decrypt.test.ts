// The vault decryptor and the loaders' !vault handling, on texts made by the real ansible-vault
// (encrypt_string and encrypt, ansible-core 2.14): test/support/ansible-vault-fixtures.sh wrote
// test/fixtures/ansible/vault/ once with the passwords beside them; rerun it to refresh them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { decryptVault, isVaultText } from '../../../../runner/vault/decrypt.js';
import { parseYaml } from '../../../../runner/load/yaml.js';
import { readVarsFile } from '../../../../runner/inventory/vars-files.js';
import { InputErrors } from '../../../../runner/errors.js';
import { REDACTED, redactKnownSecrets } from '../../../../runner/shell/secret.js';
import { REPO_ROOT } from '../../../support/run-cli.js';

const dir = join(REPO_ROOT, 'test/fixtures/ansible/vault');
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
const PASSWORD = read('password.txt');
const PROD = read('password-prod.txt');
/** The plaintexts the regeneration script encrypted. */
const INLINE: Record<string, string> = {
  db_password: 'hunter2-db-secret',
  multiline: 'multi\nline secret',
  block_sized: 'exactly16bytes!!',
  unicode: 'ünïcødé-sécret',
};

/** The envelopes of a vars file of `!vault |` values, read without decrypting them. */
function envelopes(name: string): Record<string, string> {
  return parse(read(name), { customTags: [{ tag: '!vault', resolve: (s: string) => s }] }) as Record<string, string>;
}

/** The envelope with one hex digit of its HMAC (part 2 of the body) changed. */
function tamperHmac(envelope: string): string {
  const [header, ...body] = envelope.trim().split('\n');
  const inner = Buffer.from(body.join(''), 'hex').toString('latin1').split('\n');
  const hmac = inner[1] as string;
  inner[1] = (hmac[0] === '0' ? '1' : '0') + hmac.slice(1);
  return `${header}\n${Buffer.from(inner.join('\n'), 'latin1').toString('hex')}\n`;
}

describe('Ansible Vault (texts made by ansible-vault)', () => {
  const values = envelopes('inline-vars.yml');

  it('decrypts every encrypt_string value (1.1) to its plaintext', () => {
    assert.deepEqual(Object.keys(values).sort(), Object.keys(INLINE).sort());
    for (const [name, envelope] of Object.entries(values)) {
      assert.ok(isVaultText(envelope));
      const r = decryptVault(envelope, [PASSWORD]);
      assert.ok(r.ok, name);
      assert.equal(r.plaintext, INLINE[name], name);
    }
  });

  it('decrypts a 1.2 value and reports its label', () => {
    const r = decryptVault(envelopes('inline-1.2.yml').labelled as string, [PASSWORD, PROD]);
    assert.ok(r.ok);
    assert.equal(r.plaintext, 'labelled-secret-42');
    assert.equal(r.label, 'prod');
  });

  it('decrypts a whole file made by ansible-vault encrypt', () => {
    const r = decryptVault(read('whole-file.yml'), [PASSWORD]);
    assert.ok(r.ok);
    assert.equal(r.plaintext, read('whole-file.plain.yml'));
  });

  it('refuses a wrong password, and no password, as password failures', () => {
    const wrong = decryptVault(values.db_password as string, ['not it']);
    assert.ok(!wrong.ok && wrong.failure.kind === 'password' && /wrong/.test(wrong.failure.message));
    const none = decryptVault(values.db_password as string, []);
    assert.ok(!none.ok && none.failure.kind === 'password' && /no vault password/.test(none.failure.message));
  });

  it('refuses a tampered HMAC even with the right password', () => {
    const r = decryptVault(tamperHmac(values.db_password as string), [PASSWORD]);
    assert.ok(!r.ok && r.failure.kind === 'password');
  });

  it('refuses damaged envelopes as format failures', () => {
    for (const bad of ['$ANSIBLE_VAULT;1.1;AES256\nzz\n', '$ANSIBLE_VAULT;9.9;AES256\n00\n', '$ANSIBLE_VAULT;1.1;DES\n00\n', 'plain text']) {
      const r = decryptVault(bad, [PASSWORD]);
      assert.ok(!r.ok && r.failure.kind === 'format', bad);
    }
  });

  it('the playbook loader decrypts !vault values into secrets, masked in any text', () => {
    const { value } = parseYaml(read('inline-vars.yml'), 'vars.yml', { vaultPasswords: ['other', PASSWORD] });
    assert.deepEqual(value, INLINE);
    assert.equal(redactKnownSecrets(`pw=${INLINE.db_password}`), `pw=${REDACTED}`);
  });

  it('without the password, or with a wrong one, the loader names FILE:LINE:COL of each !vault tag', () => {
    for (const passwords of [[], ['wrong']]) {
      try {
        parseYaml(read('inline-vars.yml'), 'vars.yml', { vaultPasswords: passwords });
        assert.fail('accepted');
      } catch (e) {
        assert.ok(e instanceof InputErrors);
        const lines = read('inline-vars.yml').split('\n');
        const expected = lines.flatMap((l, i) => (l.includes('!vault') ? [`vars.yml:${i + 1}:${l.indexOf('!vault') + 1}`] : []));
        assert.deepEqual(e.errors.map((x) => `${x.where?.file}:${x.where?.line}:${x.where?.col}`), expected);
      }
    }
  });

  it('a whole vaulted vars file decrypts to YAML read as Ansible reads it, every value secret', async () => {
    const vars = await readVarsFile(join(dir, 'whole-file.yml'), { vaultPasswords: [PASSWORD] });
    assert.deepEqual(vars, { api_token: 'tok-9f8e7d6c5b4a', admin_user: 'sparkadmin', become_ok: true, port: 420 });
    assert.equal(redactKnownSecrets('tok-9f8e7d6c5b4a sparkadmin'), `${REDACTED} ${REDACTED}`);
    await assert.rejects(readVarsFile(join(dir, 'whole-file.yml')), (e: Error & { where?: { line: number } }) => /no vault password/.test(e.message) && e.where?.line === 1);
  });
});

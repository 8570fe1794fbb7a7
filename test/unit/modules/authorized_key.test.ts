// Tests modules/authorized_key.ts: plan cases from fixtures (the lockout guard among them), the
// fingerprint sshd logs, and real edits under /bin/sh.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { findModule } from '../../../modules/index.js';
import { editAuthorizedKeys, fingerprint, wantedKeys } from '../../../modules/lib/authorized-keys.js';
import type { AnyModule } from '../../../runner/module.js';
import { convergeHere, describeFixtures } from './fixtures.js';

const authorizedKey = findModule('authorized_key') as AnyModule;
const K1 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJRpxQgZfcBoz8UnoGNKQI1iRJItxpxPeYZZXhKtUSHQ operator@laptop';
const K2 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBV2s4uM0ycZUh0pV0kP5lYbBvTgMC3cbXoTQqqyrH6L ci@fleet';

describeFixtures(authorizedKey);

describe('authorized_key', () => {
  it('answers to ansible.posix.authorized_key', () => assert.equal(findModule('ansible.posix.authorized_key'), authorizedKey));

  it("computes the fingerprint sshd logs and ssh-keygen -l prints", () => {
    assert.equal(fingerprint('AAAAC3NzaC1lZDI1NTE5AAAAIJRpxQgZfcBoz8UnoGNKQI1iRJItxpxPeYZZXhKtUSHQ'), 'SHA256:KTAdmcWgj4eD2EIf3I8UqQjgzsDTaiFxHsEGOiAvZJc');
  });

  it('matches keys by their blob, whatever their options and comment, and keeps quoted options whole', () => {
    const file = `command="echo a, b",no-pty ${K1.replace('operator@laptop', 'old comment')}\n${K2}\n`;
    const edit = editAuthorizedKeys(file, wantedKeys(K1, undefined, undefined), 'present', false);
    assert.equal(edit.content, `${K1}\n${K2}\n`);
    assert.equal(edit.updated.length, 1);
  });

  describe('under /bin/sh', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'sparkbook-ak-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('creates the directory 0700 and the file 0600, then keeps other lines when adding a second key', () => {
      const user = userInfo().username;
      const path = join(dir, 'ssh', 'authorized_keys');
      convergeHere(authorizedKey, { user, key: K1, path }, dir);
      assert.equal(statSync(join(dir, 'ssh')).mode & 0o7777, 0o700);
      assert.equal(statSync(path).mode & 0o7777, 0o600);
      writeFileSync(path, `# keep me\n${K1}`);
      convergeHere(authorizedKey, { user, key: K2, path }, dir);
      assert.equal(readFileSync(path, 'utf8'), `# keep me\n${K1}\n${K2}\n`);
      convergeHere(authorizedKey, { user, key: K2, path, exclusive: true }, dir);
      assert.equal(readFileSync(path, 'utf8'), `${K2}\n`);
    });
  });
});

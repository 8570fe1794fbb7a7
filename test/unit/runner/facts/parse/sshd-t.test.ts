// Tests of the `sshd -T` parser on recorded output.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseSshdT } from '../../../../../runner/facts/parse/sshd-t.js';
import { splitSections } from '../../../../../runner/facts/sections.js';
import { factsFixturePath, parserCases } from '../fixtures.js';

describe('parseSshdT', () => {
  for (const c of parserCases('sshd-t')) {
    it(`reads ports, listen addresses and auth settings: ${c.name}`, () => {
      assert.deepEqual(parseSshdT(c.output), c.expected);
    });
  }

  it('reads the full OpenSSH output of the Ubuntu 24.04 fixture, repeated keywords included', () => {
    const stdout = readFileSync(factsFixturePath('script/ubuntu-2404-dgx-spark.txt'), 'utf8');
    const parsed = parseSshdT(splitSections(stdout).byName.get('sshd-t')?.body ?? '');
    assert.deepEqual(parsed?.ports, [22]);
    assert.equal(parsed?.passwordAuthentication, 'yes');
    assert.deepEqual(parsed?.settings['hostkey'], ['/etc/ssh/ssh_host_rsa_key', '/etc/ssh/ssh_host_ecdsa_key', '/etc/ssh/ssh_host_ed25519_key']);
    assert.deepEqual(parsed?.settings['acceptenv'], ['LANG', 'LC_*']);
    assert.equal(parsed?.settings['maxauthtries']?.[0], '6');
  });

  it('reads the pre-8.7 keyword challengeresponseauthentication as kbd-interactive', () => {
    assert.equal(parseSshdT('port 22\nchallengeresponseauthentication no\n')?.kbdInteractiveAuthentication, 'no');
  });

  it('is null for an error message on stdout', () => {
    assert.equal(parseSshdT('Missing privilege separation directory: /run/sshd'), null);
  });
});

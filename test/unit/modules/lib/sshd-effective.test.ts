// Tests modules/lib/sshd-effective.ts: recorded `sshd -T` output as data, and the lockout check on the patterns sshd itself uses.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { effectivePorts, operatorLockouts, parseSshdT } from '../../../../modules/lib/sshd-effective.js';
import { ROOT } from '../fixtures.js';

const fixture = (...path: string[]): string => readFileSync(join(ROOT, 'test', 'fixtures', ...path), 'utf8');
const recorded = (name: string): string => (JSON.parse(fixture('facts', 'sshd-t', name)) as { output: string[] }).output.join('\n');
const lockouts = (text: string, user = 'spark', groups: readonly string[] = ['spark', 'sudo']): string[] => operatorLockouts(parseSshdT(text), user, groups);

describe('parseSshdT and effectivePorts', () => {
  it('reads every port of a recorded two-port config, and repeated keywords in order', () => {
    const c = parseSshdT(recorded('two-ports-hardened.json'));
    assert.deepEqual(effectivePorts(c), [22, 2222]);
    assert.deepEqual(c.get('acceptenv'), ['LANG', 'LC_*']);
    assert.deepEqual(c.get('subsystem'), ['sftp /usr/lib/openssh/sftp-server']);
  });

  it('reads Ubuntu 24.04 defaults: port 22, root by key only, so a root operator is not locked out', () => {
    const text = fixture('modules', 'sshd_config', 'sshd-T.ubuntu-24.04.txt');
    assert.deepEqual(effectivePorts(parseSshdT(text)), [22]);
    assert.deepEqual(lockouts(text, 'root', ['root']), []);
  });

  it('gives nothing for an sshd that printed nothing (a recorded failure)', () => {
    const c = parseSshdT(recorded('failed.json'));
    assert.equal(c.size, 0);
    assert.deepEqual(effectivePorts(c), []);
  });

  it('skips lines that are not `keyword value` and ports that are not ports, and sorts and dedupes the rest', () => {
    const c = parseSshdT('Port 1\n  port 2222\nport 22\nport 22\nport 0\nport 70000\nport x\n\nwarning: something\n');
    assert.deepEqual(effectivePorts(c), [22, 2222]);
    assert.equal(c.get('warning'), undefined);
  });
});

describe('operatorLockouts', () => {
  it('refuses root under PermitRootLogin no and forced-commands-only, not under prohibit-password', () => {
    assert.equal(lockouts('permitrootlogin no', 'root', ['root']).length, 1);
    assert.deepEqual(lockouts('permitrootlogin forced-commands-only', 'root', ['root']), ['PermitRootLogin forced-commands-only refuses root, the user sparkbook connects as']);
    assert.deepEqual(lockouts('permitrootlogin without-password', 'root', ['root']), []);
    assert.deepEqual(lockouts('permitrootlogin no'), [], 'a non-root operator is unaffected');
  });

  it('lets a negated pattern exclude the operator even when a wildcard includes them', () => {
    assert.deepEqual(lockouts('allowusers * !spark'), ['AllowUsers does not include spark']);
    assert.deepEqual(lockouts('allowusers !spark *'), ['AllowUsers does not include spark'], 'order does not matter');
    assert.deepEqual(lockouts('allowusers * !other'), []);
  });

  it('matches sshd wildcards and treats other regex characters literally', () => {
    assert.deepEqual(lockouts('allowusers sp?rk'), []);
    assert.deepEqual(lockouts('allowusers s.ark'), ['AllowUsers does not include spark'], 'a dot is not a wildcard');
    assert.deepEqual(lockouts('allowusers spark+'), ['AllowUsers does not include spark']);
  });

  it('counts a user@host DenyUsers entry as denying the user (the host part cannot be checked here)', () => {
    assert.deepEqual(lockouts('denyusers spark@10.0.0.*'), ['DenyUsers matches spark']);
  });

  it('checks group lists against every group of the operator', () => {
    assert.deepEqual(lockouts('denygroups sudo'), ['DenyGroups matches a group of spark']);
    assert.deepEqual(lockouts('allowgroups admins sud*'), []);
    assert.deepEqual(lockouts('allowgroups admins', 'spark', []), ['AllowGroups includes no group of spark']);
  });

  it('keeps a way in while any one of publickey, password or keyboard-interactive is on', () => {
    assert.deepEqual(lockouts('pubkeyauthentication no\npasswordauthentication no\nkbdinteractiveauthentication yes'), []);
    assert.deepEqual(lockouts('pubkeyauthentication no\npasswordauthentication yes'), []);
    assert.equal(lockouts('pubkeyauthentication no\npasswordauthentication no\nkbdinteractiveauthentication no').length, 1);
    assert.deepEqual(lockouts(''), [], 'sshd defaults: publickey on');
  });

  it('reports every lockout at once', () => {
    assert.equal(lockouts('permitrootlogin no\nallowusers admin\ndenyusers root\nallowgroups wheel\npubkeyauthentication no', 'root', ['root']).length, 5);
  });
});
